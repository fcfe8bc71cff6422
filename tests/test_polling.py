"""Real long polling over HTTP: aiogram's aiohttp session and start_polling against the fake server."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.app import build_bot, build_dispatcher
from bot.storage.database import Database
from bot.telegram.locale import make_i18n
from bot.testing import FakeBotApiServer, FakeTelegram, FakeUser
from bot.testing.harness import TEST_TOKEN, harness_settings

I18N = make_i18n()


def tr(msgid: str, locale: str) -> str:
    return I18N.gettext(msgid, locale=locale)


async def test_a_short_dialogue_over_real_polling(tmp_path):
    fake = FakeTelegram(token=TEST_TOKEN)
    user = FakeUser(fake, 77, language_code=None)
    settings = harness_settings(tmp_path / "p.sqlite3")
    db = await Database.open(settings.database)
    errors: list[BaseException] = []

    async def collect(handler, event, data):
        errors.append(event.exception)
        return await handler(event, data)

    async with FakeBotApiServer(fake) as server:
        dp = build_dispatcher(settings, db)
        dp.errors.outer_middleware(collect)
        session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
        bot = build_bot(settings, session=session)
        polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=5))
        try:
            await fake.enqueue(user.text("/start"))
            await fake.wait_for(lambda: len(fake.sent(77)) >= 1)
            prompt = fake.sent(77)[0]
            assert tr("Choose the language in which I will talk to you.", "kk") in prompt.text
            await fake.enqueue(user.press(tr("Kazakh", "kk")))
            await fake.wait_for(lambda: len(fake.sent(77)) >= 2 and not fake.unanswered_callback_queries())
            assert fake.sent(77)[-1].button_texts[0] == tr("✅ Check if I can apply", "kk")
            await fake.enqueue(user.press(tr("ℹ️ About this bot", "kk")))
            await fake.wait_for(lambda: not fake.unanswered_callback_queries() and fake.pending_updates == 0)
        finally:
            await dp.stop_polling()
            await polling
            await db.close()
    assert errors == []
    assert await _locale_of(settings, 77) == "kk"
    methods = {call.method for call in fake.calls}
    assert {"getUpdates", "sendMessage", "editMessageText", "answerCallbackQuery"} <= methods
    assert all(call.error is None for call in fake.calls if call.method != "getUpdates")


async def _locale_of(settings, user_id: int) -> str | None:
    db = await Database.open(settings.database)
    try:
        return await db.dialogues.get_locale(user_id)
    finally:
        await db.close()


async def test_python_m_bot_run_talks_only_to_telegram_api_server(tmp_path):
    fake = FakeTelegram(token=TEST_TOKEN)
    user = FakeUser(fake, 78, language_code="ru")
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_URL")}
    async with FakeBotApiServer(fake) as server:
        env |= {"BOT_TOKEN": TEST_TOKEN, "TELEGRAM_API_SERVER": server.url + "/",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}", "LOG_LEVEL": "WARNING"}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        try:
            await fake.enqueue(user.text("/start"))
            await fake.wait_for(lambda: len(fake.sent(78)) >= 1, timeout=60)
        finally:
            process.send_signal(signal.SIGINT)
            stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert fake.sent(78)[0].button_texts[0] == tr("✅ Check if I can apply", "ru")
    assert set(fake.commands) == {("default", "kk"), ("default", "ru"), ("default", "")}
    assert process.returncode == 0 and "Traceback" not in stderr.decode(), stderr.decode()
    assert TEST_TOKEN.split(":")[1] not in stderr.decode()


async def test_files_travel_as_multipart_and_errors_as_telegram_errors():
    import pytest
    from aiogram import Bot
    from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError
    from aiogram.types import BufferedInputFile

    from bot.testing import Fault

    fake = FakeTelegram(token=TEST_TOKEN)
    FakeUser(fake, 79)
    async with FakeBotApiServer(fake) as server:
        bot = Bot(TEST_TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(server.url)))
        try:
            sent = await bot.send_photo(79, BufferedInputFile(b"\x89PNG-bytes", "talon.png"), caption="T-1")
            assert sent.caption == "T-1"
            call = [c for c in fake.calls if c.method == "sendPhoto"][0]
            assert list(call.files.values()) == [b"\x89PNG-bytes"]
            with pytest.raises(TelegramBadRequest, match="chat not found"):
                await bot.send_message(1, "nobody")
            fake.inject(Fault("timeout"))
            with pytest.raises(TelegramNetworkError):
                await bot.send_message(79, "lost")
            assert (await bot.send_message(79, "again")).text == "again"
        finally:
            await bot.session.close()
