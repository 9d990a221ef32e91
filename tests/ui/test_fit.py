"""Every screen fits an office monitor: 1366×728 (a maximised window on 1366×768) and 1280×658
(1920×1080 at 150 %, in logical pixels; Qt lays out in logical pixels, so sizing the window to
them is what the scaled screen does).

Pages come from ``ui.navigation.PAGES`` and dialogs from ``ui.screens.DIALOGS``: a page or dialog
added there is checked here without a line of this file changing. A dialog class of ui/ that no
entry of ``DIALOGS`` creates on the demo fails the demo's run, naming the class and its file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from civdesk.core import db
from tests.support.databases import copy_db, open_db
from ui.main_window import MainWindow
from ui.navigation import PAGES, PageSpec
from ui.session import Session
from ui.widgets.fit import TITLE_BAR

SIZES = {"1366x728": (1366, 728), "1280x658": (1280, 658)}
UI = Path(__file__).resolve().parents[2] / "ui"
QT_DIALOGS = {"QDialog", "QWizard", "QProgressDialog", "QMessageBox", "QInputDialog", "QFileDialog",
              "QColorDialog", "QFontDialog", "QErrorMessage", "QPrintDialog", "QPageSetupDialog",
              "QPrintPreviewDialog"}


class BlankPage(QWidget):
    def __init__(self, session, host):
        super().__init__()


def many_pages(total: int = 20) -> list[PageSpec]:
    """Today's pages and blank ones in the 督查, 热线 and 活动 groups until there are *total*
    entries, each placed after the last page of its group."""
    blank = "tests.ui.test_fit:BlankPage"
    extra = [PageSpec(f"x{n}", f"{title}{n}", blank, "新", "#1f618d", group=group)
             for n, (group, title) in enumerate([("supervision", "督查统计"), ("hotline", "工单统计"),
                                                 ("activities", "活动统计")] * 4)]
    pages = list(PAGES)
    for spec in extra[:max(0, total - len(pages))]:
        last = max(i for i, page in enumerate(pages) if page.group == spec.group)
        pages.insert(last + 1, spec)
    return pages


@pytest.fixture
def window_at(qtbot, tmp_path):
    def make(actor, size):
        window = MainWindow(Session(actor, db.state.path), QSettings(str(tmp_path / "ui.ini"),
                                                                     QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        return window
    return make


def assert_navigation_fits(window) -> None:
    nav = window.nav
    assert not nav.needs_scrolling(), f"the navigation scrolls at {window.size().toTuple()}"
    settings = next(item for item in nav.pages if item.key == "settings")
    rect = nav.visualItemRect(settings)
    assert rect.isValid() and rect.bottom() <= nav.viewport().height(), "设置 is out of sight"


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_navigation_fits(admin, window_at, size):
    window = window_at(admin, size)
    assert_navigation_fits(window)
    for spec in window.specs:
        window.show_page(spec.key)
        assert_navigation_fits(window)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_twenty_pages_fit_in_their_groups(admin, window_at, size, monkeypatch):
    monkeypatch.setattr("ui.main_window.visible_pages", lambda actor: many_pages())
    window = window_at(admin, size)
    assert window.nav.count() == 20
    for spec in window.specs:
        window.show_page(spec.key)
        assert_navigation_fits(window)
        assert window.nav.currentItem().text() == spec.title


def test_a_heading_opens_its_first_page(admin, window_at):
    window = window_at(admin, SIZES["1366x728"])
    heading = next(group for group in window.nav.groups if group.text() == "志愿服务")
    window.nav.setCurrentItem(heading)
    assert window.current_page_key() == "volunteers"


# --- every page and dialog, on the demo and on an empty database ------------------------------


@pytest.fixture(params=["demo", "empty"])
def database(request, tmp_path):
    template = request.getfixturevalue("demo_template" if request.param == "demo" else "township_template")
    path = tmp_path / f"{request.param}.sqlite3"
    copy_db(template, path)  # the encrypted file with its keyring
    return path


@pytest.fixture
def screen(monkeypatch, request):
    """The screen a test lays out for: dialogs that size themselves to the screen see this one."""
    size = QSize(*request.param)
    monkeypatch.setattr("ui.widgets.fit.available_size", lambda widget=None: size)
    return size


@pytest.fixture(scope="session", autouse=True)
def _application_look(qapp):
    """The fonts and style sheet the program uses: they decide how wide things are."""
    from ui.app import configure_application

    configure_application(qapp)


def settle(qtbot) -> None:
    from ui.gallery import settle as finish_work

    finish_work()  # layouts, and what a page computes in the background (statistics)
    qtbot.wait(5)
    QApplication.processEvents()


def _outside_scroll_area(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return False
        parent = parent.parentWidget()
    return True


SQUASH_TOLERANCE = 4  # px a field or button may lose to its neighbours before it looks squashed


def squashed(root: QWidget, where: str) -> list[str]:
    """Fields and buttons smaller than the least their text and frame need."""
    found, compound = [], (QLineEdit, QComboBox, QAbstractSpinBox)
    for kind in (*compound, QAbstractButton):
        for widget in root.findChildren(kind):
            if not widget.isVisible() or isinstance(widget.parentWidget(), compound):  # a part of a field
                continue
            need = widget.minimumSizeHint()
            if (widget.width() + SQUASH_TOLERANCE < need.width()
                    or widget.height() + SQUASH_TOLERANCE < need.height()):
                text = widget.text() if hasattr(widget, "text") else ""
                found.append(f"{where}: a {type(widget).__name__} 「{text}」 is squashed to {widget.width()}×"
                             f"{widget.height()} (needs {need.width()}×{need.height()})")
    return found


def problems_of(root: QWidget, where: str) -> list[str]:
    """Lists that scroll sideways, buttons out of sight (outside any scroll area), labels cut short,
    fields and buttons squashed."""
    found = squashed(root, where)
    for label in root.findChildren(QLabel):
        if label.isVisible() and label.text() and not label.wordWrap() and label.width() + 1 < label.sizeHint().width():
            found.append(f"{where}: the label 「{label.text()[:30]}」 is cut ({label.width()} of "
                         f"{label.sizeHint().width()} px; let it wrap)")
    for view in root.findChildren(QAbstractItemView):
        if view.isVisible() and view.horizontalScrollBar().maximum() > 0 and view.objectName() != "navigation":
            header = getattr(view, "horizontalHeader", getattr(view, "header", None))
            over = f"{header().length() - view.viewport().width()} px" if header else "its items"
            titles = [str(view.model().headerData(i, Qt.Orientation.Horizontal)) for i in
                      range(view.model().columnCount())] if header else []
            found.append(f"{where}: a list scrolls sideways by {over} ({type(view).__name__} {'/'.join(titles)})")
    frame = root.rect()
    for button in root.findChildren(QAbstractButton):
        if not button.isVisible() or not _outside_scroll_area(button, root):
            continue
        rect = QRect(button.mapTo(root, QPoint(0, 0)), button.size())
        if not frame.contains(rect):
            found.append(f"{where}: the button 「{button.text()}」 lies outside the visible area")
    return found


def window_problems(window, size: QSize, where: str) -> list[str]:
    if window.width() > size.width() or window.height() > size.height():
        return [f"{where}: the window needs {window.width()}×{window.height()}"]
    return []


def dialog_problems(dialog, size: QSize, where: str) -> list[str]:
    found = []
    hint = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
    if dialog.width() > size.width() or dialog.height() + TITLE_BAR > size.height():
        found.append(f"{where}: the dialog is {dialog.width()}×{dialog.height()} (+ title bar)")
    elif hint.width() > size.width() or hint.height() + TITLE_BAR > size.height():
        found.append(f"{where}: the dialog cannot shrink below {hint.width()}×{hint.height()}")
    return found + problems_of(dialog, where)


def signed_in_window(qtbot, path, size: QSize):
    from ui.gallery import open_window

    open_db(path)  # as a login would (the demo's and the template's administrators differ)
    window = open_window(path, size.toTuple())
    qtbot.addWidget(window)
    settle(qtbot)
    return window


SCREENS = [pytest.param(size, id=name) for name, size in SIZES.items()]


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_every_page_fits(qtbot, database, screen):
    from ui.gallery import tab_steps

    window = signed_in_window(qtbot, database, screen)
    found = []
    for spec in window.specs:
        window.show_page(spec.key)
        settle(qtbot)
        for suffix in tab_steps(window.pages[spec.key]):
            settle(qtbot)
            where = f"{database.stem}/{spec.title}{suffix}"
            found += window_problems(window, screen, where) + problems_of(window.pages[spec.key], where)
        assert_navigation_fits(window)
    assert not found, "\n".join(found)


# --- which dialog classes ui/ defines ---------------------------------------------------------


@dataclass(frozen=True)
class DialogClass:
    module: str  # ui.hotline.steps
    name: str
    path: str  # ui/hotline/steps.py
    line: int


class _Module:
    """One module of ui/: its top-level classes and what its names stand for — (module, name) for a
    class defined or imported, a module's dotted name for a module imported under that name."""

    def __init__(self, name: str, path: Path, tree: ast.Module, known: set[str]):
        self.name, self.path, self.tree = name, path, tree
        self.classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
        self.names: dict[str, tuple[str, str] | str] = {c: (name, c) for c in self.classes}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    whole = f"{node.module}.{alias.name}"
                    is_module = whole in known or node.module == "PySide6"  # from PySide6 import QtWidgets
                    self.names[alias.asname or alias.name] = whole if is_module else (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.names[alias.asname] = alias.name

    def resolve(self, expr: ast.expr) -> tuple[str, str] | None:
        """The (module, class) *expr* names, or ("qt", class) for a Qt class."""
        if isinstance(expr, ast.Name):
            found = self.names.get(expr.id)
        elif isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            target = self.names.get(expr.value.id, expr.value.id)
            found = (target, expr.attr) if isinstance(target, str) else None
        else:
            return None
        if isinstance(found, tuple) and found[0].startswith("PySide6"):
            return "qt", found[1]
        return found if isinstance(found, tuple) else None


def dialog_classes(root: Path = UI) -> list[DialogClass]:
    """Every concrete dialog class under *root* (a package named ui): a subclass of a Qt dialog or
    of another dialog class of ui/. A class that only serves as a base (subclassed by another
    dialog and created nowhere in ui/) is left out."""
    paths = {".".join(p.relative_to(root.parent).with_suffix("").parts): p for p in sorted(root.rglob("*.py"))}
    modules = {name: _Module(name, path, ast.parse(path.read_text(encoding="utf-8")), set(paths))
               for name, path in paths.items()}
    bases = {(m.name, c): [m.resolve(b) for b in node.bases] for m in modules.values() for c, node in m.classes.items()}

    def is_dialog(key, seen=()) -> bool:
        if key is None or key in seen:
            return False
        if key[0] == "qt":
            return key[1] in QT_DIALOGS
        return any(is_dialog(base, (*seen, key)) for base in bases.get(key, []))

    dialogs = {key for key in bases if is_dialog(key)}
    subclassed = {base for key in dialogs for base in bases[key]}
    created = {m.resolve(node.func) for m in modules.values() for node in ast.walk(m.tree) if isinstance(node, ast.Call)}
    return [DialogClass(key[0], key[1], modules[key[0]].path.relative_to(root.parent).as_posix(),
                        modules[key[0]].classes[key[1]].lineno)
            for key in sorted(dialogs) if key not in subclassed or key in created]


def missing_factories(created: set[tuple[str, str]]) -> list[str]:
    """The dialog classes of ui/ that no entry of DIALOGS created: *created* holds (module, name)."""
    return [f"{c.path}:{c.line}: {c.name} is created by no entry of ui.screens.DIALOGS on the demo "
            f"(add a factory to ui/<domain>/screens.py)" for c in dialog_classes() if (c.module, c.name) not in created]


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_every_dialog_fits(qtbot, database, screen):
    """Every entry of DIALOGS fits; on the demo every dialog class of ui/ is among them."""
    from ui.gallery import tab_steps
    from ui.screens import DIALOGS

    window = signed_in_window(qtbot, database, screen)
    found, created = [], set()
    for entry in DIALOGS:
        dialog = entry.factory(window)
        if dialog is None:
            continue
        created.add((type(dialog).__module__, type(dialog).__name__))
        dialog.show()
        settle(qtbot)
        for suffix in tab_steps(dialog):
            settle(qtbot)
            found += dialog_problems(dialog, screen, f"{database.stem}/{entry.title}{suffix}")
        dialog.hide()
        dialog.deleteLater()
    if database.stem == "demo":
        found += missing_factories(created)
    assert not found, "\n".join(found)


def test_the_dialog_finder_sees_every_dialog_class(tmp_path):
    """Subclasses of Qt dialogs and of dialogs of ui/ (imported, renamed, through a module), bases
    that only serve as bases left out, a base that is also created kept."""
    package = tmp_path / "ui"
    (package / "forms").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "forms" / "__init__.py").write_text("")
    (package / "forms" / "base.py").write_text(
        "from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget\n"
        "class FormBase(QDialog): pass\n"
        "class Shared(QDialog): pass\n"
        "class Progress(QProgressDialog): pass\n"
        "class Page(QWidget): pass\n")
    (package / "steps.py").write_text(
        "from PySide6 import QtWidgets\n"
        "from ui.forms import base\n"
        "from ui.forms.base import FormBase as Base, Shared\n"
        "class Sign(Base): pass\n"
        "class Note(base.FormBase): pass\n"
        "class Notice(Shared): pass\n"
        "class Wizard(QtWidgets.QWizard): pass\n"
        "class Deeper(Sign): pass\n"
        "class Panel(base.Page): pass\n"
        "def open_shared(): return Shared()\n")
    found = {(c.path, c.name) for c in dialog_classes(package)}
    assert found == {("ui/forms/base.py", "Shared"), ("ui/forms/base.py", "Progress"), ("ui/steps.py", "Note"),
                     ("ui/steps.py", "Notice"), ("ui/steps.py", "Wizard"), ("ui/steps.py", "Deeper")}, found
    # Sign is subclassed by Deeper and never created: a base only


