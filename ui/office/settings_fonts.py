"""设置 → 字体: the font each PDF role uses on this PC, a sample drawn in it, its file, and a note
when a role uses a stand-in (no 仿宋 on Linux, no 小标宋 without 方正). The one font resolver
(civdesk.reports.fonts) decides; this tab only shows its answer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from civdesk.reports import fonts as pdf_fonts
from ui.navigation import notice_label
from ui.session import Session
from ui.tasks import run_task

SAMPLES = {
    "fangsong": ("经评议、公示，决定命名张家湾村等为镇级文明村。喆堃珺 2026年", 16),
    "title": ("关于命名2026年度文明单位的决定", 20),
    "body": ("序号  姓名  服务时长  张三  12.5小时", 13),
    "bold": ("一、基本情况", 14),
}
NOTE_STYLE = "color: #9a5b00;"
_loaded_files: dict[str, list[str]] = {}  # font file -> Qt families (a file is added to Qt once)


def _resolve_work(ctx) -> list[pdf_fonts.RoleFont]:
    """On the task's thread: the office's fonts (registers TrueType files: 0.1–0.4 s the first time)."""
    fonts = pdf_fonts.office_fonts()
    return pdf_fonts.describe(fonts), fonts.warning


def qt_family(path: str, family: str, face: int) -> str:
    """The Qt family of a font file's face, adding the file to Qt once ("" when Qt cannot read it)."""
    if not path:
        return ""
    if path not in _loaded_files:
        font_id = QFontDatabase.addApplicationFont(path)
        _loaded_files[path] = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    families = _loaded_files[path]
    if family in families:
        return family
    return families[face] if face < len(families) else (families[0] if families else "")


class FontsTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.rows: dict[str, dict[str, QLabel]] = {}
        self.task = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(notice_label(
            "PDF 里的汉字用本机找到的字体并嵌入文件，别的电脑打开也一样。公文按 GB/T 9704 用仿宋（正文）和"
            "小标宋（标题）；本机没有的字体由相近的字体代替，下面注明。要用别的字体文件，在「参数 → PDF 中文字体文件」中指定。"))
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b3261e;")
        self.warning.hide()
        layout.addWidget(self.warning)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        for index, role in enumerate(pdf_fonts.SHOWN_ORDER):
            self.rows[role] = self._build_role(grid, index * 5, role)
            grid.setRowMinimumHeight(index * 5 + 4, 12)  # space between roles
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)

    def _build_role(self, grid: QGridLayout, row: int, role: str) -> dict[str, QLabel]:
        heading = QLabel(f"{pdf_fonts.ROLE_LABELS[role]}（{pdf_fonts.ROLE_STYLES[role]}）")
        heading.setStyleSheet("font-weight: bold;")
        labels = {name: QLabel() for name in ("family", "sample", "source", "note")}
        labels["sample"].setText(SAMPLES[role][0])
        labels["sample"].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        labels["source"].setStyleSheet("color: #777;")
        labels["source"].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        labels["note"].setStyleSheet(NOTE_STYLE)
        for label in (labels["source"], labels["note"]):
            label.setWordWrap(True)
        grid.addWidget(heading, row, 0)
        grid.addWidget(labels["family"], row, 1)
        grid.addWidget(labels["sample"], row + 1, 0, 1, 3)
        grid.addWidget(labels["source"], row + 2, 0, 1, 3)
        grid.addWidget(labels["note"], row + 3, 0, 1, 3)
        return labels

    def refresh(self) -> None:
        """Resolve off the GUI thread (cached after the first time), then show."""
        if self.task is not None:
            return
        self.task = run_task(self, "正在查找字体", _resolve_work, on_done=self.show_fonts,
                             on_error=self._failed, show_progress=False, cancellable=False)

    def _failed(self, message: str) -> None:
        self.task = None
        self.warning.setText(f"无法查找字体：{message}")
        self.warning.show()

    def show_fonts(self, result) -> None:
        self.task = None
        shown, warning = result
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
        for item in shown:
            labels = self.rows[item.role]
            labels["family"].setText(item.family)
            size = SAMPLES[item.role][1]
            family = qt_family(item.path, item.family, item.face)
            font = QFont(family) if family else QFont()
            font.setPixelSize(size + 4)
            labels["sample"].setFont(font)
            labels["sample"].setToolTip(f"用 {item.family} 绘制")
            where = f"{item.path}（第 {item.face + 1} 款）" if item.face else item.path
            labels["source"].setText(f"来自：{where}" if item.path else "来自：PDF 阅读器自带的字体（未嵌入）")
            labels["note"].setText(f"注意：{item.note}" if item.note else "")
            labels["note"].setVisible(bool(item.note))
