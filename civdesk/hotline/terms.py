"""The words of 热线工单, shared by the services, the command line and the screens."""

from __future__ import annotations

CHANNELS = ("热线转办", "来电", "来访", "网络", "信件")
KINDS = ("咨询", "求助", "投诉", "建议", "表扬")
# The setting that holds each type's handling deadline in working days.
KIND_SETTINGS = {"咨询": "hotline.days_consult", "求助": "hotline.days_help", "投诉": "hotline.days_complaint",
                 "建议": "hotline.days_suggestion", "表扬": "hotline.days_praise"}
STATES = {"received": "已受理", "dispatched": "待签收", "signed": "办理中", "redo": "重办中",
          "replied": "已答复", "returned": "已退单", "closed": "已办结", "merged": "已合并"}
STATE_ORDER = tuple(STATES)
OPEN_STATES = ("received", "dispatched", "signed", "redo", "replied", "returned")
HANDLING_STATES = ("signed", "redo")
VISIT_RESULTS = ("满意", "基本满意", "不满意")
SATISFIED = ("满意", "基本满意")
EXTENSION_STATES = {"pending": "待审批", "approved": "已批准", "rejected": "未批准"}
ASSIGNEE_KINDS = {"village": "村（社区）", "department": "部门"}
EVENT_LABELS = {"receive": "受理", "dispatch": "派单", "sign": "签收", "note": "办理", "reply": "答复",
                "visit": "回访", "redo": "重办", "close": "办结", "return": "退单", "extend": "申请延期",
                "extension_approved": "批准延期", "extension_rejected": "不批准延期", "merge": "合并",
                "merged": "被合并", "meeting": "现场办公会"}
# Deadline colours of a board: "ok", "yellow" (due within two working days), "red" (overdue).
COLOURS = {"ok": "正常", "yellow": "临期", "red": "逾期", "": ""}
YELLOW_WORKDAYS = 2
ESCALATIONS = {"": "", "urge": "催办", "supervise": "督办"}
