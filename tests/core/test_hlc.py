"""The hybrid logical clock: monotonic, causal, sortable as text, thread-safe."""

from __future__ import annotations

import threading
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civdesk.core.hlc import HybridClock, Stamp

NODE = "aaaa1111"


class FakeWall:
    def __init__(self, *readings: int):
        self.readings = list(readings)

    def __call__(self) -> int:
        return self.readings.pop(0) if len(self.readings) > 1 else self.readings[0]


# Node ids are uuid hex in practice; the clock accepts letters, digits and underscores.
nodes = st.from_regex(r"[0-9A-Za-z_]{1,12}", fullmatch=True)
stamps = st.builds(Stamp, ms=st.integers(0, 10**16 - 1), counter=st.integers(0, 99999), node=nodes)


@pytest.mark.parametrize("readings", [
    [1000] * 6,                              # wall clock stands still
    [5000, 5000, 4000, 3000, 4999, 2000],    # steps back (NTP correction, flat CMOS battery)
    [1000, 2000, 1500, 2000, 2001, 2001],
])
def test_stamps_strictly_increase(readings):
    clock = HybridClock(NODE, wall=FakeWall(*readings))
    made = [clock.now() for _ in readings]
    assert made == sorted(made) and len(set(made)) == len(made)
    parsed = [Stamp.parse(s) for s in made]
    assert all(a < b for a, b in pairwise(parsed))


@given(st.lists(st.integers(0, 10**13), min_size=1, max_size=50))
def test_stamps_increase_whatever_the_wall_does(readings):
    clock = HybridClock(NODE, wall=FakeWall(*readings))
    made = [clock.now() for _ in readings]
    assert all(a < b for a, b in pairwise(made))


def test_counter_overflow_moves_into_next_millisecond():
    clock = HybridClock(NODE, wall=lambda: 7)
    made = [clock.now() for _ in range(100_002)]
    assert all(a < b for a, b in pairwise(made))
    assert Stamp.parse(made[-1]).ms == 8


def test_resumes_after_last_stamp():
    last = f"{9_000_000:016d}-00042-{NODE}"
    clock = HybridClock(NODE, last, wall=lambda: 10)
    assert clock.now() > last


@given(remote=stamps, wall=st.integers(0, 10**15))
def test_observe_makes_next_stamp_sort_after_remote(remote, wall):
    clock = HybridClock(NODE, wall=lambda: wall)
    clock.now()
    clock.observe(str(remote))
    after = clock.now()
    assert after > str(remote)
    assert Stamp.parse(after) > remote


def test_observe_older_stamp_does_not_move_clock_back():
    clock = HybridClock(NODE, wall=lambda: 5000)
    first = clock.now()
    clock.observe(str(Stamp(10, 0, "zzzz")))
    assert clock.now() > first


@given(a=stamps, b=stamps)
def test_string_order_equals_tuple_order(a, b):
    assert (str(a) < str(b)) == ((a.ms, a.counter, a.node) < (b.ms, b.counter, b.node))
    assert (str(a) == str(b)) == (a == b)


@given(stamps)
def test_parse_round_trip(stamp):
    assert Stamp.parse(str(stamp)) == stamp
    assert str(Stamp.parse(str(stamp))) == str(stamp)


@pytest.mark.parametrize("text", ["", "garbage", "12-00001-node", "0000000000000001-1-node",
                                  "0000000000000001-00001-", "000000000000000x-00001-node",
                                  "0000000000000001-00001"])
def test_parse_rejects_bad_input_with_chinese_message(text):
    with pytest.raises(ValueError) as info:
        Stamp.parse(text)
    assert "时钟值格式不正确" in str(info.value)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize("text", ["+000000000000001-00001-node", " 000000000000001-00001-node",
                                  "0000_00000000001-00001-node", "０００００００００００００００１-00001-node",
                                  "0000000000000001-+0001-node"])
def test_parse_rejects_non_canonical_digits(text):
    """Stamps are compared as text during the merge; a stamp whose text is not canonical (sign,
    space, underscore, full-width digits) sorts wrongly, so a package carrying one must be refused."""
    with pytest.raises(ValueError):
        Stamp.parse(text)


@pytest.mark.parametrize("node", ["", "ab-cd"])
def test_bad_node_id_refused(node):
    with pytest.raises(ValueError):
        HybridClock(node)


def test_thread_safety_all_stamps_unique():
    clock = HybridClock(NODE, wall=lambda: 1_700_000_000_000)  # one frozen millisecond: only the counter moves
    results: list[list[str]] = [[] for _ in range(16)]
    start = threading.Barrier(16)

    def work(out):
        start.wait()
        for _ in range(2000):
            out.append(clock.now())

    threads = [threading.Thread(target=work, args=(out,)) for out in results]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [s for out in results for s in out]
    assert len(every) == len(set(every)) == 32000
    for out in results:
        assert out == sorted(out), "each thread sees its own stamps increase"


def test_real_wall_clock_stamps_increase():
    clock = HybridClock(NODE)
    made = [clock.now() for _ in range(5000)]
    assert made == sorted(made) and len(set(made)) == len(made)


@pytest.mark.parametrize("last", [None, "0000000000000999-00003-zzz", "0000000000001000-99998-zzz",
                                  "0000000000005000-00000-zzz"])
def test_stamps_in_bulk_are_what_successive_now_gives(last):
    # The wall clock at 1000 ms: after, at, just before the counter's end, and behind a stamp seen.
    one, bulk = HybridClock(NODE, last, wall=lambda: 1000), HybridClock(NODE, last, wall=lambda: 1000)
    assert bulk.stamps(5) == [one.now() for _ in range(5)]
    assert bulk.now() == one.now()


def test_stamps_strictly_increase_across_the_counter_limit():
    clock = HybridClock(NODE, wall=lambda: 7)
    clock.observe("0000000000000007-99997-zzz")
    stamps = clock.stamps(5)
    assert stamps == sorted(stamps) and len(set(stamps)) == 5
    assert [Stamp.parse(s).counter for s in stamps] == [99998, 99999, 0, 1, 2]
    assert clock.now() > stamps[-1]
