"""CivDesk (文明创建工作台) core: models, services, sync, reports.

The core never imports Qt; the GUI in ``ui/`` is one client of it, the command line another.
"""

__version__ = "0.1.0"
APP_NAME = "CivDesk"
APP_TITLE = "文明创建工作台"
