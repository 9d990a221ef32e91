"""The demo township's nominations: a completed session and one in 评议 with scores partly entered."""

from __future__ import annotations

from civdesk import demo
from civdesk.demo.names import VILLAGES
from civdesk.nominations import (
    award as nomination_award,
)
from civdesk.nominations import (
    nominees as nominations,
)
from civdesk.nominations import (
    review as nomination_review,
)
from civdesk.nominations.models import NomineeHonour, UpwardSubmission
from civdesk.office import accounts
from tests.support.databases import open_db


def test_demo_has_a_completed_session_and_one_in_review(demo_copy):
    open_db(demo_copy)
    accounts.authenticate("admin", demo.DEMO_PASSWORD)
    found = {s.phase: s for s in nominations.sessions()}
    assert set(found) == {"award", "review"}
    done, current = found["award"], found["review"]

    result = nomination_review.tally(done.id)
    assert result.locked and not result.undecided
    assert any(c.decision is not None for c in result.categories), "the tie at the quota line was decided"
    assert len(nomination_award.honoured(done.id)) == len(result.selected()) >= 5
    assert NomineeHonour.select().count() > len(result.selected()), "earlier and upward honours too"
    assert {s.outcome for s in UpwardSubmission.select()} == {"listed", "pending"}

    live = nomination_review.tally(current.id)
    assert not live.locked and nomination_review.missing_scores(current), "scores partly entered"
    assert any(r.scorers for r in live.rows())
    rows = nominations.rows(current.id)
    assert {r.status for r in rows} == {"review", "returned"}
    assert {r.village for r in rows + nominations.rows(done.id)} <= set(VILLAGES)
    for row in rows:
        assert 800 <= row.story_chars <= 2000 and len(row.summary) <= 140 and row.photos == 1
