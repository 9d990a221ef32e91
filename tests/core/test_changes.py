"""civdesk.core.changes: row, change log and audit written together, per-field clocks and bases."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civdesk.core import changes, dump
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import CivDeskError
from civdesk.core.meta import ChangeLog
from civdesk.office import offices as office_service
from civdesk.office.models import Office

CLERK = Actor("zhangli", "张丽", "clerk")


def log_entries(row, field: str | None = None) -> list[ChangeLog]:
    query = ChangeLog.select().where((ChangeLog.tbl == row._meta.table_name) & (ChangeLog.record_id == row.id))
    if field is not None:
        query = query.where(ChangeLog.field == field)
    return list(query.order_by(ChangeLog.hlc))


def audits_of(row) -> list[AuditEntry]:
    return list(AuditEntry.select().where((AuditEntry.tbl == row._meta.table_name)
                                          & (AuditEntry.record_id == row.id)).order_by(AuditEntry.clock))


def reload(row):
    return type(row).get_by_id(row.id)


@pytest.fixture
def village(admin) -> Office:
    return changes.create(Office, admin, {"name": "石桥村", "kind": "village", "contact_person": "赵六",
                                          "address": "石桥村委会"}, scope="s-1")


# --- create ---------------------------------------------------------------------------------


def test_create_writes_row_one_whole_record_entry_and_audit(admin, village):
    row = reload(village)
    assert (row.name, row.kind, row.scope, row.deleted) == ("石桥村", "village", "s-1", False)
    assert row.created_by == row.updated_by == "admin" and row.created_at == row.updated_at
    assert row.name_pinyin.startswith("shi") and row.name_initials == "sqc"

    entries = log_entries(row)
    assert [e.field for e in entries] == ["*"]
    entry = entries[0]
    assert entry.hlc == row.clock and entry.base is None and entry.scope == "s-1" and entry.username == "admin"
    payload = json.loads(entry.value)
    assert set(payload) == set(Office.data_fields()) | {"created_at", "created_by"}
    assert "name_pinyin" not in payload and "name_initials" not in payload
    assert payload["name"] == "石桥村" and payload["contact_person"] == "赵六" and payload["parent_id"] is None
    assert (payload["created_at"], payload["created_by"]) == (row.created_at, "admin")

    [audit] = audits_of(row)
    assert audit.action == "create" and audit.username == "admin" and audit.user_display == admin.display_name
    assert audit.record_label == "石桥村" and audit.scope == "s-1"
    assert json.loads(audit.changes)["name"] == [None, "石桥村"]
    assert [e.field for e in log_entries(audit)] == ["*"], "the audit entry is itself a synced record"


def test_create_refuses_untracked_fields(admin):
    with pytest.raises(ValueError):
        changes.create(Office, admin, {"name": "x", "kind": "village", "name_pinyin": "zzz"})
    assert Office.select().where(Office.name == "x").count() == 0


# --- update ---------------------------------------------------------------------------------


def test_update_logs_each_changed_field_with_its_base(admin, village):
    created = village.clock
    assert changes.update(village, admin, {"contact_person": "钱七", "address": "石桥村委会"}) == \
        {"contact_person": ["赵六", "钱七"]}
    [first] = log_entries(village, "contact_person")
    assert first.base == created and json.loads(first.value) == "钱七"
    assert log_entries(village, "address") == [], "unchanged values are not logged"

    changes.update(village, CLERK, {"contact_person": "孙八"})
    second = log_entries(village, "contact_person")[-1]
    assert second.base == first.hlc, "the base is the stamp of the value the writer replaced"

    changes.update(village, admin, {"address": "新址"})
    [address] = log_entries(village, "address")
    assert address.base == created, "another field's edits are not this field's base"
    assert first.hlc < second.hlc < address.hlc


def test_update_sets_clock_and_updated_by(admin, village, monkeypatch):
    monkeypatch.setattr(changes, "now_text", lambda: "2031-01-02 03:04:05")
    changes.update(village, CLERK, {"phone": "13800138000", "address": "二组"})
    row = reload(village)
    newest = max(e.hlc for e in log_entries(row))
    assert row.clock == newest
    assert (row.updated_at, row.updated_by) == ("2031-01-02 03:04:05", "zhangli")
    assert row.created_by == "admin" and row.created_at != row.updated_at
    assert (row.phone, row.address) == ("13800138000", "二组")
    assert {e.at for e in log_entries(row, "address")} == {"2031-01-02 03:04:05"}


def test_update_without_change_writes_nothing(admin, village):
    before_log, before_audit = ChangeLog.select().count(), AuditEntry.select().count()
    assert changes.update(village, admin, {"name": "石桥村", "contact_person": "赵六"}) == {}
    assert (ChangeLog.select().count(), AuditEntry.select().count()) == (before_log, before_audit)
    assert reload(village).clock == village.clock


def test_update_audit_holds_before_and_after(admin, village):
    changes.update(village, CLERK, {"contact_person": "钱七"}, note="换届")
    audit = audits_of(village)[-1]
    assert audit.action == "update" and audit.username == "zhangli" and audit.note == "换届"
    assert json.loads(audit.changes) == {"contact_person": ["赵六", "钱七"]}


def test_derived_fields_recomputed_never_logged(admin, village):
    changes.update(village, admin, {"name": "白鹤村"})
    row = reload(village)
    assert row.name_pinyin.startswith("bai") and row.name_initials == "bhc"
    derived = ChangeLog.select().where(ChangeLog.field << list(Office.derived_fields)).count()
    assert derived == 0
    for entry in ChangeLog.select().where(ChangeLog.field == "*"):
        assert not set(json.loads(entry.value)) & set(Office.derived_fields)


def test_update_refuses_untracked_fields(admin, village):
    with pytest.raises(ValueError):
        changes.update(village, admin, {"clock": "x"})
    with pytest.raises(ValueError):
        changes.update(village, admin, {"name_initials": "x"})


# --- delete ---------------------------------------------------------------------------------


def test_delete_is_a_tombstone(admin, village):
    changes.delete(village, admin, note="撤并")
    row = reload(village)
    assert row.deleted is True and row.name == "石桥村"
    [entry] = log_entries(row, "deleted")
    assert json.loads(entry.value) is True
    assert entry.base == log_entries(row, "*")[0].hlc
    assert audits_of(row)[-1].action == "delete"
    dumped = json.loads(dump.dump_json())
    assert village.id not in {r["id"] for r in dumped["office"]}
    assert office_service.own_office().id in {r["id"] for r in dumped["office"]}

    changes.undelete(row, admin)
    assert reload(row).deleted is False
    assert village.id in {r["id"] for r in json.loads(dump.dump_json())["office"]}
    assert [json.loads(e.value) for e in log_entries(row, "deleted")] == [True, False]


def test_append_only_records_refuse_update_and_delete(admin, village):
    audit = audits_of(village)[0]
    before = ChangeLog.select().count()
    with pytest.raises(CivDeskError) as info:
        changes.update(audit, admin, {"note": "改一下"})
    assert "只能新增" in str(info.value)
    with pytest.raises(CivDeskError):
        changes.delete(audit, admin)
    assert reload(audit).note == "" and not reload(audit).deleted
    assert ChangeLog.select().count() == before


# --- one transaction ------------------------------------------------------------------------


def _failing_audit(*args, **kwargs):
    raise RuntimeError("disk full while writing the audit log")


def test_create_is_all_or_nothing(admin, monkeypatch):
    counts = (Office.select().count(), ChangeLog.select().count(), AuditEntry.select().count())
    monkeypatch.setattr(changes, "write_audit", _failing_audit)
    with pytest.raises(RuntimeError):
        changes.create(Office, admin, {"name": "红星村", "kind": "village"}, id="fixed-id")
    assert Office.get_or_none(Office.id == "fixed-id") is None
    assert ChangeLog.select().where(ChangeLog.record_id == "fixed-id").count() == 0
    assert (Office.select().count(), ChangeLog.select().count(), AuditEntry.select().count()) == counts


def test_update_is_all_or_nothing(admin, village, monkeypatch):
    count = ChangeLog.select().count()
    monkeypatch.setattr(changes, "write_audit", _failing_audit)
    with pytest.raises(RuntimeError):
        changes.update(village, admin, {"contact_person": "钱七"})
    assert reload(village).contact_person == "赵六"
    assert ChangeLog.select().count() == count


def test_failing_log_write_leaves_no_row(admin, monkeypatch):
    def broken_log(*args, **kwargs):
        raise RuntimeError("log write failed")

    monkeypatch.setattr(changes, "_log", broken_log)
    with pytest.raises(RuntimeError):
        changes.create(Office, admin, {"name": "红星村", "kind": "village"}, id="fixed-id")
    assert Office.get_or_none(Office.id == "fixed-id") is None


# --- personal data --------------------------------------------------------------------------


def test_personal_fields_masked_in_audit(admin):
    row = changes.create(Office, admin, {"name": "金马村", "kind": "village", "phone": "13912345678"})
    changes.update(row, admin, {"phone": "13800138000"})
    created, updated = audits_of(row)
    assert json.loads(created.changes)["phone"] == [None, "139****5678"]
    assert json.loads(updated.changes)["phone"] == ["139****5678", "138****8000"]
    for number in ("13912345678", "13800138000"):
        assert AuditEntry.select().where(AuditEntry.changes.contains(number)).count() == 0
        audit_log = ChangeLog.select().where((ChangeLog.tbl == "audit_entry") & ChangeLog.value.contains(number))
        assert audit_log.count() == 0, "the audit entry travels too; it must not carry the number"


# --- create_many ----------------------------------------------------------------------------


def test_create_many(admin):
    audits_before = AuditEntry.select().count()
    rows = [{"name": f"第{i}组", "kind": "village"} for i in range(1234)]
    ids = changes.create_many(Office, admin, rows, scope="s-9", batch=500)
    assert len(ids) == len(set(ids)) == 1234
    assert Office.select().where(Office.scope == "s-9").count() == 1234
    entries = ChangeLog.select().where((ChangeLog.tbl == "office") & (ChangeLog.record_id << ids))
    assert entries.count() == 1234 and {e.field for e in entries} == {"*"}
    stamps = [e.hlc for e in entries]
    assert len(set(stamps)) == 1234
    row = Office.get_by_id(ids[7])
    assert row.clock == ChangeLog.get(ChangeLog.record_id == row.id).hlc and row.name_initials == "d7z"
    new_audits = list(AuditEntry.select().order_by(AuditEntry.clock))[audits_before:]
    assert len(new_audits) == 1 and new_audits[0].action == "import" and "1234" in new_audits[0].note


# --- the convergence invariant --------------------------------------------------------------


def field_values_from_log(row) -> dict:
    """What the log says each field should hold: the value of its highest-stamp entry."""
    entries = log_entries(row)
    whole = json.loads(next(e.value for e in entries if e.field == "*"))
    values = {name: whole[name] for name in type(row).data_fields()}
    values["deleted"] = False
    newest: dict[str, str] = {name: next(e.hlc for e in entries if e.field == "*") for name in values}
    for entry in entries:
        if entry.field != "*" and entry.hlc > newest.get(entry.field, ""):
            newest[entry.field] = entry.hlc
            values[entry.field] = json.loads(entry.value)
    return values


def row_values(row) -> dict:
    row = reload(row)
    values = {name: changes.encode(getattr(row, name)) for name in type(row).data_fields()}
    values["deleted"] = row.deleted
    return values


texts = st.sampled_from(["", "张三", "李四", "13800138000", "太平社区", "二组"])
operations = st.lists(st.one_of(
    st.tuples(st.just("create"), st.sampled_from(["新民村", "柳林村", "双河社区"])),
    st.tuples(st.just("update"), st.integers(0, 10),
              st.dictionaries(st.sampled_from(["name", "contact_person", "phone", "address"]), texts,
                              min_size=1)),
    st.tuples(st.just("delete"), st.integers(0, 10)),
    st.tuples(st.just("undelete"), st.integers(0, 10)),
), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_every_field_equals_its_newest_log_entry(admin, ops):
    made: list[Office] = []
    for op in ops:
        if op[0] == "create":
            made.append(changes.create(Office, admin, {"name": op[1], "kind": "village"}))
            continue
        if not made:
            continue
        row = reload(made[op[1] % len(made)])
        if op[0] == "update":
            values = dict(op[2])
            if values.get("name") == "":
                values["name"] = "无名"
            if row.deleted:  # a deleted record is restored before it is edited
                with pytest.raises(CivDeskError, match="已被删除"):
                    changes.update(row, admin, values)
                continue
            changes.update(row, admin, values)
        elif op[0] == "delete":
            changes.delete(row, admin)
        else:
            changes.undelete(row, admin)
    for row in made:
        assert row_values(row) == field_values_from_log(row)
        assert reload(row).clock == max(e.hlc for e in log_entries(row))



def test_create_many_refuses_untracked_fields_and_leaves_input_alone(admin):
    """Like create: an import column with a typo must not be dropped silently."""
    rows = [{"name": "甲组", "kind": "village", "scope": "s-1", "adress": "二组"}]
    snapshot = [dict(r) for r in rows]
    with pytest.raises(ValueError):
        changes.create_many(Office, admin, rows)
    assert rows == snapshot
    assert Office.select().where(Office.name == "甲组").count() == 0



def test_every_labelled_text_field_has_a_length_limit(admin):
    """Finding 5 of issue 13: text fields other than 姓名 accepted 10,000 characters."""
    from civdesk.core.models import synced_models
    from civdesk.core.validation import ValidationError

    with pytest.raises(ValidationError) as info:
        changes.create(Office, admin, {"name": "红星村", "kind": "village", "address": "长" * 10_000})
    assert info.value.errors == {"address": "「地址」最多 200 个字，现在有 10,000 个字"}
    village = changes.create(Office, admin, {"name": "红星村", "kind": "village", "address": "长" * 200})
    before = ChangeLog.select().count()
    with pytest.raises(ValidationError, match="「联系人」最多 200 个字"):
        changes.update(village, admin, {"contact_person": "张" * 201})
    with pytest.raises(ValidationError, match="「地址」最多 200 个字"):
        changes.create_many(Office, admin, [{"name": "白鹤村", "kind": "village", "address": "长" * 201}])
    assert ChangeLog.select().count() == before, "nothing written"
    for model in synced_models():
        labels = getattr(model, "field_labels", {}) or {}
        text = {n for n in labels if type(model._meta.fields.get(n)).__name__ in ("CharField", "TextField")}
        assert set(changes.text_limits(model)) == text, model._meta.table_name


def test_bulk_ids_and_payload_text_are_those_of_one_record_at_a_time():
    import uuid

    from civdesk.core.models import new_ids

    ids = new_ids(200)
    assert len(set(ids)) == 200
    assert all(str(uuid.UUID(i)) == i and uuid.UUID(i).version == 4 for i in ids)
    assert all(uuid.UUID(i).variant == uuid.RFC_4122 for i in ids)
    payload = {"name": "张三\"丰", "b": None, "a": 3, "note": "行\n二", "x": 1.5, "ok": True}
    assert changes.dumps_dict(payload) == changes.dumps(payload) == json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def test_create_many_payloads_are_those_of_create(admin):
    """The bulk path takes payload values from the row's SQL parameters: the log must still say
    exactly what create says (dates as text, booleans as booleans, derived fields left out)."""
    import datetime as dt

    from civdesk.volunteers.models import Volunteer

    values = {"number": "T000001", "name": "张三", "birth_date": dt.date(1990, 3, 5), "join_date": dt.date(2024, 1, 2),
              "id_number": "", "phone": "13812345678", "landline": "028-83951234", "occupation": "教师",
              "original_number": "ZYZ1", "note": "备注"}
    one = changes.create(Volunteer, admin, dict(values))
    [many] = changes.create_many(Volunteer, admin, [dict(values, number="T000002")])

    def payload(record_id):
        entry = ChangeLog.get((ChangeLog.record_id == record_id) & (ChangeLog.field == "*"))
        data = json.loads(entry.value)
        return {k: v for k, v in data.items() if k not in ("number", "created_at", "created_by")}

    assert payload(many) == payload(one.id)
    assert payload(many)["birth_date"] == "1990-03-05"
    office = changes.create_many(Office, admin, [{"name": "甲组", "kind": "village"}])[0]
    whole = json.loads(ChangeLog.get(ChangeLog.record_id == office).value)
    assert whole == json.loads(json.dumps(changes.record_values(Office.get_by_id(office)))) | {
        "created_at": whole["created_at"], "created_by": "admin"}
