"""The monospace font asks for a face that exists and for Chinese faces (Consolas has none); the
interface prefers Microsoft YaHei UI on Windows."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from ui import app
from ui.widgets.mono import MONO_FAMILIES, monospace


def test_monospace_text_has_a_chinese_face_on_this_machine_and_on_windows(qapp):
    font = monospace(QFont())
    assert font.families() == MONO_FAMILIES and font.styleHint() == QFont.StyleHint.Monospace
    installed = set(QFontDatabase.families())
    chinese = [f for f in MONO_FAMILIES if f in installed
               and QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(f)]
    assert chinese, "a family that draws Chinese is in the list and installed here"
    assert MONO_FAMILIES.index("Microsoft YaHei UI") < MONO_FAMILIES.index("Courier New")


def test_the_interface_asks_for_microsoft_yahei_ui_first():
    assert app.FONT_FAMILIES[0] == "Microsoft YaHei UI"
