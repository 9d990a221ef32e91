"""The dialogs of 志愿服务 for the gallery and the fit test: (name, title, factory), where a factory
takes the main window and returns the dialog not yet shown, or None when the open database holds
nothing it could show (an empty database has no volunteer and no service record)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from civdesk.office import offices as office
from civdesk.volunteers import hours, roster
from civdesk.volunteers import teams as volunteer_teams


def _first_volunteer() -> str | None:
    ids = roster.matching_ids(roster.VolunteerFilter())
    return ids[0] if ids else None


def volunteer_form(window):
    from ui.volunteers.form import VolunteerFormDialog

    return VolunteerFormDialog(window.session, parent=window)


def volunteer_detail(window):
    from ui.volunteers.detail import VolunteerDetailDialog

    volunteer_id = _first_volunteer()
    return VolunteerDetailDialog(window.session, volunteer_id, window) if volunteer_id else None


def _two_of_one_village() -> tuple[str, str] | None:
    """Two volunteers of one village, for a picture of the merge when nobody is registered twice."""
    for village in office.villages():
        ids = roster.matching_ids(roster.VolunteerFilter(village_id=village.id))
        if len(ids) >= 2:
            return ids[0], ids[1]
    return None


def volunteer_merge(window):
    from civdesk.volunteers import merges
    from ui.volunteers.merge import KIND
    from ui.widgets.merge_dialog import MergeDialog

    pairs = merges.pairs() if window.session.actor.can("merge_people") else []
    return MergeDialog(window.session, KIND, window, None if pairs else _two_of_one_village())


def hours_entry(window):
    from ui.volunteers.hours_forms import HoursEntryDialog

    return HoursEntryDialog(window.session, _first_volunteer(), window)


def correction(window):
    """更正服务时长 of a reviewed record (the newest approved one that corrects nothing)."""
    from ui.volunteers.hours_forms import CorrectionDialog

    found = next((row for row in hours.records(status="approved", limit=50) if not row.corrects_id), None)
    return CorrectionDialog(window.session, found, window) if found else None


def reason(window):
    """The reason box many refusals ask for, as 服务时长 asks it when returning records."""
    from ui.volunteers.hours_forms import ReasonDialog

    return ReasonDialog("退回服务记录", "退回所选的 3 条记录。请写明原因，录入员会看到：", window)


def certificate(window):
    from ui.volunteers.certificate_dialog import CertificateDialog

    volunteer_id = _first_volunteer()
    return CertificateDialog(window.session, volunteer_id, window) if volunteer_id else None


def import_roster(window):
    from ui.volunteers.import_dialog import ImportDialog

    return ImportDialog(window.session, "volunteers", window)


def import_mapping(window):
    """The import dialog with another system's roster checked: the column-mapping step asks about
    a column of numbers, guesses a phone column from its values."""
    from openpyxl import Workbook

    from civdesk.volunteers import roster_import
    from ui.volunteers.import_dialog import ImportDialog

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "身份证号码", "联络号", "注册时间", "服务积分", "所在村（社区）", "最高学历", "职业", "备注说明"])
    for i, (name, body) in enumerate([("赵一", "51011419850312001"), ("钱二", "51011419900101002"),
                                      ("孙三", "51011419951220003")], start=1):
        ws.append([i, name, body + "X", f"1381234567{i}", f"2021-0{i}-06 10:12:00", 10 * i, "桂花村", "本科",
                   "教师", ""])
    path = Path(tempfile.mkdtemp(prefix="civdesk-gallery-")) / "全国志愿服务信息系统导出.xlsx"
    wb.save(path)
    dialog = ImportDialog(window.session, "volunteers", window)
    dialog.show_checked(path, roster_import.preview(path, window.session.actor))
    return dialog


def team_form(window):
    from ui.volunteers.service_forms import TeamFormDialog

    found = volunteer_teams.teams()
    return TeamFormDialog(window.session, found[0].id if found else None, parent=window)


def activity_form(window):
    from ui.volunteers.service_forms import ActivityFormDialog

    return ActivityFormDialog(window.session, parent=window)


SCREENS = [
    ("dialog-volunteer-form", "登记志愿者", volunteer_form),
    ("dialog-volunteer-detail", "志愿者详情", volunteer_detail),
    ("dialog-volunteer-merge", "合并重复登记的志愿者", volunteer_merge),
    ("dialog-hours-entry", "录入服务时长", hours_entry),
    ("dialog-hours-correction", "更正服务时长", correction),
    ("dialog-reason", "写明原因", reason),
    ("dialog-certificate", "志愿服务记录证明", certificate),
    ("dialog-import", "导入花名册", import_roster),
    ("dialog-import-mapping", "导入花名册：列对应", import_mapping),
    ("dialog-team", "志愿队伍", team_form),
    ("dialog-activity", "志愿活动", activity_form),
]
