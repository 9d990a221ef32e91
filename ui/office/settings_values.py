"""设置 → 参数: every office setting of civdesk.office.settings, grouped, with its help text."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.hotline import departments
from civdesk.office import settings
from civdesk.office.settings import SettingSpec
from ui.field_errors import FieldErrors
from ui.hotline.departments import DepartmentMapping
from ui.navigation import notice_label
from ui.session import Session
from ui.widgets.table_editor import TableEditor

STARS = ["一星", "二星", "三星", "四星", "五星"]
# Settings that are lists: a small table each instead of a syntax string.
TABLES = {"volunteer.star_hours": lambda: TableEditor("星级", "累计时长（小时）", fixed=STARS, increasing=True),
          "unit.veto_conditions": lambda: TableEditor("一票否决情形"),
          "nomination.categories": lambda: TableEditor("推荐类别"),
          "nomination.rubric": lambda: TableEditor("评分项", "权重", total=100),
          "hotline.departments": lambda: TableEditor("承办单位")}
# Help written for a clerk where the stored help speaks of file formats.
HELP = {"reports.font_path": "一般不用填：程序自动使用本机的宋体、黑体或仿宋。打印出的 PDF 汉字显示不正常时，"
                             "点「选择…」指定一个字体文件（.ttf 或 .ttc）。"}


def _editor(spec: SettingSpec) -> QWidget:
    if spec.key in TABLES:
        return TABLES[spec.key]()
    if spec.type == "int":
        editor = QSpinBox()
        editor.setRange(int(spec.min if spec.min is not None else -10**9),
                        int(spec.max if spec.max is not None else 10**9))
    elif spec.type == "float":
        editor = QDoubleSpinBox()
        editor.setDecimals(2)
        editor.setRange(spec.min if spec.min is not None else -1e9, spec.max if spec.max is not None else 1e9)
    elif spec.type == "bool":
        return QCheckBox()
    else:
        return QLineEdit()
    if spec.unit:
        editor.setSuffix(f" {spec.unit}")
    editor.setMinimumWidth(140)
    return editor


def _get(editor: QWidget):
    if isinstance(editor, TableEditor):
        if editor.fixed is not None:
            return editor.numbers()
        return editor.text()
    if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        return editor.value()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    return editor.text()


def _set(editor: QWidget, value) -> None:
    if isinstance(editor, TableEditor):
        if isinstance(value, list):
            editor.set_pairs(list(zip(editor.fixed or [], value, strict=False)))
        else:
            parts = [p.strip() for p in re.split(r"[；;\n]+", str(value or "")) if p.strip()]
            pairs = [re.split(r"\s*[:：]\s*", p, maxsplit=1) for p in parts]
            editor.set_pairs([(p[0], int(p[1]) if len(p) > 1 and p[1].isdigit() else None) for p in pairs])
        return
    if isinstance(editor, QSpinBox):
        editor.setValue(int(value))
    elif isinstance(editor, QDoubleSpinBox):
        editor.setValue(float(value))
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(value, list):
        editor.setText(", ".join(str(item) for item in value))
    else:
        editor.setText("" if value is None else str(value))


def _differs(shown, stored) -> bool:
    if isinstance(shown, list):
        return shown != stored
    if isinstance(stored, list):  # lists are edited as "100, 300, 600" text
        return shown.replace("，", ",").replace(" ", "") != ",".join(map(str, stored))
    return shown != stored


def _set_editable(editor: QWidget, editable: bool) -> None:
    if isinstance(editor, (QSpinBox, QDoubleSpinBox, QLineEdit, TableEditor)):
        editor.setReadOnly(not editable)
    else:
        editor.setEnabled(editable)


def _default_text(spec: SettingSpec) -> str:
    if spec.type == "bool":
        shown = "是" if spec.default else "否"
    elif isinstance(spec.default, list):
        shown = f"{', '.join(map(str, spec.default))} {spec.unit}"
    elif spec.default in ("", None):
        shown = "（空）"
    else:
        shown = f"{spec.default} {spec.unit}"
    return shown.strip()


def _line_up(forms: list[QFormLayout]) -> None:
    """The editors of every group start at the same x: labels as wide as the widest."""
    labels = [form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget() for form in forms
              for row in range(form.rowCount()) if form.itemAt(row, QFormLayout.ItemRole.LabelRole)]
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


class ValuesTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.editable = session.actor.can("edit_settings") and not session.read_only
        self.errors = FieldErrors()
        self.editors: dict[str, QWidget] = {}
        self.specs: dict[str, SettingSpec] = {}
        self.stored: dict[str, object] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)
        body = QWidget()
        scroll.setWidget(body)
        # Let the tab's own background show through, so the button bar below does not stand apart.
        scroll.viewport().setAutoFillBackground(False)
        body.setAutoFillBackground(False)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(14)
        if not self.editable:
            why = "数据库以只读方式打开，不能修改。" if session.read_only else "只有系统管理员可以修改这些参数。"
            layout.addWidget(notice_label(why))

        groups: dict[str, QFormLayout] = {}
        for spec, _value in settings.all_values():
            form = groups.get(spec.group)
            if form is None:
                box = QGroupBox(spec.group or "其他")
                form = groups[spec.group] = QFormLayout(box)
                form.setVerticalSpacing(4)
                layout.addWidget(box)
            help_text = HELP.get(spec.key, "" if spec.key in TABLES else spec.help)
            form.addRow(f"{spec.label}：", self.errors.block(spec.key, self._build_row(spec), help_text))
            if spec.key == departments.KEY:  # names typed on tickets before the list, offered for mapping
                self.department_mapping = DepartmentMapping(session)
                self.department_mapping.changed.connect(lambda: self._reload(departments.KEY))
                form.addRow("", self.department_mapping)
        _line_up(list(groups.values()))
        layout.addStretch(1)
        outer.addLayout(self._build_save_bar())
        self.refresh()

    def _build_row(self, spec: SettingSpec) -> QWidget:
        """One setting: its editor and, beside it, the default."""
        editor = _editor(spec)
        _set_editable(editor, self.editable)
        if spec.help and not isinstance(editor, TableEditor):
            editor.setToolTip(HELP.get(spec.key, spec.help))
        self.editors[spec.key], self.specs[spec.key] = editor, spec
        row_widget = QWidget()
        row = QHBoxLayout(row_widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        row.addWidget(editor)
        shown_default = _default_text(spec)
        if spec.key == "reports.font_path":
            choose = QPushButton("选择…")
            choose.setEnabled(self.editable)
            choose.clicked.connect(lambda: self._choose_font(editor))
            row.addWidget(choose)
        if isinstance(editor, TableEditor):  # the default on hover; the table is wide enough as it is
            editor.setMinimumWidth(420)
            default = QLabel("默认：（指向这里查看）")
            default.setToolTip(shown_default)
            default.setAlignment(Qt.AlignmentFlag.AlignTop)
        elif len(shown_default) > 30:  # a long list (一票否决情形): a wide editor, the default on hover
            editor.setMinimumWidth(560)
            default = QLabel("默认：（指向这里查看）")
            default.setToolTip(shown_default)
        else:
            default = QLabel(f"默认：{shown_default}")
        default.setStyleSheet("color: #888;")
        row.addWidget(default)
        row.addStretch(1)
        return row_widget

    def _choose_font(self, editor: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择 PDF 中文字体", editor.text() or "C:/Windows/Fonts",
                                              "字体文件 (*.ttf *.ttc)")
        if path:
            editor.setText(path)

    def _build_save_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 8, 16, 12)
        self.save_button = QPushButton("保存")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        self.defaults_button = QPushButton("全部恢复默认值")
        self.defaults_button.setToolTip("只填入默认值，点“保存”后才生效")
        self.defaults_button.clicked.connect(self.fill_defaults)
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: #2e7d32;")
        for button in (self.save_button, self.defaults_button):
            button.setVisible(self.editable)
            bar.addWidget(button)
        bar.addWidget(self.status_label, 1)
        return bar

    def _reload(self, key: str) -> None:
        """One setting changed elsewhere (the list grew from the mapping): show what is stored."""
        self.stored[key] = settings.get(key)
        _set(self.editors[key], self.stored[key])

    def refresh(self) -> None:
        self.errors.clear()
        self.status_label.clear()
        for spec, value in settings.all_values():
            if spec.key in self.editors:
                self.stored[spec.key] = value
                _set(self.editors[spec.key], value)

    def fill_defaults(self) -> None:
        for key, spec in self.specs.items():
            _set(self.editors[key], spec.default)
        self.status_label.setText("已填入默认值，点“保存”后生效。")

    def changed_values(self) -> dict[str, object]:
        return {key: _get(editor) for key, editor in self.editors.items()
                if _differs(_get(editor), self.stored.get(key))}

    def save(self) -> bool:
        self.errors.clear()
        self.status_label.clear()
        changed, errors, saved = self.changed_values(), {}, []
        for key, value in changed.items():
            try:
                settings.set_value(self.session.actor, key, value)
            except CivDeskError as exc:
                if not getattr(exc, "errors", None):
                    QMessageBox.warning(self, "保存参数", str(exc))  # no permission, read-only: same for all
                    break
                errors.update(exc.errors)
            else:
                saved.append(key)
        for key in saved:
            self.stored[key] = _get(self.editors[key])
        if errors:
            self.errors.show(errors)
            self.status_label.setText(f"已保存 {len(saved)} 项；有 {len(errors)} 项需要改正。" if saved else "")
            return False
        self.status_label.setText(f"已保存 {len(saved)} 项修改。" if saved else "没有需要保存的修改。")
        if departments.KEY in saved and hasattr(self, "department_mapping"):
            self.department_mapping.refresh()
        return not (set(changed) - set(saved))
