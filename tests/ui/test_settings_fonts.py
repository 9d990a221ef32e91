"""设置 → 字体: each PDF role with the font the one resolver chose, a sample drawn in that font, the
file it came from, and a note when the role uses a stand-in or falls back to another role."""

from __future__ import annotations

from civdesk.reports import fonts as pdf_fonts
from tests.reports.test_fonts import WQY, needs_wqy


def fonts_tab(make_window, actor, qtbot):
    window = make_window(actor)
    window.show_page("settings")
    page = window.pages["settings"]
    page.show_section("fonts")
    tab = page.fonts_tab
    qtbot.waitUntil(lambda: tab.task is None and tab.rows["body"]["family"].text() != "", timeout=20000)
    return tab


@needs_wqy
def test_each_role_shows_its_font_a_sample_and_where_it_came_from(admin, make_window, qtbot):
    tab = fonts_tab(make_window, admin, qtbot)
    resolved = pdf_fonts.office_fonts()
    for role in pdf_fonts.SHOWN_ORDER:
        labels = tab.rows[role]
        assert labels["family"].text() == resolved.families[role]
        path = resolved.sources[role].split("#")[0]
        assert path in labels["source"].text()
        # The sample is drawn in the font file's own family (added to Qt from that file).
        sample_family = labels["sample"].font().family()
        assert sample_family.replace(" ", "").lower() in {
            f.replace(" ", "").lower() for f in pdf_fonts_qt_families(path)}
        assert labels["note"].isVisibleTo(tab) == bool(resolved.notes.get(role))
        if resolved.notes.get(role):
            assert resolved.notes[role] in labels["note"].text()


def pdf_fonts_qt_families(path):
    from ui.office.settings_fonts import _loaded_files
    return _loaded_files[path]


@needs_wqy
def test_a_role_without_its_own_font_says_which_font_stands_in(admin, make_window, qtbot, monkeypatch):
    only_hei = {"fallback": {"bold": "body", "fangsong": "body", "title": "bold"},
                "roles": {"body": {"linux": [WQY + "#0"]}}}
    monkeypatch.setattr(pdf_fonts, "office_fonts", lambda: pdf_fonts.resolve_fonts(config=only_hei, platform="linux"))
    tab = fonts_tab(make_window, admin, qtbot)
    family = tab.rows["body"]["family"].text()
    assert family == "WenQuanYi Micro Hei"
    assert not tab.rows["body"]["note"].isVisibleTo(tab)
    for role, style in (("fangsong", "仿宋"), ("title", "小标宋"), ("bold", "黑体")):
        note = tab.rows[role]["note"].text()
        assert f"本机没有{style}字体" in note and family in note, note
        assert tab.rows[role]["note"].isVisibleTo(tab)
