"""USB sync's 'done when': a village PC and its township PC exchange packages through a USB
folder in both directions in the GUI, see the preview, trust each other, resolve a conflict on
冲突处理 and end with the same data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from civdesk.core import db, dump
from civdesk.sync import conflicts
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import Volunteer
from tests.support.databases import initialize, open_db, setup_request, village_request
from tests.support.volunteers import make_id as id_number
from ui.main_window import MainWindow
from ui.session import Session


@pytest.fixture
def pcs(tmp_path):
    paths = {}
    for kind, request in (("township", setup_request()), ("village", village_request())):
        (tmp_path / kind).mkdir()
        paths[kind] = tmp_path / kind / "civdesk.sqlite3"
        admin = initialize(paths[kind], request)
        db.close_database()
    usb = tmp_path / "usb"
    usb.mkdir()
    yield admin, paths, usb
    db.close_database()


class Pc:
    """One PC's main window, opened on its own database as the administrator."""

    def __init__(self, qtbot, tmp_path, admin, path, usb):
        db.close_database()
        open_db(path)
        self.window = MainWindow(Session(admin, path), QSettings(str(tmp_path / f"{path.parent.name}.ini"),
                                                                 QSettings.Format.IniFormat))
        qtbot.addWidget(self.window)
        assert self.window.show_page("sync")
        self.page = self.window.pages["sync"]
        self.page.set_folder(usb)

    def export_to(self, receiver_text: str | None = None):
        if receiver_text is not None:
            index = self.page.receiver_combo.findText(receiver_text)
            assert index >= 0, [self.page.receiver_combo.itemText(i) for i in range(self.page.receiver_combo.count())]
            self.page.receiver_combo.setCurrentIndex(index)
        assert self.page.export().wait()

    def import_newest(self, *, trust: bool = False) -> dict:
        self.page.refresh_files()
        assert self.page.import_selected().wait()
        if trust:
            self.page.trust_dialog.trust_button.click()
            assert self.page.task.wait()
        preview = self.page.preview_dialog
        assert preview is not None and preview.isVisible()
        shown = {preview.table.item(r, 0).text(): [preview.table.item(r, c).text() for c in range(1, 5)]
                 for r in range(preview.table.rowCount())}
        preview.import_button.click()
        assert self.page.task.wait()
        return shown

    def close(self):
        self.window.close()


def synced_rows() -> dict:
    rows = dump.dump_records()
    rows["audit_entry"] = [r for r in rows["audit_entry"] if not r["action"].startswith(("sync_", "trust_"))]
    return rows


def test_village_and_township_sync_both_ways_in_the_gui(qtbot, tmp_path, pcs):
    admin, paths, usb = pcs
    open_db(paths["village"])
    zhang = volunteers.register(admin, {"name": "张三", "id_number": id_number("19850302", "123"),
                                        "skills": "电工"})

    village = Pc(qtbot, tmp_path, admin, paths["village"], usb)
    village.export_to()  # the first package: for any PC, nobody is known yet
    village.close()

    township = Pc(qtbot, tmp_path, admin, paths["township"], usb)
    shown = township.import_newest(trust=True)
    assert shown["志愿者"][0] == "1"  # 新增
    assert Volunteer.get_by_id(zhang.id).name == "张三"
    township.export_to("桂花村「桂花村电脑」")
    township.close()

    village = Pc(qtbot, tmp_path, admin, paths["village"], usb)
    village.import_newest(trust=True)
    # Both PCs change the same field before they meet again.
    volunteers.update(admin, zhang.id, {"skills": "电工、水管维修"})
    village.export_to("清溪镇「文明办电脑」")
    village.close()

    db.close_database()
    open_db(paths["township"])
    volunteers.update(admin, zhang.id, {"skills": "电工（持证）"})
    township = Pc(qtbot, tmp_path, admin, paths["township"], usb)
    shown = township.import_newest()
    assert shown["志愿者"][3] == "1"  # 新冲突
    assert township.window.show_page("conflicts")
    page = township.window.pages["conflicts"]
    page.refresh()
    assert page.model.rowCount() == 1
    card = next(c for c in page.cards if "水管维修" in c.value_label.text())
    card.keep_button.click()  # confirmation boxes answer yes in tests
    assert conflicts.count_open() == 0
    assert Volunteer.get_by_id(zhang.id).skills == "电工、水管维修"
    township.window.show_page("sync")
    township.export_to("桂花村「桂花村电脑」")
    township_rows = synced_rows()
    township.close()

    village = Pc(qtbot, tmp_path, admin, paths["village"], usb)
    village.import_newest()
    assert conflicts.count_open() == 0
    assert Volunteer.get_by_id(zhang.id).skills == "电工、水管维修"
    village_rows = synced_rows()
    village.close()
    # Everything both may hold is the same on both PCs, byte for byte.
    assert village_rows["volunteer"] == township_rows["volunteer"]
    for table in ("office", "setting", "team", "activity", "service_record"):
        assert village_rows[table] == township_rows[table], table
