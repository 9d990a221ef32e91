"""CivDesk (文明创建工作台): start the desktop program."""

from __future__ import annotations

import argparse
import os
import sys


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"缩放比例应为数字，例如 1.5，而不是「{text}」") from None
    if not 0.5 <= value <= 4:
        raise argparse.ArgumentTypeError("缩放比例应在 0.5 到 4 之间")
    return value


class _ChineseFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix or "用法：")


_MESSAGES = (("unrecognized arguments:", "无法识别的参数："), ("not allowed with argument", "不能同时使用"),
             ("expected one argument", "需要一个值"), ("argument ", "参数 "))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        for english, chinese in _MESSAGES:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：参数错误：{message}\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = _Parser(prog="CivDesk", description="文明创建工作台（CivDesk）桌面程序。", add_help=False,
                     formatter_class=_ChineseFormatter)
    parser._optionals.title = "选项"
    parser.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--db", metavar="路径", help="要打开的数据库文件（默认使用本机数据文件夹，或便携模式下的 data 文件夹）")
    which.add_argument("--demo", action="store_true", help="使用带示例数据的临时演示数据库，关闭后删除")
    parser.add_argument("--scale", type=_scale, metavar="比例", help="界面缩放比例，例如 1.5 表示 150%%（用于测试）")
    return parser.parse_args(argv)


def load_before_qt() -> None:
    """The start-up's own modules that do not use Qt, imported before PySide6: once PySide6 is
    loaded, its import hook reads the source of every module imported after it (to see whether
    the module uses PySide6's ``__feature__`` switches), ~0.1–0.2 ms a module, and the start-up to
    the main window imports ~100 such modules (peewee, the database, accounts, backup, the 工作台's
    待办 core). Issue 17: start-up."""
    from civdesk.core import jobs, opened_files, writer_lock  # noqa: F401
    from civdesk.office import accounts, dashboard, maintenance  # noqa: F401


def main(argv: list[str] | None = None) -> int:
    from civdesk.core.console import use_utf8_output

    use_utf8_output()
    args = parse_args(argv)
    if args.scale:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)  # must be set before Qt starts
    load_before_qt()
    from civdesk.domains import register_all
    from ui import app

    register_all()

    return app.run(args)


if __name__ == "__main__":
    code = main()
    if "PySide6.QtCore" in sys.modules:  # the window ran: leave without Qt's finalization crash
        from ui.process_exit import leave

        leave(code)
    sys.exit(code)
