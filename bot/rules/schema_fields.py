"""The strict readers of single values in a ruleset file, each naming the place when it refuses.

Shared by the ruleset's sections (bot.rules.schema) and its question graph (bot.rules.schema_questions).
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from bot.rules.model import LOCALES, RulesetError, Text

PARAGRAPH_RE = re.compile(r"^§\d+(\.\d+)*$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def read_table(obj: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(obj, dict):
        raise RulesetError(f"{where}: expected a table")
    unknown = sorted(set(obj) - set(required) - set(optional))
    if unknown:
        raise RulesetError(f"{where}: unknown key {unknown[0]!r}")
    missing = [k for k in required if k not in obj]
    if missing:
        raise RulesetError(f"{where}: missing key {missing[0]!r}")
    return obj


def read_str(obj: Any, where: str) -> str:
    if not isinstance(obj, str) or not obj.strip():
        raise RulesetError(f"{where}: expected a non-empty string")
    return obj


def read_int(obj: Any, where: str, minimum: int = 0) -> int:
    if isinstance(obj, bool) or not isinstance(obj, int) or obj < minimum:
        raise RulesetError(f"{where}: expected an integer ≥ {minimum}")
    return obj


def read_date(obj: Any, where: str) -> date:
    if not isinstance(obj, date) or hasattr(obj, "hour"):
        raise RulesetError(f"{where}: expected a date like 2013-01-21")
    return obj


def read_text(obj: Any, where: str) -> Text:
    t = read_table(obj, where, LOCALES)
    return Text(kk=read_str(t["kk"], f"{where}.kk"), ru=read_str(t["ru"], f"{where}.ru"))


def read_paragraph(obj: Any, where: str) -> str:
    if not isinstance(obj, str) or not PARAGRAPH_RE.match(obj):
        raise RulesetError(f"{where}: expected a paragraph like '§11.4', got {obj!r}")
    return obj


def read_time(obj: Any, where: str) -> time:
    if not isinstance(obj, str) or not TIME_RE.match(obj):
        raise RulesetError(f"{where}: expected a time like '09:00', got {obj!r}")
    return time.fromisoformat(obj)


def read_list(obj: Any, where: str, allow_empty: bool = False) -> list:
    if not isinstance(obj, list) or (not obj and not allow_empty):
        raise RulesetError(f"{where}: expected a {'' if allow_empty else 'non-empty '}list")
    return obj

