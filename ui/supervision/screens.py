"""The dialogs of 督查 (inspections, 整改, 门前三包, the 督查计划) for the gallery and the fit test:
(name, title, factory), where a factory takes the main window and returns the dialog not yet shown,
or None when the open database holds nothing it could show (an empty database has no 整改通知书)."""

from __future__ import annotations


def inspection_form(window):
    from ui.supervision.inspection_form import InspectionDialog

    return InspectionDialog(window.session, window)


def notice_editor(window):
    from ui.supervision.notice_editor import NoticeEditor

    return NoticeEditor(window.session, window)


def notice_page(window):
    from civdesk.supervision import rectification
    from ui.supervision.notice_page import NoticePage

    found = rectification.notices()
    return NoticePage(window.session, found[0].id, window) if found else None


def pair_dialog(window):
    from civdesk.supervision import pairs, rectification
    from ui.supervision.pair_widgets import PairDialog

    found = next((r.id for r in rectification.notices() if pairs.view(r.id).pairs), None)
    return PairDialog(window.session, found, window) if found else None


def holder_form(window):
    from ui.supervision.frontage_page import HolderDialog

    return HolderDialog(window.session, parent=window)


def supervision_round(window):
    from civdesk.supervision import plans
    from ui.supervision.plan_dialogs import RoundDialog

    found = plans.round_rows()
    return RoundDialog(window.session, found[0].id if found else None, window)


def supervision_area(window):
    from ui.supervision.plan_dialogs import AreaDialog

    return AreaDialog(window.session, parent=window)


def supervision_member(window):
    from ui.supervision.plan_dialogs import MemberDialog

    return MemberDialog(window.session, parent=window)


def supervision_template(window):
    from civdesk.supervision import common
    from ui.supervision.plan_dialogs import TemplateDialog

    found = common.mechanisms()
    return TemplateDialog(window.session, found[0], window) if found else None


SCREENS = [
    ("dialog-inspection", "登记督查记录", inspection_form),
    ("dialog-rectification-notice", "下发限期整改通知书", notice_editor),
    ("dialog-rectification-page", "整改通知书", notice_page),
    ("dialog-rectification-pairs", "整改前后照片配对", pair_dialog),
    ("dialog-frontage-holder", "门前三包责任户", holder_form),
    ("dialog-supervision-round", "督查计划", supervision_round),
    ("dialog-supervision-area", "督查片区", supervision_area),
    ("dialog-supervision-member", "督查组成员", supervision_member),
    ("dialog-supervision-template", "检查表", supervision_template),
]
