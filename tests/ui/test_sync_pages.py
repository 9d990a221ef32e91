"""数据同步 and 冲突处理: export, import with preview, refusals, trusting a PC, resolving conflicts.

Two offices are set up once per module (setup derives keys with scrypt) and copied for each
test: a township PC (清溪镇「文明办电脑」) and a village PC (桂花村「桂花村电脑」). The global
database holds one file at a time, so a test switches between them with ``switch``.
"""


import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from civdesk.core import db
from civdesk.core.actor import Actor
from civdesk.core.meta import SyncConflict
from civdesk.office import accounts, dashboard
from civdesk.sync import conflicts, exchange, peers
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import Volunteer
from tests.support.databases import copy_db, initialize, open_db, setup_request, sql, village_request
from tests.support.ui import column
from tests.support.volunteers import make_id as id_number
from ui.main_window import MainWindow
from ui.session import Session
from ui.sync.dialogs import PreviewDialog

REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
CLERK = Actor("zhangli", "张丽", "clerk")


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sync-templates")
    paths = {"township": folder / "township.sqlite3", "village": folder / "village.sqlite3"}
    for kind, request in (("township", setup_request()), ("village", village_request())):
        actor = initialize(paths[kind], request)
        for user in (REVIEWER, CLERK):
            accounts.add_user(actor, user.username, user.display_name, user.role, "Temp-1234x", must_change=False)
        db.close_database()
    return paths


@pytest.fixture
def offices(templates, tmp_path):
    """Fresh copies of both PCs; returns (admin, township path, village path, usb folder)."""
    paths = {}
    for kind, template in templates.items():
        (tmp_path / kind).mkdir()
        paths[kind] = tmp_path / kind / "civdesk.sqlite3"
        copy_db(template, paths[kind])
    usb = tmp_path / "usb"
    usb.mkdir()
    open_db(paths["township"])
    yield Actor("admin", "王主任", "admin"), paths["township"], paths["village"], usb
    db.close_database()


def switch(path) -> None:
    db.close_database()
    open_db(path)


def sync_page(window, usb=None):
    assert window.show_page("sync")
    page = window.pages["sync"]
    if usb is not None:
        page.set_folder(usb)
    return page


def village_package(admin, village, usb, *, name="张三", seq="123"):
    """On the village PC: register a volunteer and export a full package; back to whatever was open."""
    here = db.state.path
    switch(village)
    volunteer = volunteers.register(admin, {"name": name, "id_number": id_number("19850302", seq),
                                            "phone": "13812345678", "skills": "电工"})
    result = exchange.export_package(admin, usb)
    switch(here)
    return volunteer, result.path


