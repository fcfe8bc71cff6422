"""`python -m bot survey add`, `indicators served` and `indicators --json|--csv`: answers entered on
paper (the CLI) and in the bot (db.surveys.add_response), served counts and justified
complaints, and the Appendix 3 table computed by hand per office, department, everything and days;
on each backend (the `db_url` fixture) wherever the database is read or written."""

import asyncio
import csv
import io
import json
from datetime import UTC, date, datetime

import pytest

import bot.clock
from bot.cli import main
from bot.clock import KZ_TZ
from bot.storage.database import Database
from bot.storage.timestamps import utc_text

NOW = datetime(2025, 6, 2, 10, 0, tzinfo=KZ_TZ)


@pytest.fixture(autouse=True)
def clock_and_default_database(tmp_path, monkeypatch):
    """Bad input is refused before any database is opened: an SQLite file is enough for those tests."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/bot.sqlite3")
    monkeypatch.setattr(bot.clock, "now", lambda: NOW)
    monkeypatch.setattr(bot.clock, "today", lambda: NOW.date())


@pytest.fixture
def database(db_url, monkeypatch):
    """The CLI's database on each backend; what Database.open takes for the test's own look."""
    postgres = str(db_url).startswith("postgresql")
    monkeypatch.setenv("DATABASE_URL", str(db_url) if postgres else f"sqlite:///{db_url}")
    return db_url


async def opened(target, work):
    db = await Database.open(target)
    try:
        return await work(db)
    finally:
        await db.close()


def run(capsys, monkeypatch, *argv, stdin=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def paper(office, day, quality, information, courtesy, on_time, key):
    return json.dumps({"office_id": office, "visited_on": day, "channel": "paper", "idempotency_key": key,
                       "answers": {"quality": quality, "information": information, "courtesy": courtesy,
                                   "on_time": on_time}})


# Paper questionnaires (the CLI). alm-06 and alm-01 belong to department alm-00, ast-01 to ast-00.
PAPER = [
    paper("alm-06", "2025-03-03", 5, 4, 5, True, "P1"),
    paper("alm-06", "2025-03-10", 4, 2, 3, False, "P2"),
    paper("alm-06", "2025-03-17", 3, 5, 4, True, "P3"),
]
# Answers in the bot: (office, department, day, quality, information, courtesy, on_time).
IN_BOT = [
    ("alm-06", "alm-00", date(2025, 3, 20), 5, 5, 5, True),
    ("alm-06", "alm-00", date(2025, 4, 2), 2, 4, None, None),
    ("alm-06", "alm-00", date(2025, 4, 15), 4, None, 5, True),
    ("alm-01", "alm-00", date(2025, 3, 5), 1, 1, 2, False),
    ("alm-01", "alm-00", date(2025, 3, 6), 5, 4, 4, True),
    ("ast-01", "ast-00", date(2025, 3, 7), 5, 5, 5, True),
]
# Closed complaints: (office, department, closed at UTC, justified).
CLOSED = [
    ("alm-06", "alm-00", datetime(2025, 3, 12, 6, tzinfo=UTC), 1),
    ("alm-06", "alm-00", datetime(2025, 3, 28, 6, tzinfo=UTC), 1),
    ("alm-06", "alm-00", datetime(2025, 3, 29, 6, tzinfo=UTC), 0),
    ("alm-01", "alm-00", datetime(2025, 3, 14, 6, tzinfo=UTC), 1),
    ("alm-06", "alm-00", datetime(2025, 5, 6, 6, tzinfo=UTC), 1),  # May: no served count, not counted
    # closed on 1 April in Almaty (31 March in UTC): counted with April, where it was justified
    ("alm-06", "alm-00", datetime(2025, 3, 31, 20, tzinfo=UTC), 1),
]


async def _store_bot_answers_and_complaints(db):
    for i, (office, dept, day, q, inf, c, on_time) in enumerate(IN_BOT):
        assert await db.surveys.add_response(
            office_id=office, department_id=dept, visited_on=day, quality=q, information=inf,
            courtesy=c, on_time=on_time, channel="bot", idempotency_key=f"bot-{i}")
    assert not await db.surveys.add_response(  # the same key again: nothing new
        office_id="alm-06", department_id="alm-00", visited_on=date(2025, 3, 20), quality=1,
        information=1, courtesy=1, on_time=False, channel="bot", idempotency_key="bot-0")
    for office, dept, closed_at, justified in CLOSED:
        row, _ = await db.complaints.register(
            {"kind": "individual", "surname": "Ким", "name": "Ли", "postal_address": "Алматы, ул. Абая 1",
             "office_id": office, "channel": "post", "category": "other", "text": "Жалоба."},
            registered_at=closed_at, due_date=closed_at.date(), actor="test", department_id=dept)
        # Closing with the justified mark is the p-fwd branch's use case: the row as it leaves it.
        await db.engine.execute("UPDATE complaint SET status = 'closed', justified = ?, updated_at = ? "
                                "WHERE id = ?", (justified, utc_text(closed_at), row.id))


@pytest.fixture
def stored(capsys, monkeypatch, database):
    for form in PAPER:
        code, out, err = run(capsys, monkeypatch, "survey", "add", "--json", "-", stdin=form)
        assert (code, err) == (0, "") and json.loads(out)["registered"] is True
    code, out, _ = run(capsys, monkeypatch, "survey", "add", "--json", "-", stdin=PAPER[0])
    assert code == 0 and json.loads(out) == {
        "registered": False, "office_id": "alm-06", "department_id": "alm-00", "visited_on": "2025-03-03",
        "channel": "paper", "idempotency_key": "P1"}
    for office, month, count in (("alm-06", "2025-03", 150), ("alm-06", "2025-03", 200),
                                 ("alm-06", "2025-04", 100), ("alm-01", "2025-03", 50)):
        code, out, err = run(capsys, monkeypatch, "indicators", "served", "--office", office,
                             "--month", month, "--count", str(count))
        assert (code, err) == (0, "")
    assert json.loads(out) == {"office_id": "alm-01", "month": "2025-03", "count": 50, "previous": None}
    asyncio.run(opened(database, _store_bot_answers_and_complaints))


def table(capsys, monkeypatch, *scope):
    code, out, err = run(capsys, monkeypatch, "indicators", "--json", *scope)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert [list(r) for r in doc["rows"]] == [[
        "id", "title", "normative", "target_next_year", "value_percent", "responses", "too_few"]] * 6
    return {r["id"]: (r["value_percent"], r["responses"], r["too_few"]) for r in doc["rows"]}


def test_one_office_paper_and_bot_together(capsys, monkeypatch, stored):
    # alm-06: quality 5,4,3 (paper) 5,2,4 (bot) -> 4 of 6; information 4,2,5,5,4 -> 4/5; courtesy
    # 5,3,4,5,5 -> 4/5; on time T,F,T,T,T -> 4/5. 4.1: March 2 justified (+ April 1) over 200 + 100
    # served (the March count entered twice: the second replaces the first).
    assert table(capsys, monkeypatch, "--office", "alm-06") == {
        "1.1": (80.0, 5, False), "2.1": (66.7, 6, False), "3.1": (80.0, 5, False),
        "3.2": (None, None, False), "4.1": (1.0, 300, False), "5.1": (80.0, 5, False),
    }


def test_department_and_country(capsys, monkeypatch, stored):
    # alm-00 adds alm-01: quality +1,5 -> 5/8; information +1,4 -> 5/7; courtesy +2,4 -> 5/7; on time
    # +F,T -> 5/7; 4.1: 3 + 1 (April) justified over 200 + 100 + 50.
    assert table(capsys, monkeypatch, "--department", "alm-00") == {
        "1.1": (71.4, 7, False), "2.1": (62.5, 8, False), "3.1": (71.4, 7, False),
        "3.2": (None, None, False), "4.1": (1.1, 350, False), "5.1": (71.4, 7, False),
    }
    # everything adds ast-01's 5,5,5,yes; no served count there, so 4.1 is unchanged.
    assert table(capsys, monkeypatch) == {
        "1.1": (75.0, 8, False), "2.1": (66.7, 9, False), "3.1": (75.0, 8, False),
        "3.2": (None, None, False), "4.1": (1.1, 350, False), "5.1": (75.0, 8, False),
    }
    # ast-01 alone: one answer is too few to show; no served count leaves 4.1 unknown.
    assert table(capsys, monkeypatch, "--office", "ast-01") == {
        "1.1": (None, 1, True), "2.1": (None, 1, True), "3.1": (None, 1, True),
        "3.2": (None, None, False), "4.1": (None, 0, True), "5.1": (None, 1, True),
    }


def test_days(capsys, monkeypatch, stored):
    # April at alm-06: two bot answers (too few); 4.1 the complaint closed on 1 April over 100 served.
    assert table(capsys, monkeypatch, "--office", "alm-06", "--from", "2025-04-01", "--to", "2025-04-30") == {
        "1.1": (None, 1, True), "2.1": (None, 2, True), "3.1": (None, 1, True),
        "3.2": (None, None, False), "4.1": (1.0, 100, False), "5.1": (None, 1, True),
    }


def test_a_period_from_mid_month_counts_the_bots_answers_by_whole_months(capsys, monkeypatch, stored,
                                                                         database):
    # The bot stores the first day of the month of a visit only (privacy), so its answers count by whole
    # months, those the days touch (as 4.1); a paper form by its day. ast-01 has a bot answer of 7 March
    # (quality 5); add one as the bot stores it (1 March, quality 4) and paper forms of 10 and 20 March.
    async def more(db):
        assert await db.surveys.add_response(
            office_id="ast-01", department_id="ast-00", visited_on=date(2025, 3, 1), quality=4,
            information=None, courtesy=None, on_time=None, channel="bot", idempotency_key=None)
    asyncio.run(opened(database, more))
    for day, quality, key in (("2025-03-10", 1, "A1"), ("2025-03-20", 2, "A2")):
        code, _, _ = run(capsys, monkeypatch, "survey", "add", "--json", "-",
                         stdin=paper("ast-01", day, quality, None, None, None, key))
        assert code == 0
    # From 15 March: both bot answers (March is touched) and the form of 20 March: 5, 4, 2 -> 2 of 3.
    assert table(capsys, monkeypatch, "--office", "ast-01", "--from", "2025-03-15")["2.1"] == (None, 3, True)
    # To 9 March: both bot answers, no form; 10 to 19 March: both bot answers and the form of 10 March.
    assert table(capsys, monkeypatch, "--office", "ast-01", "--to", "2025-03-09")["2.1"] == (None, 2, True)
    assert table(capsys, monkeypatch, "--office", "ast-01", "--from", "2025-03-10",
                 "--to", "2025-03-19")["2.1"] == (None, 3, True)
    # April: no answer of March counts.
    assert table(capsys, monkeypatch, "--office", "ast-01", "--from", "2025-04-01")["2.1"] == (None, 0, True)


def test_csv_is_the_same_table(capsys, monkeypatch, stored):
    code, out, err = run(capsys, monkeypatch, "indicators", "--csv", "--office", "alm-06")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["value_percent"], r["responses"], r["too_few"]) for r in rows] == [
        ("1.1", "80.0", "5", "False"), ("2.1", "66.7", "6", "False"), ("3.1", "80.0", "5", "False"),
        ("3.2", "", "", "False"), ("4.1", "1.0", "300", "False"), ("5.1", "80.0", "5", "False")]
    assert rows[1]["title_ru"] == "Доля потребителей, удовлетворённых качеством процесса оказания услуги"


def test_served_entries_are_audited(capsys, monkeypatch, stored, database):
    async def log(db):
        return [r.detail for r in await db.staff.audit_log() if r.action == "served_entered"]

    assert asyncio.run(opened(database, log))[::-1] == [
        {"office_id": "alm-06", "month": "2025-03", "count": 150, "previous": None},
        {"office_id": "alm-06", "month": "2025-03", "count": 200, "previous": 150},
        {"office_id": "alm-06", "month": "2025-04", "count": 100, "previous": None},
        {"office_id": "alm-01", "month": "2025-03", "count": 50, "previous": None},
    ]


def test_answers_are_stored_without_who_gave_them(stored, database):
    async def columns(db):
        return list(await db.engine.fetch_one("SELECT * FROM survey_response LIMIT 1"))

    stored_columns = asyncio.run(opened(database, columns))
    assert "office_id" in stored_columns and not [c for c in stored_columns if "user" in c or "chat" in c]


def test_retention_purges_old_answers(stored, database):
    async def purge(db):
        gone = await db.surveys.purge(date(2025, 3, 10))
        return gone, len(await db.surveys.answers())

    assert asyncio.run(opened(database, purge)) == (4, 5)  # before 10 March: P1, alm-01 twice and ast-01


def test_complaints_purge_deletes_old_answers_too(capsys, monkeypatch, stored, database):
    # 84 days before 2 June is 10 March: the same four answers go; every complaint closed later stays.
    monkeypatch.setenv("COMPLAINT_RETENTION_DAYS", "84")
    code, out, err = run(capsys, monkeypatch, "complaints", "purge")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"retention_days": 84, "deleted": 0, "survey_answers_deleted": 4}

    async def left(db):
        return len(await db.surveys.answers()), len(await db.complaints.export())

    assert asyncio.run(opened(database, left)) == (5, len(CLOSED))


BAD_FORMS = {
    "unknown office": ('{"office_id": "zzz-99", "visited_on": "2025-03-03", "answers": {}}',
                       "unknown office"),
    "bad date": ('{"office_id": "alm-06", "visited_on": "2025-02-30", "answers": {}}', "visited_on"),
    "future": ('{"office_id": "alm-06", "visited_on": "2025-06-03", "answers": {}}', "future"),
    "out of range": ('{"office_id": "alm-06", "visited_on": "2025-03-03", "answers": {"courtesy": 0}}',
                     "answers.courtesy"),
    "scale as bool": ('{"office_id": "alm-06", "visited_on": "2025-03-03", "answers": {"quality": true}}',
                      "answers.quality"),
    "on_time as number": ('{"office_id": "alm-06", "visited_on": "2025-03-03", "answers": {"on_time": 1}}',
                          "answers.on_time"),
    "unknown answer": ('{"office_id": "alm-06", "visited_on": "2025-03-03", "answers": {"mood": 3}}', "mood"),
    "unknown key": ('{"office_id": "alm-06", "visited_on": "2025-03-03", "answers": {}, "name": "A"}',
                    "unknown field 'name'"),
    "bot channel": ('{"office_id": "alm-06", "visited_on": "2025-03-03", "answers": {}, "channel": "bot"}',
                    "channel"),
    "not json": ("{", "not valid UTF-8 JSON"),
    "a list": ("[]", "one object"),
}


@pytest.mark.parametrize("name", BAD_FORMS)
def test_bad_questionnaire_exits_2_with_one_line(capsys, monkeypatch, name):
    form, says = BAD_FORMS[name]
    code, out, err = run(capsys, monkeypatch, "survey", "add", "--json", "-", stdin=form)
    assert (code, out) == (2, "")
    assert says in err and err.count("\n") == 1


@pytest.mark.parametrize("argv, says", [
    (["indicators", "served", "--office", "zzz", "--month", "2025-03", "--count", "1"], "unknown office"),
    (["indicators", "served", "--office", "alm-06", "--month", "2025-13", "--count", "1"], "not a month"),
    (["indicators", "served", "--office", "alm-06", "--month", "2025-07", "--count", "1"], "not begun"),
    (["indicators", "served", "--office", "alm-06", "--month", "2025-03", "--count", "-1"], "whole number"),
    (["indicators", "--json", "--department", "alm-06"], "unknown department"),
    (["indicators", "--json", "--from", "2025-3-1"], "not a day"),
    (["indicators", "--json", "--from", "2025-04-01", "--to", "2025-03-01"], "after"),
    (["indicators"], "--json or --csv"),
])
def test_bad_indicator_arguments(capsys, monkeypatch, argv, says):
    code, out, err = run(capsys, monkeypatch, *argv)
    assert (code, out) == (2, "")
    assert says in err and err.count("\n") == 1
