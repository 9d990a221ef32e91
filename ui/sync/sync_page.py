"""数据同步: carry data between offices on a USB stick.

Export writes a package for one known PC (what it has not confirmed yet) or a full one for any
PC. Import reads a package in the background — every check and the plan, nothing written —
shows what it would change, and applies it once the clerk confirms; the core backs up first and
writes in one transaction. A refused package leaves the database as it was, and the page says
why and what to do. The PCs this one knows (with their fingerprints) and the packages it made
or applied are listed below.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk import APP_NAME
from civdesk.core.errors import AlreadyApplied, SyncRefused, UntrustedSigner
from civdesk.sync import conflicts, exchange, package, peers
from civdesk.sync.exchange import ExportResult, Incoming
from ui.field_errors import hint_label, message_label, show_message
from ui.list_model import Column, RowsSource, rows_view, stretch_column
from ui.navigation import PageHost, notice_label
from ui.session import Session
from ui.sync.dialogs import PreviewDialog, TrustDialog, refusal_text, source_text, summary_text
from ui.sync.files import describe_file_name, package_files, size_text
from ui.sync.parts import HistoryTab, PeersTab, ThisPcCard
from ui.tasks import TaskHandle, run_task
from ui.widgets.empty import empty_hint

SETTINGS_KEY = "sync/usb_dir"
FULL_PACKAGE = "完整数据包（任何电脑）"


# --- background work (no widgets here) ---------------------------------------------------------


def _export_work(ctx, actor, folder: str, to: str | None) -> ExportResult:
    return exchange.export_package(actor, folder, to=to, progress=ctx.progress)


def _read_work(ctx, path: str, trust_new: bool):
    # A refusal is an answer, not a failure: it travels back as a value, code and all.
    try:
        incoming = exchange.read_package(path, trust_new=trust_new, progress=ctx.progress)
    except SyncRefused as exc:
        return exc
    ctx.check_cancelled()  # nothing was written; a cancelled check shows nothing
    return incoming


def _apply_work(ctx, actor, incoming: Incoming):
    try:
        return exchange.apply_package(actor, incoming, progress=ctx.progress)
    except SyncRefused as exc:  # applied meanwhile (another window, another clerk)
        return exc


# --- the page -------------------------------------------------------------------------------------


class SyncPage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        actor = session.actor
        self.settings: QSettings = getattr(host, "settings", None) or QSettings(APP_NAME, APP_NAME)
        self.writable = not session.read_only and actor.can("sync_data")
        self.task: TaskHandle | None = None
        self.preview_dialog: PreviewDialog | None = None
        self.trust_dialog: TrustDialog | None = None
        self.last_box: QMessageBox | None = None
        self.last_export: ExportResult | None = None
        self.last_import: Incoming | None = None
        self.checking_path = ""
        self.me: peers.Identity | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        self.this_pc = ThisPcCard(self)
        layout.addWidget(self.this_pc)
        layout.addWidget(self._conflict_banner())
        if session.read_only:
            layout.addWidget(notice_label(f"只读：{session.read_only_reason or '数据库以只读方式打开'}，"
                                          "不能导出或导入数据包。"))

        self.tabs = QTabWidget()
        exchange_tab = QWidget()
        columns = QHBoxLayout(exchange_tab)
        columns.setContentsMargins(0, 10, 0, 0)
        columns.setSpacing(14)
        columns.addWidget(self._export_box(), 1)
        columns.addWidget(self._import_box(), 2)
        self.tabs.addTab(exchange_tab, "导出与导入")
        self.peers_tab = PeersTab(session, self)
        self.history_tab = HistoryTab(self)
        self.tabs.addTab(self.peers_tab, "认识的电脑")
        self.tabs.addTab(self.history_tab, "同步记录")
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # -- construction ------------------------------------------------------------------------

    def _conflict_banner(self) -> QWidget:
        self.conflict_banner = QFrame()
        self.conflict_banner.setObjectName("conflictBanner")
        row = QHBoxLayout(self.conflict_banner)
        row.setContentsMargins(12, 6, 8, 6)
        self.conflict_label = QLabel()
        self.conflict_label.setWordWrap(True)
        self.conflicts_button = QPushButton("去处理冲突")
        self.conflicts_button.clicked.connect(lambda: self.host.show_page("conflicts"))
        self.conflicts_button.setVisible(self.host.has_page("conflicts"))
        row.addWidget(self.conflict_label, 1)
        row.addWidget(self.conflicts_button)
        return self.conflict_banner

    def _export_box(self) -> QWidget:
        box = QGroupBox("① 导出数据包（带到别的电脑）")
        layout = QVBoxLayout(box)
        layout.setSpacing(8)
        layout.addWidget(hint_label("把本机新的数据存成一个文件，放到 U 盘上，带到对方电脑上「导入」。"))
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.receiver_combo = QComboBox()
        self.receiver_combo.setMinimumContentsLength(14)
        self.receiver_combo.currentIndexChanged.connect(lambda _i: self._update_receiver_hint())
        form.addRow("发给：", self.receiver_combo)
        self.receiver_hint = hint_label("")
        form.addRow("", self.receiver_hint)
        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setPlaceholderText("选择 U 盘或文件夹")
        self.folder_button = QPushButton("选择…")
        self.folder_button.clicked.connect(lambda: self.choose_folder())
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)
        form.addRow("保存到：", folder_row)
        layout.addLayout(form)
        self.export_button = QPushButton("导出数据包")
        self.export_button.setProperty("primary", True)
        self.export_button.setMinimumHeight(36)
        self.export_button.setEnabled(self.writable)
        self.export_button.clicked.connect(lambda: self.export())
        layout.addWidget(self.export_button)
        self.export_message = message_label()
        self.export_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.export_message)
        layout.addStretch(1)
        return box

    def _import_box(self) -> QWidget:
        box = QGroupBox("② 导入数据包（别的电脑带来的）")
        layout = QVBoxLayout(box)
        layout.setSpacing(8)
        layout.addWidget(hint_label("插上 U 盘，在下面的列表中选中对方导出的文件（最新的在最上面），点「导入」。"
                                    "导入前会先显示将发生的变化，并自动备份本机的数据。"))
        self.files_folder_label = QLabel()
        self.files_folder_label.setProperty("role", "hint")
        self.files_folder_label.setWordWrap(True)
        layout.addWidget(self.files_folder_label)
        self.files_source = RowsSource([Column("source", "来自", 150), Column("receiver", "发给", 150),
                                        Column("made", "导出时间", 130), Column("note", "说明", 80),
                                        Column("name", "文件", 120)])
        self.files_view, self.files_model = rows_view(self.files_source, self)
        stretch_column(self.files_view, 4)
        self.files_view.setMinimumHeight(140)
        self.files_view.doubleClicked.connect(lambda _index: self.import_selected())
        self.files_view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        layout.addWidget(self.files_view, 1)
        self.files_empty = empty_hint(self.files_view, "这里列出所选文件夹里的 CivDesk 数据包（.civsync）。"
                                                       "插上 U 盘，在左边「保存到」选择它，或点「选择其他文件…」。")
        buttons = QHBoxLayout()
        self.import_button = QPushButton("导入所选文件…")
        self.import_button.setProperty("primary", True)
        self.import_button.setMinimumHeight(36)
        self.import_button.clicked.connect(lambda: self.import_selected())
        self.choose_file_button = QPushButton("选择其他文件…")
        self.choose_file_button.clicked.connect(lambda: self.choose_file())
        self.refresh_files_button = QPushButton("刷新列表")
        self.refresh_files_button.clicked.connect(self.refresh_files)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.choose_file_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_files_button)
        layout.addLayout(buttons)
        self.import_message = message_label()
        self.import_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.import_message)
        return box

    # -- refresh --------------------------------------------------------------------------------

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.me = self.this_pc.refresh()
        self._fill_receivers()
        self.peers_tab.refresh()
        self.history_tab.refresh()
        self.refresh_conflicts()
        folder = str(self.settings.value(SETTINGS_KEY, "") or "")
        self.folder_edit.setText(folder)
        self.folder_edit.setCursorPosition(0)
        self.folder_edit.setToolTip(folder)
        self.refresh_files()

    def refresh_conflicts(self) -> None:
        count = conflicts.count_open()
        if count:
            who = ("" if self.session.actor.can("resolve_conflicts")
                   else "请审核人或系统管理员处理。")
            self.conflict_label.setText(f"有 {count} 处同步冲突等待处理：两台电脑改了同一项内容，"
                                        f"需要有人决定保留哪个值。{who}")
            self.conflict_banner.setStyleSheet("QFrame#conflictBanner { background: #fff7e0; "
                                               "border: 1px solid #ecd28c; border-radius: 4px; }")
        else:
            self.conflict_label.setText("没有待处理的同步冲突。")
            self.conflict_banner.setStyleSheet("QFrame#conflictBanner { background: #eef7ee; "
                                               "border: 1px solid #c5e1c5; border-radius: 4px; }")
        self.conflicts_button.setVisible(bool(count) and self.host.has_page("conflicts"))
        self.conflict_count = count

    def _fill_receivers(self) -> None:
        current = self.receiver_combo.currentData()
        self.receiver_combo.blockSignals(True)
        self.receiver_combo.clear()
        for peer in peers.all_peers():
            self.receiver_combo.addItem(f"{peer.office_name}「{peer.node_name}」", peer.node_id)
        self.receiver_combo.addItem(FULL_PACKAGE, "")
        index = self.receiver_combo.findData(current) if current is not None else -1
        self.receiver_combo.setCurrentIndex(max(index, 0))
        self.receiver_combo.blockSignals(False)
        self._update_receiver_hint()

    def _update_receiver_hint(self) -> None:
        if self.receiver_combo.currentData():
            text = "只包含对方还没有收到的变更，文件较小。"
        elif self.me is not None and self.me.office_kind == "township":
            text = ("包含全乡镇共用的记录（不含各村/社区的人员信息），任何一台本乡镇的电脑都能导入。"
                    "给某个村/社区的电脑请在上面选它；还不认识它时，请先导入它的数据包。")
        else:
            text = "包含本单位的全部记录，任何一台本乡镇的电脑都能导入。第一次发给乡镇时用这一项。"
        self.receiver_hint.setText(text)

    def refresh_files(self) -> None:
        folder = self.folder_edit.text()
        if not folder:
            self.files_folder_label.setText("还没有选择 U 盘。请在左边「保存到」处选择 U 盘（或文件夹），"
                                            "或点「选择其他文件…」。")
            self.files_source.set_rows([])
            self.files_model.refresh()
            self._update_buttons()
            return
        done = exchange.history(limit=1000)
        exported = {p.file_name for p in done if p.direction == "out"}
        imported = {p.file_name for p in done if p.direction == "in"}
        rows = []
        for path in package_files(Path(folder)):
            try:
                stat = path.stat()
            except OSError:
                continue
            note = ("本机导出的" if path.name in exported else "已导入过" if path.name in imported else "")
            made = dt.datetime.fromtimestamp(stat.st_mtime).strftime("%Y-%m-%d %H:%M")
            rows.append((str(path), {"name": path.name, "note": note, **describe_file_name(path.name, made)}))
        self.files_source.set_rows(rows)
        self.files_model.refresh()
        where = f"U 盘（文件夹）：{folder}"
        self.files_folder_label.setText(where if rows else f"{where}\n这里还没有数据包文件（.civsync）。")
        if rows and not self.files_view.currentIndex().isValid():
            # The newest file this PC has neither made nor imported is the likely one.
            fresh = [path for path, values in rows if not values["note"]]
            self.files_view.selectRow(self.files_model.row_of(fresh[0]) if fresh else 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.task is not None and not self.task.is_done
        self.export_button.setEnabled(self.writable and not busy)
        self.import_button.setEnabled(self.writable and not busy and self.selected_file() is not None)
        self.choose_file_button.setEnabled(self.writable and not busy)
        self.peers_tab.update_buttons()

    # -- export ---------------------------------------------------------------------------------

    def choose_folder(self) -> str:
        folder = QFileDialog.getExistingDirectory(self, "选择 U 盘或文件夹", self.folder_edit.text() or str(Path.home()))
        if folder:
            self.set_folder(folder)
        return folder

    def set_folder(self, folder) -> None:
        self.folder_edit.setText(str(folder))
        self.folder_edit.setCursorPosition(0)  # the drive and first folders in sight, not the tail
        self.folder_edit.setToolTip(str(folder))
        self.settings.setValue(SETTINGS_KEY, str(folder))
        self.refresh_files()

    def export(self) -> TaskHandle | None:
        if not self.writable or (self.task is not None and not self.task.is_done):
            return None
        folder = self.folder_edit.text() or self.choose_folder()
        if not folder:
            return None
        if not Path(folder).is_dir():
            show_message(self.export_message, f"找不到文件夹「{folder}」：U 盘是否已经插好？请重新选择。", ok=False)
            return None
        to = self.receiver_combo.currentData() or None
        show_message(self.export_message, "正在导出…")
        self.task = run_task(self, "导出数据包", _export_work, self.session.actor, folder, to,
                             on_done=self._exported, on_error=self._export_failed, cancellable=False)
        self._update_buttons()
        return self.task

    def _exported(self, result: ExportResult) -> None:
        if not shiboken6.isValid(self):
            return
        self.last_export = result
        what = f"{result.entries} 条变更" if result.entries else "没有新的变更（仍告诉对方本机已收到哪些数据）"
        text = (f"已导出：{what}，文件「{result.path.name}」（{size_text(result.size)}），"
                f"保存在 {result.path.parent}。")
        show_message(self.export_message, text)
        self._inform("导出完成", text + "\n\n请在电脑上「安全弹出」U 盘后再拔下，然后在对方电脑的「数据同步」页导入这个文件。")
        self.peers_tab.refresh()
        self.history_tab.refresh()
        self.refresh_files()

    def _export_failed(self, message: str) -> None:
        if shiboken6.isValid(self):
            show_message(self.export_message, message, ok=False)
            self._inform("导出数据包", message, QMessageBox.Icon.Warning)
            self._update_buttons()

    # -- import ---------------------------------------------------------------------------------

    def selected_file(self) -> str | None:
        return self.files_model.id_at(self.files_view.currentIndex().row())

    def import_selected(self) -> TaskHandle | None:
        path = self.selected_file()
        return self.import_file(path) if path else None

    def choose_file(self) -> TaskHandle | None:
        path, _filter = QFileDialog.getOpenFileName(self, "选择数据包", self.folder_edit.text() or str(Path.home()),
                                                    f"CivDesk 数据包 (*{package.SUFFIX});;所有文件 (*)")
        return self.import_file(path) if path else None

    def import_file(self, path, *, trust_new: bool = False) -> TaskHandle | None:
        """Check *path* in the background; the preview (or the reason it is refused) follows."""
        if not self.writable or (self.task is not None and not self.task.is_done):
            return None
        self.checking_path = str(path)
        show_message(self.import_message, f"正在检查「{Path(path).name}」…")
        self.task = run_task(self, "检查数据包", _read_work, str(path), trust_new,
                             on_done=self._read_done, on_error=self._import_failed)
        self.task.signals.cancelled.connect(lambda: self._cancelled("已取消检查，没有导入任何数据。"))
        self._update_buttons()
        return self.task

    def _read_done(self, result) -> None:
        if not shiboken6.isValid(self):
            return
        self._update_buttons()
        if isinstance(result, UntrustedSigner):
            self._ask_trust(result)
        elif isinstance(result, AlreadyApplied):
            show_message(self.import_message, str(result))
            self._inform("这个数据包已经导入过", str(result) + "\n\n不需要再导入。")
        elif isinstance(result, SyncRefused):
            self._refused(result)
        else:
            self._preview(result)

    def _ask_trust(self, exc: UntrustedSigner) -> TrustDialog:
        path = self.checking_path
        can_trust = self.session.actor.can("trust_peers")
        show_message(self.import_message, f"数据包来自还没有信任的电脑 {exc.office_name}「{exc.node_name}」，"
                     + ("请核对密钥指纹。" if can_trust else "需要系统管理员核对指纹并信任。") + "本机的数据没有任何改动。",
                     ok=False)
        dialog = self.trust_dialog = TrustDialog(exc, can_trust, self)
        dialog.accepted.connect(lambda: self.import_file(path, trust_new=True))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _preview(self, incoming: Incoming) -> PreviewDialog:
        trust_needed = incoming.trust_new and not incoming.peer_known
        can_apply = not trust_needed or self.session.actor.can("trust_peers")
        dialog = self.preview_dialog = PreviewDialog(
            incoming, can_apply=can_apply, why_not="只有系统管理员可以信任新的电脑。", parent=self)
        show_message(self.import_message, f"检查通过：{summary_text(incoming.report())}。请在预览中确认后导入。")
        dialog.accepted.connect(lambda: self.apply(incoming))
        dialog.rejected.connect(lambda: show_message(self.import_message, "已取消导入，本机的数据没有任何改动。"))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def apply(self, incoming: Incoming) -> TaskHandle | None:
        if self.task is not None and not self.task.is_done:
            return None
        show_message(self.import_message, "正在导入…")
        self.task = run_task(self, "导入数据包", _apply_work, self.session.actor, incoming,
                             on_done=self._applied, on_error=self._import_failed, cancellable=False)
        self._update_buttons()
        return self.task

    def _applied(self, result) -> None:
        if not shiboken6.isValid(self):
            return
        if isinstance(result, SyncRefused):
            self._read_done(result)
            return
        self.last_import = result
        report = result.report()
        source = source_text(report["source"])
        conflicts_count = sum(report["conflicts"].values())
        text = f"已导入来自{source}的数据包：{summary_text(report)}。"
        show_message(self.import_message, text)
        details = [text]
        if conflicts_count:
            details.append(f"有 {conflicts_count} 处新的同步冲突，请在「冲突处理」页决定保留哪个值。")
        details.append(f"导入前的数据已自动备份到：\n{report['backup']}")
        box = self._inform("导入完成", "\n\n".join(details))
        if conflicts_count and self.host.has_page("conflicts"):
            go = box.addButton("去处理冲突", QMessageBox.ButtonRole.ActionRole)
            go.clicked.connect(lambda: self.host.show_page("conflicts"))
        self.refresh()

    def _refused(self, exc: SyncRefused) -> None:
        show_message(self.import_message, f"{exc}", ok=False)
        self._inform("不能导入这个数据包", refusal_text(exc), QMessageBox.Icon.Critical)

    def _import_failed(self, message: str) -> None:
        if shiboken6.isValid(self):
            show_message(self.import_message, message, ok=False)
            self._inform("导入数据包", message, QMessageBox.Icon.Warning)
            self._update_buttons()

    def _cancelled(self, text: str) -> None:
        if shiboken6.isValid(self):
            show_message(self.import_message, text, ok=False)
            self._update_buttons()

    # -- messages -------------------------------------------------------------------------------

    def _inform(self, title: str, text: str, icon=QMessageBox.Icon.Information) -> QMessageBox:
        # Non-modal on purpose: the outcome of a background task must not block the event loop.
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.button(QMessageBox.StandardButton.Ok).setText("确定")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_box = box
        return box
