"""The strict reader of ruleset files: TOML tables in, checked `Ruleset` out.

Strict because the file is law paraphrased as data: an unknown key is a typo that would silently drop a
rule, a missing kk or ru text would leave a user without an answer, and a condition naming an unknown
answer would never fire. Every error is one line naming the file and the place inside it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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
from bot.rules.schema_fields import (
    ID_RE,
    read_date,
    read_int,
    read_list,
    read_paragraph,
    read_str,
    read_table,
    read_text,
    read_time,
)
from bot.rules.schema_questions import check_choices, index_questions, read_answer_words, read_question

SCHEMA_VERSION = 1


def _hours(raw: Any, where: str) -> Hours:
    t = read_table(raw, where, ("paragraph", "days", "transferred_working_day_as", "text"))
    days, seen = [], set()
    for i, d in enumerate(read_list(t["days"], f"{where}.days")):
        w = f"{where}.days[{i}]"
        dt = read_table(d, w, ("weekdays", "open", "close", "breaks"))
        weekdays = []
        for name in read_list(dt["weekdays"], f"{w}.weekdays"):
            if name not in WEEKDAYS or name in seen:
                raise RulesetError(f"{w}.weekdays: unknown or repeated day {name!r}")
            seen.add(name)
            weekdays.append(WEEKDAYS.index(name))
        breaks = []
        for j, b in enumerate(read_list(dt["breaks"], f"{w}.breaks", allow_empty=True)):
            pair = read_list(b, f"{w}.breaks[{j}]")
            if len(pair) != 2:
                raise RulesetError(f"{w}.breaks[{j}]: expected [start, end]")
            breaks.append((read_time(pair[0], f"{w}.breaks[{j}]"), read_time(pair[1], f"{w}.breaks[{j}]")))
        sched = DaySchedule(
            tuple(weekdays), read_time(dt["open"], f"{w}.open"), read_time(dt["close"], f"{w}.close"),
            tuple(breaks),
        )
        edges = [sched.open, *(x for b in breaks for x in b), sched.close]
        if any(a >= b for a, b in zip(edges, edges[1:], strict=False)):
            raise RulesetError(f"{w}: open < break start < break end < close must hold")
        days.append(sched)
    as_day = t["transferred_working_day_as"]
    if as_day not in WEEKDAYS or as_day not in seen:
        raise RulesetError(f"{where}.transferred_working_day_as: expected a day with hours, got {as_day!r}")
    return Hours(
        read_paragraph(t["paragraph"], f"{where}.paragraph"),
        tuple(days),
        WEEKDAYS.index(as_day),
        read_text(t["text"], f"{where}.text"),
    )


def _note(raw: Any, where: str) -> Note:
    t = read_table(raw, where, ("paragraph", "text"))
    return Note(read_paragraph(t["paragraph"], f"{where}.paragraph"), read_text(t["text"], f"{where}.text"))


_TOP_KEYS = (
    "schema",
    "id",
    "valid_from",
    "validity_note",
    "title",
    "legal_basis",
    "disclaimer",
    "facts",
    "questions",
    "applicant",
    "outcomes",
    "grounds",
    "refusal_notice",
    "documents",
    "documents_note",
    "submission",
    "fee",
    "terms",
    "hours",
)


def parse_ruleset(data: Mapping[str, Any], path: Path) -> Ruleset:
    """Build a Ruleset from a parsed TOML table; every error names the file and the place."""
    try:
        return _parse(dict(data), path)
    except (RulesetError, ConditionError) as exc:
        raise RulesetError(f"{path.name}: {exc}") from None


def _parse(t: dict, path: Path) -> Ruleset:
    read_table(t, "(top)", _TOP_KEYS, ("valid_to", "answer_words"))
    if type(t["schema"]) is not int or t["schema"] != SCHEMA_VERSION:
        raise RulesetError(f"schema: this code reads schema {SCHEMA_VERSION}, got {t['schema']!r}")
    rid = t["id"]
    if not isinstance(rid, str) or not ID_RE.match(rid) or rid != path.stem:
        raise RulesetError(f"id: must match the file name {path.stem!r}, got {rid!r}")
    valid_from = read_date(t["valid_from"], "valid_from")
    valid_to = read_date(t["valid_to"], "valid_to") if "valid_to" in t else None
    if valid_to is not None and valid_to < valid_from:
        raise RulesetError("valid_to: before valid_from")
    raw_questions, items = index_questions(t["questions"], "questions")
    facts: dict[str, Condition] = {}
    parser = ConditionParser(raw_questions, facts)
    facts.update(_facts(t["facts"], parser))
    questions, earlier = [], set()
    for i, raw in enumerate(items):
        questions.append(read_question(raw, f"questions[{i}]", parser, earlier))
        earlier.add(raw["id"])
    check_choices(questions)
    yes_words, no_words = read_answer_words(t.get("answer_words"))
    return Ruleset(
        id=rid,
        schema=t["schema"],
        valid_from=valid_from,
        valid_to=valid_to,
        validity_note=read_str(t["validity_note"], "validity_note"),
        title=read_text(t["title"], "title"),
        legal_basis=_legal_basis(t["legal_basis"]),
        disclaimer=read_text(t["disclaimer"], "disclaimer"),
        facts=facts,
        questions=tuple(questions),
        applicant=_applicant(t["applicant"], parser),
        outcomes=_outcomes(t["outcomes"], parser),
        grounds=_grounds(t["grounds"], parser),
        refusal_notice=_note(t["refusal_notice"], "refusal_notice"),
        documents=_documents(t["documents"], parser),
        documents_note=_note(t["documents_note"], "documents_note"),
        submission=_note(t["submission"], "submission"),
        fee=_fee(t["fee"]),
        terms=_terms(t["terms"]),
        hours=_hours(t["hours"], "hours"),
        path=path,
        yes_words=yes_words,
        no_words=no_words,
    )


def _facts(raw: Any, parser: ConditionParser) -> dict[str, Condition]:
    """Named conditions, each compiled as it comes, so a fact may only use the facts above it."""
    if not isinstance(raw, dict):
        raise RulesetError("facts: expected a table")
    for name, table in raw.items():
        if not ID_RE.match(name):
            raise RulesetError(f"facts.{name}: bad fact name")
        parser.facts[name] = parser.parse(table, f"facts.{name}")
    return dict(parser.facts)


def _legal_basis(raw: Any) -> LegalBasis:
    w = "legal_basis"
    lb = read_table(raw, w, ("decree", "amended_by", "summary"), ("repealed_by", "repeal_effective"))
    return LegalBasis(
        decree=read_str(lb["decree"], f"{w}.decree"),
        amended_by=tuple(
            read_str(a, f"{w}.amended_by")
            for a in read_list(lb["amended_by"], f"{w}.amended_by", allow_empty=True)
        ),
        repealed_by=read_str(lb["repealed_by"], f"{w}.repealed_by") if "repealed_by" in lb else None,
        repeal_effective=read_date(lb["repeal_effective"], f"{w}.repeal_effective")
        if "repeal_effective" in lb
        else None,
        summary=read_text(lb["summary"], f"{w}.summary"),
    )


def _applicant(raw: Any, parser: ConditionParser) -> tuple[ApplicantRule, ...]:
    rules = []
    for i, item in enumerate(read_list(raw, "applicant")):
        w = f"applicant[{i}]"
        a = read_table(item, w, ("via", "paragraph", "when", "explanation"), ("representative",))
        if a["via"] not in ("self", "representative"):
            raise RulesetError(f"{w}.via: expected 'self' or 'representative'")
        if "representative" in a and a["via"] != "representative":
            raise RulesetError(f"{w}.representative: only for via = 'representative'")
        rules.append(
            ApplicantRule(
                a["via"],
                read_paragraph(a["paragraph"], f"{w}.paragraph"),
                parser.parse(a["when"], f"{w}.when"),
                read_text(a["explanation"], f"{w}.explanation"),
                read_text(a["representative"], f"{w}.representative") if "representative" in a else None,
            )
        )
    return tuple(rules)


def _outcomes(raw: Any, parser: ConditionParser) -> dict[str, OutcomeRule]:
    o = read_table(raw, "outcomes", ("not_applicable", "refused", "eligible"))
    outcomes = {}
    for name in ("not_applicable", "refused", "eligible"):
        w = f"outcomes.{name}"
        keys = ("paragraph", "explanation") + (("when",) if name == "not_applicable" else ())
        r = read_table(o[name], w, keys)
        outcomes[name] = OutcomeRule(
            read_paragraph(r["paragraph"], f"{w}.paragraph"),
            read_text(r["explanation"], f"{w}.explanation"),
            parser.parse(r["when"], f"{w}.when") if "when" in r else ALWAYS,
        )
    return outcomes


def _unique_id(item: dict, seen: set[str], where: str) -> str:
    if not isinstance(item["id"], str) or not ID_RE.match(item["id"]) or item["id"] in seen:
        raise RulesetError(f"{where}.id: missing, malformed or duplicate")
    seen.add(item["id"])
    return item["id"]


def _grounds(raw: Any, parser: ConditionParser) -> tuple[Ground, ...]:
    grounds, seen = [], set()
    for i, item in enumerate(read_list(raw, "grounds")):
        w = f"grounds[{i}]"
        g = read_table(item, w, ("id", "paragraph", "when", "text", "lifted_when"))
        grounds.append(
            Ground(
                _unique_id(g, seen, w),
                read_paragraph(g["paragraph"], f"{w}.paragraph"),
                parser.parse(g["when"], f"{w}.when"),
                read_text(g["text"], f"{w}.text"),
                read_text(g["lifted_when"], f"{w}.lifted_when"),
            )
        )
    return tuple(grounds)


def _documents(raw: Any, parser: ConditionParser) -> tuple[Document, ...]:
    documents, seen = [], set()
    for i, item in enumerate(read_list(raw, "documents")):
        w = f"documents[{i}]"
        keys = ("id", "paragraph", "title", "applies_when", "description")
        d = read_table(item, w, keys, ("required_when",))
        documents.append(
            Document(
                _unique_id(d, seen, w),
                read_paragraph(d["paragraph"], f"{w}.paragraph"),
                read_text(d["title"], f"{w}.title"),
                read_text(d["applies_when"], f"{w}.applies_when"),
                read_text(d["description"], f"{w}.description"),
                parser.parse(d["required_when"], f"{w}.required_when") if "required_when" in d else ALWAYS,
            )
        )
    return tuple(documents)


def _fee(raw: Any) -> FeeRule:
    f = read_table(raw, "fee", ("paragraph", "percent_of_mrp", "parameter", "text"))
    if f["parameter"] != "mrp":
        raise RulesetError("fee.parameter: only 'mrp' (data/mrp.toml) is known")
    return FeeRule(
        read_paragraph(f["paragraph"], "fee.paragraph"),
        read_int(f["percent_of_mrp"], "fee.percent_of_mrp", 1),
        f["parameter"],
        read_text(f["text"], "fee.text"),
    )


_TERMS_KEYS = (
    "decision_days",
    "decision_paragraph",
    "max_wait_minutes",
    "max_service_minutes",
    "service_paragraph",
    "text",
)


def _terms(raw: Any) -> Terms:
    tm = read_table(raw, "terms", _TERMS_KEYS)
    return Terms(
        read_int(tm["decision_days"], "terms.decision_days", 1),
        read_paragraph(tm["decision_paragraph"], "terms.decision_paragraph"),
        read_int(tm["max_wait_minutes"], "terms.max_wait_minutes", 1),
        read_int(tm["max_service_minutes"], "terms.max_service_minutes", 1),
        read_paragraph(tm["service_paragraph"], "terms.service_paragraph"),
        read_text(tm["text"], "terms.text"),
    )


def load_ruleset_file(path: Path) -> Ruleset:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise RulesetError(f"{path.name}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesetError(f"{path.name}: not valid TOML: {exc}") from None
    return parse_ruleset(data, path)
