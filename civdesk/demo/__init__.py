"""Sample data so a newcomer can look around: ``python main.py --demo`` or ``civdesk demo``.

Each module contributes a step to ``STEPS``; a step takes (actor, rng, progress) and adds its
records through the services, as a clerk would.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from civdesk.core import db
from civdesk.core.actor import Actor
from civdesk.demo import activities as activity_demo
from civdesk.demo import foundation, volunteers
from civdesk.demo import hotline as hotline_demo
from civdesk.demo import nominations as nomination_demo
from civdesk.demo import supervision as supervision_demo
from civdesk.demo import units as unit_demo
from civdesk.demo.foundation import DEMO_PASSPHRASE, DEMO_PASSWORD
from civdesk.demo.names import TOWNSHIP
from civdesk.office import setup

Step = Callable[[Actor, random.Random, Callable[[int, int, str], None]], None]
__all__ = ["DEMO_PASSPHRASE", "DEMO_PASSWORD", "STEPS", "create_demo_database", "fill"]

STEPS: list[tuple[str, Step]] = [("单位与账号", foundation.fill), ("志愿服务", volunteers.fill),
                                   ("文明创建", unit_demo.fill),
                                   ("好人评选", nomination_demo.fill), ("督查整改", supervision_demo.fill),
                                   ("热线工单", hotline_demo.fill), ("活动与阵地", activity_demo.fill)]


def _quiet(done: int, total: int, text: str = "") -> None:
    pass


def fill(actor: Actor, progress=None, seed: int = 20261129) -> None:
    """Run every module's sample-data step in order."""
    progress = progress or _quiet
    rng = random.Random(seed)
    for number, (title, step) in enumerate(STEPS):
        progress(number, len(STEPS), f"正在生成演示数据：{title}")
        step(actor, rng, progress)
    progress(len(STEPS), len(STEPS), "演示数据已生成")


def initialize_demo_office() -> Actor:
    return setup.initialize(setup.SetupRequest(
        office_name=TOWNSHIP, kind="township", node_name="清溪镇文明办-演示电脑", admin_username="admin",
        admin_password=DEMO_PASSWORD, sync_passphrase=DEMO_PASSPHRASE, admin_display_name="王建国"))


def create_demo_database(path, progress=None) -> tuple[str, str]:
    """A new database at *path* with the demo township and its sample data; returns the login."""
    db.open_database(path)
    actor = initialize_demo_office()
    fill(actor, progress)
    return "admin", DEMO_PASSWORD
