"""Sample villages, accounts and settings of the demo township."""

from __future__ import annotations

import random

from civdesk.core import changes
from civdesk.core.actor import Actor
from civdesk.demo.names import VILLAGES, mobile, person_name
from civdesk.office import accounts, settings
from civdesk.office import offices as office_service
from civdesk.office.models import Office

DEMO_PASSWORD = "demo1234"
DEMO_PASSPHRASE = "qingxi-demo-sync"
DEMO_USERS = (("lixiuying", "李秀英", "reviewer"), ("zhouhaiyan", "周海燕", "reviewer"),
              ("zhangli", "张丽", "clerk"), ("liuyang", "刘洋", "clerk"), ("chenjing", "陈静", "clerk"))


def fill(actor: Actor, rng: random.Random, progress) -> None:
    for name in VILLAGES:
        if not Office.select().where((Office.name == name) & (Office.deleted == False)).exists():  # noqa: E712
            village = office_service.add_village(actor, name)
            changes.update(village, actor, {"contact_person": person_name(rng), "phone": mobile(rng),
                                            "address": f"清溪镇{name}村（居）委会"})
    for username, display, role in DEMO_USERS:
        if not any(u.username == username for u in accounts.list_users()):
            accounts.add_user(actor, username, display, role, DEMO_PASSWORD, must_change=False)
    office_service.update_own_office(actor, {"contact_person": "王建国", "phone": "028-83951234",
                                             "address": "清溪镇政府大院 2 号楼 301 室"})
    settings.set_value(actor, "backup.keep", 30)
