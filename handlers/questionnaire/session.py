"""Where a user is in a questionnaire held in their dialogue: the answers (by question id, JSON in the
FSM data under the questionnaire's key), what they were given for (`source`: the pre-check's ruleset),
the earlier question reopened by Back, and the message that shows the current step.

Back keeps every answer (ADR 002 of GOV.UK smart-answers): it only points `cursor` at the question
before the one on screen; answering it resumes the walk at the first open question, so later answers
that still apply are not asked again. State from before a restart, or given for a source that has
since changed, is validated on load and discarded when it no longer fits.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from aiogram.fsm.context import FSMContext

from bot.rules.graph import Walk
from handlers.questionnaire.hooks import Dialogue

log = logging.getLogger(__name__)


class Session:
    def __init__(self, questionnaire: Dialogue, source: Any, stored: dict | None = None) -> None:
        stored = stored or {}
        self.questionnaire = questionnaire
        self.source = source
        self.graph = questionnaire.graph(source)
        self.answers: dict = dict(stored.get("answers") or {})
        self.cursor: str | None = stored.get("cursor")
        self.message_id: int | None = stored.get("message_id")
        self._view: tuple[dict, Walk] | None = None  # typed answers and their walk, until they change

    def view(self) -> tuple[dict, Walk]:
        """The typed answers and where they stand in the graph: validated and walked once per change,
        not once per thing a step asks of them (what to show, the progress, the end screen)."""
        if self._view is None:
            typed = self.questionnaire.validate(self.answers, self.source)
            self._view = (typed, self.graph.walk(typed))
        return self._view

    @property
    def typed(self) -> dict:
        return self.view()[0]

    @property
    def relevant(self) -> dict:
        """The answers that still apply (kept ones after Back whose question no longer matters are not)."""
        return self.view()[1].relevant

    @property
    def current(self) -> Any | None:
        """The next required question, else an optional one that applies and is still open."""
        return self.view()[1].current

    def shown(self) -> Any | None:
        """The question on screen: the one reopened by Back while it still matters, else the current one."""
        if self.cursor is not None:
            if self.cursor in self.relevant:
                return self.graph.question(self.cursor)
            self.cursor = None
        return self.current

    def earlier(self, question: Any) -> list[str]:
        """The answered questions before `question` that still matter: its number, and Back or not."""
        position = self.graph.position(question.id)
        return [q for q in self.view()[1].path if self.graph.position(q) < position]

    def record(self, question: Any, value: Any) -> None:
        """Record an answer; a reopened question closes, and the walk resumes at the first open question.

        A later answer the new one contradicts (the age kept from "my child" when Back turned it into
        "a ward") is dropped, so it is asked again instead of the session failing validation.
        """
        self.answers[question.id] = value.isoformat() if isinstance(value, date) else value
        self.cursor = None
        for stale in self.questionnaire.contradicted(self.answers, self.source):
            del self.answers[stale]
        self._view = None

    def back(self) -> None:
        """Reopen the answered question before the one on screen; every answer stays."""
        shown = self.shown()
        back = self.graph.back_from(self.typed, shown.id if shown is not None else None)
        if back is not None:
            self.cursor = back

    def restarted(self) -> Session:
        """No answers, the same source; the message showing the step stays the one to edit."""
        return Session(self.questionnaire, self.source, {"message_id": self.message_id})

    def dump(self) -> dict:
        return {**self.questionnaire.stamp(self.source), "answers": self.answers, "cursor": self.cursor,
                "message_id": self.message_id}


async def load(questionnaire: Dialogue, state: FSMContext) -> Session:
    """The user's session; answers that no longer fit (a withdrawn source, a bad value) start afresh."""
    stored = (await state.get_data()).get(questionnaire.key)
    stored = stored if isinstance(stored, dict) else {}
    try:
        session = Session(questionnaire, questionnaire.source(stored), stored)
        session.view()  # validated here, and kept for the rest of the update
        if session.cursor is not None:
            session.graph.question(session.cursor)
    except (ValueError, KeyError) as error:
        log.warning("%s state discarded: %s", questionnaire.key, error)
        session = Session(questionnaire, questionnaire.source({}))
    return session


async def save(state: FSMContext, session: Session) -> None:
    """The state is written only when it changes (the storage answers get_state from memory): within
    a questionnaire that spares one database write per answer; the data write refreshes the row anyway."""
    target = None if session.shown() is None else session.questionnaire.state.state
    if await state.get_state() != target:
        await state.set_state(target)
    await state.update_data({session.questionnaire.key: session.dump()})
