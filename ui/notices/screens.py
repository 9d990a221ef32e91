"""The dialogs of 公示 (shared by 文明创建 and 好人评选) for the gallery and the fit test: (name, title,
factory), where a factory takes the main window and returns the dialog not yet shown, or None when
the open database holds no notice or objection it could show."""

from __future__ import annotations

import datetime as dt

from civdesk.notices import public_notices as notices
from civdesk.notices.public_notices import Candidate
from civdesk.notices.terms import SUBJECTS


def _notices() -> list:
    """Every notice not withdrawn, the running ones first."""
    found = [n for subject in SUBJECTS for n in notices.for_subject(subject) if not n.withdrawn]
    found.sort(key=lambda n: notices.status(n).state != "公示中")
    return found


def publish_notice(window):
    """The shared 发布公示 dialog with five candidates (its own name list, not the database's)."""
    from ui.notices.notice_panel import PublishNoticeDialog

    candidates = [Candidate(str(i), f"{name}（文明村）", "测评 92.5 分") for i, name in
                  enumerate(["桂花村", "荷塘村", "红星村", "青山社区", "清溪镇中心小学"])]
    return PublishNoticeDialog(window.session, "unit", "gallery", f"{dt.date.today().year}年度拟命名文明单位公示",
                               candidates, parent=window)


def objection(window):
    """登记公示异议 on a running notice (an ended one when none runs)."""
    from ui.notices.notice_panel import ObjectionDialog

    found = _notices()
    return ObjectionDialog(window.session, found[0], window) if found else None


def decide_objection(window):
    """核实公示异议 of an objection not yet looked into (any objection when all are)."""
    from ui.notices.notice_panel import DecideObjectionDialog

    found = [(n, o) for n in _notices() for o in notices.objections(n.id)]
    found.sort(key=lambda pair: pair[1].outcome != "pending")
    if not found:
        return None
    notice, chosen = found[0]
    names = {c.item_id: c.name for c in notices.candidates(notice.id)}
    return DecideObjectionDialog(window.session, chosen, names.get(chosen.item_id, ""), window)


SCREENS = [
    ("dialog-notice", "发布公示", publish_notice),
    ("dialog-notice-objection", "登记公示异议", objection),
    ("dialog-notice-decide", "核实公示异议", decide_objection),
]
