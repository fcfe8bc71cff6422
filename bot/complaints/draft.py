"""A complaint as given (§24): what it must say, each field tidied and checked.

Pure: the limits and place words come from the terms (bot.complaints.terms); handlers and the command
line phrase the `Problem` codes for people.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from bot.complaints.terms import DEFAULT_CATEGORY, load_terms, place_word_re
from bot.formatting import NoSuchDay, parse_day

KINDS = ("individual", "legal_entity")
CHANNELS = ("post", "email", "hand", "bot")
# Text fields a complaint carries (the command line's JSON contract uses the same names).
TEXT_FIELDS = (
    "kind", "surname", "name", "patronymic", "postal_address", "entity_name",
    "outgoing_number", "outgoing_date", "office_id", "channel", "category", "text",
)
# Letters, joined by one space, hyphen, apostrophe or initial's period each; a final period (an initial).
_NAME_RE = re.compile(r"^[^\W\d_]+(?:(?: ?[-–] ?|\.? |['’]|\.)[^\W\d_]+)*\.?$")
_LETTER_RE = re.compile(r"[^\W\d_]")
_ALNUM_RE = re.compile(r"[^\W_]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True)
class Draft:
    """A complaint as given, before it is stored. Every field is text or None."""

    kind: str | None = None
    surname: str | None = None
    name: str | None = None
    patronymic: str | None = None
    postal_address: str | None = None
    entity_name: str | None = None
    outgoing_number: str | None = None
    outgoing_date: str | None = None
    office_id: str | None = None
    channel: str | None = None
    category: str | None = None
    text: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a draft: the field, a code for the caller to phrase, and a limit if any."""

    field: str
    # required | too_long | too_short | bad_characters | bad_date | no_such_date | future_date | unknown
    # | not_address | no_letters | no_alnum
    code: str
    limit: int | None = None

    def describe(self) -> str:
        """An English line for the command line (the bot phrases codes through gettext)."""
        what = {
            "required": "is required",
            "too_long": f"is longer than {self.limit} characters",
            "too_short": f"is shorter than {self.limit} characters",
            "bad_characters": "contains characters not allowed there",
            "bad_date": "is not a date (YYYY-MM-DD or DD.MM.YYYY)",
            "no_such_date": "is not a date on the calendar (check the day and the month)",
            "future_date": "is in the future",
            "unknown": "has an unknown value",
            "not_address": f"is not a postal address (at least {self.limit} characters, with the town "
                           "and street in letters, and a house number or a word such as street or village)",
            "no_letters": f"has fewer than {self.limit} letters",
            "no_alnum": "has neither a letter nor a digit",
            "not_text": "must be a string",
        }[self.code]
        return f"{self.field} {what}"


def draft_from_mapping(raw: Mapping[str, Any]) -> tuple[Draft, list[Problem]]:
    """A Draft from JSON-like data; non-text values are problems, not crashes."""
    values: dict[str, str | None] = {}
    problems: list[Problem] = []
    for key in TEXT_FIELDS:
        value = raw.get(key)
        if value is None or isinstance(value, str):
            values[key] = value
        else:
            problems.append(Problem(key, "not_text"))
    return Draft(**values), problems


def _clean(value: str | None, *, multiline: bool = False) -> str | None:
    if value is None:
        return None
    if multiline:
        lines = [" ".join(line.split()) for line in value.strip().splitlines()]
        text = "\n".join(lines).strip()
        text = re.sub(r"\n{3,}", "\n\n", text)
    else:
        text = " ".join(value.split())
    return text or None


def parse_outgoing_date(value: str) -> date | None:
    """The legal entity's outgoing date, read as every date typed to the bot is (bot.formatting
    `parse_day`: DD.MM.YYYY or ISO); None when it is not written like a date. A date written right
    but not on the calendar (31.02.2024) raises NoSuchDay: the reader is told so, not "unreadable"."""
    try:
        return parse_day(value)
    except NoSuchDay:
        raise
    except ValueError:
        return None


def looks_like_address(text: str, limits: Mapping[str, int]) -> bool:
    """Long enough, with letters, one word a town or a street could be, and a number or a place word."""
    return (len(text) >= limits["address_min"]
            and len(_LETTER_RE.findall(text)) >= limits["address_min_letters"]
            and re.search(rf"[^\W\d_]{{{limits['address_min_word']},}}", text) is not None
            and (_DIGIT_RE.search(text) is not None or place_word_re().search(text) is not None))