def table_rows(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def counts(path):
    return {t: sql(path, f"SELECT COUNT(*) FROM {t}")[0][0] for t in ("change_log", "sync_package", "sync_peer",
                                                                       "volunteer", "audit_entry")}


# --- export --------------------------------------------------------------------------------------


def test_export_through_the_page_writes_a_package(offices, make_window):
    admin, _township, village, usb = offices
    switch(village)
    volunteers.register(admin, {"name": "李四", "id_number": id_number("19900515", "222")})
    window = make_window(admin)
    page = sync_page(window, usb)
    assert "桂花村「桂花村电脑」" in page.this_pc.identity_label.text()
    assert page.this_pc.fingerprint_label.text() == peers.identity().fingerprint
    assert page.receiver_combo.currentText() == "完整数据包（任何电脑）"  # no PC known yet

    task = page.export()
    assert task is not None and task.wait()
    [package_file] = usb.glob("*.civsync")
    result = page.last_export
    assert result.path == package_file and result.entries > 0
    message = page.export_message.text()
    assert package_file.name in message and f"{result.entries} 条变更" in message and "KB" in message
    assert "安全弹出" in page.last_box.text()
    assert column(page.history_tab.model, "direction") == ["导出"]
    assert column(page.history_tab.model, "peer") == ["任何电脑"]
    # The folder is remembered for the next time, and the new file is listed as this PC's own.
    assert page.settings.value("sync/usb_dir") == str(usb)
    assert column(page.files_model, "note") == ["本机导出的"]
    assert column(page.files_model, "source") == ["桂花村-桂花村电脑"]


# --- import: trust, preview, apply ------------------------------------------------------------------


def test_untrusted_pc_is_trusted_by_admin_then_previewed_and_imported(offices, make_window):
    admin, township, village, usb = offices
    volunteer, package_file = village_package(admin, village, usb)
    switch(village)
    village_fingerprint = peers.identity().fingerprint
    switch(township)
    window = make_window(admin)
    page = sync_page(window, usb)
    assert column(page.files_model, "receiver") == ["任何电脑（完整）"]
    assert page.selected_file() == str(package_file)

    page.import_selected().wait()
    dialog = page.trust_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.fingerprint_label.text() == village_fingerprint
    assert (dialog.office_label.text(), dialog.node_label.text()) == ("桂花村", "桂花村电脑")
    assert Volunteer.get_or_none(Volunteer.id == volunteer.id) is None  # nothing written yet

    dialog.trust_button.click()
    page.task.wait()
    preview = page.preview_dialog
    assert preview is not None and preview.isVisible()
    assert preview.source_label.text() == "桂花村「桂花村电脑」"
    assert preview.fingerprint_label.text() == village_fingerprint
    rows = {row[0]: row[1:] for row in table_rows(preview.table)}
    assert rows["志愿者"] == ["1", "0", "0", "0"]
    assert "合计" in rows
    assert not peers.all_peers()  # trusted only once the package is applied

    preview.import_button.click()
    page.task.wait()
    assert Volunteer.get_by_id(volunteer.id).name == "张三"
    report = page.last_import.report()
    assert report["applied"] and report["new"]["volunteer"] == 1
    assert report["backup"] in page.last_box.text()
    assert "新增" in page.import_message.text()
    [peer] = peers.all_peers()
    assert peer.trusted
    assert column(page.peers_tab.model, "status") == ["已信任"]
    assert column(page.peers_tab.model, "fingerprint") == [village_fingerprint]
    assert "导入" in column(page.history_tab.model, "direction")
    assert column(page.files_model, "note") == ["已导入过"]
    # A PC now known is offered as a receiver.
    assert page.receiver_combo.itemText(0) == "桂花村「桂花村电脑」"


def test_trusted_pc_goes_straight_to_preview_and_cancel_writes_nothing(offices, make_window):
    admin, township, village, usb = offices
    _first, first_file = village_package(admin, village, usb)
    exchange.import_package(admin, first_file, trust_new=True)
    second, second_file = village_package(admin, village, usb, name="王五", seq="315")
    window = make_window(REVIEWER)
    page = sync_page(window, usb)
    before = counts(township)

    page.import_file(second_file).wait()
    assert page.trust_dialog is None
    preview = page.preview_dialog
    rows = {row[0]: row[1:] for row in table_rows(preview.table)}
    assert rows["志愿者"][0] == "1"
    assert preview.warnings_label.isHidden()
    preview.incoming.notes.append("注意：这个数据包里有时间比本机晚 3 天的修改。")
    warned = PreviewDialog(preview.incoming)  # what the core asks a person to check is shown
    assert not warned.warnings_label.isHidden() and "晚 3 天" in warned.warnings_label.text()
    preview.incoming.notes.clear()
    preview.reject()
    assert "没有任何改动" in page.import_message.text()
    assert counts(township) == before

    page.import_file(second_file).wait()
    page.preview_dialog.import_button.click()
    page.task.wait()
    assert Volunteer.get_by_id(second.id).name == "王五"


def test_refused_package_shows_why_and_changes_nothing(offices, make_window):
    admin, township, village, usb = offices
    _volunteer, package_file = village_package(admin, village, usb)
    broken = usb / "坏的.civsync"
    broken.write_bytes(package_file.read_bytes()[:1500])
    window = make_window(admin)
    page = sync_page(window, usb)
    before = counts(township)

    page.import_file(broken).wait()
    box = page.last_box
    assert box.icon() == QMessageBox.Icon.Critical
    assert "不完整" in box.text() and "未作任何更改" in box.text()
    assert "安全弹出" in box.text()  # what to do about it
    assert page.preview_dialog is None and page.trust_dialog is None
    assert "不完整" in page.import_message.text()
    assert counts(township) == before
    assert not (township.parent / "backups").exists() or not any((township.parent / "backups").iterdir())


def test_reviewer_is_told_an_administrator_must_trust(offices, make_window):
    admin, township, village, usb = offices
    _volunteer, package_file = village_package(admin, village, usb)
    window = make_window(REVIEWER)
    page = sync_page(window, usb)
    before = counts(township)
    page.import_file(package_file).wait()
    dialog = page.trust_dialog
    assert dialog.trust_button is None
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.fingerprint_label)))
    assert "只有系统管理员可以信任" in texts
    assert dialog.fingerprint_label.text().count(" ") == 7  # eight groups of four, shown in full
    dialog.reject()
    assert counts(township) == before
    assert page.peers_tab.trust_button.isHidden()  # the peers tab offers no trust button either


