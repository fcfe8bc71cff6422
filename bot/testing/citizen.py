"""A simulated citizen doing the whole pre-check: what to send next, given what the bot shows.

Used by the benchmark (bench/) and by tests that walk the dialogue without naming every button.

It presses buttons actually shown (an answer option, "Today" on a date question), types an age where
the card asks for one, and after the result starts over. The choice is random but seeded, so two runs
walk the same paths.
"""

from __future__ import annotations

import random
from typing import Any

from bot.testing import FakeTelegram, FakeUser

AGES = ("17", "30", "45", "70")
RESTART = "qn:pc:restart"  # the pre-check's buttons on the questionnaire runner: qa:pc:…, qk:pc:…


class Citizen:
    """One user in a private chat; `next_update()` builds the update a person would send now."""

    def __init__(self, fake: FakeTelegram, user_id: int, rng: random.Random, locale: str = "kk") -> None:
        self.user = FakeUser(fake, user_id, language_code=locale)
        self.rng = rng
        self.started = False
        self.finished = False

    def first_update(self) -> dict[str, Any]:
        """/start: the menu."""
        self.started = True
        return self.user.command("start")

    def next_update(self) -> dict[str, Any]:
        """The next step of the pre-check (the menu's item first, a fresh start after the result)."""
        try:
            card = self.user.last_keyboard_message()
        except LookupError:
            return self.user.command("start")
        data = [b["callback_data"] for row in card.inline for b in row if "callback_data" in b]
        answers = [d for d in data if d.startswith("qa:pc:")]
        quick = [d for d in data if d.startswith("qk:pc:")]
        if "m:precheck" in data:
            return self.user.press_data("m:precheck", card.message_id)
        if answers:
            return self.user.press_data(self.rng.choice(answers), card.message_id)
        if quick:
            return self.user.press_data(quick[0], card.message_id)
        result = "m:menu_below" in data  # only the result card has a menu button (sent below it)
        if RESTART in data and not result:  # a typed question: Back / Start over only
            return self.user.text(self.rng.choice(AGES))
        if RESTART in data:  # the result card
            self.finished = True
            return self.user.press_data(RESTART, card.message_id)
        return self.user.command("start")
