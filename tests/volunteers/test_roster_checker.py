"""roster_rules.Checker: a file's rows checked with answers for repeated values remembered and
clean ID numbers and mobiles taken on a short path — the same results as the rules themselves."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from civdesk.core import validation
from civdesk.volunteers import roster_rules

TODAY = dt.date(2026, 6, 1)


def id_numbers(rng: random.Random, count: int) -> list[str]:
    """Valid numbers, and the ways they go wrong: a wrong check digit, lower-case x, impossible or
    future or pre-1900 birth dates, letters, spaces, the wrong length."""
    out = []
    for _ in range(count):
        year = rng.choice([1899, 1900, 1950, 1990, 2000, 2024, 2026, 2027])
        body = f"{rng.randint(110000, 659999)}{year:04d}{rng.randint(0, 13):02d}{rng.randint(0, 32):02d}{rng.randint(0, 999):03d}"
        good = body + validation.id_check_digit(body)
        out.append(good)
        out.append(good[:17] + rng.choice("0123456789Xx"))
        out.append(good.lower())
        out.append(good[:5] + rng.choice("a ×O") + good[6:])
        out.append(good[:-1])
        out.append(f" {good} ")
    return out


def test_clean_resident_ids_read_as_the_rule_reads_them():
    rng = random.Random(17)
    numbers = id_numbers(rng, 3000) + ["11010519491231002X", "11010519491231002x", "110105194912310021", ""]
    for raw in numbers:
        found = roster_rules.resident_id(raw, TODAY)
        checked = validation.id_number(raw, today=TODAY)
        clean = len(raw) == 18 and raw.isascii() and raw[:17].isdigit()
        if found is not None:
            assert checked.ok and found == (checked.value.number, checked.value.birth_date, checked.value.sex), raw
        else:  # the rule decides: a clean-looking number it accepts must not be left to it
            assert not (clean and checked.ok), raw
    assert sum(roster_rules.resident_id(raw, TODAY) is not None for raw in numbers) > 2000


def rows_strategy():
    cell = st.one_of(st.none(), st.sampled_from(["", " ", "男", "女", "男性", "M", "x", "汉", "汉族", "团员", "本科",
                                                  "大学本科", "硕士研究生", "博士后", "13812345678", "028-83951234",
                                                  "12345", "2024-03-05", "2024年3月5日", "1990-02-30", "45000",
                                                  "桂花村", "桂花", "不存在村", "护照", "身份证"]),
                     st.integers(-5, 50000), st.floats(allow_nan=False, allow_infinity=False),
                     st.dates(dt.date(1890, 1, 1), dt.date(2030, 1, 1)),
                     st.datetimes(dt.datetime(1890, 1, 1), dt.datetime(2030, 1, 1)), st.booleans())
    fields = ["name", "sex", "id_type", "id_number", "birth_date", "phone", "landline", "join_date", "village_id",
              "ethnicity", "political_status", "education", "employer", "note", "original_number", "status"]
    return st.lists(st.dictionaries(st.sampled_from(fields), cell, max_size=10), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(rows=rows_strategy(), importing=st.booleans())
def test_a_checker_remembering_answers_says_what_a_fresh_one_says(rows, importing):
    """Equal values of different kinds (1, 1.0, True; a date and a datetime) are not mixed up."""
    class Villages:  # the look-up a Villages object makes, without a database
        def resolve(self, value, *, importing=False):
            text = roster_rules.text_of(value).replace(" ", "")
            return ("v-1", None) if text in ("桂花村", "桂花") else (None, f"没有名为「{text}」的村/社区") if text else (None, None)

    villages = Villages()
    checker = roster_rules.Checker(villages=villages, today=TODAY, importing=importing)
    rng = random.Random(3)
    for values in rows + rows:  # the second time the answers come from the checker's memory
        values = dict(values)
        if rng.random() < 0.5:
            values["id_number"] = id_numbers(rng, 1)[0]
        expected = roster_rules.Checker(villages=villages, today=TODAY, importing=importing)(values)
        assert checker(values) == expected
        assert repr(checker(values)) == repr(expected)  # the same types too (dates, not datetimes)


def test_a_clean_mobile_is_what_the_phone_rule_keeps():
    rng = random.Random(5)
    for _ in range(2000):
        number = f"1{rng.randint(0, 9)}{rng.randint(0, 999_999_999):09d}"
        if roster_rules._MOBILE.fullmatch(number):
            assert validation.phone(number, required=False).value == number
        else:
            assert not validation.mobile(number).ok


def test_bulk_derived_fields_are_those_of_compute_derived():
    """register_many remembers a name's search keys; every derived field must come out as the
    model computes it (a derived field added to the model and not here fails this test)."""
    from civdesk.volunteers import roster
    from civdesk.volunteers.models import Volunteer

    derive = roster.derived_fields()
    samples = [{"name": "张三", "id_number": "11010519491231002X", "phone": "13812345678"},
               {"name": "张三", "id_number": "", "phone": ""}, {"name": "单雄信", "phone": None},
               {"name": "Anna Lee", "id_number": "E12345678"}, {"name": "欧阳 娜娜", "landline": "028-83951234"},
               {"name": "", "id_number": None}, {"name": "𠀀明"}]
    for values in samples + samples:
        data = dict(values)
        derive(data)
        model = Volunteer(**values)
        model.compute_derived()
        assert {f: data[f] for f in Volunteer.derived_fields} == {f: getattr(model, f) for f in Volunteer.derived_fields}
        assert set(data) - set(values) == set(Volunteer.derived_fields)
