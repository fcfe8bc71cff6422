"""The terms of complaints (§20–§25) as data/complaints.toml gives them, read strictly, and the due dates.

The file is edited by hand, so it is read through pydantic models (bot.strict_data): an unknown key,
a missing text or a transition naming a status or role the bot does not know stops loading with one
line naming the place, instead of a traceback later in a staff member's queue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, PositiveInt, model_validator

from bot import DATA_DIR
from bot.clock import KZ_TZ
from bot.strict_data import Identifier, LocalText, NonEmpty, StrictModel, load_toml_model, parse_model

TERMS_FILE = DATA_DIR / "complaints.toml"
ROLES = ("office_staff", "department_supervisor", "admin")
# Statuses and the category the code names (a new complaint, the staff actions, the default category).
NAMED_STATUSES = ("registered", "in_review", "answered", "forwarded", "closed")
DEFAULT_CATEGORY = "other"


class TermsError(ValueError):
    """data/complaints.toml is malformed: one line naming the file and the place."""


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
    place_words: tuple[str, ...]
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


# --- the file's shape -------------------------------------------------------------------------


class _AnswerTerm(StrictModel):
    days: PositiveInt
    extended_days: PositiveInt
    source: NonEmpty

    @model_validator(mode="after")
    def _not_shorter(self) -> _AnswerTerm:
        if self.extended_days < self.days:
            raise ValueError(f"extended_days ({self.extended_days}) must not be below days ({self.days})")
        return self


class _Retention(StrictModel):
    days: PositiveInt
    draft_days: PositiveInt


class _Limits(StrictModel):
    text_min: PositiveInt
    text_max: PositiveInt
    name_max: PositiveInt
    address_max: PositiveInt
    address_min: PositiveInt
    address_min_letters: PositiveInt
    address_min_word: PositiveInt
    text_min_letters: PositiveInt
    entity_name_min_letters: PositiveInt
    outgoing_number_max: PositiveInt
    answer_max: PositiveInt


class _Address(StrictModel):
    place_words: Annotated[list[NonEmpty], Field(min_length=1)]


class _Category(StrictModel):
    id: Identifier
    ref: Annotated[str, Field(pattern=r"^§\d")]
    handled_by: Literal["office", "higher_management"]
    kk: NonEmpty
    ru: NonEmpty
    short: LocalText | None = None


class _Status(StrictModel):
    id: Identifier
    open: bool
    kk: NonEmpty
    ru: NonEmpty


class _Transition(StrictModel):
    from_: Identifier = Field(alias="from")
    to: Identifier
    roles: Annotated[list[Literal[ROLES]], Field(min_length=1)]  # type: ignore[valid-type]


class _TermsFile(StrictModel):
    answer_term: _AnswerTerm
    retention: _Retention
    limits: _Limits
    address: _Address
    category: Annotated[list[_Category], Field(min_length=1)]
    status: Annotated[list[_Status], Field(min_length=1)]
    transition: list[_Transition]

    @model_validator(mode="after")
    def _cross_references(self) -> _TermsFile:
        """Unique ids, the statuses and category the code names, transitions between known statuses."""
        for table in ("category", "status"):
            seen: set[str] = set()
            for i, entry in enumerate(getattr(self, table)):
                if entry.id in seen:
                    raise ValueError(f"{table}[{i}].id: duplicate id {entry.id!r}")
                seen.add(entry.id)
        statuses = [s.id for s in self.status]
        missing = [s for s in NAMED_STATUSES if s not in statuses]
        if missing:
            raise ValueError(f"status: missing the status {missing[0]!r} the bot uses")
        if DEFAULT_CATEGORY not in {c.id for c in self.category}:
            raise ValueError(f"category: missing the category {DEFAULT_CATEGORY!r} the bot uses by default")
        pairs: set[tuple[str, str]] = set()
        for i, move in enumerate(self.transition):
            for key, status in (("from", move.from_), ("to", move.to)):
                if status not in statuses:
                    raise ValueError(f"transition[{i}].{key}: unknown status {status!r}")
            if (move.from_, move.to) in pairs:
                raise ValueError(f"transition[{i}]: a second transition from {move.from_!r} to {move.to!r}")
            pairs.add((move.from_, move.to))
        return self


def read_terms(path: Path) -> Terms:
    """A complaints terms file, checked; TermsError with one line when it is not right."""
    return _terms(load_toml_model(_TermsFile, path, TermsError))


def parse_terms(data: Mapping[str, Any], name: str = TERMS_FILE.name) -> Terms:
    """Terms from already parsed TOML (`name` is the file the line names)."""
    return _terms(parse_model(_TermsFile, data, name, TermsError))


def _terms(raw: _TermsFile) -> Terms:
    return Terms(
        answer_days=raw.answer_term.days,
        extended_days=raw.answer_term.extended_days,
        source=raw.answer_term.source,
        retention_days=raw.retention.days,
        draft_days=raw.retention.draft_days,
        limits=raw.limits.model_dump(),
        place_words=tuple(raw.address.place_words),
        categories=tuple(
            Category(c.id, c.ref, c.handled_by, {"kk": c.kk, "ru": c.ru},
                     c.short.as_dict() if c.short else {"kk": c.kk, "ru": c.ru})
            for c in raw.category
        ),
        statuses=tuple(Status(s.id, s.open, {"kk": s.kk, "ru": s.ru}) for s in raw.status),
        transitions={(t.from_, t.to): frozenset(t.roles) for t in raw.transition},
    )


@lru_cache(maxsize=1)
def load_terms() -> Terms:
    """The bot's terms (data/complaints.toml), read once."""
    return read_terms(TERMS_FILE)


def retention_days(setting: int | None, terms: Terms | None = None) -> int:
    """Days a finished complaint is kept: the COMPLAINT_RETENTION_DAYS setting, else the data default."""
    return setting if setting is not None else (terms or load_terms()).retention_days


@lru_cache(maxsize=1)
def place_word_re() -> re.Pattern[str]:
    """Any [address] place word of data/complaints.toml, as a whole word (see the file)."""
    letter = r"[^\W\d_]"
    alternatives = [re.escape(w) if w.endswith(".") else re.escape(w) + f"(?!{letter})"
                    for w in load_terms().place_words]
    return re.compile(f"(?<!{letter})(?:{'|'.join(alternatives)})", re.IGNORECASE)


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
