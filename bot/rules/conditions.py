"""The condition language of the ruleset files: small tables that say when a rule holds.

    {answer = "age", gte = 10}   compare an answer: eq, ne, lt, lte, gt, gte, in = [...]
    {answered = "age"}           the question has an answer
    {is = "applies_self"}        a named fact of the ruleset
    {all = [...]}, {any = [...]}, {not = {...}}

An unanswered question makes every comparison on it false, so a rule never fires on a guess; the
engine asks questions in order, so whatever a condition reads has been asked before it matters.
Parsing is strict: unknown operators, unknown answers, values of the wrong kind and unknown facts
are errors that name their place.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

COMPARISONS = ("eq", "ne", "lt", "lte", "gt", "gte", "in")


class ConditionError(ValueError):
    """A malformed condition; the message starts with where it is."""


class Condition(ABC):
    """A predicate over answers. An unanswered question makes every comparison on it false."""

    @abstractmethod
    def holds(self, answers: Mapping[str, Any]) -> bool: ...

    @abstractmethod
    def keys(self) -> frozenset[str]:
        """The answer keys this condition reads (through facts too)."""


@dataclass(frozen=True)
class Always(Condition):
    def holds(self, answers: Mapping[str, Any]) -> bool:
        return True

    def keys(self) -> frozenset[str]:
        return frozenset()


@dataclass(frozen=True)
class Compare(Condition):
    key: str
    op: str
    value: Any

    def holds(self, answers: Mapping[str, Any]) -> bool:
        if self.key not in answers:
            return False
        got = answers[self.key]
        match self.op:
            case "eq":
                return got == self.value
            case "ne":
                return got != self.value
            case "in":
                return got in self.value
            case "lt":
                return got < self.value
            case "lte":
                return got <= self.value
            case "gt":
                return got > self.value
            case _:
                return got >= self.value

    def keys(self) -> frozenset[str]:
        return frozenset({self.key})


@dataclass(frozen=True)
class Answered(Condition):
    key: str

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return self.key in answers

    def keys(self) -> frozenset[str]:
        return frozenset({self.key})


@dataclass(frozen=True)
class Fact(Condition):
    """A named condition from the ruleset's [facts] table."""

    name: str
    condition: Condition

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return self.condition.holds(answers)

    def keys(self) -> frozenset[str]:
        return self.condition.keys()


@dataclass(frozen=True)
class All(Condition):
    parts: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return all(p.holds(answers) for p in self.parts)

    def keys(self) -> frozenset[str]:
        return frozenset().union(*(p.keys() for p in self.parts))


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return any(p.holds(answers) for p in self.parts)

    def keys(self) -> frozenset[str]:
        return frozenset().union(*(p.keys() for p in self.parts))


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return not self.part.holds(answers)

    def keys(self) -> frozenset[str]:
        return self.part.keys()


ALWAYS = Always()


class ConditionParser:
    """Compiles condition tables, checking every answer key, value type and fact name."""

    def __init__(self, questions: Mapping[str, dict], facts: Mapping[str, Condition]):
        self.questions = questions
        self.facts = facts

    def parse(self, obj: Any, where: str) -> Condition:
        if not isinstance(obj, dict) or not obj:
            raise ConditionError(f"{where}: a condition must be a non-empty table")
        if "answer" in obj:
            return self._compare(obj, where)
        if len(obj) != 1:
            raise ConditionError(f"{where}: a condition has exactly one of all/any/not/is/answered/answer")
        ((op, arg),) = obj.items()
        match op:
            case "all" | "any":
                parts = tuple(
                    self.parse(p, f"{where}.{op}[{i}]")
                    for i, p in enumerate(_nonempty_list(arg, f"{where}.{op}"))
                )
                return All(parts) if op == "all" else AnyOf(parts)
            case "not":
                return Not(self.parse(arg, f"{where}.not"))
            case "is":
                if not isinstance(arg, str) or arg not in self.facts:
                    raise ConditionError(
                        f"{where}.is: unknown fact {arg!r} (facts may only use facts above them)"
                    )
                return Fact(arg, self.facts[arg])
            case "answered":
                self._question(arg, f"{where}.answered")
                return Answered(arg)
        raise ConditionError(f"{where}: unknown operator {op!r}")

    def _question(self, key: Any, where: str) -> dict:
        if not isinstance(key, str) or key not in self.questions:
            raise ConditionError(f"{where}: unknown answer {key!r}")
        return self.questions[key]

    def _compare(self, obj: dict, where: str) -> Compare:
        ops = [k for k in obj if k != "answer"]
        if len(ops) != 1 or ops[0] not in COMPARISONS:
            raise ConditionError(f"{where}: 'answer' needs exactly one of {', '.join(COMPARISONS)}")
        key, op, value = obj["answer"], ops[0], obj[ops[0]]
        q = self._question(key, f"{where}.answer")
        kind = q.get("kind")
        values = _nonempty_list(value, f"{where}.in") if op == "in" else [value]
        for v in values:
            self._check_value(q, kind, op, v, f"{where}.{op}")
        return Compare(key, op, tuple(values) if op == "in" else value)

    @staticmethod
    def _check_value(q: dict, kind: Any, op: str, v: Any, where: str) -> None:
        ordered = op in ("lt", "lte", "gt", "gte")
        if kind == "bool" and (ordered or not isinstance(v, bool)):
            raise ConditionError(f"{where}: answer {q['id']!r} is yes/no: compare it with eq/ne true/false")
        if kind == "int" and (isinstance(v, bool) or not isinstance(v, int)):
            raise ConditionError(f"{where}: answer {q['id']!r} is a number, got {v!r}")
        if kind == "choice":
            allowed = [o.get("value") for o in q.get("options", []) if isinstance(o, dict)]
            if ordered or v not in allowed:
                raise ConditionError(f"{where}: answer {q['id']!r} is one of {allowed}, got {v!r}")
        if kind == "date" and (not isinstance(v, date) or hasattr(v, "hour")):
            raise ConditionError(f"{where}: answer {q['id']!r} is a date, got {v!r}")


def _nonempty_list(obj: Any, where: str) -> list:
    if not isinstance(obj, list) or not obj:
        raise ConditionError(f"{where}: expected a non-empty list")
    return obj
