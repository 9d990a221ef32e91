"""Import volunteers or service hours from Excel: choose a file, see every problem, import.

The preview and the import run in the background (``ui.tasks.run_task``) with progress and
cancel; the dialog only shows what the core's ``preview`` / ``apply`` return.  The rejected
rows can be saved as an Excel list with the reason beside each row, for the clerk to fix and
import again.  Also here: the one-click template download and the list export the pages use.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.office import offices as office
from civdesk.volunteers import hours_import, import_columns
from civdesk.volunteers import roster_import as volunteer_import
from civdesk.volunteers import sheets as volunteer_export
from civdesk.volunteers.roster_import import ImportPreview, ImportReport
from ui.field_errors import ERROR_COLOR, hint_label
from ui.session import Session
from ui.tasks import TaskHandle, run_task
from ui.volunteers.column_map import ColumnMapTable
from ui.volunteers.import_views import ErrorsModel
from ui.widgets.empty import empty_hint
from ui.widgets.fit import fit_columns

__all__ = ["ErrorsModel", "ImportDialog", "export_volunteer_list", "open_import_dialog", "save_template"]

FIRST_ROWS = 20


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "hour") and hasattr(value, "date") and (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date().isoformat()
    return str(value)


KINDS = {
    "volunteers": {"title": "导入志愿者", "module": volunteer_import, "noun": "志愿者",
                   "template": "志愿者导入模板.xlsx"},
    "hours": {"title": "导入服务时长", "module": hours_import, "noun": "服务记录",
              "template": "服务时长导入模板.xlsx"},
}
XLSX_FILTER = "Excel 文件 (*.xlsx);;所有文件 (*)"
OK_STYLE = "color: #2e7d32;"
BAD_STYLE = f"color: {ERROR_COLOR};"


# --- background work (no widgets here) ---------------------------------------------------------


def _cancellable(ctx):
    return lambda: ctx.cancelled


def _preview_work(ctx, kind: str, path: str, actor, update_existing: bool, mapping) -> ImportPreview:
    if mapping is None:  # what the clerk chose last time for a sheet with these headers
        mapping = import_columns.remembered_for(path, KINDS[kind]["module"].COLUMNS, kind)
    if kind == "volunteers":
        return volunteer_import.preview(path, actor, ctx.progress, _cancellable(ctx),
                                        update_existing=update_existing, mapping=mapping)
    return hours_import.preview(path, actor, ctx.progress, _cancellable(ctx), mapping=mapping)


def _import_work(ctx, kind: str, result: ImportPreview, actor, skip_invalid: bool) -> ImportReport:
    report = KINDS[kind]["module"].apply(result, actor, skip_invalid=skip_invalid, progress=ctx.progress,
                                         cancelled=_cancellable(ctx))
    if report.written and result.mapping:
        import_columns.remember(kind, [c.header for c in result.choices], result.mapping)
    return report


def _error_list_work(_ctx, result: ImportPreview, out: str) -> int:
    return volunteer_import.write_error_list(result, out)


def _export_work(ctx, actor, out: str, ids: list, full_numbers: bool) -> int:
    return volunteer_export.export_volunteers(actor, out, ids=ids, full_numbers=full_numbers,
                                              progress=ctx.progress, cancelled=_cancellable(ctx))


# --- the dialog --------------------------------------------------------------------------------


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportReport, after something was written

    def __init__(self, session: Session, kind: str = "volunteers", parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.kind = session, kind
        self.spec = KINDS[kind]
        self.path: Path | None = None
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        self.task: TaskHandle | None = None
        self.mapping: dict[str, str | None] | None = None  # the clerk's column choices for this file
        self.setWindowTitle(self.spec["title"])
        self.resize(820, 600)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        noun = self.spec["noun"]
        intro = ("选择填好的 Excel 表格（.xlsx）。导入前会先检查全部行，列出每一处问题；"
                 f"默认有任何问题都不导入，改正后再导入即可。导入的{noun}" +
                 ("会自动编号。" if kind == "volunteers" else "为「待审核」，由审核人审核后计入累计时长。"))
        layout.addWidget(hint_label(intro))

        layout.addLayout(self._build_file_row())

        layout.addLayout(self._build_options())

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary_label)
        self.note_label = hint_label("")
        self.note_label.hide()
        layout.addWidget(self.note_label)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.column_map = ColumnMapTable(self.spec["module"].COLUMNS)
        self.column_map.mapping_changed.connect(self._mapping_chosen)
        self.tabs.addTab(self._build_error_table(), "问题")
        self.tabs.addTab(self.column_map, "列对应")
        self.tabs.addTab(self._build_first_rows(), f"表格前 {FIRST_ROWS} 行")
        self.tabs.addTab(self._build_notices_table(), "逐行说明")
        layout.addWidget(self.tabs, 1)

        layout.addLayout(self._build_buttons())

        self.choose_button.clicked.connect(lambda: self.choose_file())
        self.template_button.clicked.connect(lambda: save_template(self, self.kind))
        self.skip_check.toggled.connect(lambda _on: self._update_buttons())
        self.update_check.toggled.connect(lambda _on: self._repreview())
        self.error_list_button.clicked.connect(lambda: self.export_errors())
        self.import_button.clicked.connect(lambda: self.start_import())
        self.close_button.clicked.connect(self.reject)
        writable = not session.read_only
        if not writable:
            self._say(session.read_only_reason or "数据库以只读方式打开，不能导入。", ok=False)
        self._update_buttons()

    def _build_file_row(self) -> QHBoxLayout:
        file_row = QHBoxLayout()
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("尚未选择文件")
        self.choose_button = QPushButton("选择文件…")
        self.choose_button.setProperty("primary", True)
        self.template_button = QPushButton("下载导入模板…")
        file_row.addWidget(QLabel("文件："))
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.template_button)
        return file_row

    def _build_options(self) -> QHBoxLayout:
        """Import only the good rows; update volunteers already registered."""
        options = QHBoxLayout()
        self.skip_check = QCheckBox("仅导入有效行（有问题的行不导入）")
        self.skip_check.setToolTip("不勾选时，只要有一行有问题就什么都不导入")
        options.addWidget(self.skip_check)
        self.update_check = QCheckBox("已登记的志愿者按表格更新信息")
        self.update_check.setToolTip("按证件号码找到已登记的志愿者，把表格中填写了且不同的信息更新过去（空白单元格不会清空原有信息）")
        if self.kind == "volunteers":
            options.addWidget(self.update_check)
        else:
            self.update_check.hide()
        options.addStretch(1)
        return options

    def _build_first_rows(self) -> QTableWidget:
        """The sheet's first rows as the file holds them, shown at once while every row is checked."""
        self.first_rows_view = QTableWidget()
        self.first_rows_view.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.first_rows_view.setWordWrap(False)
        fit_columns(self.first_rows_view)  # a wide sheet's columns shrink; a cut cell shows itself on hover
        return self.first_rows_view

    def _show_first_rows(self) -> None:
        view = self.first_rows_view
        try:
            first = self.spec["module"].first_rows(self.path, rows=FIRST_ROWS)
        except Exception:  # noqa: BLE001 - the full check below says what is wrong with the file
            view.clear()
            view.setRowCount(0)
            return
        view.clear()
        view.setColumnCount(len(first.header))
        view.setRowCount(len(first.rows))
        view.setHorizontalHeaderLabels(first.header)
        view.setVerticalHeaderLabels([str(n) for n, _v in first.rows])
        for r, (_n, values) in enumerate(first.rows):
            for c, value in enumerate(values):
                view.setItem(r, c, QTableWidgetItem(_shown(value)))
        if first.header:
            self.tabs.setCurrentWidget(view)

    def _build_notices_table(self) -> QTableView:
        """What the check did with rows on purpose: matches it made, 证件待补, rows skipped."""
        self.notices_model = ErrorsModel(self, ("行号", "列", "说明"))
        view = QTableView()
        view.setModel(self.notices_model)
        view.verticalHeader().hide()
        view.setWordWrap(False)
        view.horizontalHeader().setStretchLastSection(True)
        fit_columns(view)
        return view

    def _build_error_table(self) -> QTableView:
        """Every problem found, by row and column."""
        self.errors_model = ErrorsModel(self)
        self.errors_view = QTableView()
        self.errors_view.setModel(self.errors_model)
        self.errors_view.verticalHeader().hide()
        self.errors_view.setAlternatingRowColors(True)
        self.errors_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.errors_view.setWordWrap(False)
        header = self.errors_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.errors_empty = empty_hint(self.errors_view, "选择文件后，这里逐行列出有问题的地方：行号、列和原因。"
                                                         "没有问题时会直接显示可以导入的行数。")
        return self.errors_view

    def _build_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.error_list_button = QPushButton("导出错误清单…")
        self.error_list_button.setToolTip("把有问题的行连同原因保存为 Excel，改正后可直接重新导入")
        self.import_button = QPushButton("导入")
        self.import_button.setProperty("primary", True)
        self.close_button = QPushButton("关闭")
        buttons.addWidget(self.error_list_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        return buttons

    def reject(self) -> None:
        # Closing stops a check still running; an import already writing finishes (it is one
        # transaction) and its result is simply not shown.
        if self._busy():
            self.task.cancel()
        super().reject()

    # -- steps ---------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.spec["title"], str(self.path or Path.home()),
                                                    XLSX_FILTER)
        if path:
            self.set_file(path)

    def set_file(self, path) -> TaskHandle:
        self.path, self.mapping = Path(path), None
        self.file_edit.setText(str(self.path))
        return self.start_preview()

    def show_checked(self, path, result: ImportPreview) -> None:
        """Show a preview made elsewhere (the gallery's pictures) as if this dialog had made it."""
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self._show_first_rows()
        self._previewed(result)

    def _repreview(self) -> None:
        if self.path is not None and not self._busy():
            self.start_preview()

    def start_preview(self) -> TaskHandle:
        self.preview, self.report = None, None
        self.errors_model.set_errors([])
        self.notices_model.set_errors([])
        self.note_label.hide()
        self._show_first_rows()
        self._say("正在检查表格…")
        self.task = run_task(self, "检查导入文件", _preview_work, self.kind, str(self.path), self.session.actor,
                             self.update_check.isChecked(), self.mapping, on_done=self._previewed,
                             on_error=self._failed)
        self.task.signals.cancelled.connect(lambda: self._failed("已取消检查，没有导入任何数据。"))
        self._update_buttons()
        return self.task

    def _alive(self) -> bool:
        return shiboken6.isValid(self) and shiboken6.isValid(self.summary_label)

    def _previewed(self, result: ImportPreview) -> None:
        if not self._alive():
            return
        self.preview, self.mapping = result, result.mapping
        self.errors_model.set_errors(result.errors)
        self.column_map.set_choices(result.choices)
        asking = self.column_map.asking()
        self.tabs.setTabText(1, f"列对应（{len(asking)} 列待选择）" if asking else "列对应")
        self.tabs.setTabText(0, f"问题（{len(result.errors)}）" if result.errors else "问题")
        self.notices_model.set_errors(result.notices)
        self.tabs.setTabText(3, f"逐行说明（{len(result.notices)}）" if result.notices else "逐行说明")
        self.tabs.setCurrentIndex(1 if asking or (result.file_errors and result.choices) else 0)
        notes = result.conversion_notes() + result.rewrite_notes()
        if result.unknown_columns:
            notes.append(f"以下列不导入（见「列对应」，可改选字段）：{'、'.join(result.unknown_columns)}")
        if result.skipped_summary_rows:
            rows = "、".join(f"第 {n} 行「{t}」" for n, t in result.skipped_summary_rows[:10])
            more = f" 等 {len(result.skipped_summary_rows)} 行" if len(result.skipped_summary_rows) > 10 else ""
            notes.append(f"合计、备注等说明行已跳过：{rows}{more}。")
        if result.skipped_example_rows:
            notes.append("模板中的示例行已跳过。")
        if result.sheet:
            notes.append(f"读取的工作表：「{result.sheet}」，表头在第 {result.header_row} 行。")
        self.note_label.setText("\n".join(notes))
        self.note_label.setVisible(bool(notes))
        if result.file_errors:
            self._say("无法导入：" + "；".join(result.file_errors), ok=False)
        elif result.errors:
            self._say(result.summary() + "。下表列出每一处问题：请改正后重新选择文件，"
                      "或勾选「仅导入有效行」。", ok=False)
        elif result.importable or result.updatable:
            self._say(result.summary() + "。没有发现问题，可以导入。")
        else:
            self._say(result.summary() + "。没有需要导入的新数据。")
        self._update_buttons()

    def _mapping_chosen(self, mapping: dict) -> None:
        """The clerk chose a field for a column: check the file again with that choice."""
        self.mapping = mapping
        if self.path is not None and not self._busy():
            self.start_preview()

    def start_import(self) -> TaskHandle | None:
        if self.preview is None or self._busy():
            return None
        self.task = run_task(self, self.spec["title"], _import_work, self.kind, self.preview, self.session.actor,
                             self.skip_check.isChecked(), on_done=self._imported, on_error=self._failed)
        self.task.signals.cancelled.connect(lambda: self._failed("已取消导入，没有导入任何数据。"))
        self._update_buttons()
        return self.task

    def _imported(self, report: ImportReport) -> None:
        if not self._alive():
            return
        self.report = report
        self.errors_model.set_errors(report.errors)
        self._say(report.summary(), ok=report.written and not report.errors)
        if report.written:
            # What was imported is in the database now: importing the same preview again
            # would only skip it all, so the clerk chooses a file again.
            self.preview = None
            self.imported.emit(report)
        self._update_buttons()

    def _failed(self, message: str) -> None:
        if not self._alive():
            return
        self._say(message, ok=False)
        self._update_buttons()

    def export_errors(self, out=None) -> TaskHandle | None:
        result = self.preview
        if result is None or not result.errors:
            return None
        if out is None:
            suggested = str(Path(result.path).with_name(f"{Path(result.path).stem}-需改正的行.xlsx"))
            out, _filter = QFileDialog.getSaveFileName(self, "导出错误清单", suggested, XLSX_FILTER)
            if not out:
                return None
        self.task = run_task(self, "导出错误清单", _error_list_work, result, str(out),
                             on_done=lambda n: self._say(f"已保存错误清单（{n} 行）到 {out}。请按「错误原因」列改正后"
                                                         "重新导入该文件。"),
                             on_error=self._failed)
        return self.task

    # -- state ---------------------------------------------------------------------------

    def _busy(self) -> bool:
        return self.task is not None and not self.task.is_done

    def _say(self, text: str, ok: bool = True) -> None:
        self.summary_label.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
        self.summary_label.setText(text)

    def _update_buttons(self) -> None:
        busy = self._busy()
        result = self.preview
        can_import = (result is not None and not result.file_errors and not self.session.read_only
                      and bool(result.importable or result.updatable)
                      and (not result.errors or self.skip_check.isChecked()))
        self.import_button.setEnabled(can_import and not busy)
        if result is not None and result.errors and not result.file_errors:
            count = result.importable + result.updatable
            self.import_button.setText(f"导入有效的 {count} 行" if self.skip_check.isChecked() else "导入")
        else:
            self.import_button.setText("导入")
        self.error_list_button.setEnabled(result is not None and bool(result.errors) and not busy)
        self.choose_button.setEnabled(not busy)
        self.update_check.setEnabled(not busy)
        self.column_map.setEnabled(not busy)


