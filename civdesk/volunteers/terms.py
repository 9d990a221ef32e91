"""The words of 志愿服务: sexes, ID types, volunteer statuses and review decisions. Plain data the
screens and the services share; the tables are in models.py."""

from __future__ import annotations

SEXES = ("男", "女")
ID_TYPES = ("居民身份证", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "外国人永久居留身份证", "护照")
VOLUNTEER_STATUS = {"active": "在册", "left": "已退出"}
DECISIONS = {"approved": "已审核", "rejected": "已退回"}
PENDING_ID = "证件待补"  # a volunteer registered from a roster without an ID number, until it is given
