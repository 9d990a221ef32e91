"""An official document of a kind, set up from the settings: the body that issues it (its red head
unless 套红纸打印 or a body without one), its name as the signature, the 版记 with 印发机关 (the
文明办, which prints the office's documents) and 印发日期. Domains call this instead of putting
an ``OfficialDocument`` together themselves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from civdesk.core.actor import Actor
from civdesk.documents import service
from civdesk.reports.fonts import FontSet
from civdesk.reports.official import Imprint, Masthead, OfficialDocument

SYSTEM = Actor("system", "系统", "admin")
# Documents posted rather than filed (公示) carry no 「文件」 head and no 版记.
POSTED = {"public_notice"}
# Upward documents (请示、报告 to the county) print the body's 签发人 beside the 发文字号; none of today's
# kinds goes upward, the returns to come will.
UPWARD: set[str] = set()


def official_document(target: str | Path | IO[bytes], kind: str, title: str, *, date: dt.date,
                      number: str | None = None, fonts: FontSet | None = None, cc: str = "", note: str = "",
                      signers: tuple[str, ...] = (), copy_number: str = "", secrecy: str = "") -> OfficialDocument:
    issuer = service.body_for(kind)
    posted = kind in POSTED
    if not signers and issuer.signer and kind in UPWARD:
        signers = (issuer.signer,)
    masthead = Masthead((issuer.full_name,), red_head=issuer.red_head and not posted,
                        preprinted=service.preprinted_paper(), copy_number=copy_number, secrecy=secrecy,
                        signers=signers, head=issuer.head)
    printer = issuer.printer or service.body("office").full_name
    imprint = None if posted else Imprint(cc=cc or issuer.cc, printer=printer, print_date=date)
    return OfficialDocument(target, title, issuer.full_name, doc_number=number, date=date, fonts=fonts,
                            masthead=masthead, imprint=imprint, note=note)


def number_for(actor: Actor | None, kind: str, ref: str, year: int, title: str = "") -> str:
    """The registered 发文字号 of a document, registering the next one of its body and year."""
    return service.number_for(actor or SYSTEM, kind, ref, year, title)
