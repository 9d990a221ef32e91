"""Build CivDesk for handing out: the one-folder bundle and, on Linux, a .deb.

    python packaging/build.py             dist/CivDesk/  (+ dist/civdesk_<version>_<arch>.deb on Linux)
    python packaging/build.py --no-deb    the bundle only
    python packaging/build.py --deb-only  the .deb from an existing dist/CivDesk/

Needs the project and PyInstaller in the running Python (`pip install -e ".[build]"`), and on
Linux dpkg-deb (Debian/Ubuntu/UOS/Kylin have it). Prints the bundle's size on disk and what takes
the space. The Windows installer is made from dist/CivDesk/ by Inno Setup
(packaging/windows/civdesk.iss), which this script does not run.

The .deb installs the bundle to /opt/civdesk, links /usr/bin/civdesk to the console program, and
adds a menu entry (文明创建工作台) with its icon. It has no maintainer scripts: installing and
removing it never touches the users' data (~/.local/share/CivDesk), which dpkg does not know of.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DIST = ROOT / "dist"
BUNDLE = DIST / "CivDesk"
ICONS = ROOT / "civdesk" / "resources" / "icons"
IS_LINUX = sys.platform.startswith("linux")
SIZE_GOAL_MB = 150

APP_TITLE = "文明创建工作台"
MAINTAINER = "CivDesk <civdesk@localhost>"
DESCRIPTION = ("文明创建工作台 (CivDesk) — offline desktop tool for township civilization offices\n"
               " Civilized-unit creation, good-people nominations, volunteer records and\n"
               " certificates, USB-stick synchronisation between the township and its villages,\n"
               " official documents as PDF. Works without a network.")

# Shared libraries that the bundle takes from the system (packaging/civdesk.spec, SYSTEM_LIBS)
# and the Debian package that provides each. Names are those of Debian 11/12 and Ubuntu 22.04/24.04.
SONAME_PACKAGES = {
    "libc.so.6": None, "libm.so.6": None, "libdl.so.2": None, "libpthread.so.0": None, "librt.so.1": None,
    "libutil.so.1": None, "ld-linux-x86-64.so.2": None, "ld-linux-aarch64.so.1": None,  # libc6, versioned below
    "libstdc++.so.6": "libstdc++6", "libgcc_s.so.1": "libgcc-s1",
    "libz.so.1": "zlib1g", "libzstd.so.1": "libzstd1", "libuuid.so.1": "libuuid1",
    "libexpat.so.1": "libexpat1",
    "libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0", "libgio-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1", "libfreetype.so.6": "libfreetype6",
    "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1",
    "libX11.so.6": "libx11-6", "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb.so.1": "libxcb1", "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1", "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1", "libxcb-util.so.1": "libxcb-util1", "libxcb-glx.so.0": "libxcb-glx0",
    "libwayland-client.so.0": "libwayland-client0", "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
# Fonts: the interface (WenQuanYi Micro Hei) and the PDFs (civdesk/resources/fonts.json; packaging/FONTS.md).
FONT_DEPENDS = ["fonts-wqy-microhei | fonts-wqy-zenhei", "fonts-arphic-uming"]
FONT_RECOMMENDS = ["fonts-wqy-zenhei", "fonts-arphic-ukai"]


# --- sizes -------------------------------------------------------------------------------------------


def disk_usage(path: Path) -> tuple[int, int]:
    """(bytes on disk, apparent bytes) of a tree, each file counted once, symlinks not followed."""
    on_disk = apparent = 0
    seen = set()
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            st = os.lstat(os.path.join(dirpath, name))
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            apparent += st.st_size
            on_disk += getattr(st, "st_blocks", 0) * 512 or st.st_size
    return on_disk, apparent


GROUPS = [  # (label, regex on the path inside the bundle), first match wins
    ("ICU data (Qt's Unicode tables)", r"_internal/PySide6/Qt/lib/libicu"),
    ("Qt libraries (Core, Gui, Widgets, Charts, OpenGL, XcbQpa, Wayland, DBus)", r"_internal/PySide6/Qt/lib/"),
    ("Qt plugins (platforms, input methods, image formats…)", r"_internal/PySide6/Qt/plugins/"),
    ("PySide6/shiboken6 Python bindings", r"_internal/(PySide6|shiboken6)/|_internal/lib(pyside6|shiboken6)"),
    ("Qt translations (zh_CN)", r"_internal/PySide6/Qt/translations/"),
    ("Python runtime (libpython, lib-dynload, stdlib zip)", r"_internal/(libpython|python3|base_library)"),
    ("cryptography (Rust extension)", r"_internal/(cryptography|_cffi_backend|cffi)"),
    ("Pillow and its codecs", r"_internal/(PIL|pillow\.libs)/"),
    ("OpenSSL (libssl, libcrypto)", r"_internal/lib(ssl|crypto)\."),
    ("SQLite", r"_internal/libsqlite"),
    ("pypinyin dictionaries", r"_internal/pypinyin/"),
    ("ReportLab", r"_internal/reportlab/"),
    ("the two executables (bootloader + Python code archive)", r"^[^/]+$"),
    ("civdesk/resources/", r"_internal/civdesk/resources/"),
]


def size_report(bundle: Path) -> int:
    on_disk, apparent = disk_usage(bundle)
    groups: dict[str, int] = defaultdict(int)
    for dirpath, _, filenames in os.walk(bundle):
        for name in filenames:
            full = Path(dirpath) / name
            rel = full.relative_to(bundle).as_posix()
            st = full.lstat()
            size = getattr(st, "st_blocks", 0) * 512 or st.st_size
            label = next((label for label, pattern in GROUPS if re.search(pattern, rel)), "everything else")
            groups[label] += size
    mb = 1024 * 1024
    print(f"\nBundle {bundle}: {on_disk / mb:.1f} MB on disk ({apparent / mb:.1f} MB of file contents)")
    for label, size in sorted(groups.items(), key=lambda item: -item[1]):
        print(f"  {size / mb:7.1f} MB  {100 * size / on_disk:4.1f} %  {label}")
    if IS_LINUX:
        verdict = "within" if on_disk <= SIZE_GOAL_MB * mb else "OVER"
        print(f"  goal on Linux ≤ {SIZE_GOAL_MB} MB: {verdict}")
    return on_disk


# --- PyInstaller ----------------------------------------------------------------------------------------


def build_bundle(clean: bool) -> None:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(DIST),
               "--workpath", str(ROOT / "build" / "pyinstaller"), str(PACKAGING / "civdesk.spec")]
    if clean:
        command.insert(3, "--clean")
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)
    gui = BUNDLE / ("CivDesk.exe" if sys.platform.startswith("win") else "CivDesk")
    cli = BUNDLE / ("civdesk-cli.exe" if sys.platform.startswith("win") else "civdesk")
    for program in (gui, cli):
        if not program.is_file():
            raise SystemExit(f"PyInstaller did not make {program}")


# --- .deb ---------------------------------------------------------------------------------------------------


def version() -> str:
    text = (ROOT / "civdesk" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__\s*=\s*["\']([^"\']+)', text, re.M).group(1)


def deb_arch() -> str:
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def elf_files(bundle: Path):
    for dirpath, _, filenames in os.walk(bundle):
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            with open(path, "rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    yield path


def system_needs(bundle: Path) -> tuple[set[str], str]:
    """Sonames the bundle needs from the system, and the newest GLIBC_ symbol version it uses."""
    inside = {path.name for path in bundle.rglob("*")}
    needed: set[str] = set()
    newest = (2, 17)
    for path in elf_files(bundle):
        dynamic = subprocess.run(["readelf", "-d", "-W", str(path)], capture_output=True, text=True).stdout
        needed.update(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
        symbols = subprocess.run(["readelf", "-V", "-W", str(path)], capture_output=True, text=True).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", symbols):
            newest = max(newest, (int(major), int(minor)))
    return {name for name in needed if name not in inside}, f"{newest[0]}.{newest[1]}"


def depends_line(bundle: Path) -> tuple[str, str]:
    needed, glibc = system_needs(bundle)
    unknown = sorted(name for name in needed if name not in SONAME_PACKAGES)
    if unknown:
        raise SystemExit("The bundle needs system libraries that build.py does not know the package of: "
                         + ", ".join(unknown) + "\nAdd them to SONAME_PACKAGES (or bundle them in civdesk.spec).")
    packages = sorted({SONAME_PACKAGES[name] for name in needed if SONAME_PACKAGES[name]})
    # Qt loads these at run time (dlopen), so readelf does not see them from the main libraries.
    for always in ("libegl1", "libgl1", "libfontconfig1", "libxkbcommon-x11-0", "libxcb-cursor0", "libdbus-1-3"):
        if always not in packages:
            packages.append(always)
    return ", ".join([f"libc6 (>= {glibc})", *sorted(packages), *FONT_DEPENDS]), glibc


DESKTOP_ENTRY = f"""[Desktop Entry]
Type=Application
Version=1.0
Name={APP_TITLE}
Name[zh_CN]={APP_TITLE}
GenericName=文明办业务管理
GenericName[en]=Civilization office desk
Comment=文明创建、好人评选、志愿服务记录与证明、U 盘同步（离线使用）
Comment[en]=Civilization office work: units, nominations, volunteers, USB sync (offline)
Exec=/opt/civdesk/CivDesk
TryExec=/opt/civdesk/CivDesk
Icon=civdesk
Terminal=false
Categories=Office;
Keywords=文明;志愿;好人;CivDesk;
StartupWMClass=CivDesk
StartupNotify=true
"""

COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: CivDesk
Comment: Proprietary. The bundle in /opt/civdesk also contains Python (PSF licence), Qt and
 PySide6 (LGPLv3), ReportLab (BSD), peewee (MIT), openpyxl (MIT), pypinyin (MIT), platformdirs
 (MIT), cryptography (Apache-2.0 or BSD), Pillow (MIT-CMU) and the PyInstaller bootloader (GPLv2 with
 the bootloader exception); their licence texts are in /opt/civdesk/_internal/*.dist-info where shipped.

Files: *
Copyright: CivDesk
License: proprietary
"""


def copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, symlinks=True)
    for dirpath, _dirnames, filenames in os.walk(dst):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            executable = path.stat().st_mode & stat.S_IXUSR
            os.chmod(path, 0o755 if executable else 0o644)


def build_deb() -> Path:
    if not shutil.which("dpkg-deb"):
        raise SystemExit("dpkg-deb is missing (Debian/Ubuntu: apt-get install dpkg)")
    ver, arch = version(), deb_arch()
    stage = ROOT / "build" / "deb" / f"civdesk_{ver}_{arch}"
    if stage.exists():
        shutil.rmtree(stage)
    copy_tree(BUNDLE, stage / "opt" / "civdesk")
    (stage / "usr" / "bin").mkdir(parents=True)
    os.symlink("/opt/civdesk/civdesk", stage / "usr" / "bin" / "civdesk")
    apps = stage / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / "civdesk.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    hicolor = stage / "usr" / "share" / "icons" / "hicolor"
    for png in sorted(ICONS.glob("civdesk-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        target = hicolor / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(png, target / "civdesk.png")
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(ICONS / "civdesk.svg", hicolor / "scalable" / "apps" / "civdesk.svg")
    doc = stage / "usr" / "share" / "doc" / "civdesk"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")
    for dirpath, _dirnames, filenames in os.walk(stage / "usr"):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            if not (Path(dirpath) / name).is_symlink():
                os.chmod(Path(dirpath) / name, 0o644)

    depends, glibc = depends_line(BUNDLE)
    installed_kb = disk_usage(stage)[0] // 1024
    control = stage / "DEBIAN"
    control.mkdir()
    (control / "control").write_text(
        f"Package: civdesk\nVersion: {ver}\nArchitecture: {arch}\nMaintainer: {MAINTAINER}\n"
        f"Installed-Size: {installed_kb}\nDepends: {depends}\n"
        f"Recommends: {', '.join(FONT_RECOMMENDS)}\n"
        f"Section: misc\nPriority: optional\nDescription: {DESCRIPTION}\n", encoding="utf-8")
    os.chmod(control, 0o755)
    os.chmod(control / "control", 0o644)
    out = DIST / f"civdesk_{ver}_{arch}.deb"
    # xz, not zstd: dpkg before 1.21.18 (UOS 20, Kylin V10, Debian 11) cannot read zstd members.
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(stage), str(out)], check=True)
    print(f"\n{out}: {out.stat().st_size / 1024 / 1024:.1f} MB; needs glibc ≥ {glibc}")
    print(f"Depends: {depends}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build dist/CivDesk/ and, on Linux, the .deb.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--no-deb", action="store_true", help="build the bundle only")
    group.add_argument("--deb-only", action="store_true", help="make the .deb from an existing dist/CivDesk/")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(encoding="utf-8", errors="replace")
    if not args.deb_only:
        build_bundle(args.clean)
    elif not BUNDLE.is_dir():
        raise SystemExit(f"{BUNDLE} does not exist: build it first")
    size_report(BUNDLE)
    if IS_LINUX and not args.no_deb:
        build_deb()
    return 0


if __name__ == "__main__":
    sys.exit(main())
