"""Sample 活动与阵地: a year of 我们的节日 activities on the real festival dates (held ones with a
photo and volunteers' hours, the coming ones planned, one left unplanned for 工作台 to point out),
two 道德讲堂 with sessions (one story of an honoured 好人), 公益广告 in every location type, one
三美示范村 and a minors' care project with its children and the station's records. Small and fast."""

from __future__ import annotations

import datetime as dt
import io
import random

from civdesk.activities import festival_plans, halls, minors, placements, records, sanmei
from civdesk.activities.terms import LOCATION_TYPES
from civdesk.calendar import festivals
from civdesk.core.actor import Actor
from civdesk.demo.names import VILLAGES, person_name
from civdesk.office import offices as office_service
from civdesk.volunteers import hours
from civdesk.volunteers import roster as volunteers

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
COLOURS = ((200, 60, 60), (70, 130, 180), (90, 150, 110), (230, 160, 50), (150, 90, 160))


def _committee(village: str) -> str:
    """A village's 村委会 or a community's 居委会 (「龙泉社区村（居）委会」 read as a form left unfilled)."""
    return f"{village}{'居委会' if village.endswith('社区') else '村委会'}"


def photo(rng: random.Random, label_seed: int) -> bytes:
    """A small drawn 'photo': a crowd of heads before a banner."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), rng.choice(COLOURS))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 30, 440, 90), fill=(180, 20, 30))
    for n in range(12 + label_seed % 6):
        x, y = 30 + (n % 8) * 55, 160 + (n // 8) * 70
        draw.ellipse((x, y, x + 36, y + 36), fill=(241, 204, 170))
        draw.rectangle((x - 4, y + 36, x + 40, y + 90), fill=rng.choice(COLOURS))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _village_ids() -> dict[str, str]:
    return {v.name: v.id for v in office_service.villages()}


def _festivals(rng: random.Random, today: dt.date, village_ids: dict[str, str]) -> None:
    people = volunteers.matching_ids(volunteers.VolunteerFilter())[:40]
    past = [(n, d) for y in (today.year - 1, today.year) for n, d in festivals.festivals(y)
            if today - dt.timedelta(days=365) < d <= today]
    entered: list[list[str]] = []
    for number, (name, day) in enumerate(past):
        title, content = festival_plans.template(name)
        village = rng.choice(VILLAGES) if number % 2 else None
        served = [(vid, rng.choice((2, 2.5, 3, 4))) for vid in rng.sample(people, min(len(people), 3))]
        row = records.create(CLERK, {"kind": "festival", "festival": name, "title": f"{day.year}年{title}", "day": day,
                                     "village_id": village_ids.get(village) if village else None,
                                     "place": f"{village}文化广场" if village else "清溪镇文化站",
                                     "organiser": _committee(village) if village else "清溪镇文明办",
                                     "participants": rng.randint(40, 260), "content": content},
                             photo_files=[(f"{name}活动.png", photo(rng, number))], volunteers=served)
        entered.append([r.id for r in hours.records(activity_id=row.volunteer_activity_id)])
    upcoming = [(n, d) for y in (today.year, today.year + 1) for n, d in festivals.festivals(y)
                if today < d <= today + dt.timedelta(days=200)]
    # The first coming festival is left without a plan, so 工作台 has something to say.
    for name, day in upcoming[1:]:
        festival_plans.plan_festival(CLERK, day.year, name, place="清溪镇文化站", organiser="清溪镇文明办", today=today)
    # The latest festival's hours stay waiting for a reviewer; the earlier ones were approved.
    hours.approve(REVIEWER, [record_id for ids in entered[:-1] for record_id in ids])


def _halls(rng: random.Random, today: dt.date, village_ids: dict[str, str]) -> None:
    main = halls.create_hall(CLERK, {"name": "清溪镇道德讲堂", "kind": "总堂", "address": "清溪镇文化站二楼"})
    branch = halls.create_hall(CLERK, {"name": "土城分堂", "kind": "分堂", "village_id": village_ids.get("龙泉社区"),
                                       "address": "龙泉社区土城院落活动室"})
    good_person = _honoured_nominee()
    stories = (("道德故事", "孝老爱亲的好儿媳"), ("文化故事", "清溪古镇的家训家风"), ("道德故事", "诚信经营二十年的小卖部"),
               ("好人故事", ""))
    for number, hall in enumerate((main, branch, main, branch, main)):
        kind, title = stories[number % len(stories)]
        values = {"day": today - dt.timedelta(days=30 + 60 * number), "participants": rng.randint(35, 120),
                  "story_kind": kind, "story_title": title, "storyteller": person_name(rng)}
        if kind == "好人故事" and good_person:
            values["nominee_id"] = good_person
        elif kind == "好人故事":
            values.update(story_kind="道德故事", story_title="热心肠的王大姐")
        halls.add_session(CLERK, hall.id, values, photo_files=[("讲堂.png", photo(rng, number))] if number < 2 else ())


def _honoured_nominee() -> str | None:
    from civdesk.nominations import award
    from civdesk.nominations import nominees as nominations

    for session in nominations.sessions():
        for nomination in award.honoured(session.id):
            return nomination.nominee_id
    return None


def _placements(actor: Actor, rng: random.Random, today: dt.date, village_ids: dict[str, str]) -> None:
    spots = {"街巷": ("正街与新街交叉口", "滨河路"), "公共场所": ("镇文化广场", "客运站候车厅"),
             "窗口单位": ("便民服务中心大厅", "卫生院门诊楼"), "居民院落": ("幸福院", "桂苑小区")}
    themes = ("讲文明树新风", "社会主义核心价值观", "文明餐桌·光盘行动", "移风易俗·喜事新办")
    for number, kind in enumerate(LOCATION_TYPES * 2):
        village = VILLAGES[(number + number // 4) % 4]
        row = placements.create(CLERK, {"village_id": village_ids.get(village), "location_type": kind,
                                        "place": f"{village}{spots[kind][number // 4]}", "theme": themes[number % 4],
                                        "size": rng.choice(("2m×1m", "3m×1.5m", "0.6m×0.9m")),
                                        "put_up": today - dt.timedelta(days=rng.randint(60, 400))},
                                photo_files=[("公益广告.png", photo(rng, number))] if number < 3 else ())
        if number in (1, 5):
            placements.inspect(CLERK, row.id, "破损" if number == 1 else "褪色", today - dt.timedelta(days=7),
                               today=today)
        if number == 1:  # the 督查 that found it damaged names it; the placement shows the open finding
            from civdesk.supervision import inspections

            inspections.record(actor, {"day": today - dt.timedelta(days=7), "mechanism": "宣传教育",
                                       "inspectors": "镇文明办", "target_kind": "place", "place": row.place,
                                       "village": row.village_id}, [inspections.FindingInput(
                                           "公益广告画面被撕破一角，需重新制作", placement_id=row.id,
                                           placement_state="破损")])


def _sanmei(today: dt.date) -> None:
    last = today.year - 1
    sanmei.set_plan(CLERK, "桂花村", "风尚新美：修订村规民约，评选最美家庭；环境秀美：整治房前屋后，建设桂花长廊；"
                                   "生活富美：发展桂花产业和乡村旅游。", last)
    sanmei.evaluate(REVIEWER, "桂花村", last, {"风尚新美": 92, "环境秀美": 90, "生活富美": 87}, dt.date(last, 11, 20))
    sanmei.name_model_village(REVIEWER, "桂花村", last, dt.date(last, 12, 18), f"清溪镇文明委〔{last}〕9号", today=today)
    sanmei.set_plan(CLERK, "石桥村", "以“三美”创建带动人居环境整治，建设石桥广场。", today.year)
    sanmei.evaluate(REVIEWER, "石桥村", today.year, {"风尚新美": 88, "环境秀美": 79, "生活富美": 84},
                    today - dt.timedelta(days=10), today=today)


def _minors(actor: Actor, rng: random.Random, today: dt.date) -> None:
    project = minors.create_project(CLERK, {
        "village_id": "白鹤村", "name": "留守儿童“四点半课堂”", "target_group": "留守儿童",
        "helpers": "村妇联主席、镇中心小学退休教师、大学生志愿者", "done": "周一至周五放学后辅导作业、陪伴阅读、亲情视频通话",
        "start_date": today - dt.timedelta(days=200)})
    for _ in range(4):
        sex = rng.choice(("男", "女"))
        minors.add_child(actor, project.id, {"name": person_name(rng, sex), "sex": sex,
                                             "birth_year": today.year - rng.randint(7, 12), "school": "清溪镇中心小学",
                                             "help_given": "作业辅导、结对陪伴"})
    minors.add_service(CLERK, {"village_id": "白鹤村", "day": today - dt.timedelta(days=40), "service": "心理健康讲座",
                               "counsellor": "陈老师", "attendees": 36})
    minors.add_service(actor, {"village_id": "白鹤村", "day": today - dt.timedelta(days=12), "service": "个体心理辅导",
                               "counsellor": "陈老师", "child_name": person_name(rng), "child_age": 10,
                               "summary": "父母在外务工，近期情绪低落，约定每周谈心一次"})
    records.create(CLERK, {"kind": "minors", "title": "关爱留守儿童“送温暖”活动", "day": today - dt.timedelta(days=30),
                           "village_id": "白鹤村", "participants": 42, "project_id": project.id,
                           "content": "为留守儿童送去学习用品，开展亲子游戏"})


def fill(actor: Actor, rng: random.Random, progress) -> None:
    if halls.halls():  # already filled: a second run adds nothing
        return
    today = dt.date.today()
    village_ids = _village_ids()
    _festivals(rng, today, village_ids)
    _halls(rng, today, village_ids)
    _placements(actor, rng, today, village_ids)
    _sanmei(today)
    _minors(actor, rng, today)
