"""The command line writes UTF-8 whatever the console's code page: on Chinese Windows output
redirected to a file would otherwise be cp936 (GBK), and a name outside GBK would stop a listing
with UnicodeEncodeError. Simulated here with PYTHONIOENCODING set to a legacy code page."""

from __future__ import annotations

from civdesk.cli.main import build_parser
from civdesk.core import paths
from tests.support.databases import run_cli


def test_help_and_errors_are_utf8_under_a_gbk_console():
    result = run_cli("--help", env={"PYTHONIOENCODING": "gbk"})
    assert result.returncode == 0 and "文明创建工作台" in result.stdout, result.stderr
    refused = run_cli("no-such-command", env={"PYTHONIOENCODING": "ascii"})
    assert refused.returncode != 0 and ("用法" in refused.stderr or "错误" in refused.stderr), refused.stderr


def test_a_name_outside_gbk_is_printed(tmp_path):
    """𠮷 (U+20BB7) cannot be written in GBK at all."""
    result = run_cli("--db", str(tmp_path / "𠮷 办" / "x.sqlite3"), "volunteer", "list",
                     env={"PYTHONIOENCODING": "gbk"})
    assert "Traceback" not in result.stderr and "UnicodeEncodeError" not in result.stderr, result.stderr
    assert "𠮷" in result.stderr + result.stdout, (result.stdout, result.stderr)


def test_the_usage_line_names_the_command_as_typed(monkeypatch):
    assert build_parser().format_usage().split()[1] == "python"
    monkeypatch.setattr(paths, "frozen", lambda: True)
    usage = build_parser().format_usage()
    assert usage.split()[1] == "civdesk", usage
