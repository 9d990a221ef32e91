"""The registry names the domains' modules instead of importing them (issue 17: importing every
domain was half of the start-up). Whatever is imported when, it must hold exactly what importing
everything finds: sync sees every synced table, the 工作台 every provider."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import civdesk
from civdesk.core.models import LocalModel, SyncModel
from civdesk.core.registry import registry
from civdesk.domains import DOMAINS
from tests.support.databases import REPO_ROOT


def _import_everything() -> list:
    modules = []
    for info in pkgutil.walk_packages(civdesk.__path__, "civdesk."):
        if info.name.rsplit(".", 1)[-1] != "__main__":
            modules.append(importlib.import_module(info.name))
    return modules


def _subclasses(base: type) -> set[type]:
    found, todo = set(), [base]
    while todo:
        for cls in todo.pop().__subclasses__():
            if cls not in found:
                found.add(cls)
                todo.append(cls)
    return {cls for cls in found if cls.__module__.startswith("civdesk.")}


def test_the_lazy_registry_holds_what_importing_everything_finds():
    modules = _import_everything()
    synced = _subclasses(SyncModel)
    local = _subclasses(LocalModel) - synced
    assert len(synced) > 60
    assert registry.synced_tables() == sorted(m._meta.table_name for m in synced)
    assert set(registry.synced_models()) == synced
    assert set(registry.local_models()) == local
    for model in synced:
        assert registry.model_for_table(model._meta.table_name) is model
    providers = [p for m in modules if m.__name__.endswith((".due", ".dashboard")) for p in getattr(m, "PROVIDERS", [])]
    assert providers and set(registry.due_providers()) == set(providers)
    dated = [m.items for m in modules if m.__name__.endswith(".dated")]
    assert dated and set(registry.calendar_providers()) == set(dated)


REGISTER_ONLY = """
import json, sys
from civdesk.domains import register_all
registry = register_all()
print(json.dumps({"modules": sorted(sys.modules), "tables": registry.synced_tables()}))
"""

SYNC_IN_A_FRESH_PROCESS = """
import json
from civdesk.domains import register_all
from civdesk.core.models import synced_models
register_all()
print(json.dumps(sorted(m._meta.table_name for m in synced_models())))
"""


def _fresh(script: str):
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True,
                            encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_registering_imports_no_domain_module():
    seen = _fresh(REGISTER_ONLY)
    domain_modules = [m for m in seen["modules"] for d in DOMAINS if m.startswith(f"civdesk.{d}.")]
    assert domain_modules == []
    assert "peewee" not in seen["modules"] and "PySide6" not in seen["modules"]
    assert seen["tables"] == registry.synced_tables()


def test_sync_asking_first_gets_every_synced_table():
    """A process whose first use of the registry is sync's (nothing imported before)."""
    assert _fresh(SYNC_IN_A_FRESH_PROCESS) == sorted(m._meta.table_name for m in _subclasses(SyncModel))
