"""Smoke test of the built bundle (not of the source tree): run the executables as a user would.

    python packaging/smoke_test.py [--bundle dist/CivDesk] [--no-gui] [--keep]

Checks, each printed as it passes:
  1. `civdesk --version` prints the version of civdesk/__init__.py;
  2. `init` makes a database in a folder whose path has Chinese characters and spaces;
  3. the volunteer template, filled with two rows, imports;
  4. a certificate PDF (from a demo database) embeds all its fonts;
  5. a sync package exported from one database imports into the other (demo pair);
  6. `CivDesk --demo` runs for a few seconds (under Xvfb on Linux) with nothing on stderr.
Runs on Linux and Windows (there the console program is civdesk-cli.exe). Needs openpyxl in the
Python that runs it (to fill the template); pdffonts is used for step 4 when it is installed.
Exit code 0 when every step passed; the last line reads "N passed, N failed".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IS_WIN = sys.platform.startswith("win")
PASSWORD = "smoke-Test-2026"
DEMO_PASSWORD = "demo1234"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def version() -> str:
    text = (ROOT / "civdesk" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__\s*=\s*["\']([^"\']+)', text, re.M).group(1)


def id_number(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


class Smoke:
    def __init__(self, bundle: Path, work: Path):
        self.bundle = bundle
        self.cli = bundle / ("civdesk-cli.exe" if IS_WIN else "civdesk")
        self.gui = bundle / ("CivDesk.exe" if IS_WIN else "CivDesk")
        self.work = work
        self.passed = 0
        self.failed = 0

    def run(self, *args: str, password: str = PASSWORD, check: bool = True, timeout: int = 300):
        env = dict(os.environ, CIVDESK_PASSWORD=password, CIVDESK_SYNC_PASSPHRASE="smoke-sync-2026")
        env.pop("PYTHONIOENCODING", None)  # see what users get
        result = subprocess.run([str(self.cli), *args], capture_output=True, env=env, timeout=timeout)
        out = result.stdout.decode("utf-8", "replace")
        err = result.stderr.decode("utf-8", "replace")
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(args)} → exit {result.returncode}\n{out}\n{err}")
        return result.returncode, out, err

    def step(self, name: str, func) -> None:
        started = time.monotonic()
        try:
            detail = func()
        except Exception as error:  # noqa: BLE001 - every failure is reported, the rest still runs
            self.failed += 1
            print(f"FAIL  {name}: {error}", flush=True)
        else:
            self.passed += 1
            print(f"ok    {name} ({time.monotonic() - started:.1f} s){': ' + detail if detail else ''}", flush=True)

    # --- the steps ---

    def check_version(self) -> str:
        _, out, _ = self.run("--version")
        assert version() in out, f"expected {version()} in {out!r}"
        return out.strip()

    def usage_and_encoding(self) -> str:
        """The usage line says `civdesk`; output is UTF-8 even under a legacy code page (cp936)."""
        env = dict(os.environ, PYTHONIOENCODING="gbk")
        result = subprocess.run([str(self.cli), "--help"], capture_output=True, env=env, timeout=120)
        text = result.stdout.decode("utf-8")  # strict: GBK bytes would fail here
        usage = text.splitlines()[0]
        assert result.returncode == 0 and "文明创建工作台" in text, text[:300]
        assert usage.split()[1].startswith("civdesk") and "python" not in usage, usage
        return usage[:60]

    def portable(self) -> str:
        """A data folder beside the programs (not in _internal) holds the database: portable mode."""
        data = self.bundle / "data"
        if data.exists():
            raise AssertionError(f"{data} exists before the test: remove it")
        data.mkdir()
        try:
            self.run("init", "--office", "便携镇", "--kind", "township", "--node-name", "U盘",
                     "--admin", "admin", "--admin-name", "王建国")
            assert (data / "civdesk.sqlite3").is_file(), list(data.iterdir())
            assert not (self.bundle / "_internal" / "data").exists()
        finally:
            shutil.rmtree(data, ignore_errors=True)
        return str(data / "civdesk.sqlite3")

    def init_database(self) -> str:
        folder = self.work / "清溪镇 文明办" / "数据 文件"
        folder.mkdir(parents=True)
        self.db = folder / "civdesk.sqlite3"
        self.run("--db", str(self.db), "init", "--office", "清溪镇", "--kind", "township",
                 "--node-name", "文明办电脑", "--admin", "admin", "--admin-name", "王建国")
        _, out, _ = self.run("--db", str(self.db), "check", "--json")
        report = json.loads(out)
        assert report.get("integrity") == "ok" and report.get("initialized"), report
        return str(self.db)

    def import_volunteers(self) -> str:
        import openpyxl

        template = self.work / "志愿者 模板.xlsx"
        self.run("--db", str(self.db), "volunteer", "template", "--out", str(template))
        book = openpyxl.load_workbook(template)
        sheet = book.worksheets[0]
        headers = [cell.value or "" for cell in sheet[1]]
        rows = [{"姓名": "李秀英", "证件号码": id_number("51011419850612002"), "性别": "女",
                 "手机号码": "13912345678"},
                {"姓名": "赵德明", "证件号码": id_number("51011419720103001"), "性别": "男",
                 "手机号码": "13587654321"}]
        for row_index in range(2, sheet.max_row + 1):  # drop the sample row(s)
            for cell in sheet[row_index]:
                cell.value = None
        for offset, values in enumerate(rows):
            for column, header in enumerate(headers, start=1):
                for key, value in values.items():
                    if header.startswith(key):
                        sheet.cell(row=2 + offset, column=column, value=value)
        book.save(template)
        _, out, _ = self.run("--db", str(self.db), "--user", "admin", "volunteer", "import", str(template), "--json")
        _, listing, _ = self.run("--db", str(self.db), "volunteer", "list", "--json")
        names = json.dumps(json.loads(listing), ensure_ascii=False)
        assert "李秀英" in names and "赵德明" in names, listing[:500]
        return "2 volunteers"

    def demo_pair(self) -> str:
        self.pair = self.work / "演示 数据"
        self.run("demo-pair", "--out", str(self.pair), timeout=600)
        self.township = next((self.pair / "township").glob("*.sqlite3"))
        self.village = next((self.pair / "village").glob("*.sqlite3"))
        return str(self.pair)

    def certificate(self) -> str:
        _, listing, _ = self.run("--db", str(self.township), "volunteer", "list", "--json")
        volunteers = json.loads(listing)
        volunteers = volunteers.get("volunteers", volunteers) if isinstance(volunteers, dict) else volunteers
        pdf = self.work / "证明 文件" / "志愿服务记录证明.pdf"
        pdf.parent.mkdir()
        last = ""
        for volunteer in volunteers[:20]:
            number = volunteer.get("number") or volunteer.get("volunteer_number")
            code, out, err = self.run("--db", str(self.township), "--user", "admin", "report", "certificate",
                                      "--volunteer", str(number), "--out", str(pdf), password=DEMO_PASSWORD,
                                      check=False)
            if code == 0:
                break
            last = err.strip()
        else:
            raise AssertionError(f"no certificate made: {last}")
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and b"/FontFile2" in data, "no embedded TrueType font"
        if shutil.which("pdffonts"):
            fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, encoding="utf-8").stdout
            rows = fonts.splitlines()[2:]
            not_embedded = [r for r in rows if r.split()[-5] != "yes"]
            assert rows and not not_embedded, f"fonts not embedded:\n{fonts}"
            return f"{pdf.stat().st_size} bytes, fonts: " + ", ".join(r.split()[0] for r in rows)
        return f"{pdf.stat().st_size} bytes"

    def sync(self) -> str:
        usb = self.pair / "U 盘"
        usb.mkdir(exist_ok=True)
        _, out, _ = self.run("--db", str(self.village), "--user", "admin", "sync", "export", "--out", str(usb),
                             "--json", password=DEMO_PASSWORD)
        package = json.loads(out)["file"]
        self.run("--db", str(self.township), "--user", "admin", "sync", "import", package, "--json",
                 password=DEMO_PASSWORD)
        return Path(package).name

    def gui_demo(self, seconds: float = 8.0) -> str:
        command = [str(self.gui), "--demo"]
        env = dict(os.environ)
        if IS_WIN:
            env.setdefault("QT_QPA_PLATFORM", "offscreen")  # a windowed .exe has no stderr to read anyway
        elif not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            if not shutil.which("xvfb-run"):
                raise AssertionError("no display and no xvfb-run")
            command = ["xvfb-run", "-a", *command]
        err_file = self.work / "gui-stderr.txt"
        demo_dirs = set(Path(tempfile.gettempdir()).glob("civdesk-demo-*"))
        with open(err_file, "wb") as err:
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env,
                                       start_new_session=not IS_WIN)
            try:
                code = process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                code = None
                if IS_WIN:
                    process.terminate()
                else:
                    os.killpg(process.pid, 15)
                process.wait(timeout=30)
        text = err_file.read_text(encoding="utf-8", errors="replace").strip()
        # A stopped --demo leaves its temporary database behind (issue 11, item 7): tidy up here.
        left = set(Path(tempfile.gettempdir()).glob("civdesk-demo-*")) - demo_dirs
        for folder in left:
            shutil.rmtree(folder, ignore_errors=True)
        assert code is None, f"exited early with {code}: {text}"
        assert not text, f"stderr: {text}"
        return f"ran {seconds:.0f} s, stderr empty" + (f"; removed {len(left)} demo folder(s) it left" if left else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Smoke test of the built CivDesk bundle.")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "CivDesk")
    parser.add_argument("--no-gui", action="store_true", help="skip starting the window")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(encoding="utf-8", errors="replace")
    work = Path(tempfile.mkdtemp(prefix="civdesk 冒烟 "))
    smoke = Smoke(args.bundle.resolve(), work)
    print(f"bundle {smoke.bundle}, work folder {work}")
    smoke.step("civdesk --version", smoke.check_version)
    smoke.step("usage line says civdesk, output UTF-8 under a GBK code page", smoke.usage_and_encoding)
    smoke.step("portable mode: data/ beside the programs", smoke.portable)
    smoke.step("init in a path with Chinese characters and spaces", smoke.init_database)
    if smoke.failed == 0:
        smoke.step("import the volunteer template with two rows", smoke.import_volunteers)
    smoke.step("demo pair (two synced databases)", smoke.demo_pair)
    if hasattr(smoke, "township"):
        smoke.step("certificate PDF with embedded fonts", smoke.certificate)
        smoke.step("sync package village → township", smoke.sync)
    if not args.no_gui:
        smoke.step("CivDesk --demo starts, stderr empty", smoke.gui_demo)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"smoke: {smoke.passed} passed, {smoke.failed} failed")
    return 1 if smoke.failed else 0


if __name__ == "__main__":
    sys.exit(main())
