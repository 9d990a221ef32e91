"""Sample 文明创建: three years of the township's cycle across the demo villages.

Two years ago: applications named (their titles reviewed last year, one revoked, one since
recommended to the district and named there); three years ago: a title now about to expire.
This year: applications in every status — drafts, submitted, in 初审 and 测评 (one vetoed by the
inspection hook), one notice ended (named, one failed on an upheld objection) and one running
with an objection waiting to be looked into.
"""

from __future__ import annotations

import datetime as dt
import random

from civdesk.core.actor import Actor
from civdesk.core.db import database
from civdesk.demo.names import VILLAGES, mobile, person_name
from civdesk.notices import public_notices as notices
from civdesk.units import (
    organisations as units,
)
from civdesk.units import (
    scoring as unit_scoring,
)
from civdesk.units import (
    titles as unit_titles,
)
from civdesk.units import (
    workflow as unit_workflow,
)
from civdesk.units.models import Organisation

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
TOWNSHIP_UNITS = (("清溪镇中心小学", "学校", 86), ("清溪镇卫生院", "机关事业单位", 64), ("清溪镇派出所", "机关事业单位", 32),
                  ("四川清溪食品有限公司", "企业", 210), ("清溪农商银行营业部", "企业", 18),
                  ("清溪镇便民服务中心", "机关事业单位", 25))
SUMMARIES = ("坚持把文明创建与中心工作同谋划、同部署，修订完善{rules}，开展“我们的节日”、道德讲堂等活动{n}次，"
             "志愿服务队常态化开展关爱留守儿童、清洁家园等服务，群众满意度明显提升。")
HIGHLIGHTS = ("打造“红色文化长廊”，开展“最美家庭”评选", "推行积分制管理，群众参与人居环境整治积极性高",
              "成立“银发志愿服务队”，结对帮扶空巢老人 30 余户", "开设“四点半课堂”，辅导留守儿童作业",
              "推进移风易俗，红白理事会劝导简办婚丧事 12 起")


def _orgs(rng: random.Random) -> list[Organisation]:
    made = []
    for village in VILLAGES:
        kind = "社区" if village.endswith("社区") else "村"
        made.append(units.create_org(CLERK, {
            "name": village, "kind": kind, "village_id": village, "address": f"清溪镇{village}{'居委会' if kind == '社区' else '村委会'}",
            "contact_person": person_name(rng), "phone": mobile(rng), "size_count": rng.randint(380, 1600)}))
    for name, kind, staff in TOWNSHIP_UNITS:
        made.append(units.create_org(CLERK, {"name": name, "kind": kind, "address": f"清溪镇{rng.choice(('正街', '新街', '滨河路'))}"
                                                                                    f"{rng.randint(1, 200)}号",
                                             "contact_person": person_name(rng), "phone": mobile(rng),
                                             "size_count": staff}))
    return made


