"""Sample 热线工单: about three months of tickets up to today, entered the way the office works.

Old tickets are mostly closed (one after a 重办, one returned and re-dispatched to a department,
one closed with an approved 延期); last month a hot issue — 白鹤村 环境卫生 four times — with its
现场办公会 and tasks, and a duplicate call merged into the first ticket; recent tickets wait in
every state (received, waiting to be signed, in handling — some yellow, one overdue for 督办 —,
replied awaiting 回访, returned, in 重办, with a 延期 waiting for approval).
"""

from __future__ import annotations

import datetime as dt
import random

from civdesk.calendar import holidays
from civdesk.core.actor import Actor
from civdesk.core.db import database
from civdesk.demo.names import mobile, person_name
from civdesk.hotline import board, flow, hot, tickets
from civdesk.office import offices

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
CONTENT = {
    "环境卫生": ("{place}路口垃圾堆放多日无人清运，气味很大", "{place}河沟里漂浮生活垃圾", "{place}公厕无人打扫"),
    "占道经营": ("{place}早市摊贩占用车行道，车辆无法通行", "{place}门店在人行道上摆放货架"),
    "噪声油烟": ("{place}烧烤店油烟直排，影响楼上住户", "{place}广场舞音响声音过大，晚上十点后仍未停止"),
    "文明行为": ("{place}有人在绿化带内晾晒衣物、种菜", "{place}车辆乱停乱放堵塞消防通道"),
    "志愿服务": ("咨询如何报名参加{place}的志愿服务活动", "表扬{place}志愿者帮助独居老人买菜送药"),
    "其他": ("{place}路灯损坏多日未修", "询问{place}的文明家庭评选条件"),
}
REPLIES = ("已联系责任单位现场处理完毕，并安排专人每日巡查", "已约谈相关商户并督促整改，群众反映的问题已解决",
           "已向来电人解释相关政策，告知办理渠道和所需材料", "已协调村（社区）和环卫公司增加清运频次")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def _wd(day: dt.date, n: int) -> dt.date:
    return holidays.add_workdays(day, n).day


class _Filler:
    def __init__(self, rng: random.Random, today: dt.date):
        self.rng, self.today = rng, today
        self.villages = {v.name: v.id for v in offices.villages()}

    def receive(self, day: dt.date, village: str, category: str, kind: str = "投诉", *, phone: str = "",
                address: str = "", urgent: bool = False, channel: str = ""):
        rng = self.rng
        place = address or f"{village}{rng.randint(1, 9)}组"
        content = rng.choice(CONTENT[category]).format(place=place)
        if kind == "表扬":
            content = f"表扬{village}工作人员热心帮助群众"
        return tickets.receive(CLERK, {
            "received_at": _at(day, rng.choice((8, 9, 10, 14, 15)), rng.choice((5, 20, 35, 50))),
            "channel": channel or rng.choice(("热线转办", "热线转办", "来电", "来访", "网络")),
            "caller_name": person_name(rng), "caller_phone": phone or mobile(rng), "address": place,
            "village_id": self.villages.get(village), "kind": kind, "category": category, "content": content,
            "urgent": urgent})

    def to(self, row, stage: str, *, sign_late: bool = False, result: str = "满意"):
        """Move *row* through the flow up to *stage* (dispatched, signed, replied, visited, closed)."""
        start = tickets.parse_stamp(row.received_at).date()
        flow.dispatch(CLERK, row.id, at=_at(start, 16, 30))
        if stage == "dispatched":
            return row
        sign_day = _wd(start, 2 if sign_late else 1)
        flow.sign(CLERK, row.id, at=_at(sign_day, 9))
        flow.add_note(CLERK, row.id, "已到现场查看，拍照留存，联系相关责任人", at=_at(sign_day, 15))
        if stage == "signed":
            return row
        reply_day = _wd(sign_day, self.rng.randint(1, 3))
        flow.reply(CLERK, row.id, self.rng.choice(REPLIES), at=_at(reply_day, 10))
        if stage == "replied":
            return row
        flow.visit(CLERK, row.id, result, note="电话回访来电人", at=_at(_wd(reply_day, 1), 9, 30))
        if stage == "visited":
            return row
        flow.close(REVIEWER, row.id, at=_at(_wd(reply_day, 1), 11))
        return row


