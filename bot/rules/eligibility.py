"""The pre-check engine: walks the ruleset's question graph and says what the answers lead to.

Answers are a plain dict keyed by question id, so going back to an earlier question keeps every later
answer that still applies (GOV.UK smart answers, ADR 002): nothing here deletes an answer; answers
whose question no longer matters are only left out of the view (`relevant_answers`). The rules (who may
apply, the §16 grounds, the §11 documents) are all in the ruleset file; this module only evaluates them.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.formatting import NoSuchDay, parse_day
from bot.rules.conditions import Condition
from bot.rules.fee import FeeQuote, fee_on
from bot.rules.graph import Progress, QuestionGraph
from bot.rules.ruleset import ApplicantRule, Document, Ground, Question, Ruleset, Text, load_ruleset

OUTCOMES = ("eligible", "refused", "not_applicable", "incomplete")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A typed age: digits, optionally followed by one word ("30 лет", "30 жас"); any word, in any language.
_TYPED_AGE = re.compile(r"([0-9]+)\s*[^\W\d_]*\.?")


class AnswerError(ValueError):
    """An answer the engine cannot take. `reason`: unknown | type | range | format | no_such_date | bound
    (an age outside what an earlier choice allows; `bounds` is then (that choice, low, high))."""

    def __init__(self, key: str, message: str, reason: str = "type"):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message
        self.reason = reason
        self.bounds: tuple[Any, int, int] | None = None


@dataclass(frozen=True)
class Assessment:
    """What the answers lead to. `paragraph` is the rule behind the outcome (e.g. "§6", "§16.3")."""

    outcome: str
    paragraph: str
    reason: Text | None
    applicant: ApplicantRule | None
    refusal_grounds: tuple[Ground, ...]
    documents: tuple[Document, ...]
    fee: FeeQuote
    decision_days: int
    next_question: Question | None
    progress: Progress
    ruleset_id: str
    ruleset_in_force: bool

    @property
    def applies_via(self) -> str | None:
        return self.applicant.via if self.applicant else None


# --------------------------------------------------------------------------- answers in


def validate_answers(raw: Any, ruleset: Ruleset) -> dict[str, Any]:
    """Typed answers from untrusted input (JSON, FSM data); dates become `date`. Null = not answered."""
    if not isinstance(raw, Mapping):
        raise AnswerError("answers", "expected an object keyed by question id", "type")
    by_id = {q.id: q for q in ruleset.questions}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        question = by_id.get(key) if isinstance(key, str) else None
        if question is None:
            raise AnswerError(str(key), f"unknown answer; known: {', '.join(by_id)}", "unknown")
        if value is not None:
            out[key] = _typed(question, value, ruleset)
    for question_id in contradicted(out, ruleset):
        question = by_id[question_id]
        raise _bound_error(question, out[question.bounds_by])
    return out


def contradicted(answers: Mapping[str, Any], ruleset: Ruleset) -> list[str]:
    """Ids of answers outside the range their `bounds_by` answer allows (a ward aged 12, oneself at 0)."""
    out = []
    for q in ruleset.questions:
        if q.bounds_by is None or q.id not in answers or q.bounds_by not in answers:
            continue
        limits = q.bounds_for(answers[q.bounds_by])
        value = answers[q.id]
        if limits is not None and isinstance(value, int) and not limits[0] <= value <= limits[1]:
            out.append(q.id)
    return out


def _bound_error(q: Question, choice: Any) -> AnswerError:
    low, high = q.bounds_for(choice)
    error = AnswerError(q.id, f"with {q.bounds_by} = {choice!r} expected {low}–{high}", "bound")
    error.bounds = (choice, low, high)
    return error


def _typed(q: Question, value: Any, ruleset: Ruleset) -> Any:
    match q.kind:
        case "bool":
            if not isinstance(value, bool):
                raise AnswerError(q.id, f"expected true or false, got {value!r}")
            return value
        case "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise AnswerError(q.id, f"expected a whole number, got {value!r}")
            if not q.min <= value <= q.max:
                raise AnswerError(q.id, f"expected {q.min}–{q.max}, got {value}", "range")
            return value
        case "choice":
            if value not in q.option_values():
                raise AnswerError(q.id, f"expected one of {', '.join(q.option_values())}, got {value!r}")
            return value
    day = value if isinstance(value, date) and not hasattr(value, "hour") else _iso_date(q, value)
    if day < ruleset.valid_from:
        raise AnswerError(
            q.id,
            f"{day.isoformat()} is before ruleset {ruleset.id} starts "
            f"({ruleset.valid_from.isoformat()}): out of scope",
            "range",
        )
    return day


def _iso_date(q: Question, value: Any) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise AnswerError(q.id, f"expected a date YYYY-MM-DD, got {value!r}", "format")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise AnswerError(q.id, f"no such date: {value}", "no_such_date") from None


def parse_answer(
    question: Question, text: str, ruleset: Ruleset | None = None, answers: Mapping[str, Any] | None = None
) -> Any:
    """A typed-in answer (an age, a date as YYYY-MM-DD or DD.MM.YYYY, yes/no, an option value).

    Yes/no takes the ruleset's `answer_words`; an age is checked against the bounds
    of the earlier answer it depends on (`answers`), so "a ward" aged 12 is refused, not walked on.
    """
    ruleset = ruleset or load_ruleset()
    s = text.strip()
    value: Any = s
    if question.kind == "int":
        match = _TYPED_AGE.fullmatch(s)
        if match is None:
            raise AnswerError(question.id, f"expected a whole number, got {text!r}")
        digits = match.group(1)
        value = int(digits.lstrip("0") or "0") if len(digits) <= 6 else question.max + 1
    elif question.kind == "bool":  # only the ruleset's words: "0" or "y" is a slip, not an answer
        word = s.lower()
        if word not in (*ruleset.yes_words, *ruleset.no_words):
            raise AnswerError(question.id, f"expected yes or no, got {text!r}")
        value = word in ruleset.yes_words
    elif question.kind == "date":
        try:
            value = parse_day(s)
        except NoSuchDay:
            raise AnswerError(question.id, f"no such date: {s}", "no_such_date") from None
        except ValueError:
            raise AnswerError(
                question.id, f"expected a date DD.MM.YYYY or YYYY-MM-DD, got {text!r}", "format"
            ) from None
    typed = _typed(question, value, ruleset)
    if question.bounds_by is not None and answers and question.bounds_by in answers:
        if contradicted({**answers, question.id: typed}, ruleset):
            raise _bound_error(question, answers[question.bounds_by])
    return typed


# --------------------------------------------------------------------------- the graph walk


def graph(ruleset: Ruleset) -> QuestionGraph[Question]:
    """The ruleset's questions as a graph (built once per ruleset)."""
    known = _graphs.get(id(ruleset))
    if known is None or known[0] is not ruleset:
        known = _graphs[id(ruleset)] = (ruleset, QuestionGraph(
            ruleset.questions, condition=lambda q: q.ask_when, required=lambda q: q.required))
    return known[1]


