"""The dialogs of USB sync: trusting a PC seen for the first time, and the preview of a package.

Both only show what the core worked out (``exchange.read_package`` did every check and the
plan); nothing here reads or writes the database.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import SyncRefused, UntrustedSigner
from civdesk.sync.exchange import Incoming
from ui.field_errors import hint_label
from ui.navigation import notice_label
from ui.widgets.charts import figures_table, fill_table
from ui.widgets.fit import fit_to_screen, scroll_body
from ui.widgets.mono import monospace

# What a clerk can do about each refusal; the core's message says what is wrong.
REFUSAL_ADVICE = {
    "truncated": "文件不完整，常见原因是拷贝还没完成就拔下了 U 盘。请在对方电脑上重新导出，"
                 "等拷贝完成、在电脑上「安全弹出」U 盘后再拔下带过来。",
    "altered": "文件在导出之后被改动或损坏了。请让对方重新导出一份。",
    "wrong_passphrase": "两台电脑的同步口令不一样。同步口令是初始设置时填写的，本乡镇所有电脑必须相同；"
                        "请联系系统管理员核对。",
    "other_office": "请确认拿对了文件：文件名写着它来自哪个单位、哪台电脑，发给谁。",
    "newer_schema": "请先把本机的 CivDesk 升级到与对方相同或更新的版本，再导入这个文件。",
    "key_changed": "如果对方电脑重装过 CivDesk，请系统管理员先与对方核实；否则不要使用这个文件，并告知系统管理员。",
    "own_package": "这个文件要拿到别的电脑上导入。",
    "unsafe_path": "这不是一个正常的 CivDesk 数据包，请不要使用它，并让对方重新导出。",
    "oversized": "这不是一个正常的 CivDesk 数据包，请不要使用它，并让对方重新导出。",
    "malformed": "这不是一个正常的 CivDesk 数据包（或已损坏），请让对方重新导出。",
    "newer_format": "请把两台电脑的 CivDesk 升级到同一版本后再导出、导入。",
    "missing": "U 盘是否已经拔下？请插好 U 盘后在列表中点「刷新列表」，再选择文件。",
    "unreadable": "请确认 U 盘已经插好、文件没有被其他程序打开，然后再试一次。",
}
UNTOUCHED = "本机的数据没有任何改动。"


def refusal_text(exc: SyncRefused) -> str:
    """The core's message, what to do, and (if the message does not say it) that nothing changed."""
    message = str(exc).strip()
    parts = [message]
    advice = REFUSAL_ADVICE.get(exc.code)
    if advice:
        parts.append(advice)
    if "未作任何更改" not in message and "没有任何改动" not in message:
        parts.append(UNTOUCHED)
    return "\n\n".join(parts)


def source_text(source: dict) -> str:
    return f"{source.get('office_name', '')}「{source.get('node_name', '')}」"