def _old_months(f: _Filler, start: dt.date) -> None:
    """Tickets received 40–85 days ago, nearly all closed."""
    names = list(f.villages)
    categories = list(CONTENT)
    for offset in range(85, 40, -4):
        day = f.today - dt.timedelta(days=offset)
        kind = f.rng.choice(("投诉", "投诉", "求助", "咨询", "建议", "表扬"))
        row = f.receive(day, f.rng.choice(names), f.rng.choice(categories), kind)
        f.to(row, "closed", sign_late=offset % 3 == 0, result=f.rng.choice(("满意", "满意", "基本满意", "不满意")))
    redo = f.receive(start, "石桥村", "噪声油烟")
    f.to(redo, "replied")
    visit_day = _wd(tickets.parse_stamp(tickets.get(redo.id).replied_at).date(), 1)
    flow.visit(REVIEWER, redo.id, "不满意", note="烧烤店晚上仍然直排油烟", handling_at_fault=True, at=_at(visit_day, 9))
    again = _wd(visit_day, 3)
    flow.reply(CLERK, redo.id, "已督促烧烤店安装油烟净化器并现场检测合格", at=_at(again, 10))
    flow.visit(REVIEWER, redo.id, "满意", at=_at(_wd(again, 1), 9))
    flow.close(REVIEWER, redo.id, at=_at(_wd(again, 1), 10))
    returned = f.receive(start + dt.timedelta(days=2), "金马村", "其他", "求助")
    flow.dispatch(CLERK, returned.id, at=_at(start + dt.timedelta(days=2), 16))
    flow.return_ticket(CLERK, returned.id, "路灯属于镇城建办管理，不属于村里维修范围",
                       at=_at(_wd(start + dt.timedelta(days=2), 1), 10))
    redispatch = _wd(start + dt.timedelta(days=2), 1)
    flow.dispatch(CLERK, returned.id, department="镇城建办", at=_at(redispatch, 14))
    flow.sign(CLERK, returned.id, at=_at(redispatch, 15))
    request = flow.request_extension(CLERK, returned.id, 5, "需要等供电公司配合更换线路",
                                     at=_at(_wd(redispatch, 2), 9))
    flow.decide_extension(REVIEWER, request.id, True, note="同意", at=_at(_wd(redispatch, 2), 15))
    reply_day = _wd(redispatch, 8)
    flow.reply(CLERK, returned.id, "路灯已更换并恢复照明", at=_at(reply_day, 10))
    flow.visit(CLERK, returned.id, "满意", at=_at(_wd(reply_day, 1), 9))
    flow.close(REVIEWER, returned.id, at=_at(_wd(reply_day, 1), 10))


