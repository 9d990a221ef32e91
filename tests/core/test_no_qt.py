"""The core never imports Qt: checked in a fresh interpreter, untouched by other tests' imports."""

import subprocess
import sys

from tests.core.conftest import REPO_ROOT

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
