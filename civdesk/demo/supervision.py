"""Sample 督查与整改: a year of rounds in the demo township (a township-wide monthly round and
quarterly rounds in three villages, 柳林村's last quarter missed), 门前三包 holders, and notices
rectified on time, late, overdue (one long enough for 督办), one near its deadline, one whose
复查 failed, and one under 镇容环境卫生 whose overdue deadline vetoes 柳林村's application through
the units domain's public function.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random

from PIL import Image, ImageDraw

from civdesk.calendar import holidays
from civdesk.core.actor import Actor
from civdesk.core.db import database
from civdesk.demo.names import VILLAGES, mobile, person_name
from civdesk.supervision import holders, inspections, photos, plans, rectification, sanitation
from civdesk.units import organisations as unit_orgs

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
INSPECTORS = ("李秀英", "王强", "陈志明", "刘洋")
PROBLEMS = {"镇容环境卫生": ("主干道两侧堆放建筑垃圾", "垃圾箱满溢未及时清运", "背街小巷乱贴小广告"),
            "门前三包": ("门前占道经营，摆放货物", "门前污水横流"),
            "病媒生物防治": ("农贸市场防鼠设施缺失", "房前屋后积水孳生蚊虫"),
            "社区/单位/城中村卫生": ("楼道堆放杂物", "公共厕所无人保洁、异味大"),
            "宣传教育": ("公益广告破损未更换", "宣传栏内容长期未更新")}
SHOPS = (("老王面馆", "商铺"), ("惠民超市", "商铺"), ("清溪副食店", "商铺"), ("张家小院", "住户"),
         ("红星五金店", "商铺"), ("李记茶馆", "商铺"), ("金马农资站", "单位"), ("周家院子", "住户"))


def _picture(rng: random.Random, colour: tuple[int, int, int], name: str) -> photos.PhotoFile:
    """A small JPEG standing in for a phone photo (a scene of blocks, so it is not blank)."""
    image = Image.new("RGB", (320, 240), (200, 210, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 160, 320, 240), fill=(120, 120, 120))
    for _ in range(6):
        x, y = rng.randrange(20, 280), rng.randrange(120, 200)
        draw.rectangle((x, y, x + rng.randrange(15, 40), y + rng.randrange(10, 30)), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return photos.check(name, buffer.getvalue())


def _org(village: str) -> str:
    return next(o.id for o in unit_orgs.org_refs() if o.name == village)


def _plans(today: dt.date) -> dict:
    for name, role, unit in (("王强", "组长", "镇城管办"), ("李秀英", "成员", "镇文明办"), ("陈志明", "成员", "镇卫生院"),
                             ("刘洋", "成员", "镇文明办")):
        plans.add_member(REVIEWER, name, role, unit)
    for village in VILLAGES[:5]:
        plans.add_area(REVIEWER, f"{village}主街片区", village, route=f"{village}村委会—文化广场—主街—农贸市场")
    start = dt.date(today.year - 1, today.month, 1)
    made = {"town": plans.add_round(REVIEWER, "全镇镇容环境卫生月度督查", "monthly", start, mechanism="镇容环境卫生")}
    for village in ("桂花村", "石桥村", "柳林村"):
        made[village] = plans.add_round(REVIEWER, f"{village}季度督查", "quarterly", start, village=village)
    return made


def _rounds(rng: random.Random, rounds: dict, today: dt.date) -> None:
    """A year of inspections; every period held except 柳林村's last quarter (missed, on 工作台)
    and its current one."""
    village_of = {r.id: name for name, r in rounds.items() if name != "town"}
    for occ in plans.occurrences(rounds["town"].start_date, today, as_of=today):
        if occ.start > today or (village_of.get(occ.round_id) == "柳林村" and occ.end >= today - dt.timedelta(days=80)):
            continue
        village = village_of.get(occ.round_id) or rng.choice(VILLAGES)
        day = min(today - dt.timedelta(days=1), occ.start + dt.timedelta(days=rng.randrange(3, 20)))
        mechanism = "镇容环境卫生" if occ.round_id == rounds["town"].id else rng.choice(tuple(PROBLEMS))
        inspections.record(REVIEWER, {"day": day, "mechanism": mechanism, "inspectors": rng.sample(INSPECTORS, 2),
                                      "target_kind": "org", "org": _org(village), "round_id": occ.round_id,
                                      "location": f"{village}主街"})


def _holders(rng: random.Random, today: dt.date) -> list:
    made = []
    for number, (name, kind) in enumerate(SHOPS):
        village = VILLAGES[number % 3]
        made.append(holders.add(CLERK, {"name": name, "kind": kind, "village": village,
                                        "address": f"清溪镇{village}正街 {rng.randint(1, 99)} 号",
                                        "responsible": person_name(rng), "phone": mobile(rng),
                                        "signed_date": dt.date(today.year, 1, 10 + number)}))
    for holder in made:
        for months in (5, 3, 1):
            found = ([inspections.FindingInput(rng.choice(PROBLEMS["门前三包"]))] if rng.random() < 0.3 else [])
            inspections.record(CLERK, {"day": today - dt.timedelta(days=30 * months), "mechanism": "门前三包",
                                       "inspectors": rng.sample(INSPECTORS, 2), "target_kind": "holder",
                                       "holder": holder.id}, found)
    return made


def _notice(rng: random.Random, village: str, mechanism: str, served: dt.date, days: int | None = None, *,
            deadline: dt.date | None = None):
    problem = rng.choice(PROBLEMS[mechanism])
    picture = _picture(rng, (150, 90, 40), f"{village}-{served:%m%d}.jpg")
    ins = inspections.record(REVIEWER, {"day": served, "mechanism": mechanism, "inspectors": rng.sample(INSPECTORS, 2),
                                        "target_kind": "org", "org": _org(village), "location": f"{village}主街"},
                             [inspections.FindingInput(problem, "", [picture])])
    finding = inspections.findings_of([ins.id])[0]
    return rectification.issue(REVIEWER, {"target_kind": "org", "org": _org(village), "findings": [finding.id],
                                          "requirements": "立即组织人员清理整治，建立日常保洁和巡查制度，防止反弹",
                                          "served_date": served, "days": days, "deadline": deadline})


def _workday_before(today: dt.date, n: int) -> dt.date:
    """A day from which *n* working days end on or before today."""
    day = today - dt.timedelta(days=n * 2)
    while holidays.add_workdays(day, n).day > today:
        day -= dt.timedelta(days=1)
    return day


def _notices(rng: random.Random, today: dt.date) -> None:
    on_time = _notice(rng, "桂花村", "镇容环境卫生", today - dt.timedelta(days=200), 10)
    before = photos.of(json.loads(on_time.finding_ids))[0]
    after = _picture(rng, (60, 160, 60), "整改后.jpg")
    rectification.report(CLERK, on_time.id, on_time.deadline - dt.timedelta(days=3), "已组织人员清运垃圾，路面恢复整洁",
                         [after], pairs={after.name: before.id})
    rectification.review(REVIEWER, on_time.id, on_time.deadline, True, "实地复查，已整改到位，予以销号")
    late = _notice(rng, "石桥村", "门前三包", today - dt.timedelta(days=120), 5)
    rectification.report(CLERK, late.id, late.deadline + dt.timedelta(days=6), "已督促商户清理门前杂物")
    rectification.review(REVIEWER, late.id, late.deadline + dt.timedelta(days=8), True, "复查合格，超期完成")
    failed = _notice(rng, "新民村", "宣传教育", today - dt.timedelta(days=40), 10)
    rectification.report(CLERK, failed.id, failed.deadline, "已更换部分公益广告")
    rectification.review(REVIEWER, failed.id, failed.deadline + dt.timedelta(days=1), False, "宣传栏仍未更新",
                         deadline=today + dt.timedelta(days=20))
    _notice(rng, "红星村", "病媒生物防治", _workday_before(today, 12), 5)  # overdue long enough for 督办
    last_workday = today - dt.timedelta(days=1)
    while not holidays.is_workday(last_workday):
        last_workday -= dt.timedelta(days=1)
    _notice(rng, "龙泉社区", "社区/单位/城中村卫生", last_workday - dt.timedelta(days=7),
            deadline=last_workday)  # just overdue: red, not yet 督办
    # yellow soon: one working day left whatever day the demo is built (a fixed "3 working days from
    # yesterday" left three on a Saturday, past the yellow line)
    _notice(rng, "太平社区", "宣传教育", today - dt.timedelta(days=1), deadline=holidays.add_workdays(today, 1).day)
    _notice(rng, "双河社区", "镇容环境卫生", today, 10)  # fresh
    # 柳林村's application (filed by the units demo) is vetoed by its overdue sanitation notice.
    deadline = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=4))
    _notice(rng, "柳林村", "镇容环境卫生", deadline - dt.timedelta(days=7), deadline=deadline)
    sanitation.sweep(REVIEWER, today)


def fill(actor: Actor, rng: random.Random, progress) -> None:
    if plans.rounds(active_only=False) or not unit_orgs.org_refs():
        return  # sample data is added once, after the units demo made the organisations
    today = dt.date.today()
    with database.atomic():
        plans.ensure_templates(actor)
        progress(0, 3, "正在生成演示数据：督查计划")
        rounds = _plans(today)
        _rounds(rng, rounds, today)
        progress(1, 3, "正在生成演示数据：门前三包")
        _holders(rng, today)
        progress(2, 3, "正在生成演示数据：整改通知书")
        _notices(rng, today)