def _hot_issue(f: _Filler) -> None:
    """Last month: 白鹤村 环境卫生 four times (one a duplicate call, merged), and its 现场办公会."""
    first_of_month = f.today.replace(day=1)
    month_start = (first_of_month - dt.timedelta(days=1)).replace(day=1)
    phone = mobile(f.rng)
    made = []
    for day_of_month, same_phone in ((3, True), (6, False), (9, False), (12, False)):
        row = f.receive(month_start + dt.timedelta(days=day_of_month - 1), "白鹤村", "环境卫生",
                        phone=phone if same_phone else "", address="白鹤村河滨路")
        made.append(row)
    duplicate = f.receive(month_start + dt.timedelta(days=3), "白鹤村", "环境卫生", phone=phone,
                          address="白鹤村河滨路", channel="来电")
    tickets.merge(REVIEWER, made[0].id, duplicate.id, "同一来电人再次反映同一处垃圾",
                  at=_at(month_start + dt.timedelta(days=3), 17))
    for row in made:
        f.to(row, "closed", result="基本满意")
    issue = next(h for h in hot.hot_issues(month_start) if h.village == "白鹤村" and h.category == "环境卫生")
    hot.record_meeting(REVIEWER, month_start, issue.village_id, "环境卫生",
                       held_on=month_start + dt.timedelta(days=19), place="白鹤村村委会会议室",
                       attendees="镇文明办王建国、李秀英，白鹤村两委，镇环卫所，河滨路沿线商户代表",
                       tasks=[hot.TaskInput("河滨路增设垃圾收集点两处", "白鹤村村主任", month_start + dt.timedelta(days=30)),
                              hot.TaskInput("环卫所每日早晚各清运一次", "镇环卫所所长", month_start + dt.timedelta(days=25)),
                              hot.TaskInput("沿线商户签订门前三包责任书", "白鹤村文书", month_start + dt.timedelta(days=40))],
                       summary="河滨路垃圾反复堆放，原因是收集点少、清运不及时，会议明确三项整改措施和责任人。")


def _recent(f: _Filler) -> None:
    """Tickets of the last three weeks, waiting in every state."""
    today = f.today
    f.receive(today - dt.timedelta(days=1), "桂花村", "占道经营")
    f.receive(today - dt.timedelta(days=1), "", "文明行为", "建议", address="镇中心广场")
    f.to(f.receive(today - dt.timedelta(days=1), "龙泉社区", "噪声油烟"), "dispatched")
    f.to(f.receive(today - dt.timedelta(days=5), "新民村", "环境卫生", "求助"), "dispatched")  # not signed: red
    f.to(f.receive(_wd(today, -3), "红星村", "环境卫生"), "signed")
    f.to(f.receive(_wd(today, -9), "太平社区", "占道经营"), "signed")  # yellow: due within two days
    f.to(f.receive(_wd(today, -8), "柳林村", "其他", "咨询"), "signed")  # 咨询 2 days: overdue, 督办
    f.to(f.receive(today - dt.timedelta(days=12), "双河社区", "志愿服务", "咨询"), "replied")
    f.to(f.receive(today - dt.timedelta(days=14), "桂花村", "志愿服务", "表扬"), "visited")
    returned = f.receive(today - dt.timedelta(days=6), "金马村", "其他", "求助")
    flow.dispatch(CLERK, returned.id, at=_at(today - dt.timedelta(days=6), 16))
    flow.return_ticket(CLERK, returned.id, "该路段归交通部门管理", at=_at(_wd(today - dt.timedelta(days=6), 1), 9))
    redo = f.to(f.receive(today - dt.timedelta(days=20), "石桥村", "环境卫生"), "replied")
    replied = tickets.parse_stamp(tickets.get(redo.id).replied_at).date()
    visit_day = min(_wd(replied, 1), today - dt.timedelta(days=1))
    flow.visit(REVIEWER, redo.id, "不满意", note="垃圾清了又堆，没有根本解决", handling_at_fault=True,
               at=_at(visit_day, 9))
    waiting = f.to(f.receive(_wd(today, -6), "白鹤村", "噪声油烟", "投诉"), "signed")
    flow.request_extension(CLERK, waiting.id, 5, "需要环保部门检测噪声", at=_at(_wd(today, -4), 9))


def fill(actor: Actor, rng: random.Random, progress) -> None:
    if board.rows():
        return  # sample data is added once
    today = dt.date.today()
    f = _Filler(rng, today)
    with database.atomic():
        progress(0, 3, "正在生成演示数据：热线工单（往月）")
        _old_months(f, today - dt.timedelta(days=75))
        progress(1, 3, "正在生成演示数据：热线工单（热点问题和现场办公会）")
        _hot_issue(f)
        progress(2, 3, "正在生成演示数据：热线工单（近期）")
        _recent(f)
