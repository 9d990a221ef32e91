import gc
import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Without a display Qt aborts the whole run; offscreen works everywhere.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from civdesk.domains import register_all  # noqa: E402

# PySide6 6.12 takes one off None's (True's, False's) count per slot call: the app guards
# against it at start-up (ui/refcount_guard.py); the test run does the same before any Qt runs.
from ui.refcount_guard import protect_singletons  # noqa: E402

protect_singletons()

register_all()
pytest_plugins = ["tests.support.databases", "tests.support.pdf"]

# Property tests that declare no example count take it from the profile: a fixed, small number
# in every run, the full search (500 schedules of the sync convergence test) on request —
# before touching sync, and in CI on a schedule: ``pytest --sync-full tests/sync``.
settings.register_profile("civdesk", max_examples=8)
settings.register_profile("sync-full", max_examples=500)


def pytest_addoption(parser):
    parser.addoption("--sync-full", action="store_true",
                     help="run the property tests with the full search (500 examples)")


def pytest_configure(config):
    settings.load_profile("sync-full" if config.getoption("--sync-full") else "civdesk")


# The longest test files (``--durations``; each 20–60 s on a quiet machine). Under pytest-xdist
# (``python3 run.py test``: ``--dist loadfile --no-loadscope-reorder``) they are handed out first,
# so that no worker is still in one of them long after the other has finished; the rest keep
# their order. One process runs every file in the usual order.
LONG_FIRST = ("tests/ui/test_queries.py", "tests/sync/test_convergence.py", "tests/demo/test_demo_pair.py",
              "tests/cli/test_cli.py", "tests/demo/test_demo.py", "tests/ui/test_fit.py",
              "tests/hotline/test_cli.py", "tests/supervision/test_cli.py", "tests/volunteers/test_roster_import.py",
              "tests/sync/test_sync_cli.py")


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    rank = {path: number for number, path in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))





@pytest.fixture(autouse=True, scope="session")
def _own_demo_cache(demo_cache):
    """Every test (and every ``run_cli``) uses this run's demo cache, never the user's."""
    yield


@pytest.fixture(autouse=True, scope="session")
def _cheaper_office_key():
    """The office sync key costs about 300 ms by design (civdesk/office/setup.py); in-process tests
    derive it for many salts, so they use a cheap cost. Packages name their cost, so this is only
    speed; tests/sync/test_sync_keys.py checks what the program itself writes."""
    from civdesk.sync import package

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(package, "KDF_DEFAULT", {"n": 2**14, "r": 8, "p": 1})
        yield


@pytest.fixture(autouse=True, scope="session")
def _private_qsettings(tmp_path_factory):
    """Per-PC settings (window state, remembered user name) go to a temporary folder, never to
    the real user's profile. Qt is imported only when a test already needs it."""
    if "PySide6" not in sys.modules:
        try:
            import PySide6  # noqa: F401
        except ImportError:
            yield
            return
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.mktemp("qsettings")))
    yield


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    """Modal message boxes would hang an offscreen run (GUI tests in tests/ui and
    tests/acceptance alike): record them instead; questions are answered yes."""
    try:
        from PySide6.QtWidgets import QMessageBox
    except ImportError:
        return []
    shown = []
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, _n=name: shown.append((_n, a))))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: shown.append(("question", a)) or QMessageBox.StandardButton.Yes))
    from ui.recovery_key import RecoveryKeyDialog  # shown once after setup: recorded, as if confirmed

    monkeypatch.setattr(RecoveryKeyDialog, "exec", lambda self: shown.append(("recovery_key", (self.text,))) or 1)
    return shown


@pytest.fixture(autouse=True)
def _garbage_collected_on_main_thread():
    """Once Qt is loaded, garbage is collected on the main thread only, as the app does
    (ui/main_thread_gc.py): a collection inside a background job can free a Qt object of the GUI
    thread and crash the run (CI once died so, in a PDF job of the 督查 board)."""
    if "PySide6.QtCore" not in sys.modules:
        yield
        return
    gc.disable()
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    from ui import main_thread_gc

    # pytest-qt closed the test's windows with deleteLater, which only an event loop carries out:
    # delete them now, or every window of the run stays alive (thousands of widgets that each
    # later style change, event and collection has to walk; 40 s for one setStyle late in a run).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    main_thread_gc.collect_if_due()


def pytest_sessionfinish(session, exitstatus):
    session.config.civdesk_exitstatus = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """PySide6 can abort while the interpreter finalizes (a refcount error on its C++ side, after
    every test ran and was reported: 'bool_dealloc: deallocating True or False'). Leave without
    finalizing once Qt was loaded, with pytest's own exit status."""
    if "PySide6.QtCore" in sys.modules and hasattr(config, "civdesk_exitstatus"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(config.civdesk_exitstatus)
