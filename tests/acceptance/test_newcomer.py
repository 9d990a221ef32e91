"""The foundation's 'done when': a newcomer on a fresh machine sets up an office, sees the main
window, makes an administrator change and finds it in the audit log — through the GUI steps
that ``python main.py`` runs, on a database created on first run."""

from __future__ import annotations

import argparse

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from civdesk.core import db
from civdesk.office import accounts
from ui import app as startup_app
from ui.setup_wizard import PAGE_FINISH, SetupWizard

PASSWORD = "Qingxi#2026"


def _fill_wizard(qtbot, wizard: SetupWizard) -> None:
    wizard.show()
    wizard.next()
    office = wizard.office_page
    office.office_name.setText("清溪镇")
    office.node_name.setText("清溪镇文明办电脑")
    wizard.next()
    admin = wizard.admin_page
    qtbot.keyClicks(admin.admin_username, "wangjg")
    admin.admin_display_name.setText("王建国")
    qtbot.keyClicks(admin.admin_password, PASSWORD)
    qtbot.keyClicks(admin.admin_password2, PASSWORD)
    wizard.next()
    wizard.passphrase_page.sync_passphrase.setText("清溪镇同步口令2026")
    wizard.passphrase_page.sync_passphrase2.setText("清溪镇同步口令2026")
    wizard.next()
    assert wizard.currentId() == PAGE_FINISH
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wizard.wait_for_setup()  # the database, its keys and the administrator are created in the background


def test_first_run_setup_then_admin_change_is_audited(qtbot, tmp_path):
    path = tmp_path / "fresh" / "civdesk.sqlite3"
    assert not path.exists()
    startup = startup_app.resolve_startup(argparse.Namespace(db=str(path), demo=False, scale=None))
    assert startup_app.acquire_lock(startup)
    try:
        assert startup_app.open_checked(startup)
        assert path.exists()  # created on first run

        # First run: the wizard (driven here instead of exec()) creates office and administrator.
        wizard = SetupWizard(path)
        qtbot.addWidget(wizard)
        _fill_wizard(qtbot, wizard)
        actor = wizard.actor
        assert actor is not None and actor.role == "admin"

        window = startup_app.show_main_window(startup, actor)
        qtbot.addWidget(window)
        assert window.isVisible()
        assert "清溪镇" in window.windowTitle()

        # An administrator change: the office's contact person, through the settings page.
        assert window.show_page("settings")
        office_tab = window.page("settings").office_tab
        office_tab.edits["contact_person"].setText("李秀英")
        assert office_tab.save()

        # ... appears in the audit log page, with who, what and before/after.
        assert window.show_page("audit")
        audit = window.page("audit")
        audit.search_edit.setText("清溪镇")
        audit.apply_filters()
        model = audit.model
        rows = [[model.index(r, c).data(Qt.ItemDataRole.DisplayRole) for c in range(model.columnCount())]
                for r in range(model.rowCount())]
        change = [r for r in rows if any("联系人：（空） → 李秀英" in str(cell) for cell in r)]
        assert change, rows
        assert "王建国" in change[0] and "修改" in change[0]

        # The next start goes to the login dialog, and the admin's password works there.
        assert accounts.authenticate("wangjg", PASSWORD).display_name == "王建国"
    finally:
        startup_app.shutdown(startup)
        db.close_database()
