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


# Place names as citizens type them into the office finder (one misspelt, one in lower case).
PLACES = ("Қонаев", "Алматы", "Астана", "Шымкент", "Караганда", "Ақтөбе", "Талдыкорган", "Павлодар",
          "Семей", "алмата")
# Why a visitor comes, with weights: most walk the pre-check, many look for an office, a few switch language.
ERRANDS = {"precheck": 6, "offices": 3, "language": 1}


class Visitor(Citizen):
    """A citizen who comes with /start for one errand and then leaves (`finished`): the pre-check to its
    result, finding an office by typing a place name or two, or switching the language. A client that
    sends no language gets the bilingual question first, and the visitor presses a language. The mix of
    an ordinary day, for the webhook benchmark; seeded like Citizen."""

    def __init__(self, fake: FakeTelegram, user_id: int, rng: random.Random, locale: str | None) -> None:
        self.user = FakeUser(fake, user_id, language_code=locale)
        self.rng = rng
        self.started = False
        self.finished = False
        self.errand = rng.choices(list(ERRANDS), weights=list(ERRANDS.values()))[0]
        self.in_finder = False
        self.searches = rng.randint(1, 2)

    def next_update(self) -> dict[str, Any]:
        try:
            card = self.user.last_keyboard_message()
        except LookupError:
            card = None
        languages = [b["callback_data"] for row in card.inline for b in row
                     if b.get("callback_data", "").startswith("lang:")] if card is not None else []
        if languages:  # asked which language: answer before anything else
            if self.errand == "language":
                self.finished = True
            return self.user.press_data(self.rng.choice(languages), card.message_id)  # type: ignore[union-attr]
        if self.errand == "language":
            return self.user.command("language")
        if self.errand == "offices":
            if not self.in_finder:
                self.in_finder = True
                return self.user.command("offices")
            self.searches -= 1
            self.finished = self.searches <= 0
            return self.user.text(self.rng.choice(PLACES))
        return super().next_update()
