"""Helpers for the dialogue tests (pre-check, documents, fee, offices) on the fake Telegram.

A user walks the pre-check by reading the question on screen (matched against the ruleset's text in
their language) and pressing the button a person would press, or typing the age or date. Every
inline button the bot ever produced in the test is checked against Telegram's 64-byte limit.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import pytest

import bot.clock
from bot.clock import KZ_TZ
from bot.rules.ruleset import load_ruleset
from bot.telegram.locale import make_i18n

# A Wednesday morning in Kazakhstan: offices are open, the MRP of 2026 applies.
FROZEN = datetime(2026, 11, 25, 10, 0, tzinfo=KZ_TZ)
LANGS = ("kk", "ru")


@lru_cache(maxsize=1)
def _i18n():
    return make_i18n()


def tr(lang: str, msgid: str, **params) -> str:
    """The catalog's translation of `msgid` in `lang`, formatted like the handlers do."""
    text = _i18n().gettext(msgid, locale=lang)
    return text.format(**params) if params else text


def ntr(lang: str, singular: str, plural: str, n: int, **params) -> str:
    return _i18n().gettext(singular, plural, n, locale=lang).format(**params)


@pytest.fixture
def frozen_clock(monkeypatch):
    """Freeze bot.clock (handlers read it at call time) at FROZEN or another moment via .set()."""

    class Clock:
        moment = FROZEN

        def set(self, moment: datetime) -> None:
            self.moment = moment

    clock = Clock()
    monkeypatch.setattr(bot.clock, "now", lambda: clock.moment)
    return clock


def shown_question(user, lang: str):
    """The ruleset question whose text the newest keyboard message shows, or None (a result)."""
    ruleset = load_ruleset()
    text = user.keyboard_message.text
    found = [(q, len(t)) for q in ruleset.questions for t in question_texts(q, lang) if t in text]
    return max(found, key=lambda pair: pair[1])[0] if found else None


def question_texts(question, lang: str) -> list[str]:
    """Every wording of a question in `lang`: the default and those for one answer ("How old are you?")."""
    return [question.text[lang], *(w.text[lang] for w in question.wordings if w.text)]


async def answer(user, lang: str, question, value):
    """Answer the question on screen as a person would: a button, or typing."""
    if question.kind == "bool":
        return await user.press(tr(lang, "Yes" if value else "No"))
    if question.kind == "choice":
        option = next(o for o in question.options if o.value == value)
        return await user.press(option.label[lang])
    if question.kind == "date" and value == "today":
        return await user.press(tr(lang, "Today"))
    return await user.send(str(value))


async def walk(user, lang: str, answers: dict, *, until: str | None = None):
    """Walk the pre-check from /precheck to the result (or to question `until`) with `answers` (by
    question id); returns the last Reply. Every button answer must edit its message in place."""
    reply = await user.send("/precheck")
    for _step in range(60):
        question = shown_question(user, lang)
        if question is None or question.id == until:
            return reply
        assert question.id in answers, f"the walk asked {question.id!r}, which the test did not expect"
        reply = await answer(user, lang, question, answers[question.id])
        if question.kind in ("bool", "choice"):
            assert reply.edited and not reply.sent, f"{question.id}: the step was not edited in place"
    raise AssertionError("the pre-check did not finish")


def callback_data_sizes(fake) -> dict[str, int]:
    """Every callback_data the bot sent or edited in, with its size in bytes."""
    sizes = {}
    for call in fake.calls:
        markup = call.params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data")
                    if data is not None:
                        sizes[data] = len(data.encode("utf-8"))
    return sizes


def assert_callback_data_fits(fake) -> None:
    sizes = callback_data_sizes(fake)
    assert sizes, "no inline buttons were produced"
    too_long = {data: size for data, size in sizes.items() if not 1 <= size <= 64}
    assert not too_long, f"callback_data over 64 bytes: {too_long}"


def adult_self(**overrides) -> dict:
    """An adult citizen leaving themselves, every ground answered no."""
    answers = {
        "citizen": True, "who": "self", "age": 30, "state_secret": False, "criminal_case": False,
        "convicted": False, "court_obligations": False, "conscript_service": False,
        "false_information": False, "civil_defendant": False, "tax_debt": False,
        "alimony_dependants_in_kz": False, "military_registered": False, "payment_date": "today",
    }
    answers.update(overrides)
    return answers
