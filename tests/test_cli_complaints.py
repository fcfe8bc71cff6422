"""`python -m bot complaints`: register a posted complaint, show it, export, purge; bad input exits 2."""

import asyncio
import csv
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from bot.complaints import talon
from bot.offices.scope import OfficeScope
from bot.storage.database import Database

POSTED = {
    "kind": "individual", "surname": "Сейткали", "name": "Айгерім", "patronymic": "Бекқызы",
    "postal_address": "050000, Алматы қ., Абай даңғылы, 10, 5-пәтер", "entity_name": None,
    "outgoing_number": None, "outgoing_date": None, "office_id": "alm-3", "channel": "post",
    "text": "Құжаттарымды қабылдағанда §11-де жоқ анықтама талап етті.",
}
ENTITY = {
    "kind": "legal_entity", "entity_name": "«Жол» ЖШС", "postal_address": "Астана, Сейфуллин 29",
    "outgoing_number": "17/204", "outgoing_date": "2026-11-20", "office_id": "alm", "channel": "email",
    "text": "Просим сообщить, почему решение не принято в течение 30 дней.",
}


@dataclass(frozen=True)
class FakeOffice:
    id: str
    department: str | None


class FakeDirectory:
    offices = {"alm": FakeOffice("alm", None), "alm-3": FakeOffice("alm-3", "alm")}

    def get(self, office_id):
        return self.offices.get(office_id)


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/bot.sqlite3")
    monkeypatch.setattr("bot.cli.complaints.load_scope", lambda: OfficeScope(FakeDirectory()))
    return tmp_path / "bot.sqlite3"


def run(capsys, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys, monkeypatch, payload):
    return run(capsys, "complaints", "add", "--json", "-", stdin=json.dumps(payload, ensure_ascii=False),
               monkeypatch=monkeypatch)


def test_add_then_show_round_trip(capsys, monkeypatch, tmp_path):
    code, out, err = add(capsys, monkeypatch, POSTED)
    assert code == 0 and err == ""
    added = json.loads(out)
    assert talon.is_valid(talon.parse(added["talon"])) and added["talon"].count("-") == 2
    assert added["status"] == "registered" and added["department_id"] == "alm"
    assert added["registered_at"].endswith("+05:00")
    assert [e["action"] for e in added["events"]] == ["registered"]

    code, out, err = run(capsys, "complaints", "show", added["talon"].lower().replace("-", " "))
    shown = json.loads(out)
    assert code == 0 and shown == added
    for key, value in POSTED.items():
        assert shown[key] == value
    assert shown["category"] == "other" and shown["due_date"] > shown["registered_at"][:10]


def test_add_from_a_file_for_a_legal_entity(capsys, tmp_path):
    path = tmp_path / "letter.json"
    path.write_text(json.dumps({**ENTITY, "accepted_by": "Ахметов А. Б."}, ensure_ascii=False), "utf-8")
    code, out, _ = run(capsys, "complaints", "add", "--json", str(path))
    record = json.loads(out)
    assert code == 0 and record["kind"] == "legal_entity" and record["outgoing_date"] == "2026-11-20"
    assert record["accepted_by"] == "Ахметов А. Б." and record["surname"] is None


def test_idempotency_key_files_once(capsys, monkeypatch):
    payload = {**POSTED, "idempotency_key": "journal-2026-0042"}
    first = json.loads(add(capsys, monkeypatch, payload)[1])
    second = json.loads(add(capsys, monkeypatch, payload)[1])
    assert first["talon"] == second["talon"]
    code, out, _ = run(capsys, "complaints", "export", "--csv")
    assert code == 0 and len(list(csv.DictReader(io.StringIO(out)))) == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"surname": None}, "surname is required"),
    ({"postal_address": "  "}, "postal_address is required"),
    ({"office_id": "nowhere"}, "office_id has an unknown value"),
    ({"channel": "fax"}, "channel has an unknown value"),
    ({"kind": None}, "kind is required"),
    ({"text": 42}, "text must be a string"),
    ({"surnme": "typo"}, "unknown field 'surnme'"),
])
def test_bad_input_exits_2_with_one_line_and_stores_nothing(capsys, monkeypatch, change, message):
    code, out, err = add(capsys, monkeypatch, {**POSTED, **change})
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err
    code, out, _ = run(capsys, "complaints", "export", "--csv")
    assert out.splitlines()[1:] == []


def test_entity_without_outgoing_number_is_refused(capsys, monkeypatch):
    code, out, err = add(capsys, monkeypatch, {**ENTITY, "outgoing_number": ""})
    assert (code, out) == (2, "") and "outgoing_number is required" in err


@pytest.mark.parametrize("payload", ["[1, 2]", "{not json", ""])
def test_not_an_object_is_refused(capsys, monkeypatch, payload):
    code, out, err = run(capsys, "complaints", "add", "--json", "-", stdin=payload, monkeypatch=monkeypatch)
    assert (code, out) == (2, "") and err.count("\n") == 1


def test_show_tells_mistyped_from_malformed_from_missing(capsys, monkeypatch):
    good = json.loads(add(capsys, monkeypatch, POSTED)[1])["talon"]
    compact = talon.parse(good)
    typo = compact[:-1] + next(ch for ch in talon.ALPHABET if ch != compact[-1])
    code, out, err = run(capsys, "complaints", "show", typo)
    assert (code, out) == (2, "") and "mistyped" in err and err.count("\n") == 1
    code, out, err = run(capsys, "complaints", "show", "ABC")
    assert (code, out) == (2, "") and "malformed" in err
    code, out, err = run(capsys, "complaints", "show", talon.format_talon(talon.issue(999)))
    assert (code, out) == (2, "") and "no complaint" in err


