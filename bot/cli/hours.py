"""`python -m bot hours [--at YYYY-MM-DDTHH:MM]`: is the office open at a local (Almaty) moment (§9)."""

from __future__ import annotations

import re
from datetime import datetime

from bot import clock
from bot.cli import UsageError, emit
from bot.rules.hours import HoursOutOfScope, status_at

_AT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")


def register(sub) -> None:
    parser = sub.add_parser("hours", help="whether the office is open at a moment, and when it opens next")
    parser.add_argument("--at", default=None, metavar="YYYY-MM-DDTHH:MM", help="local time in Asia/Almaty")
    parser.set_defaults(func=_run)


def parse_at(text: str) -> datetime:
    try:
        if not _AT_RE.match(text):
            raise ValueError
        return datetime.fromisoformat(text).replace(tzinfo=clock.KZ_TZ)
    except ValueError:
        raise UsageError(f"--at: expected a real local time YYYY-MM-DDTHH:MM, got {text!r}") from None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="minutes") if moment else None


def _run(args) -> int:
    try:
        status = status_at(clock.now() if args.at is None else parse_at(args.at))
    except HoursOutOfScope as exc:
        raise UsageError(str(exc)) from None
    emit(
        {
            "at": _iso(status.at),
            "open": status.open,
            "reason": status.reason,
            "next_open": _iso(status.next_open),
            "holiday_name": status.holiday_name,
            "closes_at": _iso(status.closes_at),
            "timezone": "Asia/Almaty",
        }
    )
    return 0
