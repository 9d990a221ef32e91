"""Default checklist templates, one per long-term mechanism (the administrator edits them).

Each line is (检查内容, kind, 满分): kind "pass" is judged 合格/不合格, "score" is scored out of
its 满分. A mechanism added in the settings without a template gets the generic lines.
"""

from __future__ import annotations

GENERIC = (("责任落实到人，台账齐全", "pass", 0), ("现场整洁有序", "pass", 0), ("群众满意度", "score", 10))

TEMPLATES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "宣传教育": (("公益广告、宣传栏内容更新及时", "pass", 0), ("“讲文明树新风”宣传品完好", "pass", 0),
                 ("群众对创建工作的知晓率", "score", 10)),
    "镇容环境卫生": (("道路、街面无垃圾杂物、无积水", "pass", 0), ("垃圾桶（箱）清运及时、无满溢", "pass", 0),
                     ("无乱贴乱画、乱搭乱建", "pass", 0), ("无占道经营、乱堆乱放", "pass", 0),
                     ("环境卫生总体状况", "score", 10)),
    "门前三包": (("包卫生：门前无垃圾、无污水", "pass", 0), ("包秩序：无占道经营、车辆停放有序", "pass", 0),
                 ("包绿化：门前绿化完好、无损毁", "pass", 0), ("责任书签订并上墙公示", "pass", 0)),
    "环境保护": (("无露天焚烧垃圾、秸秆", "pass", 0), ("污水不直排河沟", "pass", 0), ("河道、沟渠水面清洁", "score", 10)),
    "食品卫生与公共场所卫生": (("证照齐全、从业人员持健康证", "pass", 0), ("操作间整洁、生熟分开", "pass", 0),
                               ("餐具消毒记录完整", "pass", 0), ("公共场所通风、整洁", "score", 10)),
    "病媒生物防治": (("鼠、蝇、蚊、蟑防制设施完好", "pass", 0), ("无孳生地（积水、垃圾堆）", "pass", 0),
                     ("病媒生物密度控制情况", "score", 10)),
    "社区/单位/城中村卫生": (("楼道、院落整洁，无乱堆乱放", "pass", 0), ("公共厕所干净无异味", "pass", 0),
                            ("绿化带无垃圾、无毁绿种菜", "pass", 0), ("卫生死角清理情况", "score", 10)),
}

# The 门前三包 duties printed on a holder's 责任书.
DUTIES = "包卫生：门前无垃圾、无污水、无杂物；包秩序：无占道经营、无乱堆乱放、车辆有序停放；包绿化：门前绿化完好，无损毁花木"


def template_for(mechanism: str) -> tuple[tuple[str, str, int], ...]:
    return TEMPLATES.get(mechanism, GENERIC)
