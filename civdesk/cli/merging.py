"""What the two merge commands share (``volunteer merge`` and ``nomination person-merge``): the
choices typed as ``--take 联系电话``, the preview as text or JSON, and the arguments."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from civdesk.cli.common import Parser, login, open_existing, pick_id, print_json
from civdesk.core.errors import CivDeskError


def record_id(key: str, merges, what: str, listing: str) -> str:
    """The record a typed KEEP or OTHER names, merged ones included (the merge then says so): a
    number the domain's *merges* service knows (``ids_numbered``, a volunteer number) or the
    record id or its first 8 or more characters."""
    exact = getattr(merges, "ids_numbered", None)
    return pick_id(key, what, listing, exact=exact, prefix=merges.ids_starting_with, min_chars=8,
                   named_by="编号或记录编号" if exact else "记录编号")


def choices(taken: list[str] | None, preview) -> dict[str, str]:
    """{field: "other"} for each ``--take`` (a field's name or its label as the preview shows)."""
    by_name = {c.field: c for c in preview.differing} | {c.label: c for c in preview.differing}
    chosen = {}
    for typed in taken or []:
        choice = by_name.get(typed.strip())
        if choice is None:
            known = "、".join(c.label for c in preview.differing) or "（两条记录没有不同的信息）"
            raise CivDeskError(f"--take「{typed}」不是可以选择的信息；两条记录不同的有：{known}")
        chosen[choice.field] = "other"
    return chosen


def as_json(preview, chosen: dict[str, str], merged: bool) -> dict:
    return {"keep": vars(preview.keep), "other": vars(preview.other), "merged": merged,
            "revealed": preview.revealed,
            "fields": [{"field": c.field, "label": c.label, "keep": c.keep_text, "other": c.other_text,
                        "differs": c.differs, "kept": chosen.get(c.field, "keep") if c.differs else "same",
                        "note": c.note} for c in preview.fields],
            "moves": dict(preview.moves)}


def show(args, preview, chosen: dict[str, str], merged: bool, who: str) -> None:
    if args.json:
        print_json(as_json(preview, chosen, merged))
        return
    print(f"保留：{who(preview.keep)}")
    print(f"合并：{who(preview.other)}")
    for c in preview.differing:
        side = "另一条" if chosen.get(c.field) == "other" else "保留记录"
        print(f"  {c.label}：{c.keep_text or '（空）'} ｜ {c.other_text or '（空）'} → 用{side}的{c.note and '（' + c.note + '）'}")
    if not preview.differing:
        print("  两条记录的信息完全相同。")
    print(("已合并，移到保留记录：" if merged else "合并将移到保留记录：") + preview.moves_text())
    if not merged:
        print("（预览，未作任何更改；去掉 --dry-run 即合并）")


def add_arguments(p: Parser, what: str) -> None:
    p.add_argument("keep", metavar="KEEP", help=f"保留的{what}记录")
    p.add_argument("other", metavar="OTHER", help=f"合并掉的{what}记录（留作指向保留记录的墓碑）")
    p.add_argument("--take", action="append", metavar="FIELD",
                   help="这一项用 OTHER 的值（如 --take 联系电话 --take 居住地址）；其余不同的项用 KEEP 的值")
    p.add_argument("--dry-run", action="store_true", help="只预览两条记录的不同和将移过去的记录，不合并")
    p.add_argument("--reveal", action="store_true", help="预览中显示完整的证件号码、电话和地址（记入审计日志）")
    p.add_argument("--json", action="store_true")


def list_pairs(args, merges, line: Callable[[dict], str], summary: str) -> int:
    """The ``duplicates`` commands: the pairs *merges* finds (``candidates``), as JSON or one
    *line* each and the *summary* (``{n}`` = how many)."""
    open_existing(args, read_only=True)
    rows = [dataclasses.asdict(c) for c in merges.candidates(login(args))]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(line(row))
    print(summary.format(n=len(rows)))
    return 0