def test_package_imported_twice_is_information_not_an_error(offices, make_window):
    admin, _township, village, usb = offices
    _volunteer, package_file = village_package(admin, village, usb)
    exchange.import_package(admin, package_file, trust_new=True)
    window = make_window(admin)
    page = sync_page(window, usb)
    page.import_file(package_file).wait()
    assert page.last_box.icon() == QMessageBox.Icon.Information
    assert "已于" in page.last_box.text() and "导入过" in page.last_box.text()
    assert page.preview_dialog is None


def test_admin_withdraws_and_restores_trust(offices, make_window):
    admin, _township, village, usb = offices
    _volunteer, package_file = village_package(admin, village, usb)
    exchange.import_package(admin, package_file, trust_new=True)
    window = make_window(admin)
    page = sync_page(window)
    page.tabs.setCurrentIndex(1)
    assert page.peers_tab.trust_button.text() == "取消信任…"
    assert page.peers_tab.toggle_trust()
    assert not peers.all_peers()[0].trusted
    assert column(page.peers_tab.model, "status") == ["未信任"]
    assert page.peers_tab.trust_button.text() == "信任这台电脑…"
    assert page.peers_tab.toggle_trust()
    assert peers.all_peers()[0].trusted


# --- conflicts -------------------------------------------------------------------------------------


def make_conflicts(admin, township, village, usb) -> Volunteer:
    """Both PCs change the same volunteer's skills and phone before they meet again; the township
    ends up holding both conflicts."""
    volunteer, first = village_package(admin, village, usb)
    exchange.import_package(admin, first, trust_new=True)
    volunteers.update(admin, volunteer.id, {"skills": "电工、水管维修", "phone": "13911112222"})
    to_village = exchange.export_package(admin, usb, to="桂花村电脑").path
    switch(village)
    volunteers.update(admin, volunteer.id, {"skills": "电工（持证）", "phone": "13633334444"})
    exchange.import_package(admin, to_village, trust_new=True)
    back = exchange.export_package(admin, usb, to="文明办电脑").path
    switch(township)
    exchange.import_package(admin, back)
    assert conflicts.count_open() == 2
    return volunteer


def test_conflicts_are_listed_and_resolved_on_the_page(offices, make_window):
    admin, township, village, usb = offices
    volunteer = make_conflicts(admin, township, village, usb)
    window = make_window(REVIEWER)
    page = sync_page(window)
    assert "有 2 处同步冲突" in page.conflict_label.text()
    assert page.conflicts_button.isVisibleTo(window)
    page.conflicts_button.click()
    assert window.current_page_key() == "conflicts"
    conflicts_page = window.pages["conflicts"]
    assert sorted(column(conflicts_page.model, "field")) == ["技能特长", "联系电话"]
    assert set(column(conflicts_page.model, "record")) == {"志愿者「张三」"}
    assert "共 2 处" in conflicts_page.count_label.text()

    row = column(conflicts_page.model, "field").index("技能特长")
    conflicts_page.list_view.selectRow(row)
    assert conflicts_page.heading_label.text() == "志愿者「张三」的「技能特长」"
    cards = conflicts_page.cards
    assert sorted(c.value_label.text() for c in cards) == ["电工、水管维修", "电工（持证）"]
    assert [c.winner_label.isVisibleTo(c) for c in cards].count(True) == 1
    made_by = {c.value_label.text(): c.made_by_label.text() for c in cards}
    assert "本机「文明办电脑」" in made_by["电工、水管维修"] and "账号 admin（王主任）" in made_by["电工、水管维修"]
    assert "桂花村「桂花村电脑」" in made_by["电工（持证）"] and made_by["电工（持证）"].split("　")[1] == "账号 admin"
    loser = next(c for c in cards if not c.winner_label.isVisibleTo(c))
    kept = loser.value_label.text()
    loser.keep_button.click()  # the confirmation is answered 是 by the test guard
    assert Volunteer.get_by_id(volunteer.id).skills == kept
    assert column(conflicts_page.model, "field") == ["联系电话"]
    assert "已处理" in conflicts_page.message.text()

    # The phone: masked values; a new value is checked like the register checks it.
    assert conflicts_page.heading_label.text() == "志愿者「张三」的「联系电话」"
    assert sorted(c.value_label.text() for c in conflicts_page.cards) == ["136****4444", "139****2222"]
    assert conflicts_page.new_edit.text() == ""  # never prefilled with a masked number
    conflicts_page.new_edit.setText("1391111")
    assert not conflicts_page.use_new_value()
    assert conflicts_page.new_error.isVisibleTo(conflicts_page) and "手机号码" in conflicts_page.new_error.text()
    conflicts_page.new_edit.setText("13555556666")
    assert conflicts_page.use_new_value()
    assert Volunteer.get_by_id(volunteer.id).phone == "13555556666"
    assert conflicts_page.model.rowCount() == 0
    assert SyncConflict.select().count() == 0
    assert conflicts_page.heading_label.text() == "没有待处理的冲突"
    page.on_shown()
    assert page.conflict_label.text() == "没有待处理的同步冲突。"


