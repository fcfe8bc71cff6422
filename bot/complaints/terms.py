"""Complaints about the service (§20–§25): what a complaint must say, when it is due, who may move it.

Pure domain: reads `data/complaints.toml` (terms, categories, statuses, transitions) and nothing else.
The database stores what this module has validated; handlers and the command line phrase its
`Problem` codes for people.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from bot import DATA_DIR
from bot.clock import KZ_TZ
from bot.complaints import talon
from bot.formatting import NoSuchDay, parse_day

KINDS = ("individual", "legal_entity")
CHANNELS = ("post", "email", "hand", "bot")
ROLES = ("office_staff", "department_supervisor", "admin")
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
class Category:
    id: str
    ref: str
    handled_by: str  # "office" or "higher_management" (§22)
    label: Mapping[str, str]
    short: Mapping[str, str]  # for a staff queue row, where a button has room for a few words


@dataclass(frozen=True)
class Status:
    id: str
    open: bool
    label: Mapping[str, str]


@dataclass(frozen=True)
class Terms:
    """The contents of data/complaints.toml."""

    answer_days: int
    extended_days: int
    source: str
    retention_days: int
    draft_days: int
    limits: Mapping[str, int]
    categories: tuple[Category, ...]
    statuses: tuple[Status, ...]
    transitions: Mapping[tuple[str, str], frozenset[str]]

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def status(self, status_id: str) -> Status | None:
        return next((s for s in self.statuses if s.id == status_id), None)

    @property
    def open_statuses(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.statuses if s.open)


@lru_cache(maxsize=1)
def load_terms() -> Terms:
    with (DATA_DIR / "complaints.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return Terms(
        answer_days=int(raw["answer_term"]["days"]),
        extended_days=int(raw["answer_term"]["extended_days"]),
        source=raw["answer_term"]["source"],
        retention_days=int(raw["retention"]["days"]),
        draft_days=int(raw["retention"]["draft_days"]),
        limits={k: int(v) for k, v in raw["limits"].items()},
        categories=tuple(
            Category(c["id"], c["ref"], c["handled_by"], _labels(c), _labels(c.get("short", c)))
            for c in raw["category"]
        ),
        statuses=tuple(Status(s["id"], bool(s["open"]), _labels(s)) for s in raw["status"]),
        transitions={(t["from"], t["to"]): frozenset(t["roles"]) for t in raw["transition"]},
    )


def _labels(entry: Mapping[str, Any]) -> dict[str, str]:
    return {"kk": entry["kk"], "ru": entry["ru"]}


def retention_days(setting: int | None) -> int:
    """Days a finished complaint is kept: the COMPLAINT_RETENTION_DAYS setting, else the data default."""
    return setting if setting is not None else load_terms().retention_days


# --- the complaint itself (§24) ----------------------------------------------------------------


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


@lru_cache(maxsize=1)
def _place_word_re() -> re.Pattern[str]:
    """Any [address] place word of data/complaints.toml, as a whole word (see the file)."""
    with (DATA_DIR / "complaints.toml").open("rb") as fh:
        words = tomllib.load(fh)["address"]["place_words"]
    letter = r"[^\W\d_]"
    alternatives = [re.escape(w) if w.endswith(".") else re.escape(w) + f"(?!{letter})" for w in words]
    return re.compile(f"(?<!{letter})(?:{'|'.join(alternatives)})", re.IGNORECASE)


def looks_like_address(text: str, limits: Mapping[str, int]) -> bool:
    """Long enough, with letters, one word a town or a street could be, and a number or a place word."""
    return (len(text) >= limits["address_min"]
            and len(_LETTER_RE.findall(text)) >= limits["address_min_letters"]
            and re.search(rf"[^\W\d_]{{{limits['address_min_word']},}}", text) is not None
            and (_DIGIT_RE.search(text) is not None or _place_word_re().search(text) is not None))


# What each kind of complainant must give (§24); the patronymic only "if any".
REQUIRED = {
    "individual": ("surname", "name", "postal_address"),
    "legal_entity": ("entity_name", "postal_address", "outgoing_number", "outgoing_date"),
}
NAME_FIELDS = ("surname", "name", "patronymic")
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
        values["category"] = "other"
    elif load_terms().category(values["category"]) is None:
        problems.append(Problem("category", "unknown"))
    return Draft(**values), problems


# --- time (§25, and the answer term of data/complaints.toml) -----------------------------------


def due_date(registered_at: datetime, *, extended: bool = False) -> date:
    """The day the answer is due: calendar days counted from the day of registration in Kazakhstan."""
    if registered_at.tzinfo is None:
        raise ValueError("registered_at must be timezone-aware")
    terms = load_terms()
    days = terms.extended_days if extended else terms.answer_days
    return registered_at.astimezone(KZ_TZ).date() + timedelta(days=days)


def is_overdue(status: str, due: date, today: date) -> bool:
    """Still open on a day after it was due."""
    return status in load_terms().open_statuses and today > due


# --- who may do what --------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """One role of a staff member: an office (office_staff), a department (supervisor) or all (admin)."""

    role: str
    scope: str = ""


def covers(grant: Grant, office_id: str, department_id: str | None, category: str) -> bool:
    """Whether this grant reaches a complaint about `office_id` in `category`.

    §22: a complaint about rude service goes to higher management, so the office complained about
    neither sees nor works it; its department's supervisors and admins do.
    """
    if grant.role == "admin":
        return True
    if grant.role == "department_supervisor":
        return department_id is not None and grant.scope == department_id
    if grant.role == "office_staff":
        cat = load_terms().category(category)
        if cat is not None and cat.handled_by == "higher_management":
            return False
        return grant.scope == office_id
    return False


def may_view(grants: Iterable[Grant], office_id: str, department_id: str | None, category: str) -> bool:
    return any(covers(g, office_id, department_id, category) for g in grants)


def may_transition(
    grants: Iterable[Grant],
    office_id: str,
    department_id: str | None,
    category: str,
    current: str,
    target: str,
) -> bool:
    """Whether one of these grants allows moving this complaint from `current` to `target`."""
    roles = load_terms().transitions.get((current, target))
    if not roles:
        return False
    return any(g.role in roles and covers(g, office_id, department_id, category) for g in grants)


# Staff actions on a complaint and the status each leads to (None: the status stays).
ACTIONS = {"take": "in_review", "answer": "answered", "forward": "forwarded", "close": "closed",
           "reopen": "in_review", "extend": None}


def is_extended(row: Mapping[str, Any]) -> bool:
    """The answer term was extended (information requested from others, up to 30 days)."""
    return date.fromisoformat(row["due_date"]) > due_date(datetime.fromisoformat(row["registered_at"]))


def allowed_actions(grants: Iterable[Grant], row: Mapping[str, Any], user_id: int) -> tuple[str, ...]:
    """What this staff member may do to this stored complaint now, in the order buttons show them.

    A forwarded complaint is taken by its new place as a registered one is. An in-review complaint
    nobody has taken (it was reopened) may be taken by whoever may answer it; one a colleague has taken
    is not taken over by a stale button. Extending the term is allowed once, while in review, to
    whoever may answer it.
    """
    grants = tuple(grants)
    status = row["status"]

    def may(current: str, target: str) -> bool:
        where = (row["office_id"], row["department_id"], row["category"])
        return may_transition(grants, *where, current, target)

    out = []
    if (status in ("registered", "forwarded") and may(status, "in_review")) or (
        status == "in_review" and row["assignee_user_id"] is None and may(status, "answered")
    ):
        out.append("take")
    if status == "in_review" and may(status, "answered"):
        out.append("answer")
        if not is_extended(row):
            out.append("extend")
    if may(status, "forwarded"):
        out.append("forward")
    if may(status, "closed"):
        out.append("close")
    if status == "answered" and may(status, "in_review"):
        out.append("reopen")
    return tuple(out)


# --- presenting a stored complaint --------------------------------------------------------------


def local_time_text(stored_utc: str) -> str:
    """A stored UTC timestamp as Almaty local time, ISO 8601 with its offset."""
    return datetime.fromisoformat(stored_utc).astimezone(KZ_TZ).isoformat(timespec="seconds")


def local_time(stored_utc: str) -> datetime:
    return datetime.fromisoformat(stored_utc).astimezone(KZ_TZ)


def public_record(row: Mapping[str, Any], today: date) -> dict[str, Any]:
    """A stored complaint in the command line's contract: its §24 fields, talon, status and dates."""
    record: dict[str, Any] = {"talon": talon.format_talon(row["talon"])}
    record.update({name: row[name] for name in TEXT_FIELDS})
    record.update(
        status=row["status"],
        registered_at=local_time_text(row["registered_at"]),
        due_date=row["due_date"],
        overdue=is_overdue(row["status"], date.fromisoformat(row["due_date"]), today),
        accepted_by=row["accepted_by"],
        assignee_user_id=row["assignee_user_id"],
        answer_text=row["answer_text"],
        answered_at=local_time_text(row["answered_at"]) if row["answered_at"] else None,
        department_id=row["department_id"],
        justified=None if row.get("justified") is None else bool(row["justified"]),
    )
    return record
