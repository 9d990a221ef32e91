"""A package's file name says who made it for whom and when; the sync page reads it back with
the inverse the core provides, so the two never drift apart."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from civdesk.sync import exchange


def test_a_default_name_reads_back():
    me = SimpleNamespace(office_name="桂花镇", node_name="文明办电脑")
    village = SimpleNamespace(office_name="桂花村", node_name="村委会电脑")
    before = dt.datetime.now().replace(microsecond=0)
    for receiver, expected in ((village, "桂花村-村委会电脑"), (None, "")):
        parsed = exchange.parse_file_name(exchange.default_file_name(me, receiver))
        assert parsed is not None
        assert parsed.source == "桂花镇-文明办电脑" and parsed.receiver == expected
        assert before <= parsed.made <= dt.datetime.now()


def test_a_renamed_file_has_no_reading():
    assert exchange.parse_file_name("给张三的数据.civsync") is None
    assert exchange.parse_file_name("桂花镇-电脑-完整-20241399-120000.civsync") is None  # no 13th month
