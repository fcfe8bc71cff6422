"""Local time of Kazakhstan: one IANA zone (UTC+5 since 1 March 2024, FACTS.md), read through tzdata."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

KZ_TZ = ZoneInfo("Asia/Almaty")


def now() -> datetime:
    """The current moment as an aware datetime in Asia/Almaty."""
    return datetime.now(KZ_TZ)


def today() -> date:
    """Today's date in Kazakhstan (not the server's date, which may be UTC)."""
    return now().date()
