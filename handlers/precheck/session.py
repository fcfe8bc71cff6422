"""The pre-check's part of the user's dialogue: its answers are kept by the questionnaire runner
(handlers.questionnaire.session) under the key "precheck", stamped with the ruleset they were given
for; this says how that ruleset is found again and how the stored answers are checked against it.
State from a ruleset that has since been withdrawn, or that no longer fits it, starts the pre-check
afresh.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State, StatesGroup

from bot.rules.eligibility import contradicted, validate_answers
from bot.rules.ruleset import Ruleset, load_ruleset

KEY = "precheck"


class Precheck(StatesGroup):
    """While a pre-check awaits an answer, typed text is an answer to it."""

    active = State()


def source(stored: Mapping[str, Any]) -> Ruleset:
    """The ruleset the answers were given for (RulesetError, a ValueError, when it is gone)."""
    return load_ruleset(stored.get("ruleset") or load_ruleset().id)


def stamp(ruleset: Ruleset) -> dict[str, Any]:
    return {"ruleset": ruleset.id}


def validate(answers: Mapping[str, Any], ruleset: Ruleset) -> dict[str, Any]:
    return validate_answers(answers, ruleset)


def dropped(answers: Mapping[str, Any], ruleset: Ruleset) -> list[str]:
    return contradicted(answers, ruleset)
