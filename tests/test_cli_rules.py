"""The JSON command line of the rules: precheck, fee, hours. The contract keys, and every bad input
(exit 2, one line on stderr, nothing on stdout, no traceback). Mostly in-process for speed; a few
through a real subprocess to pin the contract as other tools see it."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent
PRECHECK_KEYS = {
    "outcome",
    "applies_via",
    "refusal_grounds",
    "documents",
    "fee_kzt",
    "decision_days",
    "next_question",
    "ruleset",
}
NO_GROUNDS = {
    g: False
    for g in (
        "state_secret",
        "criminal_case",
        "convicted",
        "court_obligations",
        "conscript_service",
        "false_information",
        "civil_defendant",
        "tax_debt",
    )
}


def run(argv, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def precheck(answers, capsys, monkeypatch):
    code, out, err = run(["precheck", "--answers", "-"], capsys, json.dumps(answers), monkeypatch)
    assert (code, err) == (0, "")
    return json.loads(out)


def test_precheck_eligible_child(capsys, monkeypatch):
    answers = {
        "citizen": True,
        "who": "child",
        "age": 11,
        **NO_GROUNDS,
        "with_one_parent": True,
        "other_parent_in_kz": True,
        "payment_date": "2022-04-01",
    }
    doc = precheck(answers, capsys, monkeypatch)
    assert PRECHECK_KEYS <= set(doc)
    assert {k: doc[k] for k in PRECHECK_KEYS} == {
        "outcome": "eligible",
        "applies_via": "representative",
        "refusal_grounds": [],
        "documents": ["11.1", "11.2", "11.5", "11.6", "11.7"],
        "fee_kzt": 3063,
        "decision_days": 30,
        "next_question": None,
        "ruleset": "kz-199-2013",
    }
    assert doc["document_details"][2]["paragraph"] == "§11.5" and doc["document_details"][2]["title"]["ru"]
    assert doc["fee"]["valid_from"] == "2022-01-01" and doc["disclaimer"]["kk"]
    assert doc["ruleset_in_force"] is False and doc["ruleset_valid_to"] == "2014-04-18"


def test_precheck_refused_lists_grounds_and_the_appeal_right(capsys, monkeypatch):
    doc = precheck(
        {"citizen": True, "who": "self", "age": 30, **NO_GROUNDS, "convicted": True, "tax_debt": True},
        capsys,
        monkeypatch,
    )
    assert (doc["outcome"], doc["paragraph"], doc["refusal_grounds"]) == (
        "refused",
        "§16",
        ["convicted", "tax_debt"],
    )
    assert doc["grounds"][0]["lifted_when"]["ru"] and doc["refusal_notice"]["paragraph"] == "§16"
    assert doc["documents"] == []


def test_precheck_incomplete_names_the_next_question(capsys, monkeypatch):
    doc = precheck({}, capsys, monkeypatch)
    assert (doc["outcome"], doc["next_question"], doc["applies_via"]) == ("incomplete", "citizen", None)
    assert doc["question"]["kind"] == "bool" and doc["question"]["text"]["kk"]
    doc = precheck({"citizen": True}, capsys, monkeypatch)
    assert [o["value"] for o in doc["question"]["options"]] == ["self", "child", "ward"]


def test_precheck_not_applicable(capsys, monkeypatch):
    doc = precheck({"citizen": False}, capsys, monkeypatch)
    assert (doc["outcome"], doc["applies_via"], doc["next_question"], doc["paragraph"]) == (
        "not_applicable",
        None,
        None,
        "§6",
    )


def test_precheck_reads_a_file(tmp_path, capsys):
    path = tmp_path / "a.json"
    path.write_text('{"citizen": true, "who": "ward", "age": 44}', encoding="utf-8")
    code, out, _ = run(["precheck", "--answers", str(path)], capsys)
    assert code == 0 and json.loads(out)["next_question"] == "state_secret"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"citizen": false}')  # a BOM, as some Windows editors write
    code, out, _ = run(["precheck", "--answers", str(path)], capsys)
    assert code == 0 and json.loads(out)["outcome"] == "not_applicable"


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ('{"nationality": "kz"}', "nationality: unknown answer"),
        ('{"citizen": "yes"}', "citizen: expected true or false"),
        ('{"age": "17"}', "age: expected a whole number"),
        ('{"age": 17.0}', "age: expected a whole number"),
        ('{"age": 200}', "age: expected 0–130"),
        ('{"who": "me"}', "who: expected one of self, child, ward"),
        ('{"citizen": true, "who": "ward", "age": 12}', "age: with who = 'ward' expected 18–130"),
        ('{"citizen": true, "who": "ward", "age": 0}', "age: with who = 'ward' expected 18–130"),
        ('{"payment_date": "2023-02-30"}', "payment_date: no such date"),
        ('{"payment_date": "30.01.2023"}', "payment_date: expected a date YYYY-MM-DD"),
        ('{"payment_date": "2010-05-01"}', "out of scope"),
        ("{bad json", "answers are not valid JSON"),
        ("", "answers are not valid JSON"),
        ('["citizen"]', "expected an object"),
        ("[" * 100_000, "answers are not usable JSON"),
        ('{"age": ' + "9" * 5000 + "}", "answers are not usable JSON"),
        ('{"age": 1e999}', "age: expected a whole number"),
        ('{"citizen": NaN}', "citizen: expected true or false"),
    ],
)
def test_precheck_bad_input(stdin, message, capsys, monkeypatch):
    code, out, err = run(["precheck", "--answers", "-"], capsys, stdin, monkeypatch)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["precheck", "--answers", "/no/such/file.json"], "answers file not found"),
        (["precheck", "--answers", "/"], "cannot read answers from /"),
        (["precheck"], "--answers"),
        (["precheck", "--answers", "-", "--ruleset", "kz-none"], "unknown ruleset"),
        (["fee", "--date", "2023-02-30"], "--date: no such date"),
        (["fee", "--date", "31.02.2024"], "--date: no such date"),
        (["fee", "--date", "25.11.26"], "--date: expected a date YYYY-MM-DD or DD.MM.YYYY"),
        (["fee", "--date", "2010-12-31"], "out of scope"),
        (["hours", "--at", "2026-11-30 10:00"], "--at: expected a real local time"),
        (["hours", "--at", "2026-11-31T10:00"], "--at: expected a real local time"),
        (["hours", "--at", "2026-11-30T24:00"], "--at: expected a real local time"),
        (["hours", "--at", "2026-11-30T10:00+06:00"], "--at: expected a real local time"),
        (["hours", "--at", "2012-05-01T10:00"], "out of scope"),
        (["hours", "--at", "9999-12-31T19:00"], "out of scope"),
        (["fee", "--unknown"], "unrecognized arguments"),
    ],
)
def test_bad_arguments(argv, message, capsys, monkeypatch):
    code, out, err = run(argv, capsys, "{}", monkeypatch)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1


def test_fee(capsys):
    code, out, _ = run(["fee", "--date", "2020-04-01"], capsys)
    doc = json.loads(out)
    assert code == 0 and {"date", "mrp_kzt", "fee_kzt", "source"} <= set(doc)
    assert (doc["date"], doc["mrp_kzt"], doc["fee_kzt"], doc["stale"]) == ("2020-04-01", 2778, 2778, False)
    assert isinstance(doc["source"], str) and doc["source"] == doc["source_text"]["ru"]
    assert "2020–2022" in doc["source_text"]["kk"] and "2020–2022" in doc["source"]
    assert doc["notes"][0]["kk"] and doc["notes"][0]["ru"]
    code, out, _ = run(["fee", "--date", "2030-01-01"], capsys)
    assert json.loads(out)["stale"] is True


def test_fee_reads_the_date_as_the_bot_does(capsys):
    _, dotted, _ = run(["fee", "--date", "25.11.2026"], capsys)
    _, iso, _ = run(["fee", "--date", "2026-11-25"], capsys)
    assert json.loads(dotted)["date"] == "2026-11-25" and dotted == iso


def test_fee_defaults_to_today_in_almaty(capsys, monkeypatch):
    from datetime import date

    monkeypatch.setattr("bot.clock.today", lambda: date(2022, 6, 1))
    _, out, _ = run(["fee"], capsys)
    assert json.loads(out)["fee_kzt"] == 3063


def test_hours(capsys):
    code, out, _ = run(["hours", "--at", "2026-11-28T13:30"], capsys)
    doc = json.loads(out)
    assert code == 0 and {"at", "open", "reason", "next_open"} <= set(doc)
    assert doc == {
        **doc,
        "at": "2026-11-28T13:30+05:00",
        "open": False,
        "reason": "after_closing",
        "next_open": "2026-11-30T09:00+05:00",
    }
    _, out, _ = run(["hours", "--at", "2026-11-30T10:00"], capsys)
    assert json.loads(out)["next_open"] is None and json.loads(out)["open"] is True


def test_contract_through_real_processes():
    """Two real processes (each `python -m bot` start is slow): one good answer set, one undecodable."""
    command = [sys.executable, "-m", "bot", "precheck", "--answers", "-"]
    ok = subprocess.run(
        command,
        input=b'{"citizen": true, "who": "self", "age": 17}',
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert ok.returncode == 0 and ok.stderr == b""
    assert json.loads(ok.stdout)["next_question"] == "married"
    bad = subprocess.run(command, input=b'{"citizen": \xff}', capture_output=True, cwd=ROOT, timeout=120)
    assert (bad.returncode, bad.stdout) == (2, b"")
    assert len(bad.stderr.splitlines()) == 1 and b"Traceback" not in bad.stderr
