"""The quality indicators of Appendix 3 (§18–§19): the table (data/indicators.toml) and its values.

The rows, their titles and the values nobody computes (normative, target, 3.2) are data with a source
each; the rest is computed here from what the storage hands over: survey answers (bot and paper alike),
closed complaints marked justified or not, and the number of citizens served per office and month.
Pure: no storage, no aiogram; the caller passes the records and gets plain values back.

A share over fewer than `min_responses` answers is withheld (None, `too_few`): it says little, and for
one office over a short period it could point at the one citizen who answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from bot import DATA_DIR
from bot.strict_data import Identifier, LocalText, NonEmpty, StrictModel, load_toml_model
from bot.visits.survey import Survey, load_survey

INDICATORS_FILE = DATA_DIR / "indicators.toml"
# The rows of Appendix 3, in its order (the seed's table; FACTS.md "Appendix 3").
APPENDIX_3_ROWS = ("1.1", "2.1", "3.1", "3.2", "4.1", "5.1")
# Which survey question kind a computed-from-survey row needs.
_SURVEY_MEASURES = {"share_yes": "bool", "share_satisfied": "scale"}

Percent = float  # 0–100, one decimal


class IndicatorsError(ValueError):
    """The indicators file is malformed or does not match its survey: one line, with the place."""


class Row(StrictModel):
    """One row of Appendix 3; values nobody has are left out of the file and read as None."""

    id: str
    group: LocalText
    title: LocalText
    measure: Literal["share_yes", "share_satisfied", "complaints", "sourced"]
    definition: LocalText
    normative: float | None = Field(default=None, ge=0, le=100)
    normative_source: NonEmpty
    target_next_year: float | None = Field(default=None, ge=0, le=100)
    target_source: NonEmpty
    value_percent: float | None = Field(default=None, ge=0, le=100)
    value_source: NonEmpty | None = None

    @model_validator(mode="after")
    def _sourced(self) -> Row:
        if self.measure == "sourced" and self.value_source is None:
            raise ValueError("a sourced row needs value_source (say where the value comes from, or why none)")
        if self.measure != "sourced" and (self.value_percent is not None or self.value_source is not None):
            raise ValueError(f"value_percent and value_source are for sourced rows, not {self.measure!r}")
        return self


class Indicators(StrictModel):
    schema_: Literal[1] = Field(alias="schema")
    survey: Identifier
    satisfied_from: int
    min_responses: int = Field(ge=1)
    thresholds_source: NonEmpty
    rows: list[Row]

    @model_validator(mode="after")
    def _appendix_3(self) -> Indicators:
        ids = tuple(r.id for r in self.rows)
        if ids != APPENDIX_3_ROWS:
            raise ValueError(f"rows: expected the rows of Appendix 3 in order {APPENDIX_3_ROWS}, got {ids}")
        return self

    def row(self, row_id: str) -> Row:
        return next(r for r in self.rows if r.id == row_id)


def check_against(indicators: Indicators, survey: Survey) -> None:
    """Every survey-measured row is fed by exactly one question of the right kind, and the scale has
    the satisfied threshold inside it; raises ValueError naming the place."""
    if survey.id != indicators.survey:
        raise ValueError(f"survey: expected {indicators.survey!r}, got survey {survey.id!r}")
    if indicators.satisfied_from not in survey.scale.values():
        raise ValueError(
            f"satisfied_from: {indicators.satisfied_from} is outside the survey's scale "
            f"{survey.scale.min}–{survey.scale.max}"
        )
    for i, row in enumerate(indicators.rows):
        fed_by = survey.feeding(row.id)
        kind = _SURVEY_MEASURES.get(row.measure)
        if kind is None and fed_by:
            raise ValueError(f"rows[{i}].measure: {row.measure!r}, yet question {fed_by[0].id!r} feeds it")
        if kind is not None and (len(fed_by) != 1 or fed_by[0].kind != kind):
            raise ValueError(
                f"rows[{i}].measure: {row.measure!r} needs exactly one {kind} question of survey "
                f"{survey.id!r} with indicator = {row.id!r}, found {[q.id for q in fed_by]}"
            )


def load_indicators_file(path: Path, survey: Survey | None = None,
                         survey_dir: Path | None = None) -> Indicators:
    """The indicators file, checked against its survey (`survey`, else the file's own from `survey_dir`)."""
    indicators = load_toml_model(Indicators, path, IndicatorsError)
    try:
        check_against(indicators, survey or load_survey(indicators.survey, survey_dir))
    except ValueError as exc:
        raise IndicatorsError(f"{path.name}: {exc}") from None
    return indicators


@lru_cache(maxsize=1)
def load_indicators() -> Indicators:
    return load_indicators_file(INDICATORS_FILE)


# --- the records the storage hands over ----------------------------------------------------------


@dataclass(frozen=True)
class SurveyAnswers:
    """One citizen's answers (in the bot or on paper); a skipped question is None or absent.

    `whole_month`: only the month of `answered_on` is known (the bot keeps no more, for privacy), so the
    record counts for every span of days that touches that month, as 4.1 counts served months.
    """

    office_id: str
    department_id: str
    answered_on: date
    answers: Mapping[str, int | bool | None]
    whole_month: bool = False


@dataclass(frozen=True)
class ComplaintOutcome:
    """A closed complaint and whether it was found justified."""

    office_id: str
    department_id: str
    closed_on: date
    justified: bool


@dataclass(frozen=True)
class ServedCount:
    """Citizens an office served in one month (`month` is its first day), entered by staff."""

    office_id: str
    department_id: str
    month: date
    count: int

    def __post_init__(self) -> None:
        if self.month.day != 1:
            raise ValueError(f"month: expected the first day of a month, got {self.month.isoformat()}")
        if self.count < 0:
            raise ValueError(f"count: expected 0 or more, got {self.count}")


@dataclass(frozen=True)
class Scope:
    """What the table covers: one office, one department, or all (neither), between two days inclusive."""

    office_id: str | None = None
    department_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        if self.office_id is not None and self.department_id is not None:
            raise ValueError("scope: one office or one department, not both")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("scope: date_from is after date_to")

    def has(self, office_id: str, department_id: str) -> bool:
        if self.office_id is not None:
            return office_id == self.office_id
        return self.department_id is None or department_id == self.department_id

    def covers(self, day: date) -> bool:
        after_start = self.date_from is None or day >= self.date_from
        return after_start and (self.date_to is None or day <= self.date_to)

    def touches_month(self, day: date) -> bool:
        """Whether the days reach into the month of `day` (for a record that knows its month only)."""
        after_start = self.date_from is None or month_of(day) >= month_of(self.date_from)
        return after_start and (self.date_to is None or month_of(day) <= month_of(self.date_to))


# --- the values ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowValue:
    id: str
    title: LocalText
    normative: Percent | None
    target_next_year: Percent | None
    value_percent: Percent | None
    responses: int | None  # answers counted; citizens served for 4.1; None for a sourced row
    too_few: bool

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title.as_dict(),
            "normative": self.normative,
            "target_next_year": self.target_next_year,
            "value_percent": self.value_percent,
            "responses": self.responses,
            "too_few": self.too_few,
        }


