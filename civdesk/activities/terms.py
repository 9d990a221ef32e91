"""The words of 活动与阵地 that forms, lists and the command line offer (the UI reads them here,
never from the models)."""

from __future__ import annotations

KINDS = {"festival": "节日", "hall": "道德讲堂", "sanmei": "三美", "minors": "未成年人", "volunteer": "志愿服务"}
STATUSES = {"planned": "计划", "held": "已开展", "cancelled": "已取消"}
HALL_KINDS = ("总堂", "分堂")
STORY_KINDS = ("道德故事", "好人故事", "文化故事")
LOCATION_TYPES = ("街巷", "公共场所", "窗口单位", "居民院落")
PLACEMENT_STATES = ("完好", "破损", "褪色", "缺失", "已撤除")
SANMEI_ASPECTS = {"fengshang": "风尚新美", "huanjing": "环境秀美", "shenghuo": "生活富美"}
TARGET_GROUPS = ("留守儿童", "农民工子女", "贫困家庭子女", "单亲家庭子女")
STATION_SERVICES = ("个体心理辅导", "团体心理辅导", "心理健康讲座", "家访", "热线咨询")
PHOTO_OWNERS = {"activity": "活动记录", "placement": "公益广告"}
