"""About: the ruleset's own title, id, period, legal basis and disclaimer, in the reader's language."""

from __future__ import annotations

import pytest

from bot.formatting import day
from bot.rules.ruleset import load_ruleset
from bot.telegram.locale import make_i18n

I18N = make_i18n()


@pytest.mark.parametrize("locale", ["kk", "ru"])
async def test_about_names_the_ruleset_and_says_it_decides_nothing(harness, locale):
    ruleset = load_ruleset()
    user = harness.user(locale)
    await user.send("/start")
    reply = await user.press(I18N.gettext("ℹ️ About this bot", locale=locale))
    text = reply.last.text
    assert reply.edited, "About replaces the menu in place"
    assert ruleset.id in text and ruleset.title[locale] in text
    assert ruleset.legal_basis.summary[locale] in text
    assert ruleset.disclaimer[locale] in text
    assert day(ruleset.valid_from, locale) in text
    assert I18N.gettext("About this bot", locale=locale) in text
    reply = await user.press(I18N.gettext("☰ Main menu", locale=locale))
    assert reply.last.text == I18N.gettext("Main menu. What do you need?", locale=locale)