_graphs: dict[int, tuple[Ruleset, QuestionGraph[Question]]] = {}


def relevant_answers(answers: Mapping[str, Any], ruleset: Ruleset) -> dict[str, Any]:
    """The answers whose question still matters given the answers before it, in graph order."""
    return graph(ruleset).walk(answers).relevant


def next_question(answers: Mapping[str, Any], ruleset: Ruleset) -> Question | None:
    """The first required question that matters and has no answer yet; None when the walk is done."""
    return graph(ruleset).walk(answers).next


def answered_path(answers: Mapping[str, Any], ruleset: Ruleset) -> list[str]:
    """Ids of the answered questions that still matter, in graph order: Back steps along this."""
    return graph(ruleset).walk(answers).path


def _typical(q: Question, answers: Mapping[str, Any], ruleset: Ruleset) -> Any:
    """A stand-in answer for estimating what is left: "no", unless "no" would end the walk at once."""
    if q.kind == "bool":
        return False if next_question({**answers, q.id: False}, ruleset) is not None else True
    if q.kind == "int":
        return q.max
    return q.options[0].value if q.kind == "choice" else ruleset.valid_from


# Progress is asked on every step of every dialogue and plays the rest of the walk out (quadratic in
# the questions), while the answer sets people reach are few: remember the latest ones.
_PROGRESS_MEMORY = 4096
_progress_memo: OrderedDict[tuple[Any, ...], tuple[Ruleset, Progress]] = OrderedDict()


