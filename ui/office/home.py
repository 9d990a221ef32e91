"""工作台: greeting, what is due (from civdesk.office.dashboard), quick actions, this office."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from civdesk.office import dashboard
from civdesk.office import offices as office
from civdesk.office.dashboard import SEVERITY_LABELS, DueItem
from ui.navigation import PageHost
from ui.session import Session

SEVERITY_COLORS = {"overdue": "#c0392b", "due": "#d68910", "info": "#2e86c1"}
WEEKDAYS = "一二三四五六日"


def greeting(now: dt.datetime) -> str:
    if now.hour < 5:
        return "您好"
    if now.hour < 11:
        return "上午好"
    if now.hour < 13:
        return "中午好"
    if now.hour < 18:
        return "下午好"
    return "晚上好"


class DueCard(QFrame):
    """One due item; click (or Enter/Space when focused) to go where it is dealt with."""

    clicked = Signal(str)

    def __init__(self, item: DueItem, parent=None):
        super().__init__(parent)
        self.item = item
        color = SEVERITY_COLORS[item.severity]
        self.setObjectName("dueCard")
        self.setStyleSheet(f"QFrame#dueCard {{ background: white; border: 1px solid #ddd;"
                           f" border-left: 6px solid {color}; border-radius: 4px; }}"
                           f"QFrame#dueCard:focus {{ border-color: {color}; }}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        top = QHBoxLayout()
        title = QLabel(item.title)
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        title.setFont(font)
        top.addWidget(title, 1)
        badge_text = SEVERITY_LABELS[item.severity]
        if item.due_date is not None:
            when = f"{item.due_date:%Y-%m-%d}"
            badge_text = f"已逾期（应于 {when}）" if item.severity == "overdue" else f"截止 {when}"
        badge = QLabel(badge_text)
        badge.setStyleSheet(f"color: {color};")
        top.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        if item.detail:
            detail = QLabel(item.detail)
            detail.setWordWrap(True)
            detail.setStyleSheet("color: #444;")
            layout.addWidget(detail)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.item.target_page)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.item.target_page)
            return
        super().keyPressEvent(event)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.25)
    label.setFont(font)
    return label


class HomePage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        self._items: list[DueItem] = []
        self._cards: list[DueCard] = []
        self._collecting = None  # the background job gathering 待办 (a full count on a large office)
        self._again = False
        self._fresh: tuple | None = None  # dashboard.freshness() when the cards were gathered
        self._just_built = True

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(16)

        self.greeting_label = QLabel()
        font = self.greeting_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.greeting_label.setFont(font)
        self.subtitle_label = QLabel()
        self.subtitle_label.setStyleSheet("color: #555;")
        self.subtitle_label.setWordWrap(True)
        layout.addWidget(self.greeting_label)
        layout.addWidget(self.subtitle_label)

        columns = QHBoxLayout()
        columns.setSpacing(24)
        layout.addLayout(columns, 1)

        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(_heading("待办"))
        self.due_box = QVBoxLayout()
        self.due_box.setSpacing(10)
        left.addLayout(self.due_box)
        self.empty_label = QLabel("目前没有到期或逾期的事项。")
        self.empty_label.setStyleSheet("color: #2e7d32; padding: 12px 0;")
        left.addWidget(self.empty_label)
        left.addStretch(1)
        columns.addLayout(left, 3)

        right = QVBoxLayout()
        right.setSpacing(16)
        right.addWidget(self._quick_actions())
        self.office_box = QGroupBox("本单位")
        self.office_form = QFormLayout(self.office_box)
        self.office_form.setVerticalSpacing(8)
        right.addWidget(self.office_box)
        right.addStretch(1)
        columns.addLayout(right, 2)
        self.refresh()

    def _quick_actions(self) -> QGroupBox:
        box = QGroupBox("常用操作")
        layout = QVBoxLayout(box)
        layout.setSpacing(8)
        actor = self.session.actor
        self.action_buttons: dict[str, QPushButton] = {}
        actions = [("sync", "U 盘数据同步（导出/导入）", self.host.has_page("sync"), lambda: self.host.show_page("sync")),
                   ("backup", "备份数据库…", actor.can("backup"), lambda: self.host.backup_database()),
                   ("accounts", "账号管理", actor.can("manage_users"),
                    lambda: self.host.show_page("settings/accounts")),
                   ("audit", "查看审计日志", self.host.has_page("audit"), lambda: self.host.show_page("audit")),
                   ("password", "修改我的密码…", not self.session.read_only, self.host.change_password)]
        for key, text, shown, slot in actions:
            if not shown:
                continue
            button = QPushButton(text)
            button.setMinimumHeight(40)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            layout.addWidget(button)
            self.action_buttons[key] = button
        return box

    # -- refresh -------------------------------------------------------------------

    def on_shown(self) -> None:
        if self._just_built:  # filled a moment ago by __init__
            self._just_built = False
            return
        self.refresh()

    def reload(self) -> None:
        """Gather 待办 again even when nothing was written (the day's deadlines, a test)."""
        self._fresh = None
        self.refresh()

    @property
    def items(self) -> list[DueItem]:
        self.wait_for_due()
        return self._items

    @property
    def cards(self) -> list[DueCard]:
        """The 待办 cards, once the background collection that is under way has finished."""
        self.wait_for_due()
        return self._cards

    def wait_for_due(self, timeout_ms: int = 120_000) -> None:
        while self._collecting is not None and self._collecting.wait(timeout_ms):
            pass

    def show_section(self, section: str) -> None:
        if section == "backup":
            self.host.backup_database()

    def refresh(self) -> None:
        actor, now = self.session.actor, dt.datetime.now()
        own = office.own_office_or_none()
        self.greeting_label.setText(f"{greeting(now)}，{actor.display_name}")
        parts = [f"{now:%Y年%m月%d日} 星期{WEEKDAYS[now.weekday()]}", actor.role_label]
        if own is not None:
            parts.append(own.name)
        if self.session.demo:
            parts.append("当前是演示数据，可以放心试用")
        self.subtitle_label.setText("　·　".join(parts))
        self._fill_office(own)
        self._collect_due()

    def _collect_due(self) -> None:
        """待办 are gathered in the background: on a large office some need a full count (records
        waiting for review among a million), which must not hold the window. Nothing written
        since the last time, the same day: the cards stand as they are."""
        from ui.tasks import run_task

        if self._collecting is not None:
            self._again = True
            return
        fresh = dashboard.freshness()
        if fresh == self._fresh:
            return
        self._fresh = fresh
        self._collecting = run_task(self, "汇总待办事项", _collect_job, self.session.actor, show_progress=False,
                                    cancellable=False, on_done=self._collected, on_error=self._collect_failed)
        if not self._cards:  # the first time (each domain's providers load then): not "nothing due" yet
            self.empty_label.setText("正在汇总待办事项…")

    def _collected(self, items: list[DueItem]) -> None:
        self._collecting = None
        self._fill_due(items)
        if self._again:
            self._again = False
            self._collect_due()

    def _collect_failed(self, message: str) -> None:
        self._collecting, self._fresh = None, None
        self._fill_due([])
        self.empty_label.setText(f"待办事项没有汇总成功：{message}")

    def _fill_due(self, items: list[DueItem]) -> None:
        for card in self._cards:
            self.due_box.removeWidget(card)
            card.hide()  # deleteLater waits for the event loop; the old card must vanish now
            card.deleteLater()
        self._items, self._cards = items, []
        self.empty_label.setText("目前没有到期或逾期的事项。")
        for item in items:
            card = DueCard(item)
            card.clicked.connect(self._open_target)
            self.due_box.addWidget(card)
            self._cards.append(card)
        self.empty_label.setVisible(not items)

    def _open_target(self, target: str) -> None:
        # "home/backup" arrives at show_section() above; plain "home" is where we already are.
        if target and target != "home":
            self.host.show_page(target)

    def _fill_office(self, own) -> None:
        while self.office_form.rowCount():
            self.office_form.removeRow(0)
        if own is None:
            self.office_form.addRow(QLabel("本机尚未完成初始设置。"))
            return
        rows = [("单位", own.name), ("类型", own.kind_label)]
        township = office.township_of(own)
        if own.kind == "village":
            rows.append(("所属乡镇", township.name if township else "（未知）"))
        else:
            rows.append(("村/社区", f"{len(office.villages())} 个"))
        if own.contact_person:
            rows.append(("联系人", own.contact_person))
        rows.append(("本机名称", office.node_name() or "（未设置）"))
        for caption, value in rows:
            label = QLabel(value)
            label.setWordWrap(True)
            self.office_form.addRow(f"{caption}：", label)


def _collect_job(ctx, actor) -> list[DueItem]:
    return dashboard.collect(actor)
