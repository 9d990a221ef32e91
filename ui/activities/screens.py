"""The dialogs of 活动与阵地 for a gallery or a fit test: (name, title, factory), where a factory
takes the main window and returns the dialog not yet shown, or None when the open database holds
nothing it could show (an empty database has no record to open)."""

from __future__ import annotations

import datetime as dt

from civdesk.activities import halls, minors, placements, records


def activity_form(window):
    from ui.activities.record_form import ActivityFormDialog

    return ActivityFormDialog(window.session, parent=window)


def activity_record(window):
    from ui.activities.record_form import ActivityFormDialog

    found = records.rows(status="held")
    return ActivityFormDialog(window.session, found[-1].id, parent=window) if found else None


def activity_delete(window):
    """删除活动记录 of a planned activity (one with no hours entered may go), else any."""
    from ui.activities.record_form import DeleteDialog

    found = records.rows(status="planned") or records.rows()
    return DeleteDialog(window.session, found[-1].id, found[-1].title, window) if found else None


def hall_form(window):
    from ui.activities.halls_tab import HallDialog

    return HallDialog(window.session, window)


def hall_session(window):
    from ui.activities.halls_tab import SessionDialog

    found = halls.halls()
    return SessionDialog(window.session, found[0], parent=window) if found else None


def placement_form(window):
    from ui.activities.placements_tab import PlacementDialog

    return PlacementDialog(window.session, window)


def placement_inspection(window):
    from ui.activities.placements_tab import InspectDialog

    found = placements.placements()
    return InspectDialog(window.session, found[0], window) if found else None


def sanmei_evaluation(window):
    from ui.activities.sanmei_tab import SanmeiDialog

    return SanmeiDialog(window.session, "evaluate", dt.date.today().year, parent=window)


def minors_project(window):
    from ui.activities.minors_tab import ProjectDialog

    return ProjectDialog(window.session, window)


def minors_child(window):
    from ui.activities.minors_tab import ChildDialog

    found = minors.projects()
    return ChildDialog(window.session, found[0], window) if found else None


def station_service(window):
    from ui.activities.minors_station import ServiceDialog

    return ServiceDialog(window.session, window)


SCREENS = [
    ("dialog-activity", "登记活动", activity_form),
    ("dialog-activity-record", "修改活动记录", activity_record),
    ("dialog-activity-delete", "删除活动记录", activity_delete),
    ("dialog-hall", "新建道德讲堂", hall_form),
    ("dialog-hall-session", "登记讲堂活动", hall_session),
    ("dialog-placement", "登记公益广告", placement_form),
    ("dialog-placement-inspect", "检查公益广告", placement_inspection),
    ("dialog-sanmei-evaluate", "三美测评", sanmei_evaluation),
    ("dialog-minors-project", "新建关爱项目", minors_project),
    ("dialog-minors-child", "登记受助儿童", minors_child),
    ("dialog-station-service", "登记心理健康服务", station_service),
]
