"""Eight roster and hours sheets laid out like the exports clerks really have (issue 20), built as
.xlsx from the public column definitions of those systems: a community volunteer template,
JeecgBoot and RuoYi exports, a youth-volunteer export, two 志愿北京 batch-hours sheets, a school
volunteer-record import and the national system's roster with 注册时间.

Each :class:`Layout` knows its sheet, which columns a clerk has to answer in the mapping step
(``asks``) and what they answer (``mapping``), the field each header must be read as, and what
each row must become.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from tests.support.volunteers import make_id

ZHANG_ID = make_id("19850312", "101")
LI_ID = make_id("19900101", "202")
WANG_ID = make_id("19951220", "303")
ZHAO_ID = make_id("20080506", "404")
ZHANG_PHONE, LI_PHONE = "13812345678", "13900001111"
ZHANG_ZYZ = "ZYZ2021000123"  # 张三's number in the national system (kept as 原编号)


@dataclass
class Layout:
    name: str
    kind: str  # "volunteers" or "hours"
    header: list[str]
    rows: list[list]
    title: str | None = None  # a merged title row above the header
    footer: list[list] = field(default_factory=list)  # 合计 / 备注 rows below the data
    asks: list[str] = field(default_factory=list)  # columns of dates/numbers no field claims
    mapping: dict[str, str] = field(default_factory=dict)  # the clerk's answers
    columns: dict[str, str] = field(default_factory=dict)  # field key -> header it must be read as
    not_imported: list[str] = field(default_factory=list)  # shown as not imported
    imported: int = 0
    problems: dict[int, str] = field(default_factory=dict)  # row -> part of the message

    def build(self, folder: Path) -> Path:
        wb = Workbook()
        ws = wb.active
        if self.title:
            ws.append([self.title])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(self.header))
        for row in [self.header, *self.rows, *self.footer]:
            ws.append(row)
        path = folder / f"{self.name}.xlsx"
        wb.save(path)
        return path


COMMUNITY = Layout(
    "社区志愿者报名登记表", "volunteers",
    ["序号", "姓名", "性别", "出生年月", "身份证号码", "政治面貌", "文化程度", "工作单位", "职业", "联系电话",
     "座机电话", "家庭住址", "特长爱好", "服务意向", "报名日期", "备注"],
    [[1, "张三", "男", "1985.03", ZHANG_ID, "党员", "大学本科", "清溪镇中心小学", "教师", ZHANG_PHONE,
      "028-83951234", "桂花村3组12号", "急救", "敬老助残", dt.datetime(2023, 4, 1), ""],
     [2, "李 四", "女", "1990.01", LI_ID, "群众", "高中", "", "个体", "139 0000 1111", "", "桂花村5组", "", "",
      "2023/4/2", "夜班"]],
    title="桂花村志愿者报名登记表", footer=[["备注：报名表由村委会汇总"]],
    asks=["出生年月"], mapping={"出生年月": "不导入"},
    columns={"name": "姓名", "id_number": "身份证号码", "education": "文化程度", "occupation": "职业",
             "phone": "联系电话", "landline": "座机电话", "address": "家庭住址", "skills": "特长爱好",
             "service_category": "服务意向", "join_date": "报名日期"},
    not_imported=["序号", "出生年月"], imported=2)

JEECGBOOT = Layout(
    "JeecgBoot志愿者导出", "volunteers",
    ["姓名", "性别", "手机号", "身份证号", "所属社区", "志愿者编号", "政治面貌", "学历", "创建人", "创建日期",
     "更新人", "更新日期", "所属部门"],
    [["张三", "男", ZHANG_PHONE, ZHANG_ID, "桂花村", ZHANG_ZYZ, "中共党员", "本科", "admin",
      "2022-03-05 10:20:00", "admin", "2024-01-02 08:00:00", "A01"],
     ["王五", "男", "13700002222", WANG_ID, "桂花村", "ZYZ2022000456", "团员", "大专", "admin",
      "2022-06-01 09:00:00", None, None, "A01"]],
    asks=["更新日期"], mapping={"更新日期": "不导入"},
    columns={"phone": "手机号", "village_id": "所属社区", "original_number": "志愿者编号", "join_date": "创建日期"},
    not_imported=["创建人", "更新人", "更新日期", "所属部门"], imported=2)

YOUTH = Layout(
    "青年志愿者导出", "volunteers",
    ["序号", "姓名", "性别", "出生日期", "政治面貌", "民族", "联系电话", "所在组织", "注册时间", "志愿时长"],
    [[1, "赵六", "女", "2008-05-06", "共青团员", "汉", "13600003333", "清溪中学团委", "2024-09-01", 12.5],
     [2, "钱七", "男", "2007-11-20", "团员", "回", "13600004444", "清溪中学团委", "2024-09-01", 3]],
    asks=["志愿时长"], mapping={"志愿时长": "不导入"},
    columns={"birth_date": "出生日期", "phone": "联系电话", "join_date": "注册时间"},
    not_imported=["序号", "所在组织", "志愿时长"], imported=2)

NATIONAL = Layout(
    "全国志愿服务信息系统花名册", "volunteers",
    ["序号", "志愿者编号", "姓名", "性别", "证件类型", "证件号码", "志愿者手机", "政治面貌", "最高学历",
     "所在村（社区）", "注册时间", "服务时长"],
    [[1, ZHANG_ZYZ, "张三", "男", "身份证", ZHANG_ID, ZHANG_PHONE, "中共党员", "本科", "桂花村",
      "2021-05-06 10:12:00", 36],
     [2, "ZYZ2021000124", "李四", "女", "居民身份证", LI_ID, LI_PHONE, "群众", "高中", "桂花村",
      dt.datetime(2021, 7, 1), 0]],
    title="清溪镇志愿者花名册", footer=[[None], ["合计", "2人"]],
    asks=["服务时长"], mapping={"服务时长": "不导入"},
    columns={"original_number": "志愿者编号", "id_type": "证件类型", "phone": "志愿者手机", "education": "最高学历",
             "village_id": "所在村（社区）", "join_date": "注册时间"},
    not_imported=["序号", "服务时长"], imported=2)

# Hours sheets: 张三 and 李四 are registered first (see ``register_people``).
RUOYI = Layout(
    "RuoYi服务记录导出", "hours",
    ["序号", "志愿者姓名", "手机号码", "服务项目", "服务岗位", "服务日期", "服务时长", "审核状态"],
    [[1, "张三", ZHANG_PHONE, "敬老助残", "陪护", "2024-03-05", "2.5h", "已审核"],
     [2, "李四", "139-0000-1111", "敬老助残", "打扫", "2024-03-05", "3小时", "已审核"],
     [3, "王五", "13700002222", "敬老助残", "打扫", "2024-03-05", 2, "已审核"]],
    mapping={"服务项目": "项目名称"},
    columns={"name": "志愿者姓名", "phone": "手机号码", "project": "服务项目", "post": "服务岗位",
             "service_date": "服务日期", "hours": "服务时长"},
    not_imported=["序号", "审核状态"], imported=2, problems={4: "找不到姓名为「王五」"})

BEIJING_MINUTES = Layout(
    "志愿北京批量录入时长", "hours",
    ["志愿者姓名", "证件类型", "证件号码", "服务开始时间", "服务结束时间", "服务时长（分钟）", "岗位"],
    [["张三", "身份证", ZHANG_ID, dt.datetime(2024, 3, 5, 9), dt.datetime(2024, 3, 5, 9, 20), 20, "引导"],
     ["李四", "身份证", LI_ID, dt.datetime(2024, 3, 5, 9), dt.datetime(2024, 3, 5, 10, 30), 90, "引导"],
     ["李四", "身份证", LI_ID, dt.datetime(2024, 3, 6, 9), None, "半天", "引导"]],
    asks=["服务结束时间"], mapping={"服务结束时间": "不导入"},
    columns={"id_number": "证件号码", "service_date": "服务开始时间", "minutes": "服务时长（分钟）", "post": "岗位"},
    not_imported=["证件类型", "服务结束时间"], imported=2, problems={4: "「半天」不能换算成小时"})

BEIJING_HOURS = Layout(
    "志愿北京时长导入", "hours",
    ["志愿者编号", "姓名", "联系手机", "服务日期", "服务时长（小时）", "项目名称"],
    [[ZHANG_ZYZ, "张三", ZHANG_PHONE, "2024年3月7日", 2, "文明交通劝导"],
     ["ZYZ9999", "李四", LI_PHONE, "2024.3.7", 1.5, "文明交通劝导"]],
    columns={"number": "志愿者编号", "hours": "服务时长（小时）", "project": "项目名称"},
    imported=1, problems={3: "找不到编号为「ZYZ9999」"})

SCHOOL = Layout(
    "学校志愿服务记录导入", "hours",
    ["学生姓名", "学号", "班级", "身份证号", "服务时间", "认定时数", "服务内容"],
    [["张三", 20240101, "高一（3）班", ZHANG_ID, dt.datetime(2024, 3, 9), 2, "图书馆整理"],
     ["李四", 20240102, "高一（3）班", LI_ID, dt.datetime(2024, 3, 9), 1, "图书馆整理"]],
    title="清溪中学学生志愿服务记录", footer=[["合计", None, None, None, None, 3]],
    asks=["学号"], mapping={"学号": "不导入"},
    columns={"name": "学生姓名", "service_date": "服务时间", "hours": "认定时数", "content": "服务内容"},
    not_imported=["学号", "班级"], imported=2)

LAYOUTS = [COMMUNITY, JEECGBOOT, RUOYI, YOUTH, BEIJING_MINUTES, BEIJING_HOURS, SCHOOL, NATIONAL]


def register_people(actor) -> None:
    """张三 (with the national system's number) and 李四, for the hours sheets."""
    from civdesk.volunteers import roster

    roster.register(actor, {"name": "张三", "id_number": ZHANG_ID, "phone": ZHANG_PHONE, "village_id": "桂花村",
                            "original_number": ZHANG_ZYZ})
    roster.register(actor, {"name": "李四", "id_number": LI_ID, "phone": LI_PHONE, "village_id": "桂花村"})
