"""`python -m bot survey add --json FILE` (`-` reads stdin): staff register a paper questionnaire of the
survey after a visit (data/surveys/after_visit.toml), so that Appendix 3 counts it beside the bot's.

The JSON: `office_id`, `visited_on` (YYYY-MM-DD), `answers` {`quality`, `information`, `courtesy`: 1–5
or null, `on_time`: true/false/null}, `channel` ("paper"), `idempotency_key` (the form's number: the
same key never registers twice). Anything else, or a value out of range, exits 2 with one line.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from bot import clock
from bot.cli import UsageError, emit, read_json
from bot.cli.opening import with_database
from bot.offices.scope import load_scope
from bot.storage import surveys
from bot.storage.database import Database
from bot.visits.survey import load_survey

KEYS = ("office_id", "visited_on", "answers", "channel", "idempotency_key")
REQUIRED = ("office_id", "visited_on", "answers")
KEY_MAX = 200  # characters of an idempotency key


def register(sub) -> None:
    group = sub.add_parser("survey", help="the survey after a visit (Appendix 3)")
    cmds = group.add_subparsers(dest="survey_command", required=True)
    add = cmds.add_parser("add", help="register a paper questionnaire from JSON")
    add.add_argument("--json", required=True, dest="json_path", metavar="FILE", help="JSON file, - for stdin")
    add.set_defaults(func=_add)


def parse_form(data: Any, today: date) -> dict[str, Any]:
    """The checked questionnaire as Surveys.add_response's keyword arguments (without the department)."""
    if not isinstance(data, dict):
        raise UsageError("the JSON must be one object with the questionnaire's fields")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r}; expected: {', '.join(KEYS)}")
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise UsageError(f"missing field {missing[0]!r}")
    office_id = data["office_id"]
    if not isinstance(office_id, str) or not load_scope().exists(office_id):
        raise UsageError(f"office_id: unknown office {office_id!r}")
    visited_on = _day(data["visited_on"], today)
    channel = data.get("channel", "paper")
    if channel != "paper":
        raise UsageError(f"channel: expected 'paper' (the bot stores its own answers), got {channel!r}")
    key = data.get("idempotency_key")
    if key is not None and (not isinstance(key, str) or not key.strip() or len(key) > KEY_MAX):
        raise UsageError(f"idempotency_key: expected text of 1 to {KEY_MAX} characters or null, got {key!r}")
    return {"office_id": office_id, "visited_on": visited_on, **_answers(data["answers"]),
            "channel": channel, "idempotency_key": key}


def _day(value: Any, today: date) -> date:
    day = None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            pass
    if day is None:
        raise UsageError(f"visited_on: expected a day YYYY-MM-DD, got {value!r}")
    if day > today:
        raise UsageError(f"visited_on: {value} is in the future")
    return day


def _answers(answers: Any) -> dict[str, Any]:
    """Every answer the survey asks (absent is skipped: None), each checked against its question."""
    survey = load_survey()
    names = [q.id for q in survey.questions]
    if not isinstance(answers, dict):
        raise UsageError(f"answers: expected an object with {', '.join(names)}")
    unknown = sorted(set(answers) - set(names))
    if unknown:
        raise UsageError(f"answers: unknown question {unknown[0]!r}; expected: {', '.join(names)}")
    for name, value in answers.items():
        if not survey.check_answer(name, value):
            expected = ("true, false or null" if survey.question(name).kind == "bool"
                        else f"a whole number {survey.scale.min}–{survey.scale.max} or null")
            raise UsageError(f"answers.{name}: expected {expected}, got {json.dumps(value)}")
    return {name: answers.get(name) for name in surveys.ANSWER_COLUMNS}


def _add(args) -> int:
    form = parse_form(read_json(args.json_path), clock.today())
    department_id = load_scope().department_of(form["office_id"])

    async def work(db: Database) -> dict[str, Any]:
        added = await db.surveys.add_response(department_id=department_id, **form)
        return {"registered": added, "office_id": form["office_id"], "department_id": department_id,
                "visited_on": form["visited_on"].isoformat(), "channel": form["channel"],
                "idempotency_key": form["idempotency_key"]}

    emit(with_database(work))
    return 0
