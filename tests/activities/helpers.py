"""Shared helpers of the activities tests: photos, volunteers, villages."""

from __future__ import annotations

import datetime as dt
import io

from civdesk.core import validation
from civdesk.core.actor import Actor
from civdesk.office import offices as office_service
from civdesk.volunteers import roster as volunteers

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")


def png(width: int = 40, height: int = 30, colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(width: int = 40, height: int = 30) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def id_number(birth: dt.date, seq: int, male: bool = True) -> str:
    body = f"510114{birth:%Y%m%d}{seq % 100:02d}{2 * (seq % 5) + (1 if male else 0)}"
    return body + validation.id_check_digit(body)


def volunteer(name: str, seq: int):
    return volunteers.register(CLERK, {"name": name, "id_number": id_number(dt.date(1980, 1, 1), seq),
                                       "phone": f"1380013{seq:04d}", "join_date": "2024-03-05"})


def villages(admin, *names: str) -> dict[str, str]:
    return {name: office_service.add_village(admin, name).id for name in names}