def test_start_page_shows_conflicts_and_clerks_only_look(offices, make_window):
    admin, township, village, usb = offices
    make_conflicts(admin, township, village, usb)
    [item] = [i for i in dashboard.collect(REVIEWER) if i.kind == "sync_conflicts"]
    assert item.title == "2 处同步冲突等待处理" and item.target_page == "conflicts" and item.severity == "due"
    [for_clerk] = [i for i in dashboard.collect(CLERK) if i.kind == "sync_conflicts"]
    assert for_clerk.severity == "info" and "审核人或系统管理员" in for_clerk.detail

    window = make_window(CLERK)
    window.show_page("home")
    [card] = [c for c in window.pages["home"].cards if c.item.kind == "sync_conflicts"]
    card.clicked.emit(card.item.target_page)
    assert window.current_page_key() == "conflicts"
    page = window.pages["conflicts"]
    assert page.model.rowCount() == 2
    assert page.cards and not any(c.keep_button.isVisibleTo(page) for c in page.cards)
    assert not page.new_box.isVisibleTo(page)
    assert not page.use_new_value()
    assert not page.keep(page.view_data.choices[0].value_id)  # the service refuses, the page says so
    assert "没有权限" in page.message.text()
    assert conflicts.count_open() == 2


def test_delete_against_edit_offers_delete_or_keep_only(offices, make_window):
    admin, township, village, usb = offices
    volunteer, first = village_package(admin, village, usb)
    exchange.import_package(admin, first, trust_new=True)
    volunteers.delete(admin, volunteer.id, "重复登记")
    to_village = exchange.export_package(admin, usb, to="桂花村电脑").path
    switch(village)
    volunteers.update(admin, volunteer.id, {"skills": "电工（持证）"})
    exchange.import_package(admin, to_village, trust_new=True)
    window = make_window(admin)
    window.show_page("conflicts")
    page = window.pages["conflicts"]
    assert column(page.model, "field") == ["删除与修改"]
    assert "一台电脑删除了它" in page.heading_label.text()
    assert page.new_box.isHidden()  # no typed value for a deletion
    texts = [c.value_label.text() for c in page.cards]
    assert "删除这条记录" in texts and any(t.startswith("保留这条记录") for t in texts)
    keep = next(c for c in page.cards if c.value_label.text().startswith("保留这条记录"))
    assert keep.keep_button.text() == "选这个"
    keep.keep_button.click()
    assert not Volunteer.get_by_id(volunteer.id).deleted
    assert conflicts.count_open() == 0
    assert "已处理：志愿者「张三」——保留这条记录" in page.message.text()


def test_read_only_database_can_look_but_not_exchange(offices, qtbot, tmp_path):
    admin, township, _village, usb = offices
    db.close_database()
    open_db(township, read_only=True)
    window = MainWindow(Session(admin, township, read_only=True, read_only_reason="另一台 CivDesk 正在使用。"),
                        QSettings(str(tmp_path / "ro.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    page = sync_page(window, usb)
    assert not page.export_button.isEnabled() and not page.import_button.isEnabled()
    assert page.export() is None and page.import_file(usb / "x.civsync") is None
    assert "不能导出或导入" in " ".join(label.text() for label in page.findChildren(type(page.this_pc.identity_label)))
    window.show_page("conflicts")
    assert not window.pages["conflicts"].can_resolve
