"""The buttons of every questionnaire: typed callback data naming the questionnaire (`n`, short).

A button names its question, so a press on an old message is recognised as stale, never applied to
another question; option buttons carry an index, not a label, which keeps every payload far under
Telegram's 64 bytes. `r` is the record whose answers these are (a visit for the survey; 0 for a
questionnaire held in the user's dialogue, such as the pre-check).
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

SKIP = -1
KEEP = "keep"  # the quick answer that keeps a typed answer Back reopened


class Move(StrEnum):
    """Moves within a questionnaire; each has its own handler (handlers.questionnaire.dialogue)."""

    back = "back"
    restart = "restart"


class QuestionnaireAnswer(CallbackData, prefix="qa"):
    """Option `i` (SKIP: skipped) of question `q` of questionnaire `n`, for record `r`."""

    n: str
    r: int
    q: str
    i: int


class QuestionnaireQuick(CallbackData, prefix="qk"):
    """A quick answer to a typed question: KEEP (the answer Back reopened) or a questionnaire's keyword
    ("today" for a date)."""

    n: str
    q: str
    v: str


class QuestionnaireNav(CallbackData, prefix="qn"):
    """Moving within questionnaire `n`."""

    n: str
    action: Move
