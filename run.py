"""Set up and run CivDesk from a checkout, on a machine that has only Python 3 (with venv).

    python3 run.py               set up .venv if needed and start the application
    python3 run.py --demo        the same, with a throwaway demo database
    python3 run.py test [ARGS]   set up .venv with the test tools and run the whole suite, one
                                 pytest-xdist worker per core (``-n 0`` for one process)

Everything else is passed on to ``main.py`` (or to pytest after ``test``). On Debian/Ubuntu the
system libraries Qt needs, a Chinese font and the tools the tests use are checked first: as root
they are installed with apt-get, otherwise the one apt-get line to run is printed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"

# Debian/Ubuntu packages: shared libraries Qt's xcb and offscreen platforms load, and fonts.
APP_PACKAGES = {
    "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1", "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3", "libfontconfig.so.1": "libfontconfig1",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}
FONT_PACKAGES = ["fonts-wqy-microhei", "fonts-arphic-uming"]
FONT_FILES = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/arphic/uming.ttc"]
# Tools the tests call: pdftotext/pdfinfo/pdftoppm, zbarimg (QR codes), Xvfb for screenshots.
TEST_TOOLS = {"pdftotext": "poppler-utils", "zbarimg": "zbar-tools", "Xvfb": "xvfb", "xauth": "xauth"}


def _have_library(name: str) -> bool:
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return True  # not a glibc system we can inspect; let Qt say what is missing
    return name in out


def missing_packages(for_tests: bool) -> list[str]:
    if not sys.platform.startswith("linux") or shutil.which("dpkg") is None:
        return []
    missing = [pkg for lib, pkg in APP_PACKAGES.items() if not _have_library(lib)]
    missing += [pkg for pkg, path in zip(FONT_PACKAGES, FONT_FILES, strict=True) if not Path(path).exists()]
    if for_tests:
        missing += [pkg for tool, pkg in TEST_TOOLS.items() if shutil.which(tool) is None]
    return sorted(set(missing))


def ensure_system_packages(for_tests: bool) -> None:
    missing = missing_packages(for_tests)
    if not missing:
        return
    line = "apt-get install -y --no-install-recommends " + " ".join(missing)
    if os.geteuid() != 0:
        print("CivDesk 还缺少以下系统软件包，请先用管理员权限安装后再运行：\n"
              f"    sudo apt-get update && sudo {line}", file=sys.stderr)
        sys.exit(1)
    print(f"正在安装系统软件包：{' '.join(missing)}", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(line.split(), check=True, env=env)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(extras: str) -> Path:
    """Create .venv and install the project (editable) when it or setup.cfg changed."""
    python = venv_python()
    if not python.exists():
        print("正在创建虚拟环境 .venv ……", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / f".installed{extras or '-app'}"
    wanted = hashlib.sha256((ROOT / "setup.cfg").read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print("正在安装 CivDesk 及其依赖（首次需要几分钟）……", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", f".{extras}"], check=True, cwd=ROOT)
        stamp.write_text(wanted)
    return python


def pytest_args(args: list[str]) -> list[str]:
    """The suite runs on every core (pytest-xdist), each test file whole on one worker so that a
    module's fixtures are built once, the longest files first (tests/conftest.py ``LONG_FIRST``);
    ``-n``/``--numprocesses``/``--dist`` given here win."""
    chosen = any(a in ("-n", "--numprocesses", "no:xdist", "-pno:xdist")
                 or a.startswith(("-n", "--numprocesses=", "--dist")) for a in args)
    return args if chosen else ["-n", "auto", "--dist", "loadfile", "--no-loadscope-reorder", *args]


def main(argv: list[str]) -> int:
    if argv[:1] == ["test"]:
        ensure_system_packages(for_tests=True)
        python = ensure_venv("[test]")
        return subprocess.call([str(python), "-m", "pytest", *pytest_args(argv[1:])], cwd=ROOT)
    ensure_system_packages(for_tests=False)
    python = ensure_venv("")
    return subprocess.call([str(python), str(ROOT / "main.py"), *argv], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
