"""The one font resolver (civdesk.reports.fonts): the shipped search lists, stand-ins and fallbacks
named per role, Windows' fonts found under %WINDIR% (files given to the Windows list here)."""

from __future__ import annotations

import os

import pytest

from civdesk.reports import fonts as fonts_module
from civdesk.reports.fonts import describe, load_config, resolve_fonts

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"
needs_wqy = pytest.mark.skipif(not os.path.exists(WQY), reason="fonts-wqy-microhei not installed")
needs_uming = pytest.mark.skipif(not os.path.exists(UMING), reason="fonts-arphic-uming not installed")
GB2312_FANGSONG = ("仿宋_GB2312.ttf", "FS_GB2312.ttf")


@pytest.fixture(autouse=True)
def _fresh_font_cache():
    fonts_module.clear_cache()
    yield
    fonts_module.clear_cache()


def _paths(entries) -> list[str]:
    return [entry["path"] if isinstance(entry, dict) else entry for entry in entries]


def test_the_shipped_lists_prefer_real_fangsong_and_never_a_font_without_digits():
    roles = load_config()["roles"]
    for plat in ("windows", "linux"):
        fangsong = _paths(roles["fangsong"][plat])
        assert "simfang.ttf" in fangsong[0], "simfang first"
        for name in GB2312_FANGSONG:
            assert any(path.endswith(name) for path in fangsong), (plat, name)
        for role in roles.values():
            assert not any("Droid" in path for path in _paths(role.get(plat, []))), "DroidSansFallback has no digits"
    linux = _paths(roles["fangsong"]["linux"])
    assert linux[-1].startswith(UMING), "AR PL UMing stands in for 仿宋 on Debian, after every real 仿宋"
    stand_in = roles["fangsong"]["linux"][-1]
    assert isinstance(stand_in, dict) and "代替" in stand_in["stand_in"]


@needs_uming
@needs_wqy
def test_on_this_machine_each_role_names_its_font_and_any_stand_in():
    fonts = resolve_fonts(platform="linux")
    shown = {item.role: item for item in describe(fonts)}
    assert [item.role for item in describe(fonts)] == ["fangsong", "title", "body", "bold"]
    for role, item in shown.items():
        assert item.family == fonts.families[role] and os.path.isfile(item.path)
    if fonts.sources["fangsong"].startswith(UMING):  # no simfang.ttf copied onto this PC
        assert shown["fangsong"].family == "AR PL UMing CN"
        assert "代替" in shown["fangsong"].note, "a Song face standing in for 仿宋 says so"
    assert shown["body"].note == "", "宋体 found for tables: no note"


@needs_wqy
def test_a_role_that_falls_back_says_to_which_font():
    config = {"fallback": {"bold": "body", "fangsong": "body", "title": "bold"},
              "roles": {"body": {"linux": [{"path": WQY + "#0", "stand_in": "黑体代替宋体"}]}}}
    fonts = resolve_fonts(config=config, platform="linux")
    assert fonts.notes["body"] == "黑体代替宋体"
    assert fonts.notes["fangsong"] == "本机没有仿宋字体，改用「表格与报表」的字体 WenQuanYi Micro Hei 代替"
    assert "本机没有小标宋字体" in fonts.notes["title"] and "WenQuanYi Micro Hei" in fonts.notes["title"]


@needs_uming
@needs_wqy
def test_windows_fonts_are_taken_from_windir_in_order(tmp_path, monkeypatch):
    """The Windows list run here: %WINDIR%\\Fonts holding simfang.ttf and FS_GB2312.ttf (stand-in
    files), simsun.ttc and simhei.ttf; 仿宋 comes from simfang.ttf, not the GB2312-only file."""
    fonts_dir = tmp_path / "Windows" / "Fonts"
    fonts_dir.mkdir(parents=True)
    for name, source in (("simfang.ttf", UMING), ("FS_GB2312.ttf", WQY), ("simsun.ttc", UMING),
                         ("simhei.ttf", WQY)):
        os.symlink(source, fonts_dir / name)
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    fonts = resolve_fonts(platform="windows")
    assert fonts.sources["fangsong"] == str(fonts_dir / "simfang.ttf") and "fangsong" not in fonts.notes
    assert fonts.sources["body"] == str(fonts_dir / "simsun.ttc")
    assert "黑体" in fonts.notes["title"], "no 方正小标宋: 黑体 stands in, and says so"

    fonts_module.clear_cache()
    (fonts_dir / "simfang.ttf").unlink()
    fonts = resolve_fonts(platform="windows")
    assert fonts.sources["fangsong"] == str(fonts_dir / "FS_GB2312.ttf")
    assert "GB2312" in fonts.notes["fangsong"], "a GB2312-only 仿宋 warns about rare name characters"
