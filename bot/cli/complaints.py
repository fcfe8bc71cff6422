"""`python -m bot complaints add|show|export|purge`: complaints that came by post, e-mail or by hand (§21).

Staff register a paper complaint with `add --json FILE` (`-` reads stdin) and get its talon; the
office's staff are alerted as for a filing in the bot (bot.complaints.workflow: the alerts go to the
outbox with the complaint, and the running bot sends them, each in its official's language); `show`
finds one by talon (a mistyped talon is caught by its check character); `export --csv` is for
reporting; `purge` applies the retention setting to complaints and to survey answers. Every command
opens the database DATABASE_URL names, migrating it first.
"""

from __future__ import annotations

import csv
import sys
from datetime import timedelta
from typing import Any

from bot import clock
from bot import complaints as domain
from bot.cli import UsageError, emit, read_json
from bot.cli.opening import with_database
from bot.complaints import talon, workflow
from bot.complaints.record import Complaint
from bot.config import ConfigError, load_settings
from bot.offices.scope import load_scope
from bot.storage.database import Database
from bot.telegram.locale import make_i18n
from handlers.complaints.notify import ComplaintNotices

# Keys `add` accepts besides the complaint's own fields.
_EXTRA_KEYS = ("accepted_by", "idempotency_key")
# Columns of `export --csv`: what reporting needs; names, addresses and texts only on request.
REPORT_COLUMNS = (
    "talon", "registered_at", "office_id", "department_id", "channel", "category", "kind", "status",
    "due_date", "overdue", "answered_at", "justified",
)
PERSONAL_COLUMNS = (
    "surname", "name", "patronymic", "postal_address", "entity_name", "outgoing_number",
    "outgoing_date", "text", "answer_text",
)


def register(sub) -> None:
    group = sub.add_parser("complaints", help="complaints received by post, e-mail or by hand (§21)")
    cmds = group.add_subparsers(dest="complaints_command", required=True)
    add = cmds.add_parser("add", help="register a complaint from JSON and print its talon")
    add.add_argument("--json", required=True, dest="json_path", metavar="FILE", help="JSON file, - for stdin")
    add.set_defaults(func=_add)
    show = cmds.add_parser("show", help="one complaint by its talon, with its history")
    show.add_argument("talon")
    show.set_defaults(func=_show)
    export = cmds.add_parser("export", help="every complaint as CSV for reporting")
    export.add_argument("--csv", action="store_true", required=True, help="CSV on stdout")
    export.add_argument("--with-personal-data", action="store_true",
                        help="also names, addresses, complaint and answer texts")
    export.set_defaults(func=_export)
    purge = cmds.add_parser("purge", help="delete finished complaints past the retention period")
    purge.set_defaults(func=_purge)



def _read_json(path: str) -> dict[str, Any]:
    data = read_json(path)
    if not isinstance(data, dict):
        raise UsageError("the JSON must be one object with the complaint's fields")
    unknown = sorted(set(data) - set(domain.TEXT_FIELDS) - set(_EXTRA_KEYS))
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r}; expected: {', '.join(domain.TEXT_FIELDS)}")
    return data


def _add(args) -> int:
    data = _read_json(args.json_path)
    draft, problems = domain.draft_from_mapping(data)
    for key in _EXTRA_KEYS:
        if data.get(key) is not None and not isinstance(data[key], str):
            problems.append(domain.Problem(key, "not_text"))
    scope = load_scope()
    now = clock.now()
    clean, more = domain.validate(draft, scope.exists, now.date())
    problems += more
    if problems:
        extra = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise UsageError(problems[0].describe() + extra)
    accepted_by = (data.get("accepted_by") or "").strip() or None

    try:
        default_locale = load_settings().default_locale
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    notices = ComplaintNotices(make_i18n(default_locale))

    async def work(db: Database) -> dict[str, Any]:
        outcome = await workflow.file(
            db, clean.as_dict(), now=now, department_id=scope.department_of(clean.office_id), actor="cli",
            notices=notices, default_locale=default_locale, accepted_by=accepted_by,
            idempotency_key=data.get("idempotency_key"),
        )
        return await _record(db, outcome.row)

    emit(with_database(work))
    return 0


def _parse_talon(text: str) -> str:
    try:
        return talon.parse(text)
    except talon.TalonCheckFailed:
        raise UsageError(f"talon {text!r} is mistyped: its check character does not match") from None
    except talon.TalonMalformed as exc:
        raise UsageError(f"talon {text!r} is malformed: {exc}") from None


def _show(args) -> int:
    compact = _parse_talon(args.talon)

    async def work(db: Database) -> dict[str, Any] | None:
        stored = await db.complaints.by_talon(compact)
        return None if stored is None else await _record(db, stored)

    record = with_database(work)
    if record is None:
        raise UsageError(f"no complaint with talon {talon.format_talon(compact)}")
    emit(record)
    return 0


async def _record(db: Database, stored: Complaint) -> dict[str, Any]:
    """The contract's fields plus the audit trail, times in Almaty."""
    record = domain.public_record(stored, clock.today())
    events = await db.complaints.events(stored.id)
    record["events"] = [{"at": domain.local_time_text(event.at), "actor": event.actor, "action": event.action,
                         "detail": event.detail} for event in events]
    return record


def _export(args) -> int:
    rows = with_database(lambda db: db.complaints.export())
    columns = REPORT_COLUMNS + (PERSONAL_COLUMNS if args.with_personal_data else ())
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    today = clock.today()
    for row in rows:
        writer.writerow(domain.public_record(row, today))
    return 0


def _purge(args) -> int:
    try:
        days = domain.retention_days(load_settings().complaint_retention_days)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    cutoff = clock.now() - timedelta(days=days)

    async def work(db: Database) -> dict[str, Any]:
        # Survey answers are kept as long as complaints (the bot's start purges both the same way).
        answers = await db.surveys.purge(clock.today() - timedelta(days=days))
        return {"retention_days": days, "deleted": await db.complaints.purge(cutoff, actor="cli"),
                "survey_answers_deleted": answers}

    emit(with_database(work))
    return 0