@dataclass(frozen=True)
class MonthPoint:
    month: date  # the first day of the month
    value_percent: Percent | None
    responses: int
    too_few: bool


def percent(part: int, whole: int) -> Percent:
    """part/whole as a percentage with one decimal, halves rounded up (as people round, not banks)."""
    exact = Decimal(part * 100) / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def month_of(day: date) -> date:
    return day.replace(day=1)


def _months(first: date, last: date) -> list[date]:
    out, month = [], month_of(first)
    while month <= last:
        out.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return out


def _in_scope(records: Iterable[SurveyAnswers], scope: Scope, survey: Survey) -> list[SurveyAnswers]:
    """The records the scope covers, after checking every answer is one the survey allows (so that a
    storage bug shows here rather than as a wrong percentage)."""
    kept = []
    for i, record in enumerate(records):
        for key, value in record.answers.items():
            if not survey.check_answer(key, value):
                raise ValueError(f"answers[{i}].{key}: {value!r} is not an answer to this question")
        in_days = (scope.touches_month if record.whole_month else scope.covers)(record.answered_on)
        if scope.has(record.office_id, record.department_id) and in_days:
            kept.append(record)
    return kept


def _share(row: Row, records: Sequence[SurveyAnswers], survey: Survey, ind: Indicators):
    """(value, responses, too_few) of a survey-measured row over the records."""
    question = survey.feeding(row.id)[0]
    given = [r.answers[question.id] for r in records if r.answers.get(question.id) is not None]
    if row.measure == "share_yes":
        hits = sum(1 for v in given if v is True)
    else:
        hits = sum(1 for v in given if v >= ind.satisfied_from)
    too_few = len(given) < ind.min_responses
    return (None if too_few else percent(hits, len(given))), len(given), too_few


