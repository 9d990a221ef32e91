"""Every main dialog, opened on whatever database is open, for the gallery and the fit test.

``DIALOGS`` lists (name, title, factory); a factory takes the main window and returns the dialog,
not yet shown, or None when the database holds nothing it could show (an empty database has no
申报 to open). Pages need no list here: they are ``ui.navigation.PAGES``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtWidgets import QWidget

from civdesk.core.errors import UntrustedSigner
from civdesk.nominations import nominees
from civdesk.nominations import sessions as nomination_sessions
from civdesk.notices.public_notices import Candidate
from civdesk.office import offices as office
from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.volunteers import roster
from civdesk.volunteers import teams as volunteer_teams

Factory = Callable[[QWidget], QWidget | None]


@dataclass(frozen=True)
class Screen:
    name: str  # the file name of its picture
    title: str
    factory: Factory


def _first_volunteer() -> str | None:
    ids = roster.matching_ids(roster.VolunteerFilter())
    return ids[0] if ids else None


def _first_application() -> str | None:
    for year in (dt.date.today().year, dt.date.today().year - 1, dt.date.today().year + 1):
        rows = unit_scoring.applications_in_year(year)
        if rows:
            return rows[0].id
    return None


def _first_nomination() -> tuple[str, str | None] | None:
    for record in nomination_sessions.sessions():
        found = nominees.nominations(record.id)
        if found:
            return record.id, found[0].id
    return None


def application_editor(window):
    from ui.units.application import ApplicationDialog

    app_id = _first_application()
    return ApplicationDialog(window.session, app_id, window) if app_id else None


def new_application(window):
    from ui.units.dialogs import NewApplicationDialog

    return NewApplicationDialog(window.session, dt.date.today().year, parent=window)


def indicator_set(window):
    from ui.units.indicator_set_dialog import IndicatorSetDialog

    found = units.sets(dt.date.today().year) or units.sets()
    return IndicatorSetDialog(window.session, found[0].id if found else None, dt.date.today().year, window)


def organisation_form(window):
    from ui.units.dialogs import OrgFormDialog

    return OrgFormDialog(window.session, parent=window)


def new_session(window):
    from ui.nominations.forms import SessionDialog

    return SessionDialog(window.session, parent=window)


def nomination_editor(window):
    from ui.nominations.editor import NominationEditor

    found = _first_nomination()
    return NominationEditor(window.session, found[0], found[1], window) if found else None


def new_nomination(window):
    from ui.nominations.editor import NominationEditor

    found = nomination_sessions.sessions()
    return NominationEditor(window.session, found[0].id, None, window) if found else None


def volunteer_form(window):
    from ui.volunteers.form import VolunteerFormDialog

    return VolunteerFormDialog(window.session, parent=window)


def volunteer_detail(window):
    from ui.volunteers.detail import VolunteerDetailDialog

    volunteer_id = _first_volunteer()
    return VolunteerDetailDialog(window.session, volunteer_id, window) if volunteer_id else None


def hours_entry(window):
    from ui.volunteers.hours_forms import HoursEntryDialog

    return HoursEntryDialog(window.session, _first_volunteer(), window)


def certificate(window):
    from ui.volunteers.certificate_dialog import CertificateDialog

    volunteer_id = _first_volunteer()
    return CertificateDialog(window.session, volunteer_id, window) if volunteer_id else None


def import_roster(window):
    from ui.volunteers.import_dialog import ImportDialog

    return ImportDialog(window.session, "volunteers", window)


def team_form(window):
    from ui.volunteers.service_forms import TeamFormDialog

    found = volunteer_teams.teams()
    return TeamFormDialog(window.session, found[0].id if found else None, parent=window)


def activity_form(window):
    from ui.volunteers.service_forms import ActivityFormDialog

    return ActivityFormDialog(window.session, parent=window)


def publish_notice(window):
    from ui.notices.notice_panel import PublishNoticeDialog

    candidates = [Candidate(str(i), f"{name}（文明村）", "测评 92.5 分") for i, name in
                  enumerate(["桂花村", "荷塘村", "红星村", "青山社区", "清溪镇中心小学"])]
    return PublishNoticeDialog(window.session, "unit", "gallery", f"{dt.date.today().year}年度拟命名文明单位公示",
                               candidates, parent=window)


class _SamplePackage:
    """What the preview needs of an ``Incoming``: a package of a village PC's week of work."""

    peer_known, trust_new = True, False
    opened = SimpleNamespace(path=Path("CivDesk-桂花村-桂花村电脑-发给-清溪镇-20261204-1630.civsync"))
    LABELS = {"volunteer": "志愿者", "service_record": "服务时长", "team": "志愿队伍", "activity": "志愿活动",
              "team_member": "队伍成员", "participant": "活动参与者", "unit_application": "创建申报",
              "unit_score": "测评打分", "attachment": "申报附件", "organisation": "创建单位",
              "title": "文明称号", "nomination": "好人推荐", "nominee": "被推荐人", "notice": "公示",
              "objection": "异议", "audit": "审计记录"}

    def table_label(self, table: str) -> str:
        return self.LABELS.get(table, table)

    def report(self) -> dict:
        tables = list(self.LABELS)
        return {"source": {"office_name": "桂花村", "node_name": "桂花村电脑",
                           "fingerprint": "4F2A 9C1E 77B0 D35A 0E61 8B2C"},
                "created_at": "2026-12-04 16:30", "new": {t: 3 * i + 1 for i, t in enumerate(tables)},
                "updated": {t: i for i, t in enumerate(tables)}, "unchanged": {t: 2 for t in tables},
                "conflicts": {"volunteer": 1}, "pending": {}, "skipped_other_scope": 0, "notes": []}