def test_the_dialog_finder_knows_the_program_s_dialogs():
    found = {(c.module, c.name) for c in dialog_classes()}
    assert {("ui.hotline.steps", "SignDialog"), ("ui.hotline.steps", "MergeDialog"), ("ui.tasks", "_ProgressDialog"),
            ("ui.widgets.merge_dialog", "MergeDialog"), ("ui.units.dialogs", "UnitNoticeDialog"),
            ("ui.notices.notice_panel", "PublishNoticeDialog"), ("ui.setup_wizard", "SetupWizard")} <= found
    assert not {("ui.hotline.common", "StepDialog"), ("ui.units.dialogs", "_FormDialog"),
                ("ui.office.settings_accounts", "_FormDialog")} & found


def test_a_cut_cell_shows_its_whole_text_on_hover(qtbot, monkeypatch):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QToolTip

    from ui.widgets.fit import fit_columns

    table = QTableWidget(1, 2)
    qtbot.addWidget(table)
    long_text = "清溪镇桂花村党群服务中心二楼新时代文明实践站志愿服务活动室"
    table.setItem(0, 0, QTableWidgetItem(long_text))
    table.setItem(0, 1, QTableWidgetItem("短"))
    table.setColumnWidth(0, 80)
    fitter = fit_columns(table)
    shown = []
    monkeypatch.setattr(QToolTip, "showText", staticmethod(lambda pos, text, *a: shown.append(text)))
    table.show()
    for column in (0, 1):
        center = table.visualRect(table.model().index(0, column)).center()
        event = QHelpEvent(QEvent.Type.ToolTip, center, table.viewport().mapToGlobal(center))
        fitter.eventFilter(table.viewport(), event)
    assert shown == [long_text], "only the cut cell shows its text"


def test_a_cut_label_and_a_squashed_field_are_found(qtbot):
    from PySide6.QtWidgets import QHBoxLayout

    box = QWidget()
    qtbot.addWidget(box)
    row = QHBoxLayout(box)
    label, combo = QLabel("清溪镇桂花村党群服务中心二楼新时代文明实践站"), QComboBox()
    combo.addItems(["镇级文明单位（标兵）", "区级文明单位"])
    for widget in (label, combo):
        widget.setMinimumWidth(10)  # a layout may shrink them: the fit test must notice
        row.addWidget(widget)
    box.setFixedWidth(160)
    box.show()
    qtbot.waitExposed(box)
    found = "\n".join(problems_of(box, "here"))
    assert "the label 「清溪镇" in found and "a QComboBox 「」 is squashed" in found, found