def _scores(rng: random.Random, app, kind: str, target: float) -> None:
    """Scores of *kind* near *target* points: full marks less a random shortfall spread over items."""
    items = units.items(app.set_id)
    shortfall = max(0, round((100 - target) * 10))
    entries = {}
    notes = ("见工作台账", "有照片和活动记录", "资料齐全", "见附件", "见会议记录") if kind == "self" else \
        ("实地查看，符合要求", "台账完整", "查阅资料，符合要求")
    deducted = ("台账不完整", "部分活动缺少照片", "抽查中发现问题", "记录不够及时") if kind == "self" else \
        ("台账不完整，扣分", "实地抽查发现问题，扣分", "部分资料缺失，扣分", "群众知晓率不高，扣分")
    for item in rng.sample(items, len(items)):
        grades = item.grade_points()
        if grades:
            best = max(grades, key=grades.get)
            pick = best if shortfall < 10 or rng.random() < 0.6 else sorted(grades, key=grades.get)[-2]
            shortfall -= grades[best] - grades[pick]
            entries[item.id] = (pick, rng.choice(notes if pick == best else deducted))
            continue
        cut = max(0, min(shortfall, item.max_tenths // 2, rng.choice((0, 5, 5, 10, 10, 15, 20)))) // 5 * 5
        shortfall -= cut
        entries[item.id] = ((item.max_tenths - cut) / 10, rng.choice(deducted if cut else notes))
    unit_scoring.enter_scores(CLERK if kind == "self" else REVIEWER, app.id, kind, entries)


def _application(rng, org, year, status: str, *, assessed: float = 92.0, level: str = "镇级"):
    app = unit_scoring.create(CLERK, org.id, year, units.default_title(org), level,
                              work_summary=SUMMARIES.format(rules="村规民约" if org.kind in ("村", "社区") else "单位制度",
                                                            n=rng.randint(6, 15)),
                              highlights=rng.choice(HIGHLIGHTS))
    if status == "draft":
        _scores(rng, app, "self", rng.uniform(86, 93))
        return app
    _scores(rng, app, "self", rng.uniform(91, 98))
    unit_workflow.submit(CLERK, app.id)
    if status == "submitted":
        return app
    unit_workflow.accept(REVIEWER, app.id)
    if status == "prelim":
        return app
    unit_workflow.start_assessment(REVIEWER, app.id)
    _scores(rng, app, "assessed", assessed)
    return app


def _named_year(rng, orgs, year: int, number: str, day: dt.date) -> list:
    apps = [_application(rng, org, year, "assessing", assessed=rng.uniform(87, 96)) for org in orgs]
    start = day - dt.timedelta(days=12)
    unit_workflow.publish_notice(REVIEWER, [a.id for a in apps], start)
    return unit_workflow.name(REVIEWER, [a.id for a in apps], number, day, today=day)


def fill(actor: Actor, rng: random.Random, progress) -> None:
    if Organisation.select().exists():
        return  # sample data is added once
    today = dt.date.today()
    year = today.year
    with database.atomic():
        units.ensure_default_sets(actor, year - 3)
        units.ensure_default_sets(actor, year)
        orgs = _orgs(rng)
        by_name = {o.name: o for o in orgs}
        progress(0, 4, "正在生成演示数据：往年的命名和复查")
        # Three years ago: one title whose term ends within the reminder window.
        expiring_day = today + dt.timedelta(days=20) - dt.timedelta(days=3 * 365 + 1)
        (old,) = _named_year(rng, [by_name["龙泉社区"]], expiring_day.year, f"清溪镇文明委〔{expiring_day.year}〕9号",
                             expiring_day)
        for offset in (2, 1):
            unit_titles.review(REVIEWER, old.id, old.year + offset, "keep", "复查合格",
                               dt.date(old.year + offset, 10, 15), today=today)
        # Two years ago: five named; reviewed last year, one revoked.
        past = dt.date(year - 2, 12, 6)
        titles = _named_year(rng, [by_name[n] for n in ("桂花村", "石桥村", "太平社区", "清溪镇中心小学", "四川清溪食品有限公司")],
                             year - 2, f"清溪镇文明委〔{year - 2}〕11号", past)
        reviewed = dt.date(year - 1, 11, 18)
        for title in titles:
            if title.org_id == by_name["石桥村"].id:
                unit_titles.review(REVIEWER, title.id, year - 1, "revoke", "环境卫生整治反弹，两次督查整改逾期未完成",
                                   reviewed, today=today)
            else:
                unit_titles.review(REVIEWER, title.id, year - 1, "keep", "复查合格，创建成果巩固", reviewed, today=today)
        unit_titles.review(REVIEWER, titles[0].id, year, "keep", "复查合格", today - dt.timedelta(days=30), today=today)
        # Recommended to the district: one named there, one still pending.
        first = unit_titles.recommend(REVIEWER, titles[0].id, "区级文明村", dt.date(year - 1, 3, 10), today=today)
        unit_titles.record_district_outcome(REVIEWER, first.id, "approved", dt.date(year - 1, 6, 20),
                                            f"新都区文明委〔{year - 1}〕6号", today=today)
        unit_titles.recommend(REVIEWER, titles[2].id, "区级文明社区", today - dt.timedelta(days=40), today=today)
        progress(1, 4, "正在生成演示数据：今年的申报")
        _this_year(rng, by_name, year, today)
        progress(2, 4, "正在生成演示数据：文明创建")


def _this_year(rng, by_name, year: int, today: dt.date) -> None:
    for name in ("金马村", "清溪镇便民服务中心"):
        _application(rng, by_name[name], year, "draft")
    for name in ("柳林村", "清溪农商银行营业部"):
        _application(rng, by_name[name], year, "submitted")
    _application(rng, by_name["双河社区"], year, "prelim")
    _application(rng, by_name["清溪镇派出所"], year, "assessing", assessed=89.5)
    vetoed = _application(rng, by_name["白鹤村"], year, "assessing", assessed=90.5)
    unit_workflow.raise_veto_from_inspection(REVIEWER, vetoed.org_id, unit_workflow.SANITATION,
                                             f"整改通知书（清文明整〔{year}〕17号）要求 10 日内清理河道垃圾，逾期未整改",
                                             "督查照片 3 张、整改通知书回执")
    # An ended notice: two named, one failed on an upheld objection, one below the line failed earlier.
    ended_start = today - dt.timedelta(days=20)
    ended = [_application(rng, by_name[n], year, "assessing", assessed=rng.uniform(88, 95))
             for n in ("红星村", "新民村", "清溪镇卫生院")]
    low = _application(rng, by_name["太平社区"], year, "assessing", assessed=82.5)
    score = unit_scoring.points_text(unit_scoring.get(low.id).assessed_tenths)
    unit_workflow.fail(REVIEWER, low.id, f"测评 {score} 分，未达到通过分数 85 分")
    notice = unit_workflow.publish_notice(REVIEWER, [a.id for a in ended], ended_start)
    dismissed = notices.record_objection(CLERK, notice.id, ended[0].id, ended_start + dt.timedelta(days=2), "匿名",
                                         "反映该村文化广场晚上无人管理，噪音扰民", "")
    notices.decide_objection(REVIEWER, dismissed.id, "dismissed", "经实地核实，广场舞已约定在 21 点前结束，不影响命名")
    upheld = notices.record_objection(CLERK, notice.id, ended[1].id, ended_start + dt.timedelta(days=4), "村民",
                                      "村里去年发生集体上访，申报材料未如实反映", mobile(rng))
    notices.decide_objection(REVIEWER, upheld.id, "upheld", "经镇信访办核实，申报材料隐瞒了信访事项，情况属实")
    unit_workflow.fail(REVIEWER, ended[1].id, "公示期间异议经核实成立：申报材料未如实反映信访事项")
    day = today - dt.timedelta(days=5)
    unit_workflow.name(REVIEWER, [ended[0].id, ended[2].id], f"清溪镇文明委〔{year}〕8号", day, today=day)
    # A notice running now, with an objection waiting.
    running = [_application(rng, by_name[n], year, "assessing", assessed=rng.uniform(87, 94))
               for n in ("石桥村", "四川清溪食品有限公司")]
    current = unit_workflow.publish_notice(REVIEWER, [a.id for a in running], today - dt.timedelta(days=2))
    notices.record_objection(CLERK, current.id, running[1].id, today - dt.timedelta(days=1), "职工家属",
                             "反映公司车间夜间噪声扰民，未落实整改", mobile(rng))
