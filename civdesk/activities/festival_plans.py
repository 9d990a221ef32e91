"""我们的节日: planning a festival's activity from a template in one call, the year's plan, and the
month calendar (festival dates from civdesk.calendar, planned and held activities)."""

from __future__ import annotations

import calendar as _month_calendar
import datetime as dt
from dataclasses import dataclass, field

from civdesk.activities import records
from civdesk.activities.models import ActivityRecord
from civdesk.calendar import festivals as festival_dates
from civdesk.core import calendar_items
from civdesk.core.actor import Actor
from civdesk.core.calendar_items import CalendarItem

# Default title and content of each festival's activity; the clerk edits them afterwards.
TEMPLATES: dict[str, tuple[str, str]] = {
    "除夕": ("“我们的节日·除夕”守岁迎新活动", "组织志愿者走访慰问困难群众、空巢老人，开展写春联、贴窗花、吃团年饭等民俗活动，倡导文明过节、安全过节。"),
    "春节": ("“我们的节日·春节”文明过大年", "开展送春联、送祝福、新春游园和文艺演出，倡导移风易俗、文明祭祀、绿色出行，营造欢乐祥和的节日氛围。"),
    "元宵": ("“我们的节日·元宵”闹元宵活动", "举办猜灯谜、做汤圆、观花灯、民俗展演，宣传家风家训和邻里和睦。"),
    "清明": ("“我们的节日·清明”文明祭扫", "开展网上祭英烈、革命传统教育和文明祭扫宣传，倡导鲜花祭扫、植树缅怀，做好森林防火。"),
    "端午": ("“我们的节日·端午”传承民俗", "开展包粽子、诵读经典、制作香囊等活动，讲述屈原故事，弘扬爱国主义精神。"),
    "七夕": ("“我们的节日·七夕”家庭美德宣传", "开展婚育新风、家庭美德宣传和最美家庭故事分享，倡导健康文明的婚恋观。"),
    "中秋": ("“我们的节日·中秋”团圆邻里情", "开展中秋诗会、做月饼、邻里聚会，走访慰问留守老人和留守儿童，弘扬团圆和睦的传统美德。"),
    "重阳": ("“我们的节日·重阳”敬老爱老", "组织志愿者为老年人义诊、理发、打扫卫生，开展敬老孝亲故事宣讲，营造尊老爱老的社会风尚。"),
    "烈士纪念日": ("烈士纪念日缅怀英烈活动", "组织向烈士敬献花篮、重温入党誓词、讲述英烈事迹，开展爱国主义教育。"),
    "国家公祭日": ("国家公祭日悼念活动", "组织收看国家公祭仪式，开展默哀、主题宣讲和历史图片展，铭记历史、珍爱和平。"),
}


def template(name: str) -> tuple[str, str]:
    if name not in TEMPLATES:
        raise ValueError(f"没有这个节日：{name}（可选：{'、'.join(festival_dates.FESTIVAL_NAMES)}）")
    return TEMPLATES[name]


def plan_festival(actor: Actor, year: int, name: str, *, village_id: str | None = None, day=None, title: str = "",
                  content: str = "", place: str = "", organiser: str = "",
                  today: dt.date | None = None) -> ActivityRecord:
    """A planned 节日 activity on the festival's date (or *day*), with the template's title and content."""
    from civdesk.core.validation import ValidationError

    try:
        default_title, default_content = template(name)
        festival_day = festival_dates.festival_date(year, name)
    except ValueError as exc:
        raise ValidationError({"festival": str(exc)}) from None
    return records.create(actor, {
        "kind": "festival", "status": "planned", "festival": name, "day": day or festival_day,
        "title": title or f"{year}年{default_title}", "content": content or default_content,
        "place": place, "organiser": organiser, "village_id": village_id}, today=today)


@dataclass(frozen=True)
class FestivalPlanRow:
    name: str
    day: str
    days_left: int
    plans: list[records.ActivityRow]  # planned and held activities of this festival in that year
    colour: str  # "red" no plan and within the warning days, "yellow" no plan yet, "ok" planned


def year_plan(year: int, village_id: str | None = None, today: dt.date | None = None) -> list[FestivalPlanRow]:
    """Every festival of *year* with its activities (of one village, or all when None)."""
    from civdesk.office import settings

    today = today or dt.date.today()
    warn = int(settings.get("activities.festival_warning_days"))
    found = records.rows(dt.date(year, 1, 1) - dt.timedelta(days=31), dt.date(year, 12, 31) + dt.timedelta(days=31),
                         kind="festival", village_id=village_id, today=today)
    result = []
    for name, day in festival_dates.festivals(year):
        plans = [r for r in found if r.festival == name and r.status != "cancelled"
                 and abs((dt.date.fromisoformat(r.day) - day).days) <= 31]
        left = (day - today).days
        colour = "ok" if plans or left < 0 else ("red" if left <= warn else "yellow")
        result.append(FestivalPlanRow(name, day.isoformat(), left, plans, colour))
    return result


@dataclass(frozen=True)
class CalendarDay:
    day: str
    in_month: bool
    festivals: list[str]
    activities: list[records.ActivityRow]
    items: list[CalendarItem] = field(default_factory=list)  # other domains' (督查, 热线), by registry


def month_calendar(year: int, month: int, village_id: str | None = None,
                   today: dt.date | None = None, actor: Actor | None = None) -> list[list[CalendarDay]]:
    """The month page: weeks (Monday first) of days with their festivals and activities and, for
    *actor*, the dated items the other domains registered (督查 rounds and deadlines, 热线 deadlines)."""
    weeks = _month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    by_day: dict[str, list[records.ActivityRow]] = {}
    for row in records.rows(first, last, village_id=village_id, today=today):
        by_day.setdefault(row.day, []).append(row)
    named: dict[dt.date, list[str]] = {}
    for y in sorted({first.year, last.year}):
        if festival_dates.MIN_YEAR <= y <= festival_dates.MAX_YEAR:
            for name, day in festival_dates.festivals(y):
                named.setdefault(day, []).append(name)
    others = calendar_items.by_day(actor, first, last) if actor is not None else {}
    return [[CalendarDay(d.isoformat(), d.month == month, named.get(d, []), by_day.get(d.isoformat(), []),
                         others.get(d, [])) for d in week] for week in weeks]


def unplanned(today: dt.date | None = None, village_id: str | None = None) -> list[tuple[str, dt.date]]:
    """Festivals within the warning days (settings) that have no planned or held activity."""
    from civdesk.office import settings

    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=int(settings.get("activities.festival_warning_days")))
    upcoming = [(n, d) for y in sorted({today.year, horizon.year}) for n, d in festival_dates.festivals(y)
                if today <= d <= horizon]
    missing = []
    for name, day in upcoming:
        query = ActivityRecord.select().where(
            (ActivityRecord.deleted == False) & (ActivityRecord.kind == "festival")  # noqa: E712
            & (ActivityRecord.festival == name) & (ActivityRecord.status != "cancelled")
            & (ActivityRecord.day >= day - dt.timedelta(days=31)) & (ActivityRecord.day <= day + dt.timedelta(days=31)))
        if village_id:
            query = query.where(ActivityRecord.village_id == village_id)
        if not query.exists():
            missing.append((name, day))
    return missing
