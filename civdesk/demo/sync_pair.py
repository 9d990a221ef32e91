"""Two demo databases that have already synced once, to try USB sync: ``civdesk demo-pair``.

The township (清溪镇, PC 文明办电脑) and its village 桂花村 (PC 桂花村电脑) share the sync
passphrase. How they got there, as two offices would:

1. 桂花村电脑 is set up and sends its first package; 文明办电脑 is set up and imports it,
   trusting the village PC (so the township learns of 桂花村 from the village itself);
2. the township fills in its year of sample work (the demo steps) and sends the village a
   package, which the village imports, trusting the township PC;
3. the village registers volunteers of its own with hours, and sends them to the township.

Then one volunteer of the village gets a different 工作单位 on each PC: the next exchange, in
either direction, shows exactly one conflict.

Each database lives in its own folder, because backups go to ``backups/`` beside the database
and two databases in one folder would mix (and prune) each other's backups.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from civdesk.core import db
from civdesk.core.actor import Actor
from civdesk.core.errors import CivDeskError
from civdesk.core.jobs import Progress
from civdesk.demo import foundation
from civdesk.demo import volunteers as demo_volunteers
from civdesk.demo.foundation import DEMO_PASSPHRASE, DEMO_PASSWORD, DEMO_USERS
from civdesk.demo.names import TOWNSHIP, mobile, person_name
from civdesk.office import accounts, setup
from civdesk.office import offices as office_service
from civdesk.sync import exchange
from civdesk.volunteers import hours, teams
from civdesk.volunteers import roster as volunteers

VILLAGE = "桂花村"
TOWNSHIP_NODE = "文明办电脑"
VILLAGE_NODE = "桂花村电脑"
TOWNSHIP_FILE = Path("township") / "township.sqlite3"
VILLAGE_FILE = Path("village") / "village.sqlite3"
CARRY_FOLDER = "usb"  # where the user's next packages go, as if it were the stick
CONFLICT_FIELD = "employer"
TOWNSHIP_VALUE = "清溪镇卫生院"
VILLAGE_VALUE = "桂花村村民委员会"
VILLAGE_VOLUNTEERS = 24
TOWNSHIP_VOLUNTEERS = 200
STEPS = 6  # progress steps of create_demo_pair
CLERK, REVIEWER = demo_volunteers.CLERK, demo_volunteers.REVIEWER



@dataclass(frozen=True)
class DemoPair:
    folder: Path
    township: Path
    village: Path
    carry: Path
    passphrase: str
    password: str
    volunteer_id: str  # the volunteer edited differently on each PC
    volunteer_name: str


def _quiet(done: int, total: int, text: str = "") -> None:
    pass


def _request(office: str, kind: str, node: str, admin_name: str, township: str = "") -> setup.SetupRequest:
    return setup.SetupRequest(office_name=office, kind=kind, node_name=node, admin_username="admin",
                              admin_password=DEMO_PASSWORD, sync_passphrase=DEMO_PASSPHRASE,
                              township_name=township, admin_display_name=admin_name)


def _add_users(actor: Actor) -> None:
    for username, display, role in DEMO_USERS:
        accounts.add_user(actor, username, display, role, DEMO_PASSWORD, must_change=False)


def _village_work(rng: random.Random, today: dt.date) -> list:
    """The village clerk registers a few volunteers and records an activity's hours, approved."""
    people = []
    while len(people) < VILLAGE_VOLUNTEERS:
        sex = rng.choice(("男", "女"))
        birth = dt.date(rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28))
        try:
            people.append(volunteers.register(CLERK, {
                "name": person_name(rng, sex), "id_number": demo_volunteers.id_number(rng, birth, sex),
                "phone": mobile(rng), "ethnicity": rng.choice(demo_volunteers.ETHNICITIES),
                "political_status": rng.choice(demo_volunteers.POLITICS),
                "education": rng.choice(demo_volunteers.EDUCATION), "skills": rng.choice(demo_volunteers.SKILLS),
                "service_category": rng.choice(demo_volunteers.CATEGORIES), "employer": "个体",
                "address": f"{TOWNSHIP}{VILLAGE}{rng.randint(1, 12)}组{rng.randint(1, 60)}号",
                "join_date": today - dt.timedelta(days=rng.randint(30, 400))}))
        except volunteers.DuplicateVolunteer:
            continue  # the township registered that ID number already: draw another person
    team = next((t for t in teams.teams() if t.name == f"{VILLAGE}志愿服务队"), None)
    if team is not None:  # the township's team of this village, received in its package
        for person in people[:8]:
            teams.add_member(CLERK, team.id, person.id)
    for day_offset, (name, category, content) in ((20, demo_volunteers.ACTIVITY_KINDS[0]),
                                                  (9, demo_volunteers.ACTIVITY_KINDS[4])):
        day = today - dt.timedelta(days=day_offset)
        activity = teams.create_activity(CLERK, {
            "name": f"{VILLAGE}{name}", "start_date": day, "end_date": day, "service_category": category,
            "content": content, "place": f"{VILLAGE}村民委员会", "organizer": f"{VILLAGE}志愿服务队",
            "person_in_charge": person_name(rng), "team_id": team.id if team else None, "village_id": VILLAGE})
        entered = [hours.enter(CLERK, p.id, day, rng.choice((1, 1.5, 2, 3)), activity_id=activity.id).id
                   for p in rng.sample(people, 10)]
        hours.approve(REVIEWER, entered)
    return people


