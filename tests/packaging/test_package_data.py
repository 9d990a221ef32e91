"""The resources travel as package data: a non-editable build of the package (setuptools'
build_py, what pip install and wheels copy) holds them, and civdesk imported from there finds the
style sheet, fonts list, default settings and icon through importlib.resources — not through the
source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.databases import REPO_ROOT

CHECK = """
import json, sys
from civdesk.core import paths
from civdesk.office import settings
from civdesk.reports import fonts
assert str(paths.RESOURCES).startswith(sys.argv[1]), paths.RESOURCES
print(json.dumps({"resources": str(paths.RESOURCES), "qss": (paths.RESOURCES / "style.qss").is_file(),
                  "icon": (paths.RESOURCES / "icons" / "civdesk.png").is_file(),
                  "fangsong": len(fonts.load_config()["roles"]["fangsong"]["windows"]),
                  "settings": len(settings.specs())}))
"""


def test_an_installed_package_finds_its_resources(tmp_path):
    built = tmp_path / "site"
    (tmp_path / "egg").mkdir()
    subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q",
                    "egg_info", "--egg-base", str(tmp_path / "egg"), "build_py", "-d", str(built)],
                   cwd=REPO_ROOT, check=True, capture_output=True, timeout=300)
    assert (built / "civdesk" / "resources" / "fonts.json").is_file()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONIOENCODING")}
    env["PYTHONPATH"] = str(built)
    # The source tree stays off sys.path (no '' entry, cwd elsewhere): civdesk must come from *built*.
    result = subprocess.run([sys.executable, "-c", "import sys; sys.path[:] = [p for p in sys.path if p != '']\n"
                             + CHECK, str(built)], cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    found = json.loads(result.stdout)
    assert found["qss"] and found["icon"] and found["fangsong"] >= 3 and found["settings"] > 10, found
