"""Parts of the 数据同步 page that stand on their own: the card naming this PC, and the two
lower tabs — the PCs this one knows (with their fingerprints, trusted or not) and the packages
it made or applied."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from civdesk.core.errors import CivDeskError
from civdesk.sync import exchange, peers
from civdesk.sync.peers import Identity
from ui.field_errors import hint_label, message_label, show_message
from ui.list_model import Column, RowsSource, rows_view
from ui.session import Session
from ui.sync.dialogs import summary_text
from ui.volunteers.records import user_names
from ui.widgets.empty import empty_hint
from ui.widgets.mono import monospace


def history_summary(row) -> str:
    try:
        summary = json.loads(row.summary or "{}")
    except ValueError:
        return ""
    if row.direction == "in":
        return summary_text({k: {"": summary.get(k, 0)} for k in ("new", "updated", "unchanged", "conflicts")})
    counts = {exchange.table_label(t): c.get("entries", 0) for t, c in summary.items() if isinstance(c, dict)}
    if not counts:
        return "没有新的变更"
    return f"{sum(counts.values())} 条变更（" + "、".join(f"{label} {n}" for label, n in counts.items()) + "）"


KIND_LABELS = {"township": "乡镇/街道", "village": "村/社区"}


class ThisPcCard(QFrame):
    """This PC's office, name and key fingerprint (what another PC checks before trusting it)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("thisPc")
        self.setStyleSheet("QFrame#thisPc { background: white; border: 1px solid #d5dbe3; border-radius: 4px; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 14, 10)
        self.identity_label = QLabel()
        font = self.identity_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.identity_label.setFont(font)
        self.identity_label.setWordWrap(True)
        row.addWidget(self.identity_label, 1)
        right = QVBoxLayout()
        right.setSpacing(2)
        right.addWidget(QLabel("本机密钥指纹："), 0, Qt.AlignmentFlag.AlignRight)
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = monospace(self.fingerprint_label.font())
        mono.setBold(True)
        mono.setPointSizeF(mono.pointSizeF() * 1.1)
        self.fingerprint_label.setFont(mono)
        self.fingerprint_label.setToolTip("其他电脑第一次导入本机的数据包时，会请对方与这串字符核对。")
        right.addWidget(self.fingerprint_label)
        row.addLayout(right)

    def refresh(self) -> Identity | None:
        """Show this PC's identity and return it (None, with the reason shown, when it has none)."""
        try:
            me = peers.identity()
        except CivDeskError as exc:
            self.identity_label.setText(str(exc))
            self.fingerprint_label.setText("")
            return None
        self.identity_label.setText(f"本机：{me.office_name}「{me.node_name}」"
                                    f"（{KIND_LABELS.get(me.office_kind, me.office_kind)}）")
        self.fingerprint_label.setText(me.fingerprint)
        return me


class PeersTab(QWidget):
    """认识的电脑: every PC this one has exchanged packages with; an administrator trusts or
    distrusts one here."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.addWidget(hint_label("第一次导入某台电脑的数据包时，要核对它的密钥指纹并信任它。"
                                    "取消信任后，那台电脑的数据包会被拒绝，直到重新信任。"))
        self.source = RowsSource([Column("office", "单位", 150), Column("node", "电脑名称", 150),
                                  Column("status", "状态", 80, "center"), Column("fingerprint", "密钥指纹", 340),
                                  Column("received", "最近收到", 150), Column("sent", "最近发出", 150)])
        self.view, self.model = rows_view(self.source, self)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self.update_buttons())
        layout.addWidget(self.view, 1)
        self.empty = empty_hint(self.view, "还没有认识的电脑。第一次导入某台电脑的数据包时，核对它的密钥指纹、"
                                           "信任它之后，它就会出现在这里。")
        row = QHBoxLayout()
        self.trust_button = QPushButton("信任这台电脑…")
        self.trust_button.clicked.connect(lambda: self.toggle_trust())
        self.message = message_label()
        row.addWidget(self.trust_button)
        row.addWidget(self.message, 1)
        can_trust = session.actor.can("trust_peers")
        self.trust_button.setVisible(can_trust)
        if not can_trust:
            row.addWidget(hint_label("只有系统管理员可以信任或取消信任电脑。"), 1)
        layout.addLayout(row)

    def refresh(self) -> None:
        rows = []
        for peer in peers.all_peers():
            rows.append((peer.node_id, {
                "office": peer.office_name, "node": peer.node_name,
                "status": "已信任" if peer.trusted else "未信任", "fingerprint": peer.fingerprint,
                "received": peer.last_received or "—", "sent": peer.last_sent or "—", "_trusted": peer.trusted}))
        self.source.set_rows(rows)
        self.model.refresh()
        if rows and not self.view.currentIndex().isValid():
            self.view.selectRow(0)
        self.update_buttons()

    def update_buttons(self) -> None:
        peer = self.source.row(self.model.id_at(self.view.currentIndex().row()))
        self.trust_button.setEnabled(peer is not None and not self.session.read_only)
        self.trust_button.setText("取消信任…" if peer is not None and peer["_trusted"] else "信任这台电脑…")

    def toggle_trust(self) -> bool:
        node_id = self.model.id_at(self.view.currentIndex().row())
        peer = self.source.row(node_id)
        if peer is None:
            return False
        name = f"{peer['office']}「{peer['node']}」"
        if peer["_trusted"]:
            question = (f"取消信任{name}？\n\n取消后，它发来的数据包都会被拒绝，直到系统管理员重新信任它。"
                        "已经导入的数据不受影响。")
        else:
            question = (f"信任{name}？\n\n请先与对方核对密钥指纹，必须完全一致：\n{peer['fingerprint']}")
        answer = QMessageBox.question(self, "信任电脑", question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            peers.set_trusted(self.session.actor, node_id, not peer["_trusted"])
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        show_message(self.message, f"已{'取消信任' if peer['_trusted'] else '信任'}{name}。")
        self.refresh()
        return True


class HistoryTab(QWidget):
    """同步记录: the packages this PC exported or imported, newest first."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        self.source = RowsSource([Column("done_at", "时间", 150), Column("direction", "操作", 60, "center"),
                                  Column("peer", "对方电脑", 190), Column("summary", "内容", 360),
                                  Column("user", "操作人", 90), Column("file", "文件", 200)])
        self.view, self.model = rows_view(self.source, self)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        layout.addWidget(self.view, 1)
        self.empty = empty_hint(self.view, "还没有同步过。每导出或导入一个数据包，这里记下时间、对方电脑、"
                                           "带了哪些记录和文件名。在「导出与导入」页导出第一个数据包。")

    def refresh(self) -> None:
        names = user_names()
        rows = []
        for item in exchange.history():
            rows.append((item.package_id, {
                "done_at": item.done_at, "direction": "导入" if item.direction == "in" else "导出",
                "peer": item.peer_name, "summary": history_summary(item),
                "user": names.get(item.username, item.username), "file": item.file_name}))
        self.source.set_rows(rows)
        self.model.refresh()