_KEYS: dict[Path, bytes] = {}  # each new database's key, for reopening it while the pair is built


def _open(path: Path) -> None:
    db.open_database(path, key=_KEYS.get(path))
    _KEYS[path] = db.state.key


def _exchange(source: tuple[Path, Actor], target: tuple[Path, Actor], carry: Path, *, to: str | None) -> dict:
    """Export from the source database (to the PC named *to*), import at the target trusting the
    sender; each (database, its administrator)."""
    db.close_database()
    _open(source[0])
    package = exchange.export_package(source[1], carry, to=to).path
    db.close_database()
    _open(target[0])
    return exchange.import_package(target[1], package, trust_new=True).report()


def _remove(path: Path) -> None:
    _KEYS.pop(path, None)
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.keys")):
        file.unlink(missing_ok=True)
    shutil.rmtree(db.shared_backup_dir(path), ignore_errors=True)


def _target_paths(folder: Path) -> tuple[Path, Path, Path]:
    """(township database, village database, the folder standing for the USB stick)."""
    township, village = folder / TOWNSHIP_FILE, folder / VILLAGE_FILE
    for path in (township, village):
        if path.exists():
            raise CivDeskError(f"{path} 已经存在。请换一个文件夹，或先删除原来的演示数据库。")
        path.parent.mkdir(parents=True, exist_ok=True)
    carry = folder / CARRY_FOLDER
    carry.mkdir(parents=True, exist_ok=True)
    return township, village, carry


def _build_pair(township: Path, village: Path, stick: Path, rng: random.Random, progress: Progress):
    """Set up both PCs, fill them and let them meet; returns the volunteer both then edit."""
    today = dt.date.today()
    t_admin, v_admin = Actor("admin", "王建国", "admin"), Actor("admin", "赵桂兰", "admin")
    t_side, v_side = (township, t_admin), (village, v_admin)
    progress(0, STEPS, f"设置{VILLAGE}的电脑「{VILLAGE_NODE}」")
    _open(village)
    setup.initialize(_request(VILLAGE, "village", VILLAGE_NODE, v_admin.display_name, TOWNSHIP))
    _add_users(v_admin)
    office_service.update_own_office(v_admin, {"contact_person": v_admin.display_name, "phone": "13890012345",
                                               "address": f"{TOWNSHIP}{VILLAGE}村民委员会"})
    db.close_database()

    progress(1, STEPS, f"设置{TOWNSHIP}的电脑「{TOWNSHIP_NODE}」，导入{VILLAGE}的第一个数据包")
    _open(township)
    setup.initialize(_request(TOWNSHIP, "township", TOWNSHIP_NODE, t_admin.display_name))
    _exchange(v_side, t_side, stick, to=None)

    progress(2, STEPS, f"生成{TOWNSHIP}一年的志愿服务演示数据")
    foundation.fill(t_admin, rng, progress)  # 桂花村 is there already: it came from its own PC
    demo_volunteers.fill(t_admin, rng, lambda _d, _t, text="": progress(2, STEPS, text),
                         volunteers_count=TOWNSHIP_VOLUNTEERS)

    progress(3, STEPS, f"同步：{TOWNSHIP_NODE} → {VILLAGE_NODE}")
    _exchange(t_side, v_side, stick, to=VILLAGE_NODE)

    progress(4, STEPS, f"{VILLAGE}登记本村志愿者并录入服务时长，同步：{VILLAGE_NODE} → {TOWNSHIP_NODE}")
    people = _village_work(rng, today)
    _exchange(v_side, t_side, stick, to=TOWNSHIP_NODE)

    progress(5, STEPS, "两边各改同一名志愿者的工作单位（下一次同步时出现冲突）")
    chosen = people[0]
    volunteers.update(CLERK, chosen.id, {CONFLICT_FIELD: TOWNSHIP_VALUE})
    db.close_database()
    _open(village)
    volunteers.update(CLERK, chosen.id, {CONFLICT_FIELD: VILLAGE_VALUE})
    db.close_database()
    return chosen


