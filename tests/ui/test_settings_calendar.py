"""设置 → 节假日: an administrator sees where a year's holidays come from, sets and removes a day,
imports a sheet (refused rows named, nothing written); a clerk only reads."""

from __future__ import annotations

import datetime as dt

import openpyxl

from civdesk.calendar import holidays
from civdesk.core.actor import Actor


def calendar_tab(make_window, actor):
    window = make_window(actor)
    window.show_page("settings")
    page = window.pages["settings"]
    page.show_section("calendar")
    return page.calendar_tab


def test_admin_sets_a_day_and_imports_a_year(admin, make_window, tmp_path):
    tab = calendar_tab(make_window, admin)
    tab.year.setValue(2026)
    assert "国务院" in tab.source_label.text() and tab.table.rowCount() > 20
    tab.day.set_value(dt.date(2026, 12, 31))
    tab.kind.setCurrentIndex(0)
    tab.name.setText("测试放假")
    tab.set_day()
    assert not holidays.is_workday(dt.date(2026, 12, 31))
    assert "本单位录入" in tab.source_label.text()

    tab.year.setValue(2027)
    assert "未录入 2027 年放假安排" in tab.source_label.text() and tab.table.rowCount() == 0
    bad = tmp_path / "bad.xlsx"
    wb = openpyxl.Workbook()
    for row in (["日期", "类型", "名称"], ["2027-10-01", "休", "国庆节"], ["2027-10-01", "放", "国庆节"]):
        wb.active.append(row)
    wb.save(bad)
    tab.import_sheet(str(bad))
    assert "第 3 行" in tab.message.text() and holidays.year_info(2027).source == "none"
    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    for row in (["日期", "类型", "名称"], ["2027-10-01", "休", "国庆节"], ["2027-10-09", "班", "国庆节"]):
        wb.active.append(row)
    wb.save(good)
    tab.import_sheet(str(good))
    assert tab.year.value() == 2027 and tab.table.rowCount() == 2
    assert holidays.is_workday(dt.date(2027, 10, 9))


def test_a_clerk_only_reads_the_calendar(admin, make_window):
    tab = calendar_tab(make_window, Actor("lisi", "李四", "clerk"))
    assert not tab.editable and not hasattr(tab, "kind")


def test_the_kind_column_shows_its_whole_text(admin, make_window, qtbot, qapp):
    from ui.app import configure_application

    configure_application(qapp)  # the program's fonts and style sheet decide the widths (as in test_fit)
    tab = calendar_tab(make_window, admin)
    tab.window().resize(1280, 658)
    tab.window().show()
    qtbot.waitExposed(tab.window())
    tab.year.setValue(2026)  # the package's year: 元旦 holds a 调休 working day
    rows = range(tab.table.rowCount())
    widest = max(tab.table.fontMetrics().horizontalAdvance(tab.table.item(r, 2).text()) for r in rows)
    assert any("调休上班" in tab.table.item(r, 2).text() for r in rows)
    qtbot.wait(20)  # the columns are fitted to the list's width once the events run
    assert tab.table.columnWidth(2) >= widest + 6, "「班（调休上班）」 is cut in the 类型 column"
