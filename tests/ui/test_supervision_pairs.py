"""整改前后 pairs in the GUI: pairs named in the report form, unpaired photos shown as such, the
pairing changed afterwards in its dialog (all or nothing), and that dialog inside both screens."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSize

from civdesk.supervision import inspections, pairs, rectification
from civdesk.supervision.models import PhotoPair
from tests.supervision.helpers import CLERK, notice, photo
from tests.ui.test_supervision_pages import SIZES, demo, fit_problems, settle  # noqa: F401
from ui.supervision.notice_page import NoticePage
from ui.supervision.pair_widgets import PairDialog


def test_a_photo_reported_unpaired_is_paired_afterwards(admin, make_window, qtbot, tmp_path):
    made = notice(admin, tmp_path)
    (before,) = inspections.finding_rows(json.loads(made.finding_ids))[0].photo_ids
    rectification.report(CLERK, made.id, "2026-03-10", "已清运完毕", [photo(tmp_path, "after.png", (0, 150, 0))])
    window = make_window(admin)
    page = NoticePage(window.session, made.id, window)
    qtbot.addWidget(page)
    assert not page.pair_view.pairs and page.pairs_view.before_strip.isVisibleTo(page)
    assert page.pairs_view.after_strip.isVisibleTo(page) and page.pair_button.isVisibleTo(page)
    dialog = page.adjust_pairs()
    qtbot.addWidget(dialog)
    assert dialog.chooser.chosen() == [None], "nothing is guessed"
    dialog.chooser.choose(0, before)
    assert dialog.save()
    assert [(b.id, a.file_name) for b, a in page.pair_view.pairs] == [(before, "after.png")]
    assert not page.pairs_view.after_strip.isVisibleTo(page) and "已保存照片配对" in page.message.text()
    # Saving the same pairing again writes nothing.
    again = page.adjust_pairs()
    qtbot.addWidget(again)
    assert again.chooser.chosen() == [before] and again.save()
    assert PhotoPair.select().count() == 1 and "没有改动" in page.message.text()


def test_a_refused_pairing_writes_nothing(admin, make_window, qtbot, tmp_path, monkeypatch):
    made = notice(admin, tmp_path)
    rectification.report(CLERK, made.id, "2026-03-10", "已清运完毕", [photo(tmp_path, "after.png", (0, 150, 0))])
    window = make_window(admin)
    dialog = PairDialog(window.session, made.id, window)
    qtbot.addWidget(dialog)
    dialog.chooser.choose(0, dialog.chooser.choices[0].id)
    monkeypatch.setattr(dialog.chooser, "chosen_by_key", lambda: {"someone-else": None})
    assert not dialog.save()
    assert "不属于这份通知书" in dialog.errors.labels["pairs"].text()
    assert PhotoPair.select().count() == 0 and pairs.view(made.id).unpaired_after


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_pair_dialog_fits(demo, make_window, qtbot, monkeypatch, size):  # noqa: F811
    from PySide6.QtWidgets import QApplication

    from ui.app import configure_application

    configure_application(QApplication.instance())
    monkeypatch.setattr("ui.widgets.fit.available_size", lambda widget=None: QSize(*size))
    window = make_window(demo)
    window.resize(*size)
    with_photos = next(r.id for r in rectification.notices() if pairs.view(r.id).pairs)
    dialog = PairDialog(window.session, with_photos, window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    assert dialog.width() <= size[0] and dialog.height() + 32 <= size[1]
    assert not fit_problems(dialog, "pairs")
    assert dialog.chooser.chosen() and all(dialog.chooser.chosen())