def _complaints_per_hundred(
    complaints: Iterable[ComplaintOutcome], served: Iterable[ServedCount], scope: Scope, ind: Indicators
):
    """(value, citizens served, too_few) of 4.1.

    Served counts are monthly, so 4.1 counts whole months: those the scope's days touch (every month
    with a served count when the scope has no days). Only office-months with a served count take part,
    their justified complaints over their citizens served; no count at all leaves the value unknown.
    """
    served = [s for s in served if scope.has(s.office_id, s.department_id)]
    lo = month_of(scope.date_from) if scope.date_from else None
    hi = month_of(scope.date_to) if scope.date_to else None
    counts: dict[tuple[str, date], int] = {}
    for s in served:
        if (lo is None or s.month >= lo) and (hi is None or s.month <= hi):
            if (s.office_id, s.month) in counts:
                raise ValueError(f"served: two counts for office {s.office_id!r} in {s.month:%Y-%m}")
            counts[s.office_id, s.month] = s.count
    justified = sum(
        1
        for c in complaints
        if c.justified
        and scope.has(c.office_id, c.department_id)
        and (c.office_id, month_of(c.closed_on)) in counts
    )
    total = sum(counts.values())
    too_few = total < ind.min_responses
    return (None if too_few else percent(justified, total)), total, too_few


def indicator_table(
    answers: Iterable[SurveyAnswers],
    complaints: Iterable[ComplaintOutcome],
    served: Iterable[ServedCount],
    scope: Scope = Scope(),
    *,
    indicators: Indicators | None = None,
    survey: Survey | None = None,
) -> list[RowValue]:
    """The rows of Appendix 3 for the scope, in the table's order."""
    ind = indicators or load_indicators()
    survey = survey or load_survey(ind.survey)
    records = _in_scope(answers, scope, survey)
    table = []
    for row in ind.rows:
        if row.measure in _SURVEY_MEASURES:
            value, responses, too_few = _share(row, records, survey, ind)
        elif row.measure == "complaints":
            value, responses, too_few = _complaints_per_hundred(complaints, served, scope, ind)
        else:
            value, responses, too_few = row.value_percent, None, False
        table.append(
            RowValue(row.id, row.title, row.normative, row.target_next_year, value, responses, too_few)
        )
    return table


def monthly_series(
    answers: Iterable[SurveyAnswers],
    scope: Scope = Scope(),
    *,
    indicators: Indicators | None = None,
    survey: Survey | None = None,
) -> dict[str, list[MonthPoint]]:
    """Each satisfaction row (share_satisfied) month by month, for a chart.

    The months run from the scope's first day to its last; where the scope leaves a side open, from
    or to the first or last answer in it. A month without enough answers is a point with no value.
    """
    ind = indicators or load_indicators()
    survey = survey or load_survey(ind.survey)
    records = _in_scope(answers, scope, survey)
    rows = [r for r in ind.rows if r.measure == "share_satisfied"]
    days = [r.answered_on for r in records]
    first = scope.date_from or (min(days) if days else None)
    last = scope.date_to or (max(days) if days else None)
    if first is None or last is None:
        return {row.id: [] for row in rows}
    by_month: dict[date, list[SurveyAnswers]] = {m: [] for m in _months(first, last)}
    for r in records:
        by_month[month_of(r.answered_on)].append(r)
    series = {}
    for row in rows:
        points = []
        for month, in_month in by_month.items():
            value, responses, too_few = _share(row, in_month, survey, ind)
            points.append(MonthPoint(month, value, responses, too_few))
        series[row.id] = points
    return series