# What each kind of complainant must give (§24); the patronymic only "if any".
REQUIRED = {
    "individual": ("surname", "name", "postal_address"),
    "legal_entity": ("entity_name", "postal_address", "outgoing_number", "outgoing_date"),
}
NAME_FIELDS = ("surname", "name", "patronymic")
# The order the form asks in (§24's particulars, then where, what about and the text itself).
ASKED = {
    "individual": ("surname", "name", "patronymic", "postal_address", "office_id", "category", "text"),
    "legal_entity": ("entity_name", "postal_address", "outgoing_number", "outgoing_date", "office_id",
                     "category", "text"),
}


def next_step(fields: Mapping[str, Any]) -> str:
    """The first field still missing, in the order they are asked; "kind" before any, "review" when
    none is missing."""
    kind = fields.get("kind")
    if kind not in KINDS:
        return "kind"
    return next((field for field in ASKED[kind] if field not in fields), "review")


_LIMIT_OF = {
    "surname": "name_max", "name": "name_max", "patronymic": "name_max", "entity_name": "name_max",
    "postal_address": "address_max", "outgoing_number": "outgoing_number_max", "text": "text_max",
}


def check_field(field: str, value: str | None, today: date) -> tuple[str | None, Problem | None]:
    """One typed field tidied, and its first problem (None when blank: required-ness is the caller's).

    The dialogue checks each answer as it comes; `validate` checks them all the same way.
    """
    clean = _clean(value, multiline=field == "text")
    if clean is None:
        return None, None
    limits = load_terms().limits
    if _CONTROL_RE.search(clean):
        return clean, Problem(field, "bad_characters")
    if field == "text" and len(clean) < limits["text_min"]:
        return clean, Problem(field, "too_short", limits["text_min"])
    if field == "text" and len(_LETTER_RE.findall(clean)) < limits["text_min_letters"]:
        return clean, Problem(field, "no_letters", limits["text_min_letters"])
    limit_key = _LIMIT_OF.get(field)
    if limit_key is not None and len(clean) > limits[limit_key]:
        return clean, Problem(field, "too_long", limits[limit_key])
    if field in NAME_FIELDS and not _NAME_RE.match(clean):
        return clean, Problem(field, "bad_characters")
    if field == "postal_address" and not looks_like_address(clean, limits):
        return clean, Problem(field, "not_address", limits["address_min"])
    if field == "entity_name" and len(_LETTER_RE.findall(clean)) < limits["entity_name_min_letters"]:
        return clean, Problem(field, "no_letters", limits["entity_name_min_letters"])
    if field == "outgoing_number" and not _ALNUM_RE.search(clean):
        return clean, Problem(field, "no_alnum")
    if field == "outgoing_date":
        try:
            when = parse_outgoing_date(clean)
        except NoSuchDay:
            return clean, Problem(field, "no_such_date")
        if when is None:
            return clean, Problem(field, "bad_date")
        if when > today:
            return clean, Problem(field, "future_date")
        return when.isoformat(), None
    return clean, None


def validate(
    draft: Draft, office_exists: Callable[[str], bool], today: date
) -> tuple[Draft, list[Problem]]:
    """The draft tidied (whitespace, ISO date, irrelevant fields dropped) and what is wrong with it.

    §24: an individual gives surname, name, patronymic (if any) and postal address; a legal entity
    its name, postal address, outgoing number and date. The office must be one of Appendix 1.
    """
    problems: list[Problem] = []
    values = draft.as_dict()
    for field in ("kind", "office_id", "channel", "category"):
        values[field] = _clean(values[field])
    kind = values["kind"]
    if kind is None:
        problems.append(Problem("kind", "required"))
    elif kind not in KINDS:
        problems.append(Problem("kind", "unknown"))
    if kind == "individual":
        values.update(entity_name=None, outgoing_number=None, outgoing_date=None)
    required = {"postal_address", "text", *REQUIRED.get(kind or "", ())}
    for field in (*NAME_FIELDS, "entity_name", "postal_address", "outgoing_number", "outgoing_date", "text"):
        values[field], problem = check_field(field, values[field], today)
        if problem is not None:
            problems.append(problem)
        elif values[field] is None and field in required:
            problems.append(Problem(field, "required"))
    if values["office_id"] is None:
        problems.append(Problem("office_id", "required"))
    elif not office_exists(values["office_id"]):
        problems.append(Problem("office_id", "unknown"))
    if values["channel"] is None:
        problems.append(Problem("channel", "required"))
    elif values["channel"] not in CHANNELS:
        problems.append(Problem("channel", "unknown"))
    if values["category"] is None:
        values["category"] = DEFAULT_CATEGORY
    elif load_terms().category(values["category"]) is None:
        problems.append(Problem("category", "unknown"))
    return Draft(**values), problems

