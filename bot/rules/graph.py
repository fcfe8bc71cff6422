"""A question graph: questions in order, each asked when its condition holds on the answers before it.

The pre-check (the ruleset's questions) and the survey after a visit (data/surveys/) are both such
graphs; one walk serves both, so one runner (handlers/questionnaire) can ask either. Answers are a
dict keyed by question id; an answer stays when Back reopens an earlier question (GOV.UK smart
answers, ADR 002) and is only left out of `relevant` while its question no longer matters. A key
present with the value None is a skipped question: answered, with nothing to count.

`walk` computes everything a step needs (relevant answers, the next question, the path Back steps
along) in one pass, so a handler computes it once per update. Pure: no I/O.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from bot.rules.conditions import Condition

# How many answer sets a graph remembers the walk of.
WALK_MEMORY = 4096


class Node(Protocol):
    id: str


N = TypeVar("N", bound=Node)


class Progress(NamedTuple):
    """How far the dialogue is: questions answered, and the likely total (answered + still to come)."""

    answered: int
    total: int

    @property
    def remaining(self) -> int:
        return self.total - self.answered


@dataclass(frozen=True)
class Walk(Generic[N]):
    """Where a set of answers stands in a graph: what still matters, and what to ask next."""

    relevant: dict[str, Any]  # answers whose question still matters, in graph order
    next: N | None  # the first required question that matters and has no answer; None: done
    open_optional: tuple[N, ...]  # optional questions that matter and have no answer yet

    @property
    def path(self) -> list[str]:
        """Ids of the answered questions that still matter, in order: Back steps along this."""
        return list(self.relevant)

    @property
    def current(self) -> N | None:
        """The next required question, else the first optional one still open (the payment date)."""
        return self.next if self.next is not None else next(iter(self.open_optional), None)


class QuestionGraph(Generic[N]):
    """Questions in order with their conditions; `condition(q)` and `required(q)` read a question."""

    def __init__(self, questions: Sequence[N], *, condition: Callable[[N], Condition],
                 required: Callable[[N], bool] = lambda q: True) -> None:
        self.questions = tuple(questions)
        self._condition = condition
        self._required = required
        self._position = {q.id: i for i, q in enumerate(self.questions)}
        self._walks: OrderedDict[frozenset[tuple[str, Any]], Walk[N]] = OrderedDict()

    def position(self, question_id: str) -> int:
        return self._position[question_id]

    def question(self, question_id: str) -> N:
        return self.questions[self._position[question_id]]

    def walk(self, answers: Mapping[str, Any]) -> Walk[N]:
        """Remembered for the latest answer sets (every step walks its user's answers, and the sets people
        reach are few); the answers' own values are what `relevant` holds."""
        try:
            key = frozenset(answers.items())
        except TypeError:  # an unhashable answer value: walked afresh
            return self._walk(answers)
        known = self._walks.get(key)
        if known is None:
            known = self._walks[key] = self._walk(answers)
            if len(self._walks) > WALK_MEMORY:
                self._walks.popitem(last=False)
        else:
            self._walks.move_to_end(key)
        return Walk({k: answers[k] for k in known.relevant}, known.next, known.open_optional)

    def _walk(self, answers: Mapping[str, Any]) -> Walk[N]:
        relevant: dict[str, Any] = {}
        pending: N | None = None
        optional: list[N] = []
        for q in self.questions:
            if not self._condition(q).holds(relevant):
                continue
            if q.id in answers:
                relevant[q.id] = answers[q.id]
            elif not self._required(q):
                optional.append(q)
            elif pending is None:
                pending = q
        return Walk(relevant, pending, tuple(optional))

    def back_from(self, answers: Mapping[str, Any], shown_id: str | None) -> str | None:
        """The answered question that still matters just before `shown_id` (None: the last one)."""
        path = self.walk(answers).path
        if shown_id is not None:
            path = [q for q in path if self._position[q] < self._position[shown_id]]
        return path[-1] if path else None

    def progress(self, answers: Mapping[str, Any], typical: Callable[[N, dict[str, Any]], Any]) -> Progress:
        """Answered so far, and a likely total: the rest of the walk played out with `typical` answers.

        An estimate for "question 4 of about 12", not a promise: later answers can change it.
        """
        answered = len(self.walk(answers).relevant)
        simulated, remaining = dict(answers), 0
        while (q := self.walk(simulated).next) is not None and remaining <= len(self.questions):
            simulated[q.id] = typical(q, simulated)
            remaining += 1
        return Progress(answered, answered + remaining)