def sync_preview(window):
    from ui.sync.dialogs import PreviewDialog

    return PreviewDialog(_SamplePackage(), parent=window)


def trust(window):
    from ui.sync.dialogs import TrustDialog

    exc = UntrustedSigner("未信任", node_id="0" * 32, node_name="桂花村电脑", office_name="桂花村",
                          fingerprint="4F2A 9C1E 77B0 D35A 0E61 8B2C")
    return TrustDialog(exc, True, window)


def restore(window):
    from ui.restore_dialog import RestoreDialog

    return RestoreDialog(window.session.db_path, "数据库第 1,204 页损坏（示例）", opened=True, parent=window)


def about(window):
    return window.about_dialog()


def setup_wizard(window):
    from ui.setup_wizard import SetupWizard

    return SetupWizard(Path(window.session.db_path).with_name("gallery-new.sqlite3"), window)


def login(window):
    from ui.login_dialog import LoginDialog

    own = office.own_office_or_none()
    return LoginDialog(own.name if own else "", office.node_name(), demo_credentials=("admin", "demo1234"),
                       parent=window)


def change_password(window):
    from ui.password_dialog import ChangePasswordDialog

    return ChangePasswordDialog(window.session.actor, parent=window)


def add_user(window):
    from ui.office.settings_accounts import AddUserDialog

    return AddUserDialog(window.session, window)


# --- 督查, 热线 and 活动 -------------------------------------------------------------------------


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


def ticket_form(window):
    from ui.hotline.form import TicketForm

    return TicketForm(window.session, window)


def ticket_page(window):
    from civdesk.hotline import board
    from ui.hotline.ticket import TicketDialog

    found = board.ids()
    return TicketDialog(window.session, found[0], window) if found else None


def visit_dialog(window):
    from civdesk.hotline import board
    from ui.hotline.steps import VisitDialog

    found = board.ids(state="replied")
    rows = board.rows_for(found[:1]) if found else []
    return VisitDialog(window.session.actor, rows[0], window) if rows else None


def _activities_dialogs() -> list[Screen]:
    from ui.activities.screens import SCREENS

    return [Screen(name.replace("dialog-", "dialog-activities-", 1), title, factory)
            for name, title, factory in SCREENS]


DIALOGS: list[Screen] = [
    Screen("dialog-application", "申报 editor", application_editor),
    Screen("dialog-new-application", "新建创建申报", new_application),
    Screen("dialog-indicator-set", "编辑测评体系", indicator_set),
    Screen("dialog-organisation", "新建创建单位", organisation_form),
    Screen("dialog-session", "新建评选活动", new_session),
    Screen("dialog-nomination", "推荐 editor", nomination_editor),
    Screen("dialog-new-nomination", "新推荐", new_nomination),
    Screen("dialog-volunteer-form", "登记志愿者", volunteer_form),
    Screen("dialog-volunteer-detail", "志愿者详情", volunteer_detail),
    Screen("dialog-hours-entry", "录入服务时长", hours_entry),
    Screen("dialog-certificate", "志愿服务记录证明", certificate),
    Screen("dialog-import", "导入花名册", import_roster),
    Screen("dialog-team", "志愿队伍", team_form),
    Screen("dialog-activity", "志愿活动", activity_form),
    Screen("dialog-notice", "发布公示", publish_notice),
    Screen("dialog-sync-preview", "导入前预览", sync_preview),
    Screen("dialog-trust", "信任新电脑", trust),
    Screen("dialog-restore", "从备份恢复", restore),
    Screen("dialog-about", "关于", about),
    Screen("dialog-setup-wizard", "初始设置", setup_wizard),
    Screen("dialog-login", "登录", login),
    Screen("dialog-password", "修改密码", change_password),
    Screen("dialog-add-user", "添加账号", add_user),
    Screen("dialog-inspection", "登记督查记录", inspection_form),
    Screen("dialog-rectification-notice", "下发限期整改通知书", notice_editor),
    Screen("dialog-rectification-page", "整改通知书", notice_page),
    Screen("dialog-rectification-pairs", "整改前后照片配对", pair_dialog),
    Screen("dialog-frontage-holder", "门前三包责任户", holder_form),
    Screen("dialog-supervision-round", "督查计划", supervision_round),
    Screen("dialog-supervision-area", "督查片区", supervision_area),
    Screen("dialog-supervision-member", "督查组成员", supervision_member),
    Screen("dialog-supervision-template", "检查表", supervision_template),
    Screen("dialog-ticket-form", "受理热线工单", ticket_form),
    Screen("dialog-ticket", "热线工单", ticket_page),
    Screen("dialog-ticket-visit", "回访", visit_dialog),
    *_activities_dialogs(),
]
