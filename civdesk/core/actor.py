"""Who is acting, and what each role may do. Services check these; hiding buttons is not enough."""

from __future__ import annotations

from dataclasses import dataclass

from civdesk.core.errors import PermissionDenied

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
    "dump_full_numbers": frozenset({"admin"}),
    "edit_volunteers": frozenset({"admin", "reviewer", "clerk"}),
    "delete_volunteers": frozenset({"admin"}),
    "merge_people": frozenset({"admin", "reviewer"}),
    "enter_hours": frozenset({"admin", "reviewer", "clerk"}),
    "approve_hours": frozenset({"admin", "reviewer"}),
    "issue_certificates": frozenset({"admin", "reviewer", "clerk"}),
    "import_data": frozenset({"admin", "reviewer", "clerk"}),
    "export_data": frozenset({"admin", "reviewer", "clerk"}),
    "sync_data": frozenset({"admin", "reviewer", "clerk"}),
    "trust_peers": frozenset({"admin"}),
    "change_sync_passphrase": frozenset({"admin"}),
    "renew_recovery_key": frozenset({"admin"}),
    "resolve_conflicts": frozenset({"admin", "reviewer"}),
    "publish_notices": frozenset({"admin", "reviewer"}),
    "record_objections": frozenset({"admin", "reviewer", "clerk"}),
    "decide_objections": frozenset({"admin", "reviewer"}),
    "edit_unit_applications": frozenset({"admin", "reviewer", "clerk"}),
    "review_units": frozenset({"admin", "reviewer"}),
    "name_units": frozenset({"admin", "reviewer"}),
    "lift_vetoes": frozenset({"admin"}),
    "manage_titles": frozenset({"admin", "reviewer"}),
    "edit_indicator_sets": frozenset({"admin"}),
    "edit_nominations": frozenset({"admin", "reviewer", "clerk"}),
    "manage_nomination_sessions": frozenset({"admin", "reviewer"}),
    "check_nominations": frozenset({"admin", "reviewer"}),
    "enter_nomination_scores": frozenset({"admin", "reviewer", "clerk"}),
    "decide_nominations": frozenset({"admin", "reviewer"}),
    "plan_supervision": frozenset({"admin", "reviewer"}),
    "record_inspections": frozenset({"admin", "reviewer", "clerk"}),
    "issue_rectification": frozenset({"admin", "reviewer"}),
    "report_rectification": frozenset({"admin", "reviewer", "clerk"}),
    "review_rectification": frozenset({"admin", "reviewer"}),
    "edit_frontage": frozenset({"admin", "reviewer", "clerk"}),
    "handle_hotline": frozenset({"admin", "reviewer", "clerk"}),
    "review_hotline": frozenset({"admin", "reviewer"}),
    "view_callers": frozenset({"admin", "reviewer"}),
    "edit_activities": frozenset({"admin", "reviewer", "clerk"}),
    "name_sanmei": frozenset({"admin", "reviewer"}),
    "view_minors": frozenset({"admin"}),
}

PERMISSION_LABELS = {
    "manage_users": "管理账号", "edit_settings": "修改设置", "edit_office": "修改本单位信息",
    "view_audit": "查看审计日志", "backup": "备份数据库", "restore": "从备份恢复",
    "load_demo": "载入演示数据", "dump_full_numbers": "输出含完整个人信息的全部数据",
    "edit_volunteers": "登记和修改志愿者", "delete_volunteers": "删除志愿者",
    "merge_people": "合并重复登记的同一个人（志愿者、被推荐人）",
    "enter_hours": "录入服务时长", "approve_hours": "审核服务时长", "issue_certificates": "出具志愿服务记录证明",
    "import_data": "导入数据", "export_data": "导出数据",
    "sync_data": "导入导出同步数据包", "trust_peers": "信任新的电脑", "change_sync_passphrase": "修改同步口令",
    "renew_recovery_key": "生成新的恢复密钥",
    "resolve_conflicts": "处理同步冲突",
    "publish_notices": "发布或撤回公示", "record_objections": "登记公示异议", "decide_objections": "核实公示异议",
    "edit_unit_applications": "填报文明创建申报和单位信息", "review_units": "审核、测评和否决文明创建申报",
    "name_units": "命名文明单位（村、社区）", "lift_vetoes": "解除一票否决",
    "manage_titles": "复查、摘牌和向区推荐文明单位", "edit_indicator_sets": "修改测评体系",
    "edit_nominations": "填报好人推荐和向上推荐", "manage_nomination_sessions": "设立评选活动和推进评选阶段",
    "check_nominations": "初审好人推荐", "enter_nomination_scores": "录入评议委员的打分和回避",
    "decide_nominations": "决定并列名次和表彰",
    "plan_supervision": "设置督查片区、督查组、督查计划和检查表", "record_inspections": "登记督查（自查）记录和问题",
    "issue_rectification": "下发限期整改通知书", "report_rectification": "登记整改情况",
    "review_rectification": "复查整改并销号", "edit_frontage": "登记门前三包责任户",
    "handle_hotline": "受理、派单和办理热线工单", "review_hotline": "审批工单延期、合并重复工单和登记现场办公会",
    "view_callers": "查看热线来电人的姓名和电话",
    "edit_activities": "登记活动与阵地（节日活动、道德讲堂、公益广告、三美、关爱项目）",
    "name_sanmei": "测评和命名三美示范村", "view_minors": "查看和登记未成年人信息",
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
