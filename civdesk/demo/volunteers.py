"""A year of sample volunteer work: volunteers, teams, activities, hours and their review."""

from __future__ import annotations

import datetime as dt
import random

from civdesk.core import changes, validation
from civdesk.core.actor import Actor
from civdesk.core.db import database
from civdesk.demo.names import VILLAGES, mobile, person_name
from civdesk.volunteers import hours, teams
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import ServiceApproval, ServiceRecord, Volunteer

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
REGION = "510114"  # 成都市新都区
CATEGORIES = ("社区服务", "敬老助残", "环境保护", "文明交通", "文化教育", "医疗卫生", "应急救援")
ETHNICITIES = ("汉族",) * 18 + ("回族", "藏族", "彝族")
POLITICS = ("群众",) * 5 + ("中共党员", "中共党员", "共青团员")
EDUCATION = ("初中", "高中", "中专", "大专", "本科", "本科", "研究生")
SKILLS = ("", "", "驾驶", "急救", "摄影", "电脑维修", "书法", "理发", "法律咨询", "心理疏导", "文艺表演")
ACTIVITY_KINDS = (
    ("清洁家园", "环境保护", "清理河道垃圾、整治房前屋后"), ("关爱空巢老人", "敬老助残", "上门陪伴、打扫卫生、代购生活用品"),
    ("文明交通劝导", "文明交通", "在路口劝导行人和电瓶车文明出行"), ("义诊进村", "医疗卫生", "测量血压血糖，讲解常见病预防"),
    ("四点半课堂", "文化教育", "放学后辅导留守儿童作业"), ("防汛应急演练", "应急救援", "参加防汛演练，熟悉转移路线"),
    ("便民服务日", "社区服务", "义务理发、家电维修、法律咨询"),
)


def id_number(rng: random.Random, birth: dt.date, sex: str) -> str:
    seq = rng.randrange(0, 50) * 2 + (1 if sex == "男" else 0)
    body = f"{REGION}{birth:%Y%m%d}{rng.randrange(10):d}{seq:02d}"[:17]
    body = body[:16] + str((int(body[16]) // 2) * 2 + (1 if sex == "男" else 0))
    return body + validation.id_check_digit(body)


def fill(actor: Actor, rng: random.Random, progress, *, volunteers_count: int = 320) -> None:
    if Volunteer.select().exists():
        return  # sample data is added once
    today = dt.date.today()
    start = today - dt.timedelta(days=365)
    with database.atomic():
        people = []
        for n in range(volunteers_count):
            if n % 40 == 0:
                progress(n, volunteers_count, "正在生成演示数据：志愿者")
            sex = rng.choice(("男", "女"))
            birth = dt.date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28))
            people.append(volunteers.register(CLERK, {
                "name": person_name(rng, sex), "id_number": id_number(rng, birth, sex), "phone": mobile(rng),
                "village_id": rng.choice(VILLAGES), "ethnicity": rng.choice(ETHNICITIES),
                "political_status": rng.choice(POLITICS), "education": rng.choice(EDUCATION),
                "skills": rng.choice(SKILLS), "service_category": rng.choice(CATEGORIES),
                "address": f"清溪镇{rng.choice(VILLAGES)}{rng.randint(1, 12)}组{rng.randint(1, 60)}号",
                "join_date": start - dt.timedelta(days=rng.randint(0, 900))}))
        for person in rng.sample(people, 12):
            volunteers.leave(CLERK, person.id, "外出务工，退出志愿者队伍")
        main_team = teams.create_team(CLERK, {"name": "清溪镇新时代文明实践志愿服务总队", "leader_id": people[0].id})
        by_village = {}
        for person in people:
            by_village.setdefault(person.village_id, []).append(person)
        village_teams = []
        for village in VILLAGES:
            residents = by_village.get(volunteers.resolve_village(village)) or people
            village_teams.append(teams.create_team(CLERK, {
                "name": f"{village}志愿服务队", "parent_id": main_team.id, "village_id": village,
                "leader_id": rng.choice(residents).id}))
        for team in village_teams:
            for person in by_village.get(team.village_id, []):
                teams.add_member(CLERK, team.id, person.id)
        progress(1, 3, "正在生成演示数据：活动与服务时长")
        _activities_and_hours(rng, people, village_teams, start, today)
        progress(2, 3, "正在生成演示数据：往年服务时长")
        _earlier_years(rng, people, start)


def _activities_and_hours(rng, people, village_teams, start, today) -> None:
    active = [p for p in people if p.status == "active"]
    day = start + dt.timedelta(days=3)
    number = 0
    while day < today - dt.timedelta(days=2):
        number += 1
        name, category, content = rng.choice(ACTIVITY_KINDS)
        team = rng.choice(village_teams)
        length = rng.choice((0, 0, 0, 1, 2))
        end = min(day + dt.timedelta(days=length), today - dt.timedelta(days=1))
        activity = teams.create_activity(CLERK, {
            "name": f"{team.name[:-5]}{name}", "start_date": day, "end_date": end, "service_category": category,
            "content": content, "place": f"{team.name[:-5]}村（居）委会", "organizer": team.name,
            "person_in_charge": person_name(rng), "team_id": team.id, "village_id": team.village_id})
        unrecorded = (today - end).days < 45 and number % 3 == 0
        if not unrecorded:
            pool = [p for p in active if p.village_id == team.village_id] or active
            for person in rng.sample(pool, min(len(pool), rng.randint(6, 16))):
                record = hours.enter(CLERK, person.id, rng.choice([end, day]), rng.choice((1, 1.5, 2, 2, 3, 4)),
                                     activity_id=activity.id)
                age = (today - record.service_date).days
                if age > 14 or rng.random() < 0.4:
                    if rng.random() < 0.03:
                        hours.reject(REVIEWER, record.id, "活动签到表上没有此人，请核实")
                    else:
                        hours.approve(REVIEWER, [record.id])
        day += dt.timedelta(days=rng.randint(2, 5))


def _earlier_years(rng, people, start) -> None:
    """Long-serving volunteers bring hours from earlier years, so the star levels mean something."""
    veterans = [p for p in people if p.status == "active" and p.join_date < start - dt.timedelta(days=500)]
    records = []
    for person in rng.sample(veterans, min(len(veterans), 45)):
        days = sorted({start - dt.timedelta(days=rng.randint(1, (start - person.join_date).days))
                       for _ in range(rng.randint(20, 160))})
        for day in days:
            records.append({"volunteer_id": person.id, "service_date": day, "half_hours": rng.choice((4, 6, 8, 10, 12)),
                            "content": "往年志愿服务（按纸质台账补录）", "scope": person.scope})
    ids = changes.create_many(ServiceRecord, CLERK, records, note=f"补录往年服务记录 {len(records)} 条")
    changes.create_many(ServiceApproval, REVIEWER, [{"record_id": rid, "decision": "approved", "reason": "",
                                                    "scope": rec["scope"]} for rid, rec in zip(ids, records, strict=True)],
                        note=f"审核补录的往年服务记录 {len(ids)} 条")
