"""The fake Telegram must reject what the real one rejects, or the bot's tests prove nothing."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import TelegramMethod
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.testing import FakeSession, FakeTelegram, FakeUser, Fault
from bot.testing.html import MarkupError, html_to_text

TOKEN = "123456:TEST-token"


@pytest.fixture
async def tg():
    fake = FakeTelegram(token=TOKEN)
    bot = Bot(TOKEN, session=FakeSession(fake))
    user = FakeUser(fake, 42, language_code="kk")
    yield fake, bot, user
    await bot.session.close()


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)]
                                                 for t, d in pairs])


async def test_send_edit_delete_are_recorded_per_chat(tg):
    fake, bot, user = tg
    sent = await bot.send_message(42, "<b>Hi</b> &amp; bye", parse_mode="HTML",
                                  reply_markup=keyboard(("A", "a")))
    assert sent.text == "Hi & bye" and sent.reply_markup.inline_keyboard[0][0].callback_data == "a"
    await bot.edit_message_text("Second", chat_id=42, message_id=sent.message_id)
    view = fake.current(42, sent.message_id)
    assert view.text == "Second" and view.inline == []  # editing without markup drops the keyboard
    await bot.delete_message(42, sent.message_id)
    assert [e.kind for e in fake.events(42)] == ["send", "edit", "delete"]
    assert fake.visible(42) == [] and fake.sent(42)[0].text == "Hi & bye"
    assert [c.method for c in fake.calls] == ["sendMessage", "editMessageText", "deleteMessage"]


async def test_message_ids_grow_across_users_and_bot(tg):
    fake, bot, user = tg
    update = user.text("hello")
    sent = await bot.send_message(42, "x")
    assert sent.message_id > update["message"]["message_id"]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda b: b.send_message(42, "<b>open", parse_mode="HTML"), "can't parse entities"),
        (lambda b: b.send_message(42, "a < b", parse_mode="HTML"), "can't parse entities"),
        (lambda b: b.send_message(42, "<script>x</script>", parse_mode="HTML"), "unsupported start tag"),
        (lambda b: b.send_message(42, "x" * 4097), "message is too long"),
        (lambda b: b.send_message(42, "   "), "message text is empty"),
        (lambda b: b.send_message(7, "nobody"), "chat not found"),
        (lambda b: b.send_message(42, "x", reply_markup=keyboard(("A", "д" * 33))), "BUTTON_DATA_INVALID"),
        (lambda b: b.edit_message_text("x", chat_id=42, message_id=999), "message to edit not found"),
        (lambda b: b.delete_message(42, 999), "message to delete not found"),
        (lambda b: b.answer_callback_query("nope"), "query is too old"),
        (lambda b: b.send_venue(42, 100.0, 0.0, "t", "a"), "wrong latitude"),
        (lambda b: b.set_my_commands([BotCommand(command="Start", description="x")]), "BOT_COMMAND_INVALID"),
    ],
)
async def test_what_telegram_rejects_is_rejected(tg, call, error):
    fake, bot, user = tg
    with pytest.raises(TelegramBadRequest, match=error):
        await call(bot)
    assert fake.calls[-1].error is not None


async def test_an_identical_edit_is_not_modified(tg):
    fake, bot, user = tg
    sent = await bot.send_message(42, "same", reply_markup=keyboard(("A", "a")))
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("same", chat_id=42, message_id=sent.message_id,
                                    reply_markup=keyboard(("A", "a")))
    await bot.edit_message_reply_markup(chat_id=42, message_id=sent.message_id,
                                        reply_markup=keyboard(("B", "b")))
    assert fake.current(42, sent.message_id).button_texts == ["B"]


async def test_callback_queries_are_answered_once(tg):
    fake, bot, user = tg
    await bot.send_message(42, "menu", reply_markup=keyboard(("Fee", "m:fee"), ("Offices", "m:offices")))
    update = user.press("Offices")
    query = update["callback_query"]
    assert query["data"] == "m:offices" and query["message"]["text"] == "menu"
    assert fake.unanswered_callback_queries() == [query["id"]]
    await bot.answer_callback_query(query["id"], text="ok")
    assert fake.unanswered_callback_queries() == []
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query["id"])


async def test_press_finds_buttons_by_text_and_refuses_ambiguity(tg):
    fake, bot, user = tg
    await bot.send_message(42, "menu", reply_markup=keyboard(("Fee today", "f1"), ("Fee on a date", "f2")))
    assert user.press("Fee today")["callback_query"]["data"] == "f1"
    assert user.press("on a date")["callback_query"]["data"] == "f2"
    with pytest.raises(LookupError):
        user.press("Fee")
    forged = user.press_data("m:" + "x" * 80, message_id=12345)
    assert forged["callback_query"]["message"]["message_id"] == 12345


async def test_venue_location_photo_document(tg):
    fake, bot, user = tg
    await bot.send_venue(42, 51.17, 71.43, "Office", "Street 1")
    await bot.send_location(42, 51.17, 71.43)
    await bot.send_photo(42, BufferedInputFile(b"\x89PNG...", "t.png"), caption="<i>talon</i>",
                         parse_mode="HTML")
    await bot.send_document(42, BufferedInputFile(b"%PDF", "t.pdf"))
    kinds = [(m.kind, m.text) for m in fake.sent(42)]
    assert kinds == [("venue", "Office\nStreet 1"), ("location", "51.17, 71.43"), ("photo", "talon"),
                     ("document", "")]
    photo_call = [c for c in fake.calls if c.method == "sendPhoto"][0]
    assert list(photo_call.files.values()) == [b"\x89PNG..."]


async def test_reply_keyboard_is_tracked_until_removed(tg):
    fake, bot, user = tg
    markup = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Share", request_location=True)],
                                           [KeyboardButton(text="Cancel")]], resize_keyboard=True)
    await bot.send_message(42, "where are you?", reply_markup=markup)
    assert [b["text"] for row in fake.reply_keyboard(42) for b in row] == ["Share", "Cancel"]
    assert user.reply_button("Cancel")["message"]["text"] == "Cancel"
    await bot.send_message(42, "ok", reply_markup=ReplyKeyboardRemove())
    assert fake.reply_keyboard(42) is None


async def test_unknown_methods_and_a_wrong_token_fail(tg):
    fake, bot, user = tg

    class Bogus(TelegramMethod[bool]):
        __returning__ = bool
        __api_method__ = "sendTelepathy"

    with pytest.raises(TelegramNotFound):
        await bot(Bogus())
    status, body = await fake.handle_form("getMe", {}, {}, "1:wrong")
    assert status == 401 and '"ok": false' in body


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault("retry_after", retry_after=3), TelegramRetryAfter),
        (Fault("server_error"), TelegramServerError),
        (Fault("timeout"), TelegramNetworkError),
    ],
)
async def test_injected_faults_hit_the_next_call_only(tg, fault, error):
    fake, bot, user = tg
    fake.inject(fault)
    with pytest.raises(error) as caught:
        await bot.send_message(42, "x")
    if isinstance(caught.value, TelegramRetryAfter):
        assert caught.value.retry_after == 3
    assert (await bot.send_message(42, "y")).text == "y"
    assert [m.text for m in fake.sent(42)] == ["y"]


async def test_get_updates_confirms_with_offset_and_long_polls(tg):
    fake, bot, user = tg
    await fake.enqueue(user.text("one"))
    await fake.enqueue(user.text("two"))
    first = await bot.get_updates(timeout=0)
    assert [u.message.text for u in first] == ["one", "two"]
    assert await bot.get_updates(offset=first[-1].update_id + 1, timeout=0) == []
    assert fake.pending_updates == 0


async def test_get_me_and_commands(tg):
    fake, bot, user = tg
    me = await bot.get_me()
    assert me.is_bot and me.id == 123456
    await bot.set_my_commands([BotCommand(command="start", description="Start")], language_code="kk")
    assert fake.commands[("default", "kk")] == [{"command": "start", "description": "Start"}]
    assert await bot.delete_my_commands(language_code="kk")
    assert fake.commands == {}
    assert await bot.delete_webhook() and await bot.close()


def test_html_to_text_unescapes_and_validates():
    assert html_to_text('<a href="https://egov.kz">eGov</a> &lt;3 <tg-spoiler>s</tg-spoiler>') == "eGov <3 s"
    for bad in ["<b><i>x</b></i>", "</b>", "<b>", "x <y"]:
        with pytest.raises(MarkupError):
            html_to_text(bad)


async def test_a_waiting_long_poll_returns_when_an_update_arrives_or_the_server_stops(tg):
    import asyncio

    fake, bot, user = tg
    waiting = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.sleep(0)
    await fake.enqueue(user.text("wake up"))
    assert [u.message.text for u in await asyncio.wait_for(waiting, 5)] == ["wake up"]
    waiting = asyncio.create_task(bot.get_updates(offset=999, timeout=30))
    await asyncio.sleep(0)
    await fake.release_pollers()
    assert await asyncio.wait_for(waiting, 5) == []
