"""The pre-check's buttons: its name in the runner's callback data, and the buttons it sent before.

Cards are built from the runner's pieces (handlers.questionnaire.keyboards) under the name "pc".
Messages sent before the pre-check moved onto the runner carry "pa:", "pk:" and "pn:" buttons; they
are still read (handlers.precheck.router), so a press on one is applied if its question is still the
one on screen, and otherwise answered as out of date with the current step, as before.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from handlers.questionnaire.callbacks import Move

NAME = "pc"


class PrecheckAnswer(CallbackData, prefix="pa"):
    """An old answer button: option `i` of question `q` (bool questions: 0 yes, 1 no)."""

    q: str
    i: int


class PrecheckQuick(CallbackData, prefix="pk"):
    """An old quick answer to a typed question (`v`: "today" or "keep")."""

    q: str
    v: str


class PrecheckNav(CallbackData, prefix="pn"):
    """An old "back" or "restart" button."""

    action: Move