def open_import_dialog(session: Session, kind: str, parent: QWidget | None = None) -> ImportDialog:
    dialog = ImportDialog(session, kind, parent)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


# --- one-click helpers for the pages ------------------------------------------------------------


def save_template(parent: QWidget | None, kind: str, out=None) -> Path | None:
    """Save an import template (asks where unless ``out`` is given)."""
    spec = KINDS[kind]
    if out is None:
        out, _filter = QFileDialog.getSaveFileName(parent, "下载导入模板", str(Path.home() / spec["template"]),
                                                   XLSX_FILTER)
        if not out:
            return None
    out = Path(out)
    try:
        if kind == "volunteers":
            volunteer_export.volunteer_template(out, [v.name for v in office.villages()])
        else:
            volunteer_export.hours_template(out)
    except Exception as exc:  # noqa: BLE001 - shown to the clerk, never a crash
        QMessageBox.warning(parent, "下载导入模板", f"无法保存模板：{exc}")
        return None
    return out


def export_volunteer_list(parent: QWidget | None, session: Session, ids: list, out=None,
                          full_numbers: bool | None = None, on_done=None) -> TaskHandle | None:
    """Export the volunteers of ``ids`` (the list the clerk sees) in the background."""
    actor = session.actor
    if full_numbers is None:
        full_numbers = False
        if actor.can("edit_volunteers"):
            box = QMessageBox(QMessageBox.Icon.Question, "导出志愿者名单",
                              f"将导出当前列表中的 {len(ids):,} 名志愿者。\n\n证件号码和手机号码默认隐去中间位。"
                              "确有需要时可以导出完整号码（会记入审计日志，请妥善保管文件）。", parent=parent)
            masked = box.addButton("隐去中间位（推荐）", QMessageBox.ButtonRole.AcceptRole)
            full = box.addButton("导出完整号码", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(masked)
            box.exec()
            if box.clickedButton() not in (masked, full):
                return None
            full_numbers = box.clickedButton() is full
    if out is None:
        out, _filter = QFileDialog.getSaveFileName(parent, "导出志愿者名单", str(Path.home() / "志愿者名单.xlsx"),
                                                   XLSX_FILTER)
        if not out:
            return None

    def done(count: int) -> None:
        if on_done is not None:
            on_done(count, str(out))

    return run_task(parent, "导出志愿者名单", _export_work, actor, str(out), list(ids), bool(full_numbers),
                    on_done=done)
