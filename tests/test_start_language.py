"""Language and menu through the real Dispatcher: who is asked first, what sticks, what the menu holds."""

from __future__ import annotations

import re

import pytest

from bot.app import set_commands
from bot.telegram.locale import make_i18n
from handlers.callbacks import LanguageCallback, MenuCallback
from handlers.menu import MENU_ITEMS
from handlers.start import help_text, welcome_text

I18N = make_i18n()


def tr(msgid: str, locale: str) -> str:
    return I18N.gettext(msgid, locale=locale)


def rendered(text_function, locale: str) -> str:
    with I18N.context(), I18N.use_locale(locale):
        return text_function()


def menu_labels(locale: str) -> list[str]:
    with I18N.context(), I18N.use_locale(locale):
        return [str(item.label) for item in MENU_ITEMS]


@pytest.mark.parametrize("locale", ["kk", "ru"])
async def test_a_kazakh_or_russian_client_starts_in_its_language(harness, locale):
    user = harness.user(locale)
    reply = await user.send("/start")
    assert reply.last.buttons == [[label] for label in menu_labels(locale)]
    assert reply.last.text == rendered(welcome_text, locale)


async def test_translations_are_really_used():
    assert tr("Main menu", "kk") != "Main menu"
    assert tr("Main menu", "ru") != "Main menu"
    assert tr("Main menu", "kk") != tr("Main menu", "ru")


async def test_regional_language_code_counts(harness):
    reply = await harness.user("ru-RU").send("/menu")
    assert reply.last.text == tr("Main menu. What do you need?", "ru")


@pytest.mark.parametrize("language_code", [None, "en", "de"])
async def test_anyone_else_is_asked_first_and_keeps_what_they_asked(harness, language_code):
    user = harness.user(language_code)
    reply = await user.send("/help")
    prompt = reply.last
    assert tr("Choose the language in which I will talk to you.", "kk") in prompt.text
    assert tr("Choose the language in which I will talk to you.", "ru") in prompt.text
    assert prompt.button_texts == [tr("Kazakh", "kk"), tr("Russian", "ru")]
    reply = await user.press(tr("Russian", "ru"))
    done = tr("Done: I will talk to you in this language. You can change it with /language.", "ru")
    assert done in reply.text
    assert reply.last.text == rendered(help_text, "ru")  # the /help they sent first
    assert reply.last.buttons == [[label] for label in menu_labels("ru")]
    assert await harness.db.dialogues.get_locale(user.id) == "ru"


async def test_after_the_choice_plain_text_gets_the_menu(harness):
    user = harness.user(None)
    await user.send("hello")
    reply = await user.press(tr("Kazakh", "kk"))
    assert reply.last.text == tr("I did not understand that. Choose from the menu, or send /help.", "kk")


async def test_a_press_before_choosing_is_answered_with_the_prompt(harness):
    user = harness.user(None)
    reply = await user.press_data(MenuCallback(item="fee").pack(), message_id=999)
    assert tr("Choose the language in which I will talk to you.", "ru") in reply.last.text


async def test_language_command_switches_and_the_choice_persists(harness):
    user = harness.user("kk")
    await user.send("/start")
    reply = await user.send("/language")
    assert reply.last.button_texts == [tr("Kazakh", "kk"), tr("Russian", "ru")]
    reply = await user.press(tr("Russian", "ru"))
    assert reply.last.text == tr("Main menu. What do you need?", "ru")
    reply = await user.send("/menu")  # the Telegram client still says kk: the stored choice wins
    assert reply.last.text == tr("Main menu. What do you need?", "ru")
    await harness.restart()
    reply = await user.send("/menu")
    assert reply.last.text == tr("Main menu. What do you need?", "ru")


async def test_pressing_the_same_language_twice_is_harmless(harness):
    user = harness.user(None)
    await user.send("/start")
    prompt = user.keyboard_message
    await user.press(tr("Kazakh", "kk"), prompt)
    reply = await user.press_data(LanguageCallback(code="kk").pack(), prompt.message_id)  # a double tap
    assert reply.last.text == tr("Main menu. What do you need?", "kk")


async def test_menu_button_returns_to_the_menu_in_place(harness):
    user = harness.user("kk")
    await user.send("/help")
    reply = await user.press_data(MenuCallback(item="menu").pack())
    assert [m.kind for m in reply.messages] == ["text"]
    assert reply.edited and reply.last.text == tr("Main menu. What do you need?", "kk")


async def test_callback_data_fits_telegram(harness):
    for item in MENU_ITEMS:
        assert len(MenuCallback(item=item.key).pack().encode()) <= 64


async def test_set_commands_for_kk_ru_and_default(harness):
    await set_commands(harness.bot, make_i18n("ru"))
    commands = harness.fake.commands
    assert set(commands) == {("default", "kk"), ("default", "ru"), ("default", "")}
    names = [c["command"] for c in commands[("default", "kk")]]
    assert names[:4] == ["start", "menu", "language", "help"]
    # every feature a citizen can reach from the menu is a command too; staff commands are not listed
    citizen_commands = {"precheck", "documents", "fee", "offices", "complaints", "ticket", "about", "privacy"}
    assert citizen_commands <= set(names)
    assert "queue" not in names  # staff only
    assert all(re.fullmatch(r"[a-z0-9_]{1,32}", name) for name in names)
    assert commands[("default", "ru")][1]["description"] == tr("Main menu", "ru")
    assert commands[("default", "")] == commands[("default", "ru")]  # DEFAULT_LOCALE of that i18n


async def test_help_lists_every_command_and_about_is_one(harness):
    user = harness.user("ru")
    text = (await user.send("/help")).last.text
    for name in ("/precheck", "/documents", "/fee", "/offices", "/complaints", "/ticket", "/about",
                 "/privacy"):
        assert name in text, name
    about = await user.send("/about")
    assert tr("About this bot", "ru") in about.last.text and "GeoNames" in about.last.text
