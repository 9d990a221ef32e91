"""督查整改 → 督查计划: where a clerk sets up what the board and the inspection form use — the
recurring rounds, the 督查片区 and their routes, the 督查组 and each mechanism's checklist. Lists
with 新增… / 修改… (double-click edits); only an administrator or reviewer (plan_supervision) on a
writable database may change them, everyone else sees them."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidget, QTabWidget, QVBoxLayout, QWidget

from civdesk.supervision import plans
from ui.field_errors import message_label, show_message
from ui.session import Session
from ui.supervision.plan_dialogs import AreaDialog, MemberDialog, RoundDialog, TemplateDialog
from ui.supervision.widgets import fill, plain_table, select_id, selected_id


class PlanList(QWidget):
    """One list of the planning tab: a sentence, 新增…/修改…, the table and what happened."""

    def __init__(self, text: str, headers: list[str], widths: list[int], stretch: int, *, can_edit: bool,
                 can_add: bool = True, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.add_button = QPushButton("新增…")
        self.edit_button = QPushButton("修改…")
        self.add_button.setVisible(can_add)
        for button in (self.add_button, self.edit_button):
            button.setEnabled(can_edit)
            row.addWidget(button)
        layout.addLayout(row)
        self.table: QTableWidget = plain_table(headers, widths, stretch)
        layout.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setStyleSheet("color: #777;")
        layout.addWidget(self.empty)
        self.message = message_label()
        layout.addWidget(self.message)
        if can_edit:
            self.table.doubleClicked.connect(lambda _i: self.edit_button.click())

    def show_rows(self, rows: list[tuple[object, list]], empty_text: str, styles: dict | None = None) -> None:
        fill(self.table, rows, styles)
        self.empty.setText(empty_text if not rows else "")
        self.empty.setVisible(not rows)


class PlansTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.dialog = None
        editable = session.actor.can("plan_supervision") and not session.read_only
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.rounds = PlanList("定期督查计划：每月或每季度一期，到了截止日还没有督查的会在督查看板和工作台提醒。",
                               ["计划名称", "频次", "村/社区", "督查片区", "长效机制", "每期截止日", "开始日期", "状态"],
                               [200, 70, 90, 120, 140, 90, 100, 60], 0, can_edit=editable)
        self.areas = PlanList("督查片区（门前三包责任区、路段）和巡查路线，按村（社区）划分；登记督查时可选片区。",
                              ["片区名称", "村/社区", "巡查路线", "督查计划"], [180, 100, 400, 80], 2, can_edit=editable)
        self.members = PlanList("督查组成员：登记督查时填写督查人员可参考；退出督查组的成员保留在列表末尾。",
                                ["姓名", "职务", "工作单位", "联系电话", "状态"], [100, 80, 200, 130, 70], 2,
                                can_edit=editable)
        self.templates = PlanList("每个长效机制一张检查表：督查时逐项评价（合格/不合格，或打分）。",
                                  ["长效机制", "检查项目", "其中打分项", "满分合计", "检查表"], [200, 90, 90, 90, 140], 0,
                                  can_edit=editable, can_add=False)
        self.templates.edit_button.setText("修改检查表…")
        for widget, title in ((self.rounds, "督查计划"), (self.areas, "片区与路线"), (self.members, "督查组"),
                              (self.templates, "检查表")):
            self.tabs.addTab(widget, title)
        self.rounds.add_button.clicked.connect(lambda: self.edit_round(new=True))
        self.rounds.edit_button.clicked.connect(lambda: self.edit_round())
        self.areas.add_button.clicked.connect(lambda: self.edit_area(new=True))
        self.areas.edit_button.clicked.connect(lambda: self.edit_area())
        self.members.add_button.clicked.connect(lambda: self.edit_member(new=True))
        self.members.edit_button.clicked.connect(lambda: self.edit_member())
        self.templates.edit_button.clicked.connect(lambda: self.edit_template())
        if not editable:
            hint = ("只读打开时不能修改。" if session.read_only else "只有管理员或审核人可以修改督查计划、片区、督查组和检查表。")
            for plan_list in (self.rounds, self.areas, self.members, self.templates):
                plan_list.text.setText(plan_list.text.text() + hint)

    # -- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        rounds = plans.round_rows()
        self.rounds.show_rows([(r.id, [r.name, r.frequency_label, r.village_name, r.area_name or "—",
                                       r.mechanism or "（不限）", f"{r.due_day} 日", r.start_date,
                                       "启用" if r.active else "停用"]) for r in rounds],
                              "还没有督查计划。点「新增…」添加每月或每季度的督查计划。",
                              {r.id: (None, "#888888") for r in rounds if not r.active})
        areas = plans.area_rows()
        self.areas.show_rows([(a.id, [a.name, a.village_name, a.route or "—", a.rounds or "—"]) for a in areas],
                             "还没有督查片区。点「新增…」按村（社区）添加片区和巡查路线。")
        members = plans.member_rows()
        self.members.show_rows([(m.id, [m.name, m.role, m.unit, m.phone_masked, "在组" if m.active else "已退出"])
                                for m in members], "还没有督查组成员。点「新增…」添加。",
                               {m.id: (None, "#888888") for m in members if not m.active})
        summaries = plans.template_summaries()
        self.templates.show_rows([(t.mechanism, [t.mechanism, f"{t.lines} 项", f"{t.scored} 项", t.points or "—",
                                                 "已修改" if t.edited else "默认"]) for t in summaries],
                                 "还没有长效机制（在 设置 → 参数 中填写）。")

    # -- editing ------------------------------------------------------------------------------

    def _open(self, plan_list: PlanList, dialog, what: str, key=None):
        def done() -> None:
            self.refresh()
            select_id(plan_list.table, key or getattr(dialog.saved, "id", None))
            show_message(plan_list.message, f"已保存{what}。")

        dialog.accepted.connect(done)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _chosen(self, plan_list: PlanList, what: str):
        key = selected_id(plan_list.table)
        if key is None:
            show_message(plan_list.message, f"请先在列表中选中一个{what}。", ok=False)
        return key

    def edit_round(self, new: bool = False):
        key = None if new else self._chosen(self.rounds, "督查计划")
        if key is None and not new:
            return None
        return self._open(self.rounds, RoundDialog(self.session, key, self), "督查计划", key)

    def edit_area(self, new: bool = False):
        key = None if new else self._chosen(self.areas, "督查片区")
        if key is None and not new:
            return None
        return self._open(self.areas, AreaDialog(self.session, key, self), "督查片区", key)

    def edit_member(self, new: bool = False):
        key = None if new else self._chosen(self.members, "督查组成员")
        if key is None and not new:
            return None
        return self._open(self.members, MemberDialog(self.session, key, self), "督查组成员", key)

    def edit_template(self):
        key = self._chosen(self.templates, "长效机制")
        if key is None:
            return None
        return self._open(self.templates, TemplateDialog(self.session, key, self), f"「{key}」的检查表", key)
