"""合并重复登记的被推荐人: the 好人评选 side of the merge dialog (ui/widgets/merge_dialog.py)."""

from __future__ import annotations

from civdesk.nominations import merges
from ui.session import Session
from ui.widgets.merge_dialog import MergeDialog, MergeKind

KIND = MergeKind(
    what="被推荐人", candidates=merges.candidates, preview=merges.preview, merge=merges.merge,
    pair_text=lambda c: f"{c.name}：{c.reason}",
    side_text=lambda side: f"{side.name}（{side.id_masked}，{side.registered} 登记）",
    after="合并掉的记录留作指向保留记录的记录；此人的推荐、荣誉和向上推荐都算在保留的记录上。")


def open_merge_dialog(session: Session, parent=None, pair: tuple[str, str] | None = None) -> MergeDialog:
    dialog = MergeDialog(session, KIND, parent, pair)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
