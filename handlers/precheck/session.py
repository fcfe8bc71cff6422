"""Where a user is in the pre-check: the answers (by question id, JSON in the FSM data), the ruleset
they were given for, and the earlier question reopened by Back.

Back keeps every answer (ADR 002 of GOV.UK smart-answers): it only points `cursor` at the question
before the one on screen; answering it resumes the walk at the first open question, so later answers
that still apply are not asked again. State from before a restart, or from a ruleset that has since
changed, is validated on load and discarded when it no longer fits.
"""

from __future__ import annotations

import logging
from datetime import date

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup

from bot.rules.eligibility import AnswerError, contradicted, graph, validate_answers
from bot.rules.graph import Walk
from bot.rules.ruleset import RulesetError, load_ruleset

log = logging.getLogger(__name__)

KEY = "precheck"


class Precheck(StatesGroup):
    """While a pre-check awaits an answer, typed text is an answer to it."""

    active = State()


class Session:
    """The pre-check's part of the FSM data: answers by question id, the ruleset they were given for,
    the earlier question reopened by Back (`cursor`), and the message that shows the current step."""

    def __init__(self, raw: dict | None, default_ruleset_id: str) -> None:
        raw = raw or {}
        self.ruleset_id: str = raw.get("ruleset") or default_ruleset_id
        self.answers: dict = dict(raw.get("answers") or {})
        self.cursor: str | None = raw.get("cursor")
        self.message_id: int | None = raw.get("message_id")
        self._view: tuple[dict, Walk] | None = None  # typed answers and their walk, until they change

    def view(self, ruleset) -> tuple[dict, Walk]:
        """The typed answers and where they stand in the graph: validated and walked once per change,
        not once per question a handler asks (what to show, the progress, the result)."""
        if self._view is None:
            answers = validate_answers(self.answers, ruleset)
            self._view = (answers, graph(ruleset).walk(answers))
        return self._view

    def changed(self) -> None:
        self._view = None

    def dump(self) -> dict:
        return {"ruleset": self.ruleset_id, "answers": self.answers, "cursor": self.cursor,
                "message_id": self.message_id}


async def load(state: FSMContext) -> tuple[Session, object]:
    """The session and its ruleset; answers that no longer fit any ruleset start the pre-check afresh."""
    raw = (await state.get_data()).get(KEY)
    session = Session(raw if isinstance(raw, dict) else None, load_ruleset().id)
    try:
        ruleset = load_ruleset(session.ruleset_id)
        session.view(ruleset)  # validated here, and kept for the rest of the update
        if session.cursor is not None:
            ruleset.question(session.cursor)
    except (RulesetError, AnswerError, KeyError) as error:
        log.warning("pre-check state discarded: %s", error)
        ruleset = load_ruleset()
        session = Session(None, ruleset.id)
    return session, ruleset


async def save(state: FSMContext, session: Session, ruleset) -> None:
    """The state is written only when it changes (the storage answers get_state from memory): within
    the pre-check that spares one database write per answer; the data write refreshes the row anyway."""
    target = None if shown_question(session, ruleset) is None else Precheck.active.state
    if await state.get_state() != target:
        await state.set_state(target)
    await state.update_data({KEY: session.dump()})


def typed(session: Session, ruleset) -> dict:
    return session.view(ruleset)[0]


def relevant(session: Session, ruleset) -> dict:
    """The answers that still apply: what the outcome is assessed on (kept ones after Back are not)."""
    return session.view(ruleset)[1].relevant


def current_question(session: Session, ruleset):
    """The next required question, else an optional one that applies and is still open (payment date)."""
    return session.view(ruleset)[1].current


def shown_question(session: Session, ruleset):
    """The question on screen: the one reopened by Back while it still matters, else the current one."""
    if session.cursor is not None:
        if session.cursor in relevant(session, ruleset):
            return ruleset.question(session.cursor)
        session.cursor = None
    return current_question(session, ruleset)


def optional_open(answers: dict, ruleset) -> int:
    """Optional questions (the payment date) not answered yet: the progress hint counts them too."""
    return sum(1 for q in ruleset.questions if not q.required and q.id not in answers)


def record(session: Session, question, value, ruleset=None) -> None:
    """Record an answer; a reopened question closes, and the walk resumes at the first open question.

    A later answer the new one contradicts (the age kept from "my child" when Back turned it into
    "a ward") is dropped, so it is asked again instead of the session failing validation.
    """
    session.answers[question.id] = value.isoformat() if isinstance(value, date) else value
    session.cursor = None
    for stale in contradicted(session.answers, ruleset or load_ruleset(session.ruleset_id)):
        del session.answers[stale]
    session.changed()


def go_back(session: Session, ruleset) -> None:
    """Reopen the answered question before the one on screen; every answer stays (ADR 002 of
    smart-answers): re-answering it resumes at the first open question, skipping what still applies."""
    shown = shown_question(session, ruleset)
    back = graph(ruleset).back_from(typed(session, ruleset), shown.id if shown is not None else None)
    if back is not None:
        session.cursor = back
