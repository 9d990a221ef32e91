"""The shape of the house, read from the source with ``ast``: who may import whom, no cycles,
modules and functions of a readable size. Also: the core really imports without Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.databases import REPO_ROOT

DOMAINS = {"office", "calendar", "volunteers", "units", "nominations", "notices", "sync", "supervision", "hotline",
           "activities", "documents"}
SHARED = {"core", "reports", "xlsx", "notices"}  # what any domain may use besides others' services
MODEL_MODULES = {"models", "account_model"}
# What the UI must never touch: tables, the database, the change log and their bookkeeping.
UI_FORBIDDEN = {"civdesk.core.db", "civdesk.core.changes", "civdesk.core.meta", "civdesk.core.audit_log",
                "civdesk.core.models", "civdesk.core.schema", "civdesk.core.conflict_log",
                "civdesk.core.history", "civdesk.core.backup", "civdesk.core.dump"}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def source_files(*roots: str) -> list[Path]:
    return sorted(p for root in roots for p in (REPO_ROOT / root).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every module *path* imports (at any depth: a lazy import is still a dependency)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                # "from civdesk.units import workflow" imports the module civdesk.units.workflow
                candidate = f"{node.module}.{alias.name}"
                found.append((candidate if _is_module(candidate) else node.module, node.lineno))
    return found


def _is_module(name: str) -> bool:
    base = REPO_ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def all_imports() -> dict[str, list[tuple[str, int]]]:
    return {module_name(p): imports_of(p) for p in source_files("civdesk", "ui")}


def test_the_core_never_imports_qt():
    bad = [f"{mod}:{line} imports {name}" for mod, names in all_imports().items() if mod.startswith("civdesk")
           for name, line in names if name.split(".")[0] == "PySide6"]
    assert not bad, bad


def test_the_ui_reaches_the_core_only_through_services():
    bad = []
    for mod, names in all_imports().items():
        if not mod.startswith("ui"):
            continue
        for name, line in names:
            parts = name.split(".")
            if name in UI_FORBIDDEN or (parts[0] == "civdesk" and parts[-1] in MODEL_MODULES):
                bad.append(f"{mod}:{line} imports {name}")
    assert not bad, "\n".join(bad)


def _layer_violation(mod: str, name: str) -> str | None:
    here, there = mod.split("."), name.split(".")
    if there[0] != "civdesk" or len(there) < 2 or len(here) < 2:
        return None
    home, target = here[1], there[1]
    if target == home:
        return None
    if home in {"core", "reports", "xlsx"}:
        allowed = {"core"} | ({"core", "reports", "xlsx"} if home != "core" else set())
        return None if target in allowed else f"{home}/ is shared machinery and may not use {target}/"
    if home in DOMAINS:
        if target in SHARED:
            return None if target != "notices" or there[-1] not in MODEL_MODULES else "uses notices' tables"
        if target in DOMAINS:
            return f"uses {target}'s tables" if there[-1] in MODEL_MODULES else None
        return f"a domain may not use {target}/"
    return None  # cli/, demo/ and the entry points sit on top of everything


def test_domains_use_each_other_only_through_services():
    bad = []
    for mod, names in all_imports().items():
        if not mod.startswith("civdesk."):
            continue
        for name, line in names:
            problem = _layer_violation(mod, name)
            if problem:
                bad.append(f"{mod}:{line} imports {name}: {problem}")
    assert not bad, "\n".join(bad)


def _tables_imported(tree: ast.AST) -> list[tuple[str, int]]:
    """The tables (peewee models) a module imports, or the models modules it imports whole."""
    import importlib

    from peewee import Model

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((a.name, node.lineno) for a in node.names if a.name.split(".")[-1] in MODEL_MODULES)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("civdesk"):
            for alias in node.names:
                if alias.name in MODEL_MODULES:
                    found.append((f"{node.module}.{alias.name}", node.lineno))
                elif node.module.split(".")[-1] in MODEL_MODULES:
                    value = getattr(importlib.import_module(node.module), alias.name, None)
                    if isinstance(value, type) and issubclass(value, Model):
                        found.append((f"{node.module}.{alias.name}", node.lineno))
    return found


def test_the_command_line_reads_no_tables():
    """civdesk/cli goes through the domains' services: it may take a models module's terms
    (STATUSES, title_text) but never a table."""
    bad = [f"{module_name(path)}:{line} imports {name}" for path in source_files("civdesk/cli")
           for name, line in _tables_imported(ast.parse(path.read_text(encoding="utf-8")))]
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    graph = {mod: {name for name, _ in names if name.startswith(("civdesk", "ui"))}
             for mod, names in all_imports().items()}
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, ()):
            if succ not in graph:
                continue
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("root", ["civdesk", "ui"])
def test_modules_and_functions_stay_readable(root):
    too_long = []
    for path in source_files(root):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(REPO_ROOT)}: {lines} lines (at most {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} {node.name}() is {length} "
                                    f"lines (at most {MAX_FUNCTION_LINES})")
    assert not too_long, "\n".join(too_long)


def test_the_rules_catch_what_they_should():
    """The checks above would fail on the leaks they exist for."""
    assert _layer_violation("civdesk.units.workflow", "civdesk.volunteers.models")
    assert _layer_violation("civdesk.core.changes", "civdesk.sync.merge")
    assert _layer_violation("civdesk.reports.document", "civdesk.units.scoring")
    assert _layer_violation("civdesk.hotline.tickets", "civdesk.cli.common")
    assert _layer_violation("civdesk.units.workflow", "civdesk.notices.public_notices") is None
    assert _layer_violation("civdesk.supervision.notices", "civdesk.units.workflow") is None
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert [n for n, _ in _tables_imported(ast.parse(
        "from civdesk.volunteers.models import Team\nfrom civdesk.units.models import STATUSES\nfrom civdesk.units import models\n"
        "import civdesk.core.models\ndef f():\n    from civdesk.supervision.models import Notice\n"))] == [
        "civdesk.volunteers.models.Team", "civdesk.units.models", "civdesk.core.models",
        "civdesk.supervision.models.Notice"]
    assert _tables_imported(ast.parse("from civdesk.units.models import STATUSES, title_text")) == []


SNIPPET = r"""
import importlib, pkgutil, sys
import civdesk

imported = []
for info in pkgutil.walk_packages(civdesk.__path__, "civdesk."):
    if info.name == "civdesk.__main__":  # runs the command line on import
        continue
    importlib.import_module(info.name)
    imported.append(info.name)
qt = sorted(name for name in sys.modules if name == "PySide6" or name.startswith("PySide6."))
print(len(imported))
print(",".join(qt))
"""


def test_core_imports_without_qt():
    result = subprocess.run([sys.executable, "-c", SNIPPET], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    count, qt = result.stdout.splitlines()
    assert int(count) >= 20, "walk_packages found too few modules; the walk itself is broken"
    assert qt == "", f"the core pulled in Qt: {qt}"
