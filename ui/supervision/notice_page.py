"""One 限期整改通知书: where it stands (state, colour, working days left or overdue), the problems
with their 整改前 photos, the 整改前/整改后 pairs side by side, the history, the village's 整改
report with its photos, the 复查 (pass closes it; fail sets a new deadline and, under a sanitation
mechanism, raises the 一票否决 on the organisation's application), and the letter as a PDF."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.supervision import pairs, rectification, reports
from ui.field_errors import error_label, message_label, show_message
from ui.session import Session
from ui.supervision.notice_editor import DeadlineField
from ui.supervision.pair_widgets import PairChooser, PairDialog, PairsView
from ui.supervision.widgets import (
    COLOUR_TEXT,
    Errors,
    PhotoField,
    PhotoStrip,
    button_row,
    fill,
    plain_table,
    text_area,
)
from ui.widgets import fit
from ui.widgets.dates import DateField
from ui.widgets.pdf_save import save_pdf


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().hide()
            item.widget().deleteLater()


def state_line(row) -> str:
    colour = COLOUR_TEXT[row.colour]
    if row.state == "overdue":
        when = f"已逾期 {row.overdue_workdays} 个工作日" if row.overdue_workdays else "已过整改期限"
    elif row.state in ("pending", "failed"):
        when = f"还剩 {row.workdays_left} 个工作日"
    else:
        when = ""
    return (f"<span style='color:{colour}; font-weight:bold'>{row.state_label}</span>"
            + (f"　<span style='color:{colour}'>{when}</span>" if when else ""))


class NoticePage(QDialog):
    def __init__(self, session: Session, notice_id: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("限期整改通知书")
        layout = QVBoxLayout(self)
        self.session, self.notice_id = session, notice_id
        self.changed = False
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 17px; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        self.problem_box = QGroupBox("存在的问题（整改前照片）")
        self.problem_layout = QVBoxLayout(self.problem_box)
        self.pair_box = QGroupBox("整改前后对比")
        pair_box_layout = QVBoxLayout(self.pair_box)
        self.pairs_view = PairsView()
        self.pair_layout = self.pairs_view.pair_layout
        self.pair_button = QPushButton("调整配对…")
        pair_box_layout.addWidget(self.pairs_view)
        pair_box_layout.addWidget(button_row(self.pair_button))
        self.pair_button.clicked.connect(lambda: self.adjust_pairs())
        self.history = plain_table(["日期", "办理", "经办人", "情况", "新期限", "照片"], [96, 110, 80, 320, 96, 50], 3)
        self.history.setMinimumHeight(150)
        history_box = QGroupBox("办理记录")
        QVBoxLayout(history_box).addWidget(self.history)
        for widget in (self.problem_box, self.pair_box, history_box, self._report_box(), self._review_box()):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.message = message_label()
        layout.addWidget(self.message)
        layout.addLayout(self._buttons())
        fit.scroll_body(self, keep=2)
        fit.fit_to_screen(self, QSize(960, 760))
        self.reload()

    # -- building -----------------------------------------------------------------------------

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.pdf_button = QPushButton("限期整改通知书 PDF")
        close = QPushButton("关闭")
        row.addWidget(self.pdf_button)
        row.addStretch(1)
        row.addWidget(close)
        self.pdf_button.clicked.connect(lambda: self.print_notice())
        close.clicked.connect(self.accept)
        return row

    def _report_box(self) -> QGroupBox:
        self.report_box = QGroupBox("报送整改情况")
        form = QFormLayout(self.report_box)
        self.report_errors = Errors()
        self.report_day = DateField(dt.date.today())
        self.report_text = text_area(3)
        self.report_text.setPlaceholderText("整改了什么、怎么整改的")
        self.report_photos = PhotoField("添加整改后照片…")
        self.report_general = error_label()
        self.report_button = QPushButton("报送整改情况")
        self.report_button.setProperty("primary", True)
        form.addRow("整改完成日期：", self.report_errors.block("day", self.report_day))
        form.addRow("整改情况：", self.report_errors.block("text", self.report_text))
        form.addRow("整改后照片：", self.report_photos)
        self.report_pairs = PairChooser()
        self.report_pairs_row = self.report_errors.block(
            "pairs", self.report_pairs, "每张整改后照片选择它对应的整改前照片，复查时并排对比；不选的不配对，以后可以调整。")
        form.addRow("对应的问题照片：", self.report_pairs_row)
        self.report_form = form
        form.setRowVisible(self.report_pairs_row, False)
        self.report_photos.changed.connect(lambda: self._files_changed(self.report_photos, self.report_pairs,
                                                                       self.report_form, self.report_pairs_row))
        form.addRow("", self.report_general)
        form.addRow("", button_row(self.report_button))
        self.report_button.clicked.connect(lambda: self.report())
        return self.report_box

    def _review_box(self) -> QGroupBox:
        self.review_box = QGroupBox("复查")
        form = QFormLayout(self.review_box)
        self.review_errors = Errors()
        self.review_day = DateField(dt.date.today())
        self.review_pass = QRadioButton("复查通过，销号")
        self.review_fail = QRadioButton("复查未通过，重新限期整改")
        group = QButtonGroup(self.review_box)
        group.addButton(self.review_pass)
        group.addButton(self.review_fail)
        self.review_pass.setChecked(True)
        choice = QWidget()
        row = QHBoxLayout(choice)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.review_pass)
        row.addWidget(self.review_fail)
        row.addStretch(1)
        self.review_text = text_area(2)
        self.review_text.setPlaceholderText("复查看到的情况")
        self.new_deadline = DeadlineField(self.review_errors, self.review_day, start_word="复查")
        self.review_photos = PhotoField("添加复查照片…")
        self.review_general = error_label()
        self.review_button = QPushButton("登记复查结果")
        self.review_button.setProperty("primary", True)
        form.addRow("复查日期：", self.review_errors.block("day", self.review_day))
        form.addRow("复查结论：", choice)
        form.addRow("复查情况：", self.review_errors.block("text", self.review_text))
        self.deadline_row = self.review_errors.block("deadline", self.new_deadline)
        self.review_errors.alias("deadline_days", "deadline")
        form.addRow("新的整改期限：", self.deadline_row)
        form.addRow("复查照片：", self.review_photos)
        self.review_pairs = PairChooser()
        self.review_pairs_row = self.review_errors.block("pairs", self.review_pairs,
                                                         "复查照片对应的整改前照片（可不选）。")
        form.addRow("对应的问题照片：", self.review_pairs_row)
        form.addRow("", self.review_general)
        form.addRow("", button_row(self.review_button))
        self.review_form = form
        self.review_fail.toggled.connect(lambda on: form.setRowVisible(self.deadline_row, on))
        form.setRowVisible(self.deadline_row, False)
        form.setRowVisible(self.review_pairs_row, False)
        self.review_photos.changed.connect(lambda: self._files_changed(self.review_photos, self.review_pairs,
                                                                       self.review_form, self.review_pairs_row))
        self.review_button.clicked.connect(lambda: self.review())
        return self.review_box

    # -- showing ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.detail = rectification.detail(self.notice_id)
        row = self.detail.row
        self.setWindowTitle(f"限期整改通知书 {row.number}")
        self.heading.setText(f"{row.number}　{row.target_name}")
        lines = [state_line(row),
                 f"{row.village_name}　{row.mechanism}　整改责任人：{row.responsible}",
                 f"送达 {row.served_date}　整改期限 {row.deadline}"
                 + (f"（{row.deadline_days} 个工作日）" if row.deadline_days and row.deadline == self.detail.served_deadline
                    else ""),
                 f"整改要求：{self.detail.requirements}"]
        if row.warning:
            lines.append(f"<span style='color:#9a6b00'>⚠ {row.warning}</span>")
        self.summary.setText("<br>".join(lines))
        self._show_problems()
        self._show_pairs()
        fill(self.history, [(e.id, [e.day, e.kind_label, e.person, e.text, e.new_deadline or "",
                                    f"{len(e.photo_ids)} 张" if e.photo_ids else ""]) for e in self.detail.events])
        actor, ro = self.session.actor, self.session.read_only
        open_ = row.state in ("pending", "failed", "overdue")
        self.report_box.setVisible(open_ and actor.can("report_rectification") and not ro)
        self.review_box.setVisible(row.state != "passed" and actor.can("review_rectification") and not ro)

    def _show_problems(self) -> None:
        _clear(self.problem_layout)
        if not self.detail.findings:
            for number, text in enumerate(self.detail.row.problems.split("；"), start=1):
                label = QLabel(f"{number}．{text}")
                label.setWordWrap(True)
                self.problem_layout.addWidget(label)
            return
        for number, f in enumerate(self.detail.findings, start=1):
            label = QLabel(f"{number}．{f.description}（{f.day} 督查{('，' + f.item) if f.item else ''}）")
            label.setWordWrap(True)
            self.problem_layout.addWidget(label)
            strip = PhotoStrip("（这个问题没有照片）")
            strip.set_stored(f.photo_ids, [f.description] * len(f.photo_ids))
            self.problem_layout.addWidget(strip)

    def _show_pairs(self) -> None:
        self.pair_view = pairs.view(self.notice_id)
        self.pairs_view.show_view(self.pair_view)
        for chooser in (self.report_pairs, self.review_pairs):
            chooser.set_choices(self.pair_view.choices)
        actor = self.session.actor
        may = actor.can("report_rectification") and not self.session.read_only
        self.pair_button.setVisible(may and bool(self.pair_view.pairs or self.pair_view.unpaired_after))

    def _files_changed(self, field: PhotoField, chooser: PairChooser, form: QFormLayout, row: QWidget) -> None:
        """A row per added after-photo; a photo keeps the choice made for it while others are added."""
        before = dict(zip((key for key in chooser.keys), chooser.chosen(), strict=True))
        chooser.set_items([(str(i), f.data, f.name, before.get(str(i))) for i, f in enumerate(field.files)])
        form.setRowVisible(row, bool(field.files) and bool(chooser.choices))

    # -- actions ------------------------------------------------------------------------------

    def report(self) -> bool:
        actor, files, chosen = self.session.actor, list(self.report_photos.files), self.report_pairs.chosen()
        ok, _ = self.report_errors.submit(lambda: rectification.report(
            actor, self.notice_id, self.report_day.value(), self.report_text.toPlainText(), files, pairs=chosen),
            self.report_general)
        if ok:
            self.report_text.clear()
            self.report_photos.clear()
            self._done("已报送整改情况，等待复查。")
        return ok

    def review(self) -> bool:
        actor, passed = self.session.actor, self.review_pass.isChecked()
        chosen = self.new_deadline.values() if not passed else {"days": None, "deadline": None}
        ok, _ = self.review_errors.submit(lambda: rectification.review(
            actor, self.notice_id, self.review_day.value(), passed, self.review_text.toPlainText(),
            days=chosen["days"], deadline=chosen["deadline"], photo_paths=list(self.review_photos.files),
            pairs=self.review_pairs.chosen()),
            self.review_general)
        if ok:
            self.review_text.clear()
            self.review_photos.clear()
            self._done("复查通过，已销号。" if passed else
                       "已登记复查未通过并重新限期；属于环境卫生长效管理的，已对该单位的创建申报提请一票否决。")
        return ok

    def adjust_pairs(self):
        dialog = PairDialog(self.session, self.notice_id, self)
        dialog.accepted.connect(lambda: self._done(f"已保存照片配对（{dialog.saved} 处改动）。" if dialog.saved
                                                   else "照片配对没有改动。"))
        self.pair_dialog = dialog
        dialog.open()
        return dialog

    def _done(self, text: str) -> None:
        self.changed = True
        self.reload()
        show_message(self.message, text)

    def print_notice(self, path: str | None = None):
        actor, notice_id, number = self.session.actor, self.notice_id, self.detail.row.number
        try:
            return save_pdf(self, "限期整改通知书", f"限期整改通知书 {number}.pdf",
                            lambda target, ctx: reports.rectification_notice_pdf(target, notice_id, actor=actor),
                            path=path)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return None
