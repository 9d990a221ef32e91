"""合并重复登记的志愿者: the volunteers' side of the merge dialog (ui/widgets/merge_dialog.py)."""

from __future__ import annotations

from civdesk.volunteers import merges
from ui.session import Session
from ui.widgets.merge_dialog import MergeDialog, MergeKind

KIND = MergeKind(
    what="志愿者", candidates=merges.candidates, preview=merges.preview, merge=merges.merge,
    pair_text=lambda c: f"{c.name}（{c.id_masked}）：编号 {c.numbers}",
    side_text=lambda side: f"{side.name}（编号 {side.number}，{side.registered} 登记）",
    after="合并掉的记录留作指向保留记录的记录，它的编号仍能查到这个人；已打印的证明照样能核验。")


def open_merge_dialog(session: Session, parent=None, pair: tuple[str, str] | None = None) -> MergeDialog:
    dialog = MergeDialog(session, KIND, parent, pair)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
