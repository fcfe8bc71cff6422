"""The strict reader of ruleset files: TOML in, checked `Ruleset` out.

Strict because the file is law paraphrased as data: an unknown key is a typo that would silently drop a
rule, a missing kk or ru text would leave a user without an answer, and a condition naming an unknown
answer would never fire. The shape is bot.rules.schema_shape's; here come the checks across records
(conditions, unique ids, the file's name). Every error is one line naming the file and the place.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.rules import schema_shape as shape
from bot.rules.conditions import ALWAYS, Condition, ConditionError, ConditionParser
from bot.rules.model import (
    WEEKDAYS,
    ApplicantRule,
    DaySchedule,
    Document,
    FeeRule,
    Ground,
    Hours,
    LegalBasis,
    Note,
    OutcomeRule,
    Ruleset,
    RulesetError,
    Terms,
)
from bot.rules.schema_questions import build_questions
from bot.rules.schema_shape import SCHEMA_VERSION
from bot.strict_data import load_toml_model, parse_model

__all__ = ["SCHEMA_VERSION", "load_ruleset_file", "parse_ruleset"]

def load_ruleset_file(path: Path) -> Ruleset:
    return _build(load_toml_model(shape.RulesetFile, path, RulesetError), path)


def parse_ruleset(data: Mapping[str, Any], path: Path) -> Ruleset:
    """Build a Ruleset from a parsed TOML table; every error names the file and the place."""
    return _build(parse_model(shape.RulesetFile, data, path.name, RulesetError), path)


def _build(file: shape.RulesetFile, path: Path) -> Ruleset:
    try:
        return _ruleset(file, path)
    except (RulesetError, ConditionError) as exc:
        raise RulesetError(f"{path.name}: {exc}") from None


def _ruleset(f: shape.RulesetFile, path: Path) -> Ruleset:
    if f.id != path.stem:
        raise RulesetError(f"id: must match the file name {path.stem!r}, got {f.id!r}")
    parser = ConditionParser(_index_questions(f.questions), {})
    for name, table in f.facts.items():  # compiled in order: a fact may only use the facts above it
        parser.facts[name] = parser.parse(table, f"facts.{name}")
    lb = f.legal_basis
    words = f.answer_words
    return Ruleset(
        id=f.id,
        schema=f.schema_,
        valid_from=f.valid_from,
        valid_to=f.valid_to,
        validity_note=f.validity_note,
        title=f.title,
        legal_basis=LegalBasis(lb.decree, tuple(lb.amended_by), lb.repealed_by, lb.repeal_effective,
                               lb.summary),
        disclaimer=f.disclaimer,
        facts=dict(parser.facts),
        questions=build_questions(f.questions, parser),
        applicant=tuple(
            ApplicantRule(a.via, a.paragraph, parser.parse(a.when, f"applicant[{i}].when"), a.explanation,
                          a.representative)
            for i, a in enumerate(f.applicant)
        ),
        outcomes={
            name: OutcomeRule(o.paragraph, o.explanation, _condition(parser, o, "when", f"outcomes.{name}"))
            for name, o in f.outcomes
        },
        grounds=_grounds(f.grounds, parser),
        refusal_notice=Note(**dict(f.refusal_notice)),
        documents=_documents(f.documents, parser),
        documents_note=Note(**dict(f.documents_note)),
        submission=Note(**dict(f.submission)),
        fee=FeeRule(**dict(f.fee)),
        terms=Terms(**dict(f.terms)),
        hours=_hours(f.hours),
        path=path,
        yes_words=words.yes.typed() if words else frozenset(),
        no_words=words.no.typed() if words else frozenset(),
    )


def _index_questions(questions: list[shape.Question]) -> dict[str, dict]:
    """The questions by id, as the condition parser reads them (a fact may name a later question)."""
    by_id: dict[str, dict] = {}
    for i, q in enumerate(questions):
        if q.id in by_id:
            raise RulesetError(f"questions[{i}].id: duplicate question {q.id!r}")
        by_id[q.id] = {"id": q.id, "kind": q.kind, "options": [{"value": o.value} for o in q.options or ()]}
    return by_id


def _condition(parser: ConditionParser, row: Any, key: str, where: str) -> Condition:
    """The compiled condition `key` of a row; always true when the file gives none."""
    table = getattr(row, key, None)
    return ALWAYS if table is None else parser.parse(table, f"{where}.{key}")


def _unique_ids(rows: list[Any], where: str) -> None:
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row.id in seen:
            raise RulesetError(f"{where}[{i}].id: duplicate {row.id!r}")
        seen.add(row.id)


def _grounds(rows: list[shape.Ground], parser: ConditionParser) -> tuple[Ground, ...]:
    _unique_ids(rows, "grounds")
    return tuple(
        Ground(g.id, g.paragraph, parser.parse(g.when, f"grounds[{i}].when"), g.text, g.lifted_when)
        for i, g in enumerate(rows)
    )


def _documents(rows: list[shape.Document], parser: ConditionParser) -> tuple[Document, ...]:
    _unique_ids(rows, "documents")
    return tuple(
        Document(d.id, d.paragraph, d.title, d.applies_when, d.description,
                 _condition(parser, d, "required_when", f"documents[{i}]"))
        for i, d in enumerate(rows)
    )


def _hours(h: shape.Hours) -> Hours:
    days = tuple(
        DaySchedule(tuple(WEEKDAYS.index(w) for w in d.weekdays), d.open, d.close,
                    tuple((start, end) for start, end in d.breaks))
        for d in h.days
    )
    return Hours(h.paragraph, days, WEEKDAYS.index(h.transferred_working_day_as), h.text)
