"""Shared set-up of the hotline tests: villages and tickets entered the way a clerk enters them."""

from __future__ import annotations

from civdesk.core.actor import Actor
from civdesk.core.meta import ChangeLog
from civdesk.hotline import flow, tickets
from civdesk.hotline.models import Ticket
from civdesk.office import offices

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")


def villages(admin) -> dict[str, str]:
    return {name: offices.add_village(admin, name).id for name in ("桂花村", "石桥村")}


def ticket(actor=CLERK, **values) -> Ticket:
    base = {"received_at": "2026-11-02 09:00", "channel": "来电", "caller_name": "张三", "caller_phone": "13800138000",
            "address": "桂花村3组", "village_id": "桂花村", "kind": "投诉", "category": "环境卫生",
            "content": "3组路口的垃圾堆了一个星期没人收"}
    base.update(values)
    return tickets.receive(actor, base)


def signed(dispatched_at="2026-11-02 10:00", signed_at="2026-11-03 09:00", **values) -> Ticket:
    row = ticket(**values)
    flow.dispatch(CLERK, row.id, at=dispatched_at)
    flow.sign(CLERK, row.id, at=signed_at)
    return tickets.get(row.id)


def log_size() -> int:
    return ChangeLog.select().count()
