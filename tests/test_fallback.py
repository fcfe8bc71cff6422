"""Nothing a user can send or press goes unanswered or crashes the bot; groups get no dialogue."""

from __future__ import annotations

import logging

import pytest

import handlers.start
from bot.telegram.locale import make_i18n
from bot.testing import Fault
from handlers.errors import error_text

I18N = make_i18n()


def tr(msgid: str, locale: str) -> str:
    return I18N.gettext(msgid, locale=locale)


PERSONAL = " ".join(["Aigerim", "Nurlanovna", "870101400123"])


@pytest.mark.parametrize("locale", ["kk", "ru"])
async def test_unknown_text_gets_a_hint_and_the_menu(harness, locale):
    reply = await harness.user(locale).send("what is the weather")
    assert reply.last.text == tr("I did not understand that. Choose from the menu, or send /help.", locale)
    assert len(reply.last.buttons) >= 5


@pytest.mark.parametrize("kind", ["sticker", "photo", "document", "voice", "contact"])
async def test_other_content_is_answered(harness, kind):
    reply = await getattr(harness.user("ru"), kind)()
    expected = tr("I can read only text messages and button presses. Choose from the menu:", "ru")
    assert reply.last.text == expected


async def test_an_edited_message_asks_to_send_it_again(harness):
    reply = await harness.user("kk").send_and_edit("hello", "hello again")
    expected = tr("I do not read edited messages: please send it again as a new message.", "kk")
    assert reply.last.text == expected


async def test_groups_get_only_a_pointer_to_the_private_chat(harness):
    group = harness.group()
    member = harness.user("ru")
    reply = await harness.feed(group.text(member.fake_user, "/start"))
    assert [m.text for m in reply.sent] == [
        tr("I work only in a private chat: open a chat with me and send /start.", "ru")]
    for text in ["hello", "how are you?"]:
        assert (await harness.feed(group.text(member.fake_user, text))).events == []
    channel = harness.group(-100999, "channel")
    assert (await harness.feed(channel.channel_post("news"))).events == []


async def test_a_press_in_a_group_is_answered_and_nothing_else(harness):
    group = harness.group()
    member = harness.user("kk")
    await harness.bot.send_message(group.raw["id"], "x", reply_markup=None)
    message_id = harness.fake.sent(group.raw["id"])[0].message_id
    raw = harness.fake.raw_message(group.raw["id"], message_id)
    update = member.fake_user.press_data("m:menu", message_id=999)
    update["callback_query"]["message"] = raw
    reply = await harness.feed(update)
    assert reply.events == []


async def test_a_failing_handler_is_reported_to_the_user_in_their_language(harness, monkeypatch, caplog):
    def broken() -> str:
        raise ValueError(PERSONAL)  # what a user typed may end up in an exception message

    monkeypatch.setattr(handlers.start, "help_text", broken)
    user = harness.user("ru")
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        reply = await harness.feed(user.fake_user.text("/help"), expect_error=True)
    with I18N.context(), I18N.use_locale("ru"):
        assert reply.last.text == error_text()
    assert len(reply.last.buttons) >= 5
    assert "ValueError" in caplog.text
    assert "Aigerim" not in caplog.text and "870101400123" not in caplog.text
    assert isinstance(harness.errors[-1], ValueError)


async def test_a_failing_press_is_still_answered(harness):
    user = harness.user("kk")
    await user.send("/help")
    await user.press(tr("ℹ️ About this bot", "kk"))
    harness.fake.inject(Fault("server_error", method="editMessageText"))
    reply = await harness.feed(user.fake_user.press(tr("☰ Main menu", "kk")), expect_error=True)
    with I18N.context(), I18N.use_locale("kk"):
        assert reply.last.text == error_text()


async def test_the_harness_fails_a_test_on_a_handler_error(harness, monkeypatch):
    from bot.testing.harness import HandlerFailed

    monkeypatch.setattr(handlers.start, "help_text", lambda: 1 / 0)
    with pytest.raises(HandlerFailed, match="ZeroDivisionError"):
        await harness.user("kk").send("/help")


async def test_the_harness_fails_a_test_on_an_unanswered_press(harness):
    harness.dp.callback_query.outer_middleware(lambda handler, event, data: _swallow())
    with pytest.raises(AssertionError, match="was not answered"):
        await harness.user("kk").press_data("m:menu", message_id=1)


async def _swallow() -> None:
    return None