def progress(answers: Mapping[str, Any], ruleset: Ruleset) -> Progress:
    """Answered so far, and a likely total: the rest of the walk played out with stand-in answers.

    An estimate for "question 4 of about 12", not a promise: later answers can shorten or lengthen it.
    """
    try:
        key = (id(ruleset), frozenset(answers.items()))  # the entry holds the ruleset: ids stay unique
    except TypeError:  # an unhashable answer value: not worth remembering
        return _progress(answers, ruleset)
    if (known := _progress_memo.get(key)) is not None:
        _progress_memo.move_to_end(key)
        return known[1]
    result = _progress(answers, ruleset)
    _progress_memo[key] = (ruleset, result)
    if len(_progress_memo) > _PROGRESS_MEMORY:
        _progress_memo.popitem(last=False)
    return result


def _progress(answers: Mapping[str, Any], ruleset: Ruleset) -> Progress:
    return graph(ruleset).progress(answers, lambda q, so_far: _typical(q, so_far, ruleset))


# --------------------------------------------------------------------------- the outcome


def _settled(condition: Condition, ruleset: Ruleset, pending: Question | None) -> bool:
    """True when every answer the condition reads comes before the first unanswered question."""
    if pending is None:
        return True
    limit = ruleset.position(pending.id)
    return all(ruleset.position(k) < limit for k in condition.keys())


def _applicant(relevant: dict, ruleset: Ruleset, pending: Question | None) -> ApplicantRule | None:
    for rule in ruleset.applicant:
        if not _settled(rule.when, ruleset, pending):
            return None
        if rule.when.holds(relevant):
            return rule
    return None


def assess(answers: Mapping[str, Any], ruleset: Ruleset, *, today: date) -> Assessment:
    """Outcome, who applies, grounds, documents and fee for the answers so far (validated here).

    A §16 ground given as true counts even where the walk would not have asked it (the ruleset asks
    some grounds only from an age): a stated ground is never dropped. So a caller that keeps answers
    which no longer apply (the dialogue, after Back) passes `relevant_answers` instead. A ground
    settles the outcome as refused once the service applies at all (a citizen), even while other
    ground questions are still open: `next_question` then names them, so every ground can be listed.
    """
    typed = validate_answers(answers, ruleset)
    walk = graph(ruleset).walk(typed)
    relevant, pending = walk.relevant, walk.next
    grounds = tuple(g for g in ruleset.grounds if g.when.holds(typed))
    documents: tuple[Document, ...] = ()
    not_applicable = ruleset.outcomes["not_applicable"]
    applies = _settled(not_applicable.when, ruleset, pending) and not not_applicable.when.holds(relevant)
    if grounds and applies:
        rule = ruleset.outcomes["refused"]
        paragraph = grounds[0].paragraph if len(grounds) == 1 else rule.paragraph
        outcome, reason = "refused", rule.explanation
    elif pending is not None:
        outcome, paragraph, reason = "incomplete", pending.paragraph, None
    elif not applies:
        outcome, paragraph, reason = "not_applicable", not_applicable.paragraph, not_applicable.explanation
    else:
        rule = ruleset.outcomes["eligible"]
        outcome, paragraph, reason = "eligible", rule.paragraph, rule.explanation
        documents = tuple(d for d in ruleset.documents if d.required_when.holds(relevant))
    applicant = None if outcome == "not_applicable" else _applicant(relevant, ruleset, pending)
    payment_day = typed.get("payment_date", today)
    return Assessment(
        outcome=outcome,
        paragraph=paragraph,
        reason=reason,
        applicant=applicant,
        refusal_grounds=grounds,
        documents=documents,
        fee=fee_on(payment_day, ruleset),
        decision_days=ruleset.terms.decision_days,
        next_question=pending,
        progress=progress(typed, ruleset),
        ruleset_id=ruleset.id,
        ruleset_in_force=ruleset.in_force_on(payment_day),
    )