def test_export_hides_personal_data_unless_asked(capsys, monkeypatch):
    add(capsys, monkeypatch, POSTED)
    add(capsys, monkeypatch, ENTITY)
    _, out, _ = run(capsys, "complaints", "export", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["kind"] for r in rows] == ["individual", "legal_entity"]
    assert "surname" not in rows[0] and "Сейткали" not in out and rows[0]["overdue"] == "False"
    _, out, _ = run(capsys, "complaints", "export", "--csv", "--with-personal-data")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["surname"] == "Сейткали" and rows[1]["entity_name"] == "«Жол» ЖШС"


def test_purge_keeps_open_and_recent_complaints(capsys, monkeypatch):
    add(capsys, monkeypatch, POSTED)
    monkeypatch.setenv("COMPLAINT_RETENTION_DAYS", "30")
    code, out, _ = run(capsys, "complaints", "purge")
    assert code == 0 and json.loads(out) == {"retention_days": 30, "deleted": 0, "survey_answers_deleted": 0}


def test_the_real_command_line_keeps_the_contract(database):
    env = {"DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "bot", "complaints", "show", "K4D-3C7-9"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "mistyped" in result.stderr


def test_offices_of_the_shipped_directory_are_accepted(capsys, monkeypatch):
    from bot.offices.scope import load_scope as real_scope

    monkeypatch.setattr("bot.cli.complaints.load_scope", real_scope)
    code, out, err = add(capsys, monkeypatch, {**POSTED, "office_id": "alm-06"})
    assert code == 0 and json.loads(out)["department_id"] == "alm-00"
    code, out, err = add(capsys, monkeypatch, {**POSTED, "office_id": "alm-99"})
    assert (code, out) == (2, "") and "office_id has an unknown value" in err


def test_the_audit_log_names_the_talon_never_the_text(capsys, monkeypatch):
    added = json.loads(add(capsys, monkeypatch, POSTED)[1])
    code, out, _ = run(capsys, "staff", "log")
    log = json.loads(out)
    assert code == 0 and log[0]["action"] == "registered" and log[0]["talon"] == added["talon"]
    assert POSTED["text"] not in out and POSTED["surname"] not in out


@pytest.mark.parametrize(("change", "message"), [
    ({"postal_address": "а б в г д е ж з"}, "postal_address is not a postal address"),
    ({"postal_address": "asdf asdf asdf"}, "postal_address is not a postal address"),
    ({"text": "😀" * 11}, "text has fewer than 5 letters"),
])
def test_an_address_and_a_text_must_look_like_one(capsys, monkeypatch, change, message):
    code, out, err = add(capsys, monkeypatch, {**POSTED, **change})
    assert (code, out) == (2, "") and err.count("\n") == 1 and message in err


def test_an_impossible_outgoing_date_is_named_so(capsys, monkeypatch):
    code, out, err = add(capsys, monkeypatch, {**ENTITY, "outgoing_date": "31.02.2024"})
    assert (code, out) == (2, "") and "outgoing_date is not a date on the calendar" in err
    code, _out, err = add(capsys, monkeypatch, {**ENTITY, "outgoing_date": "20.11.2026"})
    assert code == 0, err


def _in_database(path, work):
    """Run `work(db)` on the command line's database (what the bot would do beside it)."""

    async def main():
        db = await Database.open(path)
        try:
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(main())


def test_a_posted_complaint_alerts_the_office_staff_in_their_language(capsys, monkeypatch, database):
    async def staff(db):
        now = datetime.now(UTC)
        await db.staff.grant(500, "office_staff", "alm-3", display_name="Ахметов", actor="test", at=now)
        await db.staff.grant(501, "department_supervisor", "alm", display_name="Омаров", actor="test", at=now)
        await db.staff.grant(502, "office_staff", "alm-9", display_name="Чужой", actor="test", at=now)
        await db.dialogues.set_locale(500, "ru")

    _in_database(database, staff)
    code, out, _err = add(capsys, monkeypatch, POSTED)
    shown = json.loads(out)["talon"]
    compact = talon.parse(shown)
    alerts = _in_database(database, lambda db: db.outbox.claim(datetime.now(UTC), timedelta(minutes=1)))
    by_chat = {row["chat_id"]: row["payload"]["text"] for row in alerts}
    assert code == 0 and sorted(by_chat) == [500, 501]  # the office's staff and its department's, no one else
    assert f"Новая жалоба {shown}" in by_chat[500] and f"Жаңа шағым {shown}" in by_chat[501]
    buttons = [row["payload"]["reply_markup"]["inline_keyboard"][0][0] for row in alerts]
    assert all(button["callback_data"] == f"sa:{compact}:open:0" for button in buttons)


def test_show_and_export_say_whether_a_closed_complaint_was_justified(capsys, monkeypatch, database):
    code, out, _err = add(capsys, monkeypatch, POSTED)
    added = json.loads(out)
    assert added["justified"] is None

    async def close(db):
        row = await db.complaints.by_talon(talon.parse(added["talon"]))
        await db.complaints.change(row.id, expected_version=row.version, actor="staff:1",
                                  status="closed", at=datetime.now(UTC), action="closed", justified=True)

    _in_database(database, close)
    code, out, _err = run(capsys, "complaints", "show", added["talon"])
    shown = json.loads(out)
    assert shown["justified"] is True and shown["events"][-1]["detail"]["justified"] is True
    code, out, _err = run(capsys, "complaints", "export", "--csv")
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["justified"] == "True" and row["status"] == "closed"
