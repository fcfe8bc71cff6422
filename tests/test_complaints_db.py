"""Complaint storage on each backend: migrations, talons from the sequence, idempotency,
compare-and-set, staff, audit."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.complaints import talon
from bot.complaints.notice import OutboxNotice
from bot.complaints.permissions import Grant, Reach, may_view, reach_of
from bot.storage.database import Database
from bot.storage.engine import StorageError
from bot.storage.schema import SCHEMA_VERSION
from bot.storage.timestamps import parse_utc_text, utc_text

AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
FIELDS = dict(kind="individual", surname="Сейткали", name="Айгерім", patronymic=None,
              postal_address="Астана, Абай 1", office_id="ast-1", channel="bot", category="long_wait",
              text="Кезекте бір сағат күттім.")


async def register(db, *, key=None, at=AT, **over):
    fields = {**FIELDS, **over}
    return await db.complaints.register(
        fields, registered_at=at, due_date=date(2026, 12, 10), actor="citizen:7", department_id="ast",
        citizen_user_id=7, locale="kk", accepted_by=None, idempotency_key=key)


@pytest.fixture
async def sqlite_db(tmp_path):
    database = await Database.open(tmp_path / "bot.sqlite3")
    yield database
    await database.close()


async def test_upgrade_from_version_one_keeps_dialogue_state(db_url):
    path = db_url
    old = await Database.open(path, upgrade=False)
    assert await old.upgrade(target=1) == (0, 1)
    await old.dialogues.set_state("bot:1:1", "Precheck:age")
    await old.dialogues.set_data("bot:1:1", {"age": 17})
    await old.dialogues.set_locale(1, "ru")
    await old.close()

    db = await Database.open(path)
    try:
        assert await db.schema_version() == SCHEMA_VERSION >= 2
        assert await db.dialogues.get("bot:1:1") == ("Precheck:age", {"age": 17})
        assert await db.dialogues.get_locale(1) == "ru"
        stored, created = await register(db)
        assert created and talon.is_valid(stored.talon)
    finally:
        await db.close()


async def test_indexes_cover_every_lookup(sqlite_db):
    db = sqlite_db
    rows = await db.engine.fetch_all("SELECT name FROM sqlite_master WHERE type = 'index'")
    names = {row["name"] for row in rows}
    assert {"complaint_office_status", "complaint_department_status", "complaint_citizen",
            "complaint_registered_at", "staff_grant_scope", "audit_log_complaint"} <= names
    plans = {
        "SELECT * FROM complaint WHERE talon = 'X'": "talon",
        "SELECT * FROM complaint WHERE office_id = 'a' AND status = 'registered' ORDER BY registered_at":
            "complaint_office_status",
        "SELECT * FROM complaint WHERE citizen_user_id = 1 ORDER BY registered_at": "complaint_citizen",
        "SELECT * FROM audit_log WHERE complaint_id = 1 ORDER BY id": "audit_log_complaint",
    }
    for sql, index in plans.items():
        plan = " ".join(str(row["detail"]) for row in await db.engine.fetch_all("EXPLAIN QUERY PLAN " + sql))
        assert "USING" in plan and ("INDEX" in plan), (sql, plan)
        assert index in plan or "autoindex" in plan, (sql, plan)


async def test_register_stores_everything_and_logs_it(db):
    stored, created = await register(db)
    assert created
    assert stored.status == "registered" and stored.sequence == 1
    assert stored.talon == talon.issue(1)
    raw = await db.engine.fetch_val("SELECT registered_at FROM complaint WHERE id = ?", (stored.id,))
    assert raw == "2026-11-25T10:00:00.000000Z" and parse_utc_text(raw) == AT == stored.registered_at
    assert stored.due_date == date(2026, 12, 10) and stored.department_id == "ast"
    assert (await db.complaints.by_talon(stored.talon)).id == stored.id
    events = await db.complaints.events(stored.id)
    assert [(e.actor, e.action) for e in events] == [("citizen:7", "registered")]


async def test_same_idempotency_key_files_once(db):
    first, created = await register(db, key="bot:7:draft-1")
    again, created_again = await register(db, key="bot:7:draft-1", text="другой текст")
    assert created and not created_again
    assert again.talon == first.talon and again.text == first.text
    other, _ = await register(db, key="bot:7:draft-2")
    assert other.talon != first.talon
    assert len(await db.complaints.export()) == 2


async def test_sequence_is_never_reused_after_deletion(db):
    first, _ = await register(db)
    assert await db.complaints.change(first.id, expected_status="registered", status="closed",
                                     actor="staff:1", at=AT, action="status")
    assert await db.complaints.purge(AT + timedelta(days=1), actor="system") == 1
    assert await db.complaints.by_talon(first.talon) is None
    second, _ = await register(db)
    assert second.sequence == 2 and second.talon != first.talon


async def test_a_failed_insert_rolls_back_the_sequence_too(db):
    with pytest.raises(StorageError, match="(?i)check constraint"):
        await register(db, kind="nobody")
    stored, _ = await register(db)
    assert stored.sequence == 1


async def test_change_is_compare_and_set_and_audited(db):
    stored, _ = await register(db)
    taken = await db.complaints.change(stored.id, expected_status="registered", status="in_review",
                                      assignee_user_id=42, actor="staff:42", at=AT, action="taken")
    assert taken.status == "in_review" and taken.assignee_user_id == 42
    late = await db.complaints.change(stored.id, expected_status="registered", status="in_review",
                                     assignee_user_id=43, actor="staff:43", at=AT, action="taken")
    assert late is None
    answered = await db.complaints.change(stored.id, expected_status="in_review", status="answered",
                                         answer_text="Жауап", actor="staff:42",
                                         at=AT + timedelta(days=2), action="answered")
    assert answered.answer_text == "Жауап" and answered.answered_at.date() == date(2026, 11, 27)
    extended = await db.complaints.change(stored.id, expected_status="answered",
                                         due_date=date(2026, 12, 25), actor="staff:42", at=AT,
                                         action="extended", note="request sent")
    assert extended.due_date == date(2026, 12, 25) and extended.status == "answered"
    events = await db.complaints.events(stored.id)
    assert [e.action for e in events] == ["registered", "taken", "answered", "extended"]
    assert events[1].detail == {"from": "registered", "to": "in_review", "assignee": 42}
    assert events[3].detail["note"] == "request sent"


async def test_move_is_compare_and_set_with_its_hop_and_notices(db):
    stored, _ = await register(db)
    hop = {"from": "registered", "to": "forwarded", "from_office": "ast-1", "to_office": "alm-3"}
    notice = OutboxNotice("complaint:moved", 7, {"text": "moved"})
    moved = await db.complaints.move(stored.id, expected_version=stored.version, actor="staff:42",
                                     at=AT, action="forwarded", office_id="alm-3", department_id="alm",
                                     status="forwarded", assignee_user_id=None, detail=hop,
                                     notices=lambda row: [notice])
    assert (moved.office_id, moved.department_id, moved.status) == ("alm-3", "alm", "forwarded")
    assert moved.version == stored.version + 1
    stale = await db.complaints.move(stored.id, expected_version=stored.version, actor="staff:43",
                                     at=AT, action="recalled", office_id="ast-1", department_id="ast",
                                     status="registered", assignee_user_id=None, detail={})
    assert stale is None and (await db.complaints.by_id(stored.id)).office_id == "alm-3"
    assert [(e.action, e.detail) for e in await db.complaints.events(stored.id)][1:] == [
        ("forwarded", hop)]
    claimed = await db.outbox.claim(AT, timedelta(minutes=1))
    assert [row.dedupe_key for row in claimed] == ["complaint:moved"]
    assert await db.complaints.purge(AT + timedelta(days=1), actor="system") == 0  # still being worked


async def test_closing_stores_whether_it_was_justified(db):
    stored, _ = await register(db)
    assert stored.justified is None
    closed = await db.complaints.change(stored.id, expected_version=stored.version, status="closed",
                                        justified=False, actor="staff:42", at=AT, action="closed")
    assert closed.justified == 0
    assert (await db.complaints.events(stored.id))[-1].detail["justified"] is False
    with pytest.raises(StorageError, match="(?i)check constraint"):
        await db.engine.execute("UPDATE complaint SET justified = 2 WHERE id = ?", (stored.id,))


async def test_citizen_sees_only_their_own_newest_first(db):
    a, _ = await register(db)
    b, _ = await register(db, at=AT + timedelta(hours=1))
    await db.complaints.register(FIELDS, registered_at=AT, due_date=date(2026, 12, 10), actor="citizen:8",
                                citizen_user_id=8)
    assert [r.id for r in await db.complaints.of_citizen(7)] == [b.id, a.id]
    assert len(await db.complaints.of_citizen(8)) == 1
    assert await db.complaints.of_citizen(9) == []


async def test_queue_reach_by_office_department_and_admin(db):
    old, _ = await register(db, at=AT - timedelta(days=20))
    rude, _ = await register(db, category="rude_service")
    other_office, _ = await db.complaints.register(
        {**FIELDS, "office_id": "alm-1"}, registered_at=AT, due_date=date(2026, 12, 10), actor="cli",
        department_id="alm")
    closed, _ = await register(db)
    await db.complaints.change(closed.id, expected_status="registered", status="forwarded", actor="x",
                              at=AT, action="status")
    open_ = ("registered", "in_review")

    async def ids(**reach):
        return [r.id for r in await db.complaints.in_reach(statuses=open_, reach=Reach(**reach))]

    assert await ids(office_ids=("ast-1",), hidden_categories=("rude_service",)) == [old.id]
    assert await ids(department_ids=("ast",)) == [old.id, rude.id]
    assert await ids(everything=True) == [old.id, rude.id, other_office.id]
    assert await ids() == []


async def test_the_queue_query_reaches_exactly_what_the_grants_cover(db):
    """The SQL of a queue and the rule of one card (`covers`, §22 included) agree on every complaint,
    for every combination of grants, so the queue needs no second check in Python."""
    rows = []
    for office, department in (("ast-1", "ast"), ("ast-2", "ast"), ("alm-1", "alm")):
        for category in ("other", "rude_service"):
            row, _ = await db.complaints.register({**FIELDS, "office_id": office, "category": category},
                                                 registered_at=AT, due_date=date(2026, 12, 10), actor="cli",
                                                 department_id=department)
            rows.append(row)
    kinds = [Grant("office_staff", "ast-1"), Grant("office_staff", "alm-1"),
             Grant("department_supervisor", "ast"), Grant("department_supervisor", "alm"), Grant("admin")]
    for mask in range(1 << len(kinds)):
        grants = [g for i, g in enumerate(kinds) if mask >> i & 1]
        found = [r.id for r in await db.complaints.in_reach(statuses=("registered",), reach=reach_of(grants))]
        assert found == [r.id for r in rows if may_view(grants, r.office_id, r.department_id, r.category)]


async def test_staff_grants_and_their_audit(db):
    assert await db.staff.grant(42, "office_staff", "ast-1", display_name="Ахметов А.", actor="cli", at=AT)
    assert not await db.staff.grant(42, "office_staff", "ast-1", display_name=None, actor="cli", at=AT)
    assert await db.staff.grant(42, "department_supervisor", "ast", display_name=None, actor="cli", at=AT)
    assert await db.staff.grants(42) == [("department_supervisor", "ast"), ("office_staff", "ast-1")]
    assert (await db.staff.member(42)).display_name == "Ахметов А."
    with pytest.raises(StorageError, match="(?i)check constraint"):
        await db.staff.grant(43, "admin", "ast", display_name=None, actor="cli", at=AT)
    assert await db.staff.grants(43) == [] and await db.staff.member(43) is None
    assert await db.staff.revoke(42, role="office_staff", scope="ast-1", actor="cli", at=AT) == 1
    supervisor_only = [(Grant("department_supervisor", "ast"),)]
    assert [m.grants for m in await db.staff.members()] == supervisor_only
    assert await db.staff.revoke(42, role=None, scope=None, actor="cli", at=AT) == 1
    assert await db.staff.members() == [] and await db.staff.grants(42) == []
    actions = [e.action for e in await db.staff.audit_log()]
    assert actions == ["staff_revoked", "staff_revoked", "staff_granted", "staff_granted"]


async def test_durability_pragmas(sqlite_db):
    """Complaint writes fsync at COMMIT (FULL); dialogue state and handled updates need not (NORMAL)."""
    engine = sqlite_db.engine

    async def level() -> int:
        return await engine.fetch_val("PRAGMA synchronous")

    assert await level() == 1  # NORMAL
    async with engine.transaction():
        assert await level() == 2  # FULL for the complaint transaction
    assert await level() == 1
    assert await engine.fetch_val("PRAGMA journal_mode") == "wal"


def test_stored_times_are_fixed_width_utc():
    assert utc_text(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05.000000Z"
    with pytest.raises(ValueError):
        utc_text(datetime(2026, 1, 2))


async def test_abandoned_drafts_are_forgotten_other_dialogue_data_kept(db):
    await db.dialogues.set_data("old", {"complaint": {"fields": {"surname": "Ким"}}, "precheck": {"age": 30}})
    await db.dialogues.set_data("fresh", {"complaint": {"fields": {"surname": "Ли"}}})
    await db.dialogues.set_data("none", {"precheck": {"age": 20}})
    await db.engine.execute(
        "UPDATE fsm_state SET updated_at = '2020-01-01T00:00:00.000Z' WHERE key != 'fresh'")
    assert len(await db.dialogues.forget_part("complaint", datetime.now(UTC) - timedelta(days=1))) == 1
    assert await db.dialogues.get("old") == (None, {"precheck": {"age": 30}})
    assert (await db.dialogues.get("fresh"))[1]["complaint"]["fields"]["surname"] == "Ли"
    assert await db.dialogues.get("none") == (None, {"precheck": {"age": 20}})
