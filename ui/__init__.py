"""PySide6 user interface of CivDesk."""
