"""出具志愿服务记录证明 for one volunteer: purpose and optional period; the certificate is entered
in the issue register (``certificates.issue``), its number and check code shown, and its PDF
written in the background and opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from civdesk.reports import qr
from civdesk.volunteers import certificates
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.certificate_pdf import certificate_pdf
from ui.field_errors import FieldErrors, error_label, hint_label
from ui.session import Session
from ui.widgets.dates import DateField
from ui.widgets.pdf_save import choose_path, save_pdf


def _write_pdf(path: str, ctx, certificate_id: str, actor) -> None:
    issued = certificates.get(certificate_id)
    certificate_pdf(path, [issued], actor=actor, progress=ctx.progress, cancelled=lambda: ctx.cancelled)


class CertificateDialog(QDialog):
    def __init__(self, session: Session, volunteer_id: str, parent=None):
        super().__init__(parent)
        self.session, self.volunteer_id = session, volunteer_id
        self.issued = None
        self.saved_path = None
        self.errors = FieldErrors()
        volunteer = volunteers.get(volunteer_id)
        self.setWindowTitle("出具志愿服务记录证明")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{volunteer.name}</b>（志愿者编号 {volunteer.number}）")
        layout.addWidget(title)
        self.total_label = QLabel()
        layout.addWidget(self.total_label)

        layout.addLayout(self._build_form())
        self.general_error = error_label()
        layout.addWidget(self.general_error)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet("color: #2e7d32;")
        self.result_label.hide()
        layout.addWidget(self.result_label)
        layout.addWidget(hint_label("证明登记后编号不再改变；证明上的校验码可用来核对纸质证明的真伪。"))

        self.buttons = QDialogButtonBox()
        self.issue_button = self.buttons.addButton("出具证明", QDialogButtonBox.ButtonRole.AcceptRole)
        self.issue_button.setProperty("primary", True)
        self.close_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.issue)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.period_check.toggled.connect(self._period_changed)
        self.from_edit.dateChanged.connect(lambda _d: self._period_changed())
        self.to_edit.dateChanged.connect(lambda _d: self._period_changed())
        if volunteer.join_date:
            self.from_edit.set_value(volunteer.join_date)
        self._period_changed()

    def _build_form(self) -> QFormLayout:
        """What the certificate is for, and the period it covers."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.purpose_edit = QLineEdit()
        self.purpose_edit.setMaxLength(certificates.MAX_PURPOSE)
        self.purpose_edit.setPlaceholderText("如：升学、评优、求职（可不填）")
        form.addRow("用途：", self.errors.block("purpose", self.purpose_edit))
        self.period_check = QCheckBox("只证明一段时间内的服务")
        self.from_edit, self.to_edit = DateField(), DateField()
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.from_edit)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.to_edit)
        dates.addStretch(1)
        period_box = QWidget()
        period_box.setLayout(dates)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.period_check)
        column.addWidget(period_box)
        period_widget = QWidget()
        period_widget.setLayout(column)
        form.addRow("服务期间：", self.errors.block("period", period_widget, "不勾选时证明全部已审核的服务时长"))
        return form

    def period(self) -> tuple:
        if not self.period_check.isChecked():
            return None, None
        return self.from_edit.value(), self.to_edit.value()

    def _period_changed(self, *_args) -> None:
        self.errors.clear("period")
        on = self.period_check.isChecked()
        self.from_edit.setEnabled(on)
        self.to_edit.setEnabled(on)
        start, end = self.period()
        if start and end and start > end:
            self.total_label.setText("起始日期晚于截止日期。")
            return
        half = certificates.period_totals([self.volunteer_id], start, end).get(self.volunteer_id, 0)
        self.total_label.setText(f"{'这段时间' if on else '累计'}已审核服务时长：{half / 2:g} 小时")
        self.issue_button.setEnabled(half > 0 and self.issued is None)

    def issue(self):
        start, end = self.period()
        ok, issued = self.errors.submit(lambda: certificates.issue(
            self.session.actor, self.volunteer_id, purpose=self.purpose_edit.text(), period_from=start,
            period_to=end), self.general_error)
        if not ok:
            return None
        self.issued = issued
        shown = qr.format_check_code(self.issued.check_code)
        self.result_label.setText(f"已登记证明：编号 {self.issued.number}，校验码 {shown}，"
                                  f"证明服务时长 {self.issued.half_hours / 2:g} 小时。")
        self.result_label.show()
        self.issue_button.setEnabled(False)
        self.close_button.setText("关闭")
        for widget in (self.purpose_edit, self.period_check, self.from_edit, self.to_edit):
            widget.setEnabled(False)
        self.save_pdf()
        return self.issued

    def choose_path(self) -> str:
        return choose_path(self, "证明 PDF", f"志愿服务记录证明-{self.issued.number}.pdf")

    def save_pdf(self):
        """Write the issued certificate's PDF in the background; it opens when ready."""
        path = self.choose_path()
        if not path:
            self.result_label.setText(self.result_label.text() + "（未保存 PDF，可在证明登记中重新打印。）")
            return None
        certificate_id, actor = self.issued.id, self.session.actor
        return save_pdf(self, "证明 PDF", Path(path).name,
                        lambda target, ctx: _write_pdf(target, ctx, certificate_id, actor), path=path,
                        on_saved=self._pdf_saved, open_when_done=False)

    def _pdf_saved(self, path: str) -> None:
        self.saved_path = path
        self.result_label.setText(self.result_label.text() + f"\nPDF 已保存到 {path}")
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
