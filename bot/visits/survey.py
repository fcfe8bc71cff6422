"""The survey after a visit (data/surveys/*.toml): questions whose answers feed Appendix 3 (§18).

A survey is a question graph like the pre-check's: ids are answer keys, `ask_when` conditions are
written in the ruleset's condition language and may only read questions listed before them, so one
generic runner can walk both. Each question also says the Appendix 3 row it feeds and the day it is
asked (`after`, resolved by bot.visits.due). Pure: reads its own data files and nothing else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from bot import DATA_DIR
from bot.rules.conditions import ALWAYS, Condition, ConditionError, ConditionParser
from bot.rules.graph import QuestionGraph
from bot.strict_data import Identifier, LocalText, NonEmpty, StrictModel, load_toml_model, parse_model

SURVEY_DIR = DATA_DIR / "surveys"
ANCHORS = ("accepted", "due")
# The rows of Appendix 3 a citizen can speak to; 3.2 (information online) and 4.1 (complaints) are not asked.
ASKABLE_ROWS = ("1.1", "2.1", "3.1", "5.1")
_AFTER_RE = re.compile(rf"^({'|'.join(ANCHORS)})(?:\+(\d+)d)?$")
# The condition parser checks values by the ruleset's kinds: a scale answer compares like an int.
_PARSER_KIND = {"scale": "int", "bool": "bool"}


class SurveyError(ValueError):
    """A survey file is malformed, or an unknown survey was asked for: one line, with the place."""


class Scale(StrictModel):
    """The rating scale and the words for its ends (the buttons show the numbers)."""

    min: int = Field(ge=0)
    max: int
    low: LocalText
    high: LocalText

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"max ({self.max}) must be above min ({self.min})")
        return self

    def values(self) -> range:
        return range(self.min, self.max + 1)


class SurveyQuestion(StrictModel):
    id: Identifier
    kind: Literal["scale", "bool"]
    indicator: str
    after: str
    text: LocalText
    hint: LocalText | None = None
    ask_when: dict[str, Any] | None = None

    @field_validator("indicator")
    @classmethod
    def _askable(cls, value: str) -> str:
        if value not in ASKABLE_ROWS:
            raise ValueError(f"expected an Appendix 3 row a citizen can answer {ASKABLE_ROWS}, got {value!r}")
        return value

    @field_validator("after")
    @classmethod
    def _after(cls, value: str) -> str:
        if not _AFTER_RE.match(value):
            raise ValueError(f"expected 'accepted' or 'due', maybe '+Nd' ('accepted+1d'), got {value!r}")
        return value

    @property
    def anchor(self) -> str:
        """"accepted" or "due": the day `after` counts from."""
        return _AFTER_RE.match(self.after).group(1)

    @property
    def days_after(self) -> int:
        return int(_AFTER_RE.match(self.after).group(2) or 0)


class Survey(StrictModel):
    schema_: Literal[1] = Field(alias="schema")
    id: Identifier
    source: NonEmpty
    title: LocalText
    intro: LocalText
    thanks: LocalText
    open_days: int = Field(ge=1)  # after the last question's day: then the survey is over, finished or not
    scale: Scale
    questions: list[SurveyQuestion] = Field(min_length=1)

    _conditions: dict[str, Condition] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _graph(self) -> Survey:
        """Unique ids, and conditions that read only earlier questions with values of the right kind."""
        earlier: dict[str, dict] = {}
        for i, q in enumerate(self.questions):
            if q.id in earlier:
                raise ValueError(f"questions[{i}].id: duplicate question {q.id!r}")
            condition = ALWAYS
            if q.ask_when is not None:
                try:
                    condition = ConditionParser(earlier, {}).parse(q.ask_when, f"questions[{i}].ask_when")
                except ConditionError as exc:
                    raise ValueError(str(exc)) from None
            self._conditions[q.id] = condition
            earlier[q.id] = {"id": q.id, "kind": _PARSER_KIND[q.kind]}
        return self

    def question(self, question_id: str) -> SurveyQuestion | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def ask_when(self, question_id: str) -> Condition:
        """The compiled condition of a question (always true when the file gives none)."""
        return self._conditions[question_id]

    def feeding(self, row_id: str) -> tuple[SurveyQuestion, ...]:
        """The questions whose answers feed an Appendix 3 row."""
        return tuple(q for q in self.questions if q.indicator == row_id)

    def check_answer(self, question_id: str, value: object) -> bool:
        """A stored answer is None (skipped), a scale value in range, or a bool for a yes/no question."""
        q = self.question(question_id)
        if q is None:
            return False
        if value is None:
            return True
        if q.kind == "bool":
            return isinstance(value, bool)
        return type(value) is int and value in self.scale.values()


def parse_survey(data: dict[str, Any], path: Path) -> Survey:
    """Build a Survey from a parsed TOML table; every error names the file and the place."""
    return _named(parse_model(Survey, data, path.name, SurveyError), path)


def load_survey_file(path: Path) -> Survey:
    return _named(load_toml_model(Survey, path, SurveyError), path)


def _named(survey: Survey, path: Path) -> Survey:
    """The id is the file's name, so a copied file cannot pose as another survey."""
    if survey.id != path.stem:
        raise SurveyError(f"{path.name}: id: must match the file name {path.stem!r}, got {survey.id!r}")
    return survey


@lru_cache(maxsize=8)
def load_survey(survey_id: str = "after_visit", directory: Path | None = None) -> Survey:
    """A survey by id (the file data/surveys/<id>.toml), read once."""
    path = (directory or SURVEY_DIR) / f"{survey_id}.toml"
    if not path.is_file():
        raise SurveyError(f"unknown survey {survey_id!r}")
    return load_survey_file(path)


def survey_graph(survey: Survey) -> QuestionGraph[SurveyQuestion]:
    """The survey's questions as a graph the questionnaire runner walks; a skip is an answer (None)."""
    return QuestionGraph(survey.questions, condition=lambda q: survey.ask_when(q.id))
