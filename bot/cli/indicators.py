"""`python -m bot indicators --json|--csv` prints the Appendix 3 table (§18) for one office, one
department or everything, over a span of days; `indicators served` records how many citizens an office
served in a month (what 4.1 counts complaints against).

A share over fewer than `min_responses` answers (data/indicators.toml) has no value and `too_few` set;
a value nobody has is null. Every command opens the database DATABASE_URL names, migrating it first.
"""

from __future__ import annotations

import csv
import re
import sys
from datetime import date
from typing import Any

from bot import clock
from bot.cli import UsageError, emit
from bot.cli.opening import with_database
from bot.offices.scope import OfficeScope, load_scope
from bot.storage import surveys
from bot.storage.database import Database
from bot.visits.indicators import Scope, load_indicators

CSV_COLUMNS = ("id", "title_kk", "title_ru", "normative", "target_next_year", "value_percent", "responses",
               "too_few")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def register(sub) -> None:
    group = sub.add_parser("indicators", help="the quality indicators of Appendix 3 (§18)")
    form = group.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="the table as JSON")
    form.add_argument("--csv", action="store_true", help="the table as CSV")
    where = group.add_mutually_exclusive_group()
    where.add_argument("--office", metavar="ID", help="one office (its id in the office directory)")
    where.add_argument("--department", metavar="ID", help="one department and its offices")
    group.add_argument("--from", dest="date_from", type=iso_day, metavar="DATE", help="first day, YYYY-MM-DD")
    group.add_argument("--to", dest="date_to", type=iso_day, metavar="DATE", help="last day, YYYY-MM-DD")
    group.set_defaults(func=_table)
    cmds = group.add_subparsers(dest="indicators_command")
    served = cmds.add_parser("served", help="record the citizens an office served in a month (for 4.1)")
    served.add_argument("--office", required=True, metavar="ID")
    served.add_argument("--month", required=True, type=_month, metavar="YYYY-MM")
    served.add_argument("--count", required=True, type=_count, metavar="N")
    served.set_defaults(func=_served)


def iso_day(text: str) -> date:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise UsageError(f"{text!r} is not a day (expected YYYY-MM-DD)")


def _month(text: str) -> date:
    match = _MONTH_RE.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UsageError(f"{text!r} is not a month (expected YYYY-MM)")
    return date(int(match.group(1)), int(match.group(2)), 1)


def _count(text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise UsageError(f"expected a whole number from 0, got {text!r}")
    return int(text)


def _scope(args, offices: OfficeScope) -> Scope:
    if args.office is not None and not offices.exists(args.office):
        raise UsageError(f"unknown office {args.office!r}")
    if args.department is not None and not offices.is_department(args.department):
        raise UsageError(f"unknown department {args.department!r}")
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UsageError("--from is after --to")
    return Scope(args.office, args.department, args.date_from, args.date_to)


def _table(args) -> int:
    if not (args.json or args.csv):
        raise UsageError("indicators: give --json or --csv, or the command served")
    offices = load_scope()
    scope = _scope(args, offices)
    rows = with_database(lambda db: surveys.indicators(db, scope, offices.department_of))
    if args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            record: dict[str, Any] = row.as_dict()
            title = record.pop("title")
            writer.writerow({**record, "title_kk": title["kk"], "title_ru": title["ru"]})
        return 0
    emit({
        "office_id": scope.office_id,
        "department_id": scope.department_id,
        "from": scope.date_from.isoformat() if scope.date_from else None,
        "to": scope.date_to.isoformat() if scope.date_to else None,
        "min_responses": load_indicators().min_responses,
        "rows": [row.as_dict() for row in rows],
    })
    return 0


def _served(args) -> int:
    if not load_scope().exists(args.office):
        raise UsageError(f"unknown office {args.office!r}")
    if args.month > clock.today().replace(day=1):
        raise UsageError(f"{args.month:%Y-%m} has not begun yet")

    async def work(db: Database) -> dict[str, Any]:
        entry = await db.surveys.set_served_count(office_id=args.office, month=args.month,
                                                  count=args.count, entered_by="cli", at=clock.now())
        return {"office_id": entry.office_id, "month": entry.month, "count": entry.count,
                "previous": entry.previous}

    emit(with_database(work))
    return 0
