"""What a questionnaire tells the runner: its questions, how they read, and where its answers live.

Two homes for answers, one runner (handlers.questionnaire.runner):
- `Tapped`: answers held by a record (the survey after a visit: the visit row), each question sent in
  a notice and answered with one tap; the questionnaire's `answer` hook stores a tap and says what the
  pressed message shows next.
- `Dialogue`: answers held in the user's dialogue (the FSM data under `key`) and asked one card at a
  time, with Back, Start over, a progress line, typed answers and an end screen (the pre-check). The
  runner walks the graph once per change and keeps the place; the subclass only words the cards and
  the end screen. A new one is a graph plus these few hooks, and `make_router(it)` in the dispatcher.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from aiogram.fsm.state import State
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.rules.graph import QuestionGraph

if TYPE_CHECKING:
    from handlers.questionnaire.session import Session


@dataclass(frozen=True)
class Step:
    """What the pressed message shows after a tap: a text, and the question asked in it (or None)."""

    text: str
    question: Any | None = None


class Tapped(Protocol):
    """The hooks of a questionnaire held by a record; `name` is short (it is in every button)."""

    name: str

    def question(self, question_id: str) -> Any | None: ...

    @abstractmethod
    def options(self, question: Any) -> Sequence[tuple[str, Any]]:
        """(label, value) of each answer button, in order."""

    def skippable(self, question: Any) -> bool: ...

    def card(self, question: Any) -> str:
        """The question as HTML, in the reader's language."""

    async def answer(self, data: dict[str, Any], record: int, question: Any, value: Any) -> Step | None:
        """Record `value` (None: skipped) for the user of the press (`data["event_from_user"]`);
        the next step, or None when the question is not open any more (a second tap, an old message)."""


class Refused(Exception):
    """Typed text not taken as an answer: `text` (plain, one line) says why; the step stays where it is."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Card:
    """What a question card shows besides the question: its place ("question 3 of about 9"), the
    answers so far (the earlier answer of this question is ticked after Back), and whether Back is there."""

    name: str
    question: Any
    number: int
    total: int
    answers: Mapping[str, Any]
    can_go_back: bool


class Dialogue(ABC):
    """A questionnaire held in the user's dialogue. Subclasses set `name` (in every button), `key` (its
    place in the FSM data), `state` (while a question is shown, typed text is an answer to it; set it in
    `__init__` or as a property: a State in a class body binds itself to that class), and the entry
    points, and implement `graph`, `options`, `card` and `end`; the other hooks have defaults."""

    name: str
    key: str
    state: State
    command: str | None = None  # "/precheck" starts or resumes it
    menu_item: str | None = None  # the main-menu item (MenuCallback) that does the same

    def source(self, stored: Mapping[str, Any]) -> Any:
        """What the stored answers were given for (the pre-check: its ruleset); raise ValueError or
        KeyError when that is gone, and the questionnaire starts afresh."""
        return None

    def stamp(self, source: Any) -> dict[str, Any]:
        """The fields that name `source` in the stored state (the pre-check: {"ruleset": id})."""
        return {}

    @abstractmethod
    def graph(self, source: Any) -> QuestionGraph:
        """The question graph walked for `source`."""

    @abstractmethod
    def options(self, question: Any) -> Sequence[tuple[str, Any]]:
        """(label, value) of each answer button, in order; none for a question answered by typing."""

    def validate(self, answers: Mapping[str, Any], source: Any) -> dict[str, Any]:
        """The stored answers as typed values; ValueError when they no longer fit (started afresh)."""
        return dict(answers)

    def contradicted(self, answers: Mapping[str, Any], source: Any) -> list[str]:
        """Later answers a new one contradicts: dropped, so they are asked again."""
        return []

    def total(self, answers: Mapping[str, Any], source: Any) -> int:
        """The likely number of questions, for the progress line: the walk played out with first options."""
        graph = self.graph(source)
        return graph.progress(answers, lambda q, _so_far: self.options(q)[0][1]).total

    def quick(self, question: Any, keyword: str) -> Any | None:
        """The value of quick button `keyword` (from the card's quick row); None: not this question's."""
        return None

    def read(self, question: Any, text: str, session: Session) -> Any:
        """Typed text as an answer to `question`; raise Refused to say why it is not one."""
        raise Refused(_("Please choose one of the buttons under the question above."))

    def stale_text(self) -> str:
        return _("This button is out of date. Here is the current step.")

    @abstractmethod
    def card(self, card: Card) -> tuple[str, InlineKeyboardMarkup]:
        """The question card as (HTML, keyboard); handlers.questionnaire.keyboards has the pieces."""

    @abstractmethod
    def end(self, session: Session) -> tuple[list[str], InlineKeyboardMarkup]:
        """The end screen (every question answered) as message parts, the keyboard under the last one."""
