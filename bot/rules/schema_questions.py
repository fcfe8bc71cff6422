"""The question graph of a ruleset file: questions in order, each condition reading only earlier answers.

Bounds and wordings that depend on an earlier choice are checked against that question's options once
all questions are built; answer words (what people type for Yes/No) are read here too.
"""

from __future__ import annotations

from typing import Any

from bot.rules.conditions import ALWAYS, ConditionParser
from bot.rules.model import LOCALES, Option, Question, RulesetError, Wording
from bot.rules.schema_fields import (
    ID_RE,
    read_int,
    read_list,
    read_paragraph,
    read_str,
    read_table,
    read_text,
)

QUESTION_KINDS = ("bool", "choice", "int", "date")


def read_question(raw: Any, where: str, parser: ConditionParser, earlier: set[str]) -> Question:
    t = read_table(
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
        opts = read_list(t.get("options"), f"{where}.options")
        options = tuple(
            Option(
                read_str(
                    read_table(o, f"{where}.options[{i}]", ("value", "label"))["value"],
                    f"{where}.options[{i}].value",
                ),
                read_text(o["label"], f"{where}.options[{i}].label"),
            )
            for i, o in enumerate(opts)
        )
        if len({o.value for o in options}) != len(options):
            raise RulesetError(f"{where}.options: duplicate value")
    elif "options" in t:
        raise RulesetError(f"{where}.options: only a choice question has options")
    if kind == "int":
        lo, hi = read_int(t.get("min"), f"{where}.min"), read_int(t.get("max"), f"{where}.max")
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
        paragraph=read_paragraph(t["paragraph"], f"{where}.paragraph"),
        text=read_text(t["text"], f"{where}.text"),
        hint=read_text(t["hint"], f"{where}.hint") if "hint" in t else None,
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
        texts = read_table(texts, place, (), ("text", "hint"))
        if not texts:
            raise RulesetError(f"{place}: expected a text or a hint")
        out.append(Wording(value, *(read_text(texts[k], f"{place}.{k}") if k in texts else None
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
        limits = read_table(limits, place, (), ("min", "max"))
        low = read_int(limits.get("min", lo), f"{place}.min")
        high = read_int(limits.get("max", hi), f"{place}.max")
        if not lo <= low <= high <= hi:
            raise RulesetError(f"{place}: expected {lo} ≤ min ≤ max ≤ {hi}")
        out.append((value, low, high))
    return by, tuple(out)


def check_choices(questions: list[Question]) -> None:
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


def read_answer_words(raw: Any) -> tuple[frozenset[str], frozenset[str]]:
    """answer_words.yes/no = {kk = [...], ru = [...]}: what people type instead of pressing Yes/No."""
    if raw is None:
        return frozenset(), frozenset()
    t = read_table(raw, "answer_words", ("yes", "no"))
    words = {}
    for key in ("yes", "no"):
        per_locale = read_table(t[key], f"answer_words.{key}", LOCALES)
        words[key] = frozenset(
            read_str(w, f"answer_words.{key}.{loc}[{i}]").strip().lower()
            for loc in LOCALES
            for i, w in enumerate(read_list(per_locale[loc], f"answer_words.{key}.{loc}"))
        )
    if words["yes"] & words["no"]:
        raise RulesetError(f"answer_words: both yes and no: {sorted(words['yes'] & words['no'])}")
    return words["yes"], words["no"]


def index_questions(raw: Any, where: str) -> tuple[dict, list]:
    items = read_list(raw, where)
    by_id: dict[str, dict] = {}
    for i, q in enumerate(items):
        if not isinstance(q, dict) or not isinstance(q.get("id"), str) or not ID_RE.match(q["id"]):
            raise RulesetError(f"{where}[{i}].id: expected an id like 'age'")
        if q["id"] in by_id:
            raise RulesetError(f"{where}[{i}].id: duplicate question {q['id']!r}")
        by_id[q["id"]] = q
    return by_id, items

