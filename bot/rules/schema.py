"""The strict reader of ruleset files: TOML tables in, checked `Ruleset` out.

Strict because the file is law paraphrased as data: an unknown key is a typo that would silently drop a
rule, a missing kk or ru text would leave a user without an answer, and a condition naming an unknown
answer would never fire. Every error is one line naming the file and the place inside it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, time
from pathlib import Path
from typing import Any

from bot.rules.conditions import ALWAYS, Condition, ConditionError, ConditionParser
from bot.rules.model import (
    LOCALES,
    WEEKDAYS,
    ApplicantRule,
    DaySchedule,
    Document,
    FeeRule,
    Ground,
    Hours,
    LegalBasis,
    Note,
    Option,
    OutcomeRule,
    Question,
    Ruleset,
    RulesetError,
    Terms,
    Text,
    Wording,
)

SCHEMA_VERSION = 1
QUESTION_KINDS = ("bool", "choice", "int", "date")
_PARAGRAPH_RE = re.compile(r"^§\d+(\.\d+)*$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _table(obj: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(obj, dict):
        raise RulesetError(f"{where}: expected a table")
    unknown = sorted(set(obj) - set(required) - set(optional))
    if unknown:
        raise RulesetError(f"{where}: unknown key {unknown[0]!r}")
    missing = [k for k in required if k not in obj]
    if missing:
        raise RulesetError(f"{where}: missing key {missing[0]!r}")
    return obj


def _str(obj: Any, where: str) -> str:
    if not isinstance(obj, str) or not obj.strip():
        raise RulesetError(f"{where}: expected a non-empty string")
    return obj


def _int(obj: Any, where: str, minimum: int = 0) -> int:
    if isinstance(obj, bool) or not isinstance(obj, int) or obj < minimum:
        raise RulesetError(f"{where}: expected an integer ≥ {minimum}")
    return obj


def _date(obj: Any, where: str) -> date:
    if not isinstance(obj, date) or hasattr(obj, "hour"):
        raise RulesetError(f"{where}: expected a date like 2013-01-21")
    return obj


def _text(obj: Any, where: str) -> Text:
    t = _table(obj, where, LOCALES)
    return Text(kk=_str(t["kk"], f"{where}.kk"), ru=_str(t["ru"], f"{where}.ru"))


def _paragraph(obj: Any, where: str) -> str:
    if not isinstance(obj, str) or not _PARAGRAPH_RE.match(obj):
        raise RulesetError(f"{where}: expected a paragraph like '§11.4', got {obj!r}")
    return obj


def _time(obj: Any, where: str) -> time:
    if not isinstance(obj, str) or not _TIME_RE.match(obj):
        raise RulesetError(f"{where}: expected a time like '09:00', got {obj!r}")
    return time.fromisoformat(obj)


def _list(obj: Any, where: str, allow_empty: bool = False) -> list:
    if not isinstance(obj, list) or (not obj and not allow_empty):
        raise RulesetError(f"{where}: expected a {'' if allow_empty else 'non-empty '}list")
    return obj


def _question(raw: Any, where: str, parser: ConditionParser, earlier: set[str]) -> Question:
    t = _table(
        raw,
        where,
        ("id", "kind", "paragraph", "text"),
        ("hint", "options", "ask_when", "required", "min", "max", "bounds_by", "bounds", "wording_by",
         "wording"),
    )
    kind = t["kind"]
    if kind not in QUESTION_KINDS:
        raise RulesetError(f"{where}.kind: expected one of {QUESTION_KINDS}, got {kind!r}")
    options: tuple[Option, ...] = ()
    if kind == "choice":
        opts = _list(t.get("options"), f"{where}.options")
        options = tuple(
            Option(
                _str(
                    _table(o, f"{where}.options[{i}]", ("value", "label"))["value"],
                    f"{where}.options[{i}].value",
                ),
                _text(o["label"], f"{where}.options[{i}].label"),
            )
            for i, o in enumerate(opts)
        )
        if len({o.value for o in options}) != len(options):
            raise RulesetError(f"{where}.options: duplicate value")
    elif "options" in t:
        raise RulesetError(f"{where}.options: only a choice question has options")
    if kind == "int":
        lo, hi = _int(t.get("min"), f"{where}.min"), _int(t.get("max"), f"{where}.max")
        if lo > hi:
            raise RulesetError(f"{where}: min is above max")
    elif "min" in t or "max" in t:
        raise RulesetError(f"{where}: only an int question has min/max")
    else:
        lo = hi = None
    required = t.get("required", True)
    if not isinstance(required, bool):
        raise RulesetError(f"{where}.required: expected true or false")
    ask_when = parser.parse(t["ask_when"], f"{where}.ask_when") if "ask_when" in t else ALWAYS
    later = sorted(ask_when.keys() - earlier)
    if later:
        raise RulesetError(f"{where}.ask_when: may only use questions asked before it, not {later[0]!r}")
    bounds_by, bounds = _bounds(t, where, earlier, lo, hi)
    wording_by, wordings = _wordings(t, where, earlier)
    return Question(
        id=t["id"],
        kind=kind,
        paragraph=_paragraph(t["paragraph"], f"{where}.paragraph"),
        text=_text(t["text"], f"{where}.text"),
        hint=_text(t["hint"], f"{where}.hint") if "hint" in t else None,
        options=options,
        ask_when=ask_when,
        required=required,
        min=lo,
        max=hi,
        bounds_by=bounds_by,
        bounds=bounds,
        wording_by=wording_by,
        wordings=wordings,
    )


def _wordings(t: dict, where: str, earlier: set[str]) -> tuple[str | None, tuple[Wording, ...]]:
    """`wording_by = "who"`, `wording.self.text = {kk, ru}`: the text or hint for one earlier choice.

    The option values are checked against the earlier question in `_check_choices`.
    """
    if "wording_by" not in t and "wording" not in t:
        return None, ()
    by = t.get("wording_by")
    if by not in earlier:
        raise RulesetError(f"{where}.wording_by: expected an earlier question, got {by!r}")
    raw = t.get("wording")
    if not isinstance(raw, dict) or not raw:
        raise RulesetError(f"{where}.wording: expected a table of option values")
    out = []
    for value, texts in raw.items():
        place = f"{where}.wording.{value}"
        texts = _table(texts, place, (), ("text", "hint"))
        if not texts:
            raise RulesetError(f"{place}: expected a text or a hint")
        out.append(Wording(value, *(_text(texts[k], f"{place}.{k}") if k in texts else None
                                    for k in ("text", "hint"))))
    return by, tuple(out)


def _bounds(t: dict, where: str, earlier: set[str], lo: int | None, hi: int | None):
    """`bounds_by = "who"`, `bounds = {ward = {min = 18}}`: an int answer's range per earlier choice.

    The option values are checked against the earlier question in `_check_choices` (all are built then).
    """
    if "bounds_by" not in t and "bounds" not in t:
        return None, ()
    if lo is None or hi is None:
        raise RulesetError(f"{where}.bounds: only an int question has bounds")
    by = t.get("bounds_by")
    if by not in earlier:
        raise RulesetError(f"{where}.bounds_by: expected an earlier question, got {by!r}")
    raw = t.get("bounds")
    if not isinstance(raw, dict) or not raw:
        raise RulesetError(f"{where}.bounds: expected a table of option values")
    out = []
    for value, limits in raw.items():
        place = f"{where}.bounds.{value}"
        limits = _table(limits, place, (), ("min", "max"))
        low = _int(limits.get("min", lo), f"{place}.min")
        high = _int(limits.get("max", hi), f"{place}.max")
        if not lo <= low <= high <= hi:
            raise RulesetError(f"{place}: expected {lo} ≤ min ≤ max ≤ {hi}")
        out.append((value, low, high))
    return by, tuple(out)


def _check_choices(questions: list[Question]) -> None:
    """Bounds and wordings name option values of the earlier question they depend on."""
    by_id = {q.id: q for q in questions}
    for i, q in enumerate(questions):
        for key, by, values in (("bounds", q.bounds_by, [b[0] for b in q.bounds]),
                                ("wording", q.wording_by, [w.value for w in q.wordings])):
            if by is None:
                continue
            known = by_id[by].option_values()
            for value in values:
                if value not in known:
                    raise RulesetError(f"questions[{i}].{key}.{value}: not an option of {by!r}")


def _answer_words(raw: Any) -> tuple[frozenset[str], frozenset[str]]:
    """answer_words.yes/no = {kk = [...], ru = [...]}: what people type instead of pressing Yes/No."""
    if raw is None:
        return frozenset(), frozenset()
    t = _table(raw, "answer_words", ("yes", "no"))
    words = {}
    for key in ("yes", "no"):
        per_locale = _table(t[key], f"answer_words.{key}", LOCALES)
        words[key] = frozenset(
            _str(w, f"answer_words.{key}.{loc}[{i}]").strip().lower()
            for loc in LOCALES
            for i, w in enumerate(_list(per_locale[loc], f"answer_words.{key}.{loc}"))
        )
    if words["yes"] & words["no"]:
        raise RulesetError(f"answer_words: both yes and no: {sorted(words['yes'] & words['no'])}")
    return words["yes"], words["no"]


def _questions(raw: Any, where: str) -> tuple[dict, list]:
    items = _list(raw, where)
    by_id: dict[str, dict] = {}
    for i, q in enumerate(items):
        if not isinstance(q, dict) or not isinstance(q.get("id"), str) or not _ID_RE.match(q["id"]):
            raise RulesetError(f"{where}[{i}].id: expected an id like 'age'")
        if q["id"] in by_id:
            raise RulesetError(f"{where}[{i}].id: duplicate question {q['id']!r}")
        by_id[q["id"]] = q
    return by_id, items


def _hours(raw: Any, where: str) -> Hours:
    t = _table(raw, where, ("paragraph", "days", "transferred_working_day_as", "text"))
    days, seen = [], set()
    for i, d in enumerate(_list(t["days"], f"{where}.days")):
        w = f"{where}.days[{i}]"
        dt = _table(d, w, ("weekdays", "open", "close", "breaks"))
        weekdays = []
        for name in _list(dt["weekdays"], f"{w}.weekdays"):
            if name not in WEEKDAYS or name in seen:
                raise RulesetError(f"{w}.weekdays: unknown or repeated day {name!r}")
            seen.add(name)
            weekdays.append(WEEKDAYS.index(name))
        breaks = []
        for j, b in enumerate(_list(dt["breaks"], f"{w}.breaks", allow_empty=True)):
            pair = _list(b, f"{w}.breaks[{j}]")
            if len(pair) != 2:
                raise RulesetError(f"{w}.breaks[{j}]: expected [start, end]")
            breaks.append((_time(pair[0], f"{w}.breaks[{j}]"), _time(pair[1], f"{w}.breaks[{j}]")))
        sched = DaySchedule(
            tuple(weekdays), _time(dt["open"], f"{w}.open"), _time(dt["close"], f"{w}.close"), tuple(breaks)
        )
        edges = [sched.open, *(x for b in breaks for x in b), sched.close]
        if any(a >= b for a, b in zip(edges, edges[1:], strict=False)):
            raise RulesetError(f"{w}: open < break start < break end < close must hold")
        days.append(sched)
    as_day = t["transferred_working_day_as"]
    if as_day not in WEEKDAYS or as_day not in seen:
        raise RulesetError(f"{where}.transferred_working_day_as: expected a day with hours, got {as_day!r}")
    return Hours(
        _paragraph(t["paragraph"], f"{where}.paragraph"),
        tuple(days),
        WEEKDAYS.index(as_day),
        _text(t["text"], f"{where}.text"),
    )


def _note(raw: Any, where: str) -> Note:
    t = _table(raw, where, ("paragraph", "text"))
    return Note(_paragraph(t["paragraph"], f"{where}.paragraph"), _text(t["text"], f"{where}.text"))


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
    _table(t, "(top)", _TOP_KEYS, ("valid_to", "answer_words"))
    if type(t["schema"]) is not int or t["schema"] != SCHEMA_VERSION:
        raise RulesetError(f"schema: this code reads schema {SCHEMA_VERSION}, got {t['schema']!r}")
    rid = t["id"]
    if not isinstance(rid, str) or not _ID_RE.match(rid) or rid != path.stem:
        raise RulesetError(f"id: must match the file name {path.stem!r}, got {rid!r}")
    valid_from = _date(t["valid_from"], "valid_from")
    valid_to = _date(t["valid_to"], "valid_to") if "valid_to" in t else None
    if valid_to is not None and valid_to < valid_from:
        raise RulesetError("valid_to: before valid_from")
    raw_questions, items = _questions(t["questions"], "questions")
    facts: dict[str, Condition] = {}
    parser = ConditionParser(raw_questions, facts)
    facts.update(_facts(t["facts"], parser))
    questions, earlier = [], set()
    for i, raw in enumerate(items):
        questions.append(_question(raw, f"questions[{i}]", parser, earlier))
        earlier.add(raw["id"])
    _check_choices(questions)
    yes_words, no_words = _answer_words(t.get("answer_words"))
    return Ruleset(
        id=rid,
        schema=t["schema"],
        valid_from=valid_from,
        valid_to=valid_to,
        validity_note=_str(t["validity_note"], "validity_note"),
        title=_text(t["title"], "title"),
        legal_basis=_legal_basis(t["legal_basis"]),
        disclaimer=_text(t["disclaimer"], "disclaimer"),
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
        if not _ID_RE.match(name):
            raise RulesetError(f"facts.{name}: bad fact name")
        parser.facts[name] = parser.parse(table, f"facts.{name}")
    return dict(parser.facts)


def _legal_basis(raw: Any) -> LegalBasis:
    w = "legal_basis"
    lb = _table(raw, w, ("decree", "amended_by", "summary"), ("repealed_by", "repeal_effective"))
    return LegalBasis(
        decree=_str(lb["decree"], f"{w}.decree"),
        amended_by=tuple(
            _str(a, f"{w}.amended_by") for a in _list(lb["amended_by"], f"{w}.amended_by", allow_empty=True)
        ),
        repealed_by=_str(lb["repealed_by"], f"{w}.repealed_by") if "repealed_by" in lb else None,
        repeal_effective=_date(lb["repeal_effective"], f"{w}.repeal_effective")
        if "repeal_effective" in lb
        else None,
        summary=_text(lb["summary"], f"{w}.summary"),
    )


def _applicant(raw: Any, parser: ConditionParser) -> tuple[ApplicantRule, ...]:
    rules = []
    for i, item in enumerate(_list(raw, "applicant")):
        w = f"applicant[{i}]"
        a = _table(item, w, ("via", "paragraph", "when", "explanation"), ("representative",))
        if a["via"] not in ("self", "representative"):
            raise RulesetError(f"{w}.via: expected 'self' or 'representative'")
        if "representative" in a and a["via"] != "representative":
            raise RulesetError(f"{w}.representative: only for via = 'representative'")
        rules.append(
            ApplicantRule(
                a["via"],
                _paragraph(a["paragraph"], f"{w}.paragraph"),
                parser.parse(a["when"], f"{w}.when"),
                _text(a["explanation"], f"{w}.explanation"),
                _text(a["representative"], f"{w}.representative") if "representative" in a else None,
            )
        )
    return tuple(rules)


def _outcomes(raw: Any, parser: ConditionParser) -> dict[str, OutcomeRule]:
    o = _table(raw, "outcomes", ("not_applicable", "refused", "eligible"))
    outcomes = {}
    for name in ("not_applicable", "refused", "eligible"):
        w = f"outcomes.{name}"
        keys = ("paragraph", "explanation") + (("when",) if name == "not_applicable" else ())
        r = _table(o[name], w, keys)
        outcomes[name] = OutcomeRule(
            _paragraph(r["paragraph"], f"{w}.paragraph"),
            _text(r["explanation"], f"{w}.explanation"),
            parser.parse(r["when"], f"{w}.when") if "when" in r else ALWAYS,
        )
    return outcomes


def _unique_id(item: dict, seen: set[str], where: str) -> str:
    if not isinstance(item["id"], str) or not _ID_RE.match(item["id"]) or item["id"] in seen:
        raise RulesetError(f"{where}.id: missing, malformed or duplicate")
    seen.add(item["id"])
    return item["id"]


def _grounds(raw: Any, parser: ConditionParser) -> tuple[Ground, ...]:
    grounds, seen = [], set()
    for i, item in enumerate(_list(raw, "grounds")):
        w = f"grounds[{i}]"
        g = _table(item, w, ("id", "paragraph", "when", "text", "lifted_when"))
        grounds.append(
            Ground(
                _unique_id(g, seen, w),
                _paragraph(g["paragraph"], f"{w}.paragraph"),
                parser.parse(g["when"], f"{w}.when"),
                _text(g["text"], f"{w}.text"),
                _text(g["lifted_when"], f"{w}.lifted_when"),
            )
        )
    return tuple(grounds)


def _documents(raw: Any, parser: ConditionParser) -> tuple[Document, ...]:
    documents, seen = [], set()
    for i, item in enumerate(_list(raw, "documents")):
        w = f"documents[{i}]"
        d = _table(item, w, ("id", "paragraph", "title", "applies_when", "description"), ("required_when",))
        documents.append(
            Document(
                _unique_id(d, seen, w),
                _paragraph(d["paragraph"], f"{w}.paragraph"),
                _text(d["title"], f"{w}.title"),
                _text(d["applies_when"], f"{w}.applies_when"),
                _text(d["description"], f"{w}.description"),
                parser.parse(d["required_when"], f"{w}.required_when") if "required_when" in d else ALWAYS,
            )
        )
    return tuple(documents)


def _fee(raw: Any) -> FeeRule:
    f = _table(raw, "fee", ("paragraph", "percent_of_mrp", "parameter", "text"))
    if f["parameter"] != "mrp":
        raise RulesetError("fee.parameter: only 'mrp' (data/mrp.toml) is known")
    return FeeRule(
        _paragraph(f["paragraph"], "fee.paragraph"),
        _int(f["percent_of_mrp"], "fee.percent_of_mrp", 1),
        f["parameter"],
        _text(f["text"], "fee.text"),
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
    tm = _table(raw, "terms", _TERMS_KEYS)
    return Terms(
        _int(tm["decision_days"], "terms.decision_days", 1),
        _paragraph(tm["decision_paragraph"], "terms.decision_paragraph"),
        _int(tm["max_wait_minutes"], "terms.max_wait_minutes", 1),
        _int(tm["max_service_minutes"], "terms.max_service_minutes", 1),
        _paragraph(tm["service_paragraph"], "terms.service_paragraph"),
        _text(tm["text"], "terms.text"),
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
