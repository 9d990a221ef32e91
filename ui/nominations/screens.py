"""The dialogs of 好人评选 for the gallery and the fit test: (name, title, factory), where a factory
takes the main window and returns the dialog not yet shown, or None when the open database holds
nothing it could show (an empty database has no 评选活动 and no nominee)."""

from __future__ import annotations

from civdesk.nominations import award, review
from civdesk.nominations import nominees as nominations
from civdesk.nominations import sessions as nomination_sessions


def _nominations(*statuses: str):
    """(session id, nomination) of the first nominations in one of *statuses*, tried in order;
    any nomination when none is in them."""
    found = nomination_sessions.sessions()
    for wanted in (*((status,) for status in statuses), None):
        for record in found:
            rows = nominations.nominations(record.id, wanted)
            if rows:
                return record.id, rows
    return None


def new_session(window):
    from ui.nominations.forms import SessionDialog

    return SessionDialog(window.session, parent=window)


def nomination_editor(window):
    from ui.nominations.editor import NominationEditor

    found = _nominations()
    return NominationEditor(window.session, found[0], found[1][0].id, window) if found else None


def new_nomination(window):
    from ui.nominations.editor import NominationEditor

    found = nomination_sessions.sessions()
    return NominationEditor(window.session, found[0].id, None, window) if found else None


def nominee_merge(window):
    from ui.nominations.merge import KIND
    from ui.widgets.merge_dialog import MergeDialog

    return MergeDialog(window.session, KIND, window)


def _check(returning: bool):
    """初审 (or 退回) of a nomination waiting for it; another one when none waits."""
    def factory(window):
        from ui.nominations.forms import CheckDialog

        found = _nominations("recommended", "returned")
        return CheckDialog(window.session, found[1][0].id, returning, window) if found else None
    return factory


def _honoured():
    """The first honoured nomination (its nominee may be sent up), else any."""
    found = _nominations("honoured")
    return found[1][0] if found else None


def person_record(window):
    from ui.nominations.nominee_record import PersonRecordDialog

    row = _honoured()
    return PersonRecordDialog(window.session, row.nominee_id, row.id, window) if row else None


def honour(window):
    from ui.nominations.nominee_record import HonourDialog

    row = _honoured()
    return HonourDialog(window.session, row.nominee_id, window) if row else None


def submission(window):
    from ui.nominations.nominee_record import SubmissionDialog

    row = _honoured()
    return SubmissionDialog(window.session, row.nominee_id, row.id, window) if row else None


def upward_outcome(window):
    """评选结果 of a submission to a higher list still waiting for it (any when none waits)."""
    from ui.nominations.nominee_record import OutcomeDialog, submission_text

    found = _nominations("honoured")
    sent = [(row, s) for row in (found[1] if found else []) for s in award.submissions(row.nominee_id)]
    chosen = next((pair for pair in sent if pair[1].outcome == "pending"), sent[0] if sent else None)
    if chosen is None:
        return None
    label = f"{nominations.nominee_name(chosen[0])}：{submission_text(chosen[1])}"
    return OutcomeDialog(window.session, chosen[1].id, window, label=label)


def recusal(window):
    """登记回避 in a session under 评议 that has a committee."""
    from ui.nominations.scoring_page import RecusalDialog

    for record in nomination_sessions.sessions():
        members = review.members(record.id)
        if members and nominations.nominations(record.id, ("review",)):
            return RecusalDialog(window.session, record.id, members[0].id, window)
    return None


def tie(window):
    """决定并列名次 of a tie at the quota line: one still to decide, else one decided."""
    from ui.nominations.tally import TieDialog

    ties = [(record.id, category) for record in nomination_sessions.sessions()
            for category in review.tally(record.id).categories if category.tied]
    ties.sort(key=lambda found: not found[1].undecided)
    return TieDialog(window.session, ties[0][0], ties[0][1], window) if ties else None


SCREENS = [
    ("dialog-session", "新建评选活动", new_session),
    ("dialog-nomination", "推荐 editor", nomination_editor),
    ("dialog-new-nomination", "新推荐", new_nomination),
    ("dialog-nominee-merge", "合并重复登记的被推荐人", nominee_merge),
    ("dialog-nomination-check", "初审", _check(False)),
    ("dialog-nomination-return", "退回推荐", _check(True)),
    ("dialog-nomination-recusal", "登记回避", recusal),
    ("dialog-nomination-tie", "决定并列名次", tie),
    ("dialog-nominee-record", "人员档案", person_record),
    ("dialog-nominee-honour", "登记以往荣誉", honour),
    ("dialog-nominee-submission", "向上推荐", submission),
    ("dialog-nominee-outcome", "登记评选结果", upward_outcome),
]
