"""The words of 文明创建: kinds, titles, levels, statuses and outcomes, and how points and titles
read. Plain data the screens and the services share; the tables are in models.py."""

from __future__ import annotations

ORG_KINDS = ("机关事业单位", "企业", "村", "社区", "学校", "其他")
TITLES = ("文明单位", "文明村", "文明社区", "文明企业")
LEVELS = ("镇级", "区级")
# The indicator set that scores each title (a 文明企业 is assessed like a 文明单位 unless the
# administrator adds a set of its own).
SET_FOR_TITLE = {"文明单位": "文明单位", "文明村": "文明村", "文明社区": "文明社区", "文明企业": "文明单位"}
TITLE_FOR_KIND = {"村": "文明村", "社区": "文明社区", "企业": "文明企业"}

STATUSES = {"draft": "草稿", "submitted": "已提交", "prelim": "初审", "assessing": "测评",
            "notice": "公示", "named": "已命名", "failed": "未通过"}
STATUS_ORDER = tuple(STATUSES)
SCORE_KINDS = {"self": "自评", "assessed": "测评"}
TITLE_STATUS = {"active": "有效", "revoked": "已摘牌", "expired": "已期满"}
REVIEW_OUTCOMES = {"keep": "复查合格，保留称号", "revoke": "复查不合格，摘牌"}
RECOMMEND_OUTCOMES = {"pending": "待区里评定", "approved": "区里已命名", "rejected": "区里未命名"}
VETO_SOURCES = {"manual": "审核人登记", "inspection": "督查整改逾期"}


def points_text(tenths) -> str:
    """12.5 分 → "12.5"; 90 → "90" (no trailing zeros)."""
    if tenths is None:
        return ""
    return f"{int(tenths) / 10:g}"


def title_text(title: str, level: str, model_grade: bool) -> str:
    """区级 + 文明村 + 标兵 → 区级文明村标兵."""
    return f"{level}{title}{'标兵' if model_grade else ''}"
