"""The words of 好人评选: session kinds, phases, methods, statuses, votes and the upward lists.
Plain data the screens and the services share; the tables are in models.py."""

from __future__ import annotations

SESSION_KINDS = {"monthly": "身边好人（月度）", "quarterly": "身边好人（季度）", "biennial": "道德模范（两年一届）"}
PHASES = {"recommend": "推荐", "check": "初审", "review": "评议", "notice": "公示", "award": "表彰"}
PHASE_ORDER = tuple(PHASES)
METHODS = {"score": "评分", "vote": "投票"}
STATUSES = {"recommended": "推荐", "returned": "退回", "passed": "初审通过", "review": "评议",
            "notice": "公示", "honoured": "表彰", "not_selected": "未入选"}
RECOMMENDER_KINDS = {"person": "个人", "org": "组织"}
FILE_KINDS = {"photo": "照片", "document": "证明材料"}
VOTES = {1.0: "赞成", 0.0: "反对", -1.0: "弃权"}
VOTE_ITEM = "投票"
UPWARD_LISTS = ("新都好人", "成都好人榜", "四川好人榜", "中国好人榜")
UPWARD_OUTCOMES = {"pending": "待评选", "listed": "已入选", "not_listed": "未入选"}
SEXES = ("男", "女")