def _big(text: str, scale: float = 1.5, *, mono: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    if mono:
        font = monospace(font)
        label.setStyleSheet("background: #f0f3f7; border: 1px solid #d5dbe3; border-radius: 3px; padding: 8px 10px;")
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class TrustDialog(QDialog):
    """A package signed by a PC this one has not trusted yet: show who it is, ask to compare."""

    def __init__(self, exc: UntrustedSigner, can_trust: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.exc = exc
        self.setWindowTitle("第一次收到这台电脑的数据包")
        self.setMinimumWidth(700)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        heading = QLabel("这个数据包来自一台本机还不认识的电脑")
        heading.setProperty("role", "title")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(hint_label("为了防止有人冒充，第一次导入某台电脑的数据包之前，要先核对它的「密钥指纹」。"))

        form = QFormLayout()
        form.setVerticalSpacing(10)
        self.office_label = _big(exc.office_name, 1.3)
        self.node_label = _big(exc.node_name, 1.3)
        self.fingerprint_label = _big(exc.fingerprint, 1.6, mono=True)
        form.addRow("单位：", self.office_label)
        form.addRow("电脑名称：", self.node_label)
        form.addRow("密钥指纹：", self.fingerprint_label)
        layout.addLayout(form)

        steps = ("请打电话给对方，或到那台电脑前，打开它的「数据同步」页（也在「设置 → 本单位」里），"
                 "念一遍那里的「本机密钥指纹」，与上面的指纹逐组核对，必须完全一致。")
        layout.addWidget(hint_label(steps))
        buttons = QDialogButtonBox()
        self.trust_button = None
        if can_trust:
            self.trust_button = buttons.addButton("指纹一致，信任这台电脑并继续",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
            self.trust_button.setProperty("primary", True)
            buttons.addButton("不一致或无法核对，取消", QDialogButtonBox.ButtonRole.RejectRole)
            layout.addWidget(hint_label("点「信任」后还会先显示数据包的内容，确认导入后才记为已信任。"
                                        "指纹不一致时请不要导入，并告知系统管理员。"))
        else:
            layout.addWidget(notice_label("只有系统管理员可以信任新的电脑。请系统管理员登录本机，核对指纹后再导入这个数据包。"
                                          "本机的数据没有任何改动。"))
            buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


COUNT_HEADERS = ["数据类别", "新增", "更新", "未变", "新冲突"]


def count_rows(incoming: Incoming) -> list[tuple]:
    """Per table: label, new, updated, unchanged, conflicts (and pending if any), plus a total."""
    report = incoming.report()
    tables = [t for t in report["new"] if any(report[k].get(t) for k in ("new", "updated", "unchanged", "conflicts"))
              or report["pending"].get(t)]
    with_pending = bool(report["pending"])
    rows, totals = [], [0] * (5 if with_pending else 4)
    for table in sorted(tables, key=incoming.table_label):
        values = [report[k].get(table, 0) for k in ("new", "updated", "unchanged", "conflicts")]
        if with_pending:
            values.append(report["pending"].get(table, 0))
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        rows.append((incoming.table_label(table), *values))
    if len(rows) > 1:
        rows.append(("合计", *totals))
    return rows


def summary_text(report: dict) -> str:
    new, updated, unchanged, conflicts = (sum(report[k].values()) for k in ("new", "updated", "unchanged", "conflicts"))
    text = f"新增 {new} 条记录，更新 {updated} 条，未变 {unchanged} 条"
    if conflicts:
        text += f"，新冲突 {conflicts} 处"
    return text


class PreviewDialog(QDialog):
    """What a package would change, before anything is written; 导入 applies it."""

    def __init__(self, incoming: Incoming, *, can_apply: bool = True, why_not: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.incoming = incoming
        report = self.report = incoming.report()
        self.setWindowTitle("导入数据包 — 导入前预览")
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        heading = QLabel("请先看一下这个数据包会带来哪些变化")
        heading.setProperty("role", "title")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(hint_label("现在还没有写入任何数据。确认无误后点「导入」；导入前会自动备份本机的数据库。"))

        layout.addLayout(self._build_source_form())

        if incoming.trust_new and not incoming.peer_known:
            layout.addWidget(notice_label(f"导入后，本机将信任{source_text(report['source'])}（您已核对过它的密钥指纹），"
                                          "以后它的数据包可以直接导入。"))

        rows = count_rows(incoming)
        layout.addWidget(self._build_counts(rows), 1)
        if not rows:
            layout.addWidget(hint_label("这个数据包里没有本机还没有的内容。导入后只会记下「已收到」，"
                                        "以后发给对方的数据包会更小。"))

        notes = _notes(report)
        self.notes_label = hint_label("\n".join(notes))
        self.notes_label.setVisible(bool(notes))
        layout.addWidget(self.notes_label)
        warnings = report.get("notes") or []  # what the core wants a person to check (a PC's date)
        self.warnings_label = notice_label("\n".join(warnings))
        self.warnings_label.setVisible(bool(warnings))
        layout.addWidget(self.warnings_label)
        if not can_apply:
            layout.addWidget(notice_label(why_not))

        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setProperty("primary", True)
        self.import_button.setDefault(True)
        self.import_button.setEnabled(can_apply)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        scroll_body(self, keep=1)
        fit_to_screen(self, QSize(720, 0))

    def _build_source_form(self) -> QFormLayout:
        """Who sent the package (and their fingerprint), when it was made, the file."""
        report, source = self.report, self.report["source"]
        form = QFormLayout()
        form.setVerticalSpacing(6)
        self.source_label = _value(source_text(source))
        self.fingerprint_label = _value(source["fingerprint"])
        form.addRow("来自：", self.source_label)
        form.addRow("密钥指纹：", self.fingerprint_label)
        form.addRow("导出时间：", _value(report.get("created_at") or "（未知）"))
        form.addRow("文件：", _value(self.incoming.opened.path.name))
        return form

    def _build_counts(self, rows: list) -> QTableWidget:
        """What the package brings, by kind of record (the last row is the total)."""
        headers = COUNT_HEADERS + (["等待原记录"] if self.report["pending"] else [])
        self.table = figures_table(headers)
        fill_table(self.table, headers, rows)
        if len(rows) > 1:
            for col in range(len(headers)):
                item = self.table.item(len(rows) - 1, col)
                font = item.font()
                font.setBold(True)
                item.setFont(font)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Enter means 导入, not a cell
        # Every row in sight, 合计 included: the dialog scrolls, not the table.
        rows_height = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + rows_height + 4)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return self.table


def _notes(report: dict) -> list[str]:
    """What a clerk should know before importing: new conflicts, skipped and waiting changes."""
    notes = []
    conflicts = sum(report["conflicts"].values())
    if conflicts:
        notes.append(f"有 {conflicts} 处新冲突：两台电脑在同步之前都改了同一项内容。两个值都会保留，"
                     "先暂定其中一个显示；导入后请审核人或系统管理员在「冲突处理」页决定保留哪个。")
    if report["skipped_other_scope"]:
        notes.append(f"数据包里有 {report['skipped_other_scope']} 条属于其他村/社区的变更，不会导入到本机（跳过）。")
    pending = sum(report["pending"].values())
    if pending:
        notes.append(f"有 {pending} 条修改所属的记录还没有到达本机（“等待原记录”）：先保存起来，"
                     "等包含原记录的数据包导入后自动补上。")
    return notes


def _value(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
