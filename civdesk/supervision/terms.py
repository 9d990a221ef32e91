"""The words of 督查与整改 a screen shows: states, colours, kinds. The UI may import this module
(it holds no tables)."""

from __future__ import annotations

FREQUENCIES = {"monthly": "每月", "quarterly": "每季度"}
INSPECTION_KINDS = {"督查": "镇督查", "自查": "村（社区）自查"}
TARGET_KINDS = {"org": "创建单位", "holder": "门前三包责任户", "place": "地点"}
ITEM_KINDS = {"pass": "合格/不合格", "score": "打分"}
NOTICE_STATES = {"pending": "待整改", "reported": "已整改待复查", "passed": "复查通过（已销号）",
                 "failed": "复查未通过（重新限期）", "overdue": "逾期"}
EVENT_KINDS = {"issued": "下发通知书", "reported": "报送整改情况", "passed": "复查通过", "failed": "复查未通过",
               "veto": "提请一票否决"}
HOLDER_KINDS = ("商铺", "住户", "单位")
PHOTO_STAGES = {"before": "整改前", "after": "整改后"}
COLOURS = {"ok": "正常", "yellow": "即将到期", "red": "逾期"}
