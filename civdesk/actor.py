"""Who is acting, and what each role may do. Services check these; hiding buttons is not enough."""

from __future__ import annotations

from dataclasses import dataclass

from civdesk.errors import PermissionDenied

ROLE_LABELS = {"admin": "系统管理员", "reviewer": "审核人", "clerk": "录入员"}

# permission -> roles that hold it; later modules add their own entries here.
PERMISSIONS: dict[str, frozenset[str]] = {
    "manage_users": frozenset({"admin"}),
    "edit_settings": frozenset({"admin"}),
    "edit_office": frozenset({"admin"}),
    "view_audit": frozenset({"admin"}),
    "backup": frozenset({"admin", "reviewer", "clerk"}),
    "restore": frozenset({"admin"}),
    "load_demo": frozenset({"admin"}),
    "edit_volunteers": frozenset({"admin", "reviewer", "clerk"}),
    "delete_volunteers": frozenset({"admin"}),
    "enter_hours": frozenset({"admin", "reviewer", "clerk"}),
    "approve_hours": frozenset({"admin", "reviewer"}),
    "issue_certificates": frozenset({"admin", "reviewer", "clerk"}),
    "import_data": frozenset({"admin", "reviewer", "clerk"}),
    "export_data": frozenset({"admin", "reviewer", "clerk"}),
    "sync_data": frozenset({"admin", "reviewer", "clerk"}),
    "trust_peers": frozenset({"admin"}),
    "resolve_conflicts": frozenset({"admin", "reviewer"}),
}

PERMISSION_LABELS = {
    "manage_users": "管理账号", "edit_settings": "修改设置", "edit_office": "修改本单位信息",
    "view_audit": "查看审计日志", "backup": "备份数据库", "restore": "从备份恢复",
    "load_demo": "载入演示数据", "edit_volunteers": "登记和修改志愿者", "delete_volunteers": "删除志愿者",
    "enter_hours": "录入服务时长", "approve_hours": "审核服务时长", "issue_certificates": "出具志愿服务记录证明",
    "import_data": "导入数据", "export_data": "导出数据",
    "sync_data": "导入导出同步数据包", "trust_peers": "信任新的电脑", "resolve_conflicts": "处理同步冲突",
}


@dataclass(frozen=True)
class Actor:
    username: str
    display_name: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def can(self, permission: str) -> bool:
        return self.role in PERMISSIONS.get(permission, frozenset())


# Changes the program makes by itself (setup, automatic backups) are attributed to this actor.
SYSTEM = Actor("system", "系统", "admin")


def require(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        what = PERMISSION_LABELS.get(permission, permission)
        raise PermissionDenied(f"{actor.role_label}「{actor.display_name}」没有权限{what}。")
