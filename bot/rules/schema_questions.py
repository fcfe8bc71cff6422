"""The question graph of a ruleset file: questions in order, each condition reading only earlier answers.

Bounds and wordings that depend on an earlier choice are checked against that question's options once
all questions are built. The shape of each question is bot.rules.schema_shape's.
"""

from __future__ import annotations

from bot.rules import schema_shape as shape
from bot.rules.conditions import ALWAYS, ConditionParser
from bot.rules.model import Option, Question, RulesetError, Wording


def build_questions(rows: list[shape.Question], parser: ConditionParser) -> tuple[Question, ...]:
    questions: list[Question] = []
    earlier: set[str] = set()
    for i, row in enumerate(rows):
        questions.append(_question(row, f"questions[{i}]", parser, earlier))
        earlier.add(row.id)
    _check_choices(questions)
    return tuple(questions)


def _question(q: shape.Question, where: str, parser: ConditionParser, earlier: set[str]) -> Question:
    ask_when = parser.parse(q.ask_when, f"{where}.ask_when") if q.ask_when is not None else ALWAYS
    later = sorted(ask_when.keys() - earlier)
    if later:
        raise RulesetError(f"{where}.ask_when: may only use questions asked before it, not {later[0]!r}")
    bounds_by, bounds = _bounds(q, where, earlier)
    wording_by, wordings = _wordings(q, where, earlier)
    return Question(
        id=q.id,
        kind=q.kind,
        paragraph=q.paragraph,
        text=q.text,
        hint=q.hint,
        options=tuple(Option(o.value, o.label) for o in q.options or ()),
        ask_when=ask_when,
        required=q.required,
        min=q.min,
        max=q.max,
        bounds_by=bounds_by,
        bounds=bounds,
        wording_by=wording_by,
        wordings=wordings,
    )


def _depends_on(by: str | None, table: dict | None, key: str, where: str, earlier: set[str]) -> None:
    """`<key>_by` names an earlier question and `<key>` holds a table of its option values."""
    if by not in earlier:
        raise RulesetError(f"{where}.{key}_by: expected an earlier question, got {by!r}")
    if table is None:
        raise RulesetError(f"{where}.{key}: expected a table of option values")


def _wordings(q: shape.Question, where: str, earlier: set[str]) -> tuple[str | None, tuple[Wording, ...]]:
    """`wording_by = "who"`, `wording.self.text = {kk, ru}`: the text or hint for one earlier choice.

    The option values are checked against the earlier question in `_check_choices`.
    """
    if q.wording_by is None and q.wording is None:
        return None, ()
    _depends_on(q.wording_by, q.wording, "wording", where, earlier)
    return q.wording_by, tuple(Wording(value, w.text, w.hint) for value, w in q.wording.items())


Bounds = tuple[tuple[str, int, int], ...]  # (option value, low, high)


def _bounds(q: shape.Question, where: str, earlier: set[str]) -> tuple[str | None, Bounds]:
    """`bounds_by = "who"`, `bounds = {ward = {min = 18}}`: an int answer's range per earlier choice.

    The option values are checked against the earlier question in `_check_choices` (all are built then).
    """
    if q.bounds_by is None and q.bounds is None:
        return None, ()
    lo, hi = q.min, q.max
    if lo is None or hi is None:
        raise RulesetError(f"{where}.bounds: only an int question has bounds")
    _depends_on(q.bounds_by, q.bounds, "bounds", where, earlier)
    out = []
    for value, limits in q.bounds.items():
        low = lo if limits.min is None else limits.min
        high = hi if limits.max is None else limits.max
        if not lo <= low <= high <= hi:
            raise RulesetError(f"{where}.bounds.{value}: expected {lo} ≤ min ≤ max ≤ {hi}")
        out.append((value, low, high))
    return q.bounds_by, tuple(out)


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