def create_demo_pair(folder, progress: Progress | None = None, seed: int = 20261129) -> DemoPair:
    """Write the township and village databases under *folder*; both are closed afterwards."""
    progress = progress or _quiet
    folder = Path(folder)
    township, village, carry = _target_paths(folder)
    db.close_database()
    try:
        with tempfile.TemporaryDirectory(prefix="civdesk-demo-pair-") as scratch:
            chosen = _build_pair(township, village, Path(scratch), random.Random(seed), progress)
        for path in (township, village):  # the backups taken before each built-in import
            shutil.rmtree(db.shared_backup_dir(path), ignore_errors=True)
    except BaseException:
        db.close_database()
        for path in (township, village):  # half a pair is no use, and would block the next try
            _remove(path)
        raise
    finally:
        db.close_database()
        _KEYS.pop(township, None)
        _KEYS.pop(village, None)
    progress(STEPS, STEPS, "演示数据库已生成")
    return DemoPair(folder=folder, township=township, village=village, carry=carry, passphrase=DEMO_PASSPHRASE,
                    password=DEMO_PASSWORD, volunteer_id=chosen.id, volunteer_name=chosen.name)


def instructions(pair: DemoPair) -> str:
    """What to open and what to try, in words and commands."""
    t, v, usb = pair.township, pair.village, pair.carry
    return f"""
已生成两个已经互相同步过一次的演示数据库（同步口令：{pair.passphrase}）：
  {TOWNSHIP}「{TOWNSHIP_NODE}」  python main.py --db {t}
  {VILLAGE}「{VILLAGE_NODE}」  python main.py --db {v}
两边的账号相同：admin（系统管理员）、lixiuying（审核人）、zhangli（录入员）…，密码都是 {pair.password}。

可以看到：镇里有{VILLAGE}自己登记的志愿者（编号 GHC 开头），村里有镇里登记的本村志愿者，
但看不到其他村的志愿者。志愿者「{pair.volunteer_name}」的工作单位在镇里改成了「{TOWNSHIP_VALUE}」，
在村里改成了「{VILLAGE_VALUE}」，尚未同步：下一次同步会出现一个冲突。

试一下（{usb} 就当作 U 盘）：在程序的「数据同步」页把村里的变更导出到 {usb}，在镇里导入，
再到「冲突处理」页选定一个值；或者用命令行：
  export CIVDESK_PASSWORD={pair.password}
  python -m civdesk --db {v} sync export --out {usb} --to {TOWNSHIP_NODE} --user admin
  python -m civdesk --db {t} sync import {usb}/<上一步显示的文件名> --dry-run --user admin
  python -m civdesk --db {t} sync import {usb}/<同一个文件> --user admin
  python -m civdesk --db {t} sync conflicts
  python -m civdesk --db {t} sync resolve <冲突编号> --keep <值编号> --user admin
再反过来：镇里 sync export --to {VILLAGE_NODE}，村里 sync import，处理结果随数据包到达村里，冲突随之关闭。
"""
