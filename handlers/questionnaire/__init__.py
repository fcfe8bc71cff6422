"""The questionnaire runner: one router factory for any question graph (handlers.questionnaire.runner)."""

from handlers.questionnaire.callbacks import SKIP, QuestionnaireAnswer, QuestionnaireNav, QuestionnaireQuick
from handlers.questionnaire.hooks import Card, Dialogue, Refused, Step, Tapped
from handlers.questionnaire.runner import keyboard, make_router, stale_text

__all__ = ["SKIP", "Card", "Dialogue", "QuestionnaireAnswer", "QuestionnaireNav", "QuestionnaireQuick",
           "Refused", "Step", "Tapped", "keyboard", "make_router", "stale_text"]
