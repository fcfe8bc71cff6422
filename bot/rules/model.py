"""The ruleset's types: frozen dataclasses for one service standard (see bot.rules.ruleset for loading).

Texts are `Text` (kk and ru, both always present); rules carry the paragraph of the seed they come
from (like "§11.4") and their conditions as compiled `bot.rules.conditions` objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from bot.rules.conditions import Condition

LOCALES = ("kk", "ru")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class RulesetError(ValueError):
    """A ruleset file is malformed, or an unknown ruleset was asked for: one line, with the place."""


# --------------------------------------------------------------------------- texts


@dataclass(frozen=True)
class Text(Mapping[str, str]):
    """A text in both languages of the bot; every ruleset text has both.

    It reads like the `{"kk": ..., "ru": ...}` tables of the data files, so renderers can treat
    ruleset and office texts alike.
    """

    kk: str
    ru: str

    def __getitem__(self, locale: str) -> str:
        if locale not in LOCALES:
            raise KeyError(locale)
        return getattr(self, locale)

    def __iter__(self):
        return iter(LOCALES)

    def __len__(self) -> int:
        return len(LOCALES)

    def as_dict(self) -> dict[str, str]:
        return {"kk": self.kk, "ru": self.ru}


# --------------------------------------------------------------------------- the ruleset's parts


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True)
class Wording:
    """A question's text and hint for one choice of an earlier question (None: the default one)."""

    value: str
    text: Text | None
    hint: Text | None


@dataclass(frozen=True)
class Question:
    """One question of the graph; its id is the answer key."""

    id: str
    kind: str
    paragraph: str
    text: Text
    hint: Text | None
    options: tuple[Option, ...]
    ask_when: Condition
    required: bool
    min: int | None
    max: int | None
    # An int answer's range per choice of an earlier question (`bounds_by`): (option value, low, high).
    bounds_by: str | None = None
    bounds: tuple[tuple[str, int, int], ...] = ()
    # Texts addressed to the one asking: "How old are you?" to who = self (`wording_by`), not "How old
    # is the person leaving?".
    wording_by: str | None = None
    wordings: tuple[Wording, ...] = ()

    def worded(self, answers: Mapping[str, object]) -> tuple[Text, Text | None]:
        """(text, hint) for the answers so far: the wording of the `wording_by` choice, else the default."""
        choice = answers.get(self.wording_by) if self.wording_by else None
        wording = next((w for w in self.wordings if w.value == choice), None)
        if wording is None:
            return self.text, self.hint
        return wording.text or self.text, wording.hint or self.hint

    def bounds_for(self, choice: object) -> tuple[int, int] | None:
        """The (low, high) an answer must keep to when `bounds_by` was answered `choice`; None: no rule."""
        return next(((lo, hi) for value, lo, hi in self.bounds if value == choice), None)

    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True)
class ApplicantRule:
    """Who hands in the documents (§6, §11): `via` is "self" or "representative".

    `representative` names who that is when only one kind of representative can be meant (the
    guardian of an adult ward, not a parent); None: any legal representative.
    """

    via: str
    paragraph: str
    when: Condition
    explanation: Text
    representative: Text | None = None


@dataclass(frozen=True)
class OutcomeRule:
    paragraph: str
    explanation: Text
    when: Condition


@dataclass(frozen=True)
class Ground:
    """A §16 refusal ground: holds while `when` is true; `lifted_when` says what ends it."""

    id: str
    paragraph: str
    when: Condition
    text: Text
    lifted_when: Text


@dataclass(frozen=True)
class Document:
    """A §11 document; needed when `required_when` holds (always, when the file gives none).

    `applies_when` says the same in a few words for a reader of the full list ("always", "for those
    on the military register"); the engine decides by `required_when` alone.
    """

    id: str
    paragraph: str
    title: Text
    applies_when: Text
    description: Text
    required_when: Condition


@dataclass(frozen=True)
class Note:
    paragraph: str
    text: Text


@dataclass(frozen=True)
class FeeRule:
    paragraph: str
    percent_of_mrp: int
    parameter: str
    text: Text


@dataclass(frozen=True)
class Terms:
    decision_days: int
    decision_paragraph: str
    max_wait_minutes: int
    max_service_minutes: int
    service_paragraph: str
    text: Text


@dataclass(frozen=True)
class DaySchedule:
    """Opening hours of some weekdays (0 = Monday): open..close minus the breaks."""

    weekdays: tuple[int, ...]
    open: time
    close: time
    breaks: tuple[tuple[time, time], ...]

    def intervals(self) -> tuple[tuple[time, time], ...]:
        out, start = [], self.open
        for b_start, b_end in self.breaks:
            out.append((start, b_start))
            start = b_end
        out.append((start, self.close))
        return tuple(out)


@dataclass(frozen=True)
class Hours:
    paragraph: str
    days: tuple[DaySchedule, ...]
    transferred_working_day_as: int
    text: Text

    def schedule_for(self, weekday: int) -> DaySchedule | None:
        return next((d for d in self.days if weekday in d.weekdays), None)


@dataclass(frozen=True)
class LegalBasis:
    decree: str
    amended_by: tuple[str, ...]
    repealed_by: str | None
    repeal_effective: date | None
    summary: Text


@dataclass(frozen=True, eq=False)
class Ruleset:
    """One ruleset file, checked. Compared and hashed by identity: each is loaded once and cached."""

    id: str
    schema: int
    valid_from: date
    valid_to: date | None
    validity_note: str
    title: Text
    legal_basis: LegalBasis
    disclaimer: Text
    facts: Mapping[str, Condition]
    questions: tuple[Question, ...]
    applicant: tuple[ApplicantRule, ...]
    outcomes: Mapping[str, OutcomeRule]
    grounds: tuple[Ground, ...]
    refusal_notice: Note
    documents: tuple[Document, ...]
    documents_note: Note
    submission: Note
    fee: FeeRule
    terms: Terms
    hours: Hours
    path: Path
    # Words typed for yes or no (any locale, lower case), besides the buttons: "answer_words" in the file.
    yes_words: frozenset[str] = frozenset()
    no_words: frozenset[str] = frozenset()

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def position(self, question_id: str) -> int:
        return next(i for i, q in enumerate(self.questions) if q.id == question_id)

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
