"""The dialogs of 文明创建 for the gallery and the fit test: (name, title, factory), where a factory
takes the main window and returns the dialog not yet shown, or None when the open database holds
nothing it could show (an empty database has no 申报, title or recommendation)."""

from __future__ import annotations

import datetime as dt

from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.units import titles as unit_titles
from civdesk.units import workflow as unit_workflow
from civdesk.units.terms import title_text


def _years() -> tuple[int, ...]:
    today = dt.date.today()
    return today.year, today.year - 1, today.year + 1


def _applications(*statuses: str) -> list[unit_scoring.ApplicationRow]:
    """The applications of the first year that has some in *statuses* (any status without)."""
    for year in _years():
        rows = [row for row in unit_scoring.applications_in_year(year) if not statuses or row.status in statuses]
        if rows:
            return rows
    return []


def application_editor(window):
    from ui.units.application import ApplicationDialog

    found = _applications()
    return ApplicationDialog(window.session, found[0].id, window) if found else None


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


def veto(window):
    """一票否决 of an application in 测评 without a veto yet."""
    from ui.units.dialogs import VetoDialog

    found = [row for row in _applications("assessing", "prelim", "submitted")
             if not unit_workflow.active_vetoes(row.id)]
    return VetoDialog(window.session, found[0].id, found[0].org_name, window) if found else None


def unit_notice(window):
    """发布公示 of the applications in 测评 that may go on the notice (all of them when none may)."""
    from ui.units.dialogs import UnitNoticeDialog

    found = _applications("assessing")
    ready = [row for row in found if not unit_workflow.notice_blocker(unit_scoring.get(row.id))] or found
    return UnitNoticeDialog(window.session, [row.id for row in ready], ready[0].year, window) if ready else None


def naming(window):
    """命名决定 of the applications in 公示 (those whose notice has ended, when some have)."""
    from ui.units.dialogs import NameDialog

    found = _applications("notice")
    ready = [row for row in found if not unit_workflow.naming_blocker(unit_scoring.get(row.id))] or found
    labels = [(row.id, f"{row.org_name}　{row.title_text}") for row in ready]
    return NameDialog(window.session, labels, ready[0].year, window) if ready else None


def _title() -> tuple[unit_titles.TitleHeld, str] | None:
    """A title held this year (one due for its annual review if there is one) with its holder."""
    year = dt.date.today().year
    due = unit_titles.reviews_due(year)
    if due:
        return due[0].title, due[0].org_name
    held = unit_titles.roster(year)
    return (held[0][0], held[0][1].name) if held else None


def review(window):
    from ui.units.dialogs import ReviewDialog

    found = _title()
    if found is None:
        return None
    title, org_name = found
    label = (f"{org_name}　{title_text(title.title, title.level, title.model_grade)}"
             f"（{title.year}年命名，有效期至 {title.valid_until.isoformat()}）")
    return ReviewDialog(window.session, title.id, label, window)


def recommend(window):
    from ui.units.dialogs import RecommendDialog

    found = _title()
    if found is None:
        return None
    title, org_name = found
    return RecommendDialog(window.session, title.id, org_name, f"区级{title.title}", window)


def district_outcome(window):
    """区里评定结果 of a recommendation still waiting for it (any recommendation when none waits)."""
    from ui.units.dialogs import OutcomeDialog

    found = unit_titles.recommendations()
    chosen = next((r for r in found if r.outcome == "pending"), found[0] if found else None)
    if chosen is None:
        return None
    return OutcomeDialog(window.session, chosen.id, f"{chosen.recommended_date.isoformat()} 推荐参评{chosen.target_title}",
                         window)


SCREENS = [
    ("dialog-application", "申报 editor", application_editor),
    ("dialog-new-application", "新建创建申报", new_application),
    ("dialog-indicator-set", "编辑测评体系", indicator_set),
    ("dialog-organisation", "新建创建单位", organisation_form),
    ("dialog-unit-veto", "一票否决", veto),
    ("dialog-unit-notice", "发布创建公示", unit_notice),
    ("dialog-unit-naming", "作出命名决定", naming),
    ("dialog-unit-review", "称号复查", review),
    ("dialog-unit-recommend", "向区推荐", recommend),
    ("dialog-unit-outcome", "记录区里评定结果", district_outcome),
]
