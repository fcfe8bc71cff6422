"""`python -m bot staff add|remove|list`: roles with their office or department scope, checked on input."""

import asyncio
import json
from dataclasses import dataclass

import pytest

from bot.cli import main
from bot.offices.scope import OfficeScope
from bot.storage.database import Database


@dataclass(frozen=True)
class FakeOffice:
    id: str
    department: str | None


class FakeDirectory:
    offices = {"alm": FakeOffice("alm", None), "alm-3": FakeOffice("alm-3", "alm"),
               "alm-4": FakeOffice("alm-4", "alm")}

    def get(self, office_id):
        return self.offices.get(office_id)


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/bot.sqlite3")
    monkeypatch.setattr("bot.cli.staff.load_scope", lambda: OfficeScope(FakeDirectory()))
    return tmp_path / "bot.sqlite3"


def run(capsys, *argv):
    code = main(["staff", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else None), err


def test_add_list_remove(capsys, database):
    code, out, err = run(capsys, "add", "42", "--role", "office_staff", "--office", "alm-3",
                         "--office", "alm-4", "--name", " Ахметов  А. ")
    assert code == 0 and err == ""
    assert out == {"user_id": 42, "display_name": "Ахметов А.", "added": 2, "grants": [
        {"role": "office_staff", "scope": "alm-3"}, {"role": "office_staff", "scope": "alm-4"}]}
    assert run(capsys, "add", "7", "--role", "department_supervisor", "--department", "alm")[0] == 0
    assert run(capsys, "add", "1", "--role", "admin")[0] == 0

    _, listing, _ = run(capsys, "list")
    assert [(m["user_id"], len(m["grants"])) for m in listing] == [(1, 1), (7, 1), (42, 2)]

    code, out, _ = run(capsys, "remove", "42", "--role", "office_staff", "--office", "alm-3")
    assert code == 0 and out["removed"] == 1 and out["grants"] == [{"role": "office_staff", "scope": "alm-4"}]
    code, out, _ = run(capsys, "remove", "42")
    assert code == 0 and out["removed"] == 1 and out["grants"] == []

    async def grants():
        db = await Database.open(database)
        try:
            return await db.staff.grants(42), await db.staff.grants(7), await db.staff.audit_log()
        finally:
            await db.close()

    mine, supervisor, log = asyncio.run(grants())
    assert mine == [] and supervisor == [("department_supervisor", "alm")]
    assert [e.action for e in log][:2] == ["staff_revoked", "staff_revoked"]


@pytest.mark.parametrize(("argv", "message"), [
    (["add", "42", "--role", "office_staff", "--office", "nowhere"], "unknown office 'nowhere'"),
    (["add", "42", "--role", "office_staff"], "office_staff needs --office"),
    (["add", "42", "--role", "department_supervisor", "--department", "alm-3"], "unknown department"),
    (["add", "42", "--role", "department_supervisor", "--office", "alm-3"], "needs exactly --department"),
    (["add", "42", "--role", "admin", "--office", "alm-3"], "admin covers every office"),
    (["add", "42", "--role", "boss"], "invalid choice"),
    (["add", "-5", "--role", "admin"], "positive whole number"),
    (["add", "abc", "--role", "admin"], "positive whole number"),
    (["log", "--limit", "0"], "positive whole number"),
    (["remove", "42"], "has no such role"),
    (["remove", "42", "--office", "alm-3"], "give --role"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out is None and err.count("\n") == 1 and message in err
    assert run(capsys, "list")[1] == []


def test_scopes_of_the_shipped_directory(capsys, monkeypatch):
    from bot.offices.scope import load_scope as real_scope

    monkeypatch.setattr("bot.cli.staff.load_scope", real_scope)
    assert run(capsys, "add", "5", "--role", "department_supervisor", "--department", "alm-00")[0] == 0
    code, _, err = run(capsys, "add", "6", "--role", "department_supervisor", "--department", "alm-06")
    assert code == 2 and "unknown department" in err
    assert run(capsys, "add", "6", "--role", "office_staff", "--office", "alm-06")[0] == 0


def test_log_shows_who_did_what_newest_first(capsys, database):
    assert run(capsys, "add", "42", "--role", "admin")[0] == 0
    assert run(capsys, "remove", "42")[0] == 0
    code, log, _ = run(capsys, "log", "--limit", "5")
    assert code == 0 and [r["action"] for r in log] == ["staff_revoked", "staff_granted"]
    assert log[0]["actor"] == "cli" and log[0]["at"].endswith("+05:00") and log[0]["talon"] is None
    assert log[1]["detail"] == {"role": "admin", "scope": "", "user_id": 42}


@pytest.mark.parametrize("user_id", ["99999999999999999999999", "0", "-5", "١٢٣"])
def test_an_impossible_user_id_is_one_line_not_a_traceback(capsys, user_id):
    for argv in (("add", user_id, "--role", "admin"), ("remove", user_id)):
        code, doc, err = run(capsys, *argv)
        assert (code, doc) == (2, None) and len(err.strip().splitlines()) == 1 and "whole number" in err


@pytest.mark.parametrize("kind", ["folder", "not a database"])
def test_a_database_url_that_is_no_database_is_one_line_and_the_command_ends(capsys, monkeypatch, tmp_path,
                                                                             kind):
    target = tmp_path / "x.sqlite3"
    if kind == "folder":
        target.mkdir()
    else:
        target.write_text("hello, not SQLite at all " * 100)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{target}")
    code, doc, err = run(capsys, "list")
    assert (code, doc) == (2, None) and err.startswith("cannot use the database") and err.count("\n") == 1
