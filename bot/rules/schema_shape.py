"""The shape of a ruleset file as strict models: keys, types, kk/ru texts, paragraphs, ids, days, times.

Read through bot.strict_data, so a shape error is one line naming the place, like every data file's.
What needs more than one record (conditions against the questions, unique ids, the option values of
an earlier question, the file's name) is checked by bot.rules.schema while it builds the domain objects.
Texts come out as `bot.rules.model.Text` and times as `datetime.time`, ready for the domain.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any, Literal

from annotated_types import MinLen
from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from bot.rules.model import WEEKDAYS, Text
from bot.strict_data import LocalText, NonEmpty, StrictModel, shaped

SCHEMA_VERSION = 1

Paragraph = Annotated[str, shaped(r"§\d+(\.\d+)*", "a paragraph like '§11.4'")]
RuleId = Annotated[str, shaped(r"[a-z0-9][a-z0-9_.-]*", "an id like 'age'")]
Time = Annotated[
    str, shaped(r"([01]\d|2[0-3]):[0-5]\d", "a time like '09:00'"), AfterValidator(time.fromisoformat)
]
Weekday = Literal[WEEKDAYS]
Count = Annotated[int, Field(ge=1)]
Bound = Annotated[int, Field(ge=0)]
Texts = Annotated[LocalText, AfterValidator(lambda t: Text(kk=t.kk, ru=t.ru))]
# A condition table; bot.rules.conditions compiles it against the questions and names what is wrong.
Condition = Any


class Note(StrictModel):
    paragraph: Paragraph
    text: Texts


class Option(StrictModel):
    value: NonEmpty
    label: Texts


class Wording(StrictModel):
    """The text or hint of a question for one choice of an earlier one (`wording.self.text`)."""

    text: Texts | None = None
    hint: Texts | None = None

    @model_validator(mode="after")
    def _something(self) -> Wording:
        if self.text is None and self.hint is None:
            raise ValueError("expected a text or a hint")
        return self


class Limits(StrictModel):
    """An int answer's range for one choice of an earlier question; an absent end is the question's."""

    min: Bound | None = None
    max: Bound | None = None


class Question(StrictModel):
    id: RuleId
    kind: Literal["bool", "choice", "int", "date"]
    paragraph: Paragraph
    text: Texts
    hint: Texts | None = None
    options: list[Option] | None = Field(default=None, validate_default=True)
    ask_when: Condition = None
    required: bool = True
    min: Bound | None = Field(default=None, validate_default=True)
    max: Bound | None = Field(default=None, validate_default=True)
    bounds_by: RuleId | None = None
    bounds: Annotated[dict[str, Limits], MinLen(1)] | None = None
    wording_by: RuleId | None = None
    wording: Annotated[dict[str, Wording], MinLen(1)] | None = None

    @field_validator("options")
    @classmethod
    def _options(cls, options: list[Option] | None, info: ValidationInfo) -> list[Option] | None:
        kind = info.data.get("kind")
        if kind == "choice" and not options:
            raise ValueError("expected a non-empty list")
        if kind not in ("choice", None) and options is not None:
            raise ValueError("only a choice question has options")
        if options and len({o.value for o in options}) != len(options):
            raise ValueError("duplicate value")
        return options

    @field_validator("min", "max")
    @classmethod
    def _range(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = info.data.get("kind")
        if kind == "int" and value is None:
            raise ValueError("expected an integer ≥ 0")
        if kind not in ("int", None) and value is not None:
            raise ValueError("only an int question has min/max")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Question:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is above max")
        return self


class Words(StrictModel):
    kk: Annotated[list[NonEmpty], MinLen(1)]
    ru: Annotated[list[NonEmpty], MinLen(1)]

    def typed(self) -> frozenset[str]:
        """The words as compared with what people type: trimmed, lower case, any locale."""
        return frozenset(w.strip().lower() for w in (*self.kk, *self.ru))


class AnswerWords(StrictModel):
    """What people type instead of pressing Yes or No."""

    yes: Words
    no: Words

    @model_validator(mode="after")
    def _apart(self) -> AnswerWords:
        both = self.yes.typed() & self.no.typed()
        if both:
            raise ValueError(f"both yes and no: {sorted(both)}")
        return self


class Applicant(StrictModel):
    via: Literal["self", "representative"]
    paragraph: Paragraph
    when: Condition
    explanation: Texts
    representative: Texts | None = None

    @field_validator("representative")
    @classmethod
    def _only_for_representatives(cls, value: Text | None, info: ValidationInfo) -> Text | None:
        if value is not None and info.data.get("via") != "representative":
            raise ValueError("only for via = 'representative'")
        return value


class Outcome(StrictModel):
    paragraph: Paragraph
    explanation: Texts


class NotApplicable(Outcome):
    when: Condition


class Outcomes(StrictModel):
    not_applicable: NotApplicable
    refused: Outcome
    eligible: Outcome


class Ground(StrictModel):
    id: RuleId
    paragraph: Paragraph
    when: Condition
    text: Texts
    lifted_when: Texts


class Document(StrictModel):
    id: RuleId
    paragraph: Paragraph
    title: Texts
    applies_when: Texts
    description: Texts
    required_when: Condition = None


class Fee(StrictModel):
    paragraph: Paragraph
    percent_of_mrp: Count
    parameter: Literal["mrp"]  # data/mrp.toml
    text: Texts


class Terms(StrictModel):
    decision_days: Count
    decision_paragraph: Paragraph
    max_wait_minutes: Count
    max_service_minutes: Count
    service_paragraph: Paragraph
    text: Texts


class Day(StrictModel):
    weekdays: Annotated[list[Weekday], MinLen(1)]
    open: Time
    close: Time
    breaks: list[Annotated[list[Time], Field(min_length=2, max_length=2)]]

    @model_validator(mode="after")
    def _in_order(self) -> Day:
        edges = [self.open, *(x for b in self.breaks for x in b), self.close]
        if any(a >= b for a, b in zip(edges, edges[1:], strict=False)):
            raise ValueError("open < break start < break end < close must hold")
        return self


class Hours(StrictModel):
    paragraph: Paragraph
    days: Annotated[list[Day], MinLen(1)]
    transferred_working_day_as: Weekday
    text: Texts

    @field_validator("days")
    @classmethod
    def _each_day_once(cls, days: list[Day]) -> list[Day]:
        seen: set[str] = set()
        for day in days:
            for name in day.weekdays:
                if name in seen:
                    raise ValueError(f"repeated day {name!r}")
                seen.add(name)
        return days

    @field_validator("transferred_working_day_as")
    @classmethod
    def _has_hours(cls, name: str, info: ValidationInfo) -> str:
        days = info.data.get("days")
        if days is not None and not any(name in d.weekdays for d in days):
            raise ValueError(f"expected a day with hours, got {name!r}")
        return name


class LegalBasis(StrictModel):
    decree: NonEmpty
    amended_by: list[NonEmpty]
    repealed_by: NonEmpty | None = None
    repeal_effective: date | None = None
    summary: Texts


class RulesetFile(StrictModel):
    schema_: int = Field(alias="schema")
    id: RuleId
    valid_from: date
    valid_to: date | None = None
    validity_note: NonEmpty
    title: Texts
    legal_basis: LegalBasis
    disclaimer: Texts
    facts: dict[RuleId, Condition]  # named conditions, in order: a fact may use the facts above it
    answer_words: AnswerWords | None = None
    questions: Annotated[list[Question], MinLen(1)]
    applicant: Annotated[list[Applicant], MinLen(1)]
    outcomes: Outcomes
    grounds: Annotated[list[Ground], MinLen(1)]
    refusal_notice: Note
    documents: Annotated[list[Document], MinLen(1)]
    documents_note: Note
    submission: Note
    fee: Fee
    terms: Terms
    hours: Hours

    @field_validator("schema_")
    @classmethod
    def _known(cls, version: int) -> int:
        if version != SCHEMA_VERSION:
            raise ValueError(f"this code reads schema {SCHEMA_VERSION}, got {version!r}")
        return version

    @model_validator(mode="after")
    def _period(self) -> RulesetFile:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to: before valid_from")
        return self
