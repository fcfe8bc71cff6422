"""The bot token never reaches a log line: not in messages, arguments, tracebacks, nor failing requests."""

from __future__ import annotations

import asyncio
import logging

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.app import build_bot, build_dispatcher
from bot.storage.database import Database
from bot.telegram import redaction
from bot.telegram.retry import RetryMiddleware
from bot.testing import FakeBotApiServer, FakeTelegram, FakeUser, Fault
from bot.testing.harness import TEST_TOKEN, harness_settings

SECRET = TEST_TOKEN.split(":", 1)[1]


async def no_wait(seconds: float) -> None:
    return None


def test_token_in_a_message_its_arguments_or_a_traceback_is_redacted(caplog):
    redaction.install(TEST_TOKEN)
    log = logging.getLogger("aiohttp.client")
    url = f"https://api.telegram.org/bot{TEST_TOKEN}/sendMessage"
    with caplog.at_level(logging.DEBUG):
        log.error("request to %s failed", url)
        log.warning(f"plain {url}")
        try:
            raise RuntimeError(f"Cannot connect to {url}")
        except RuntimeError:
            log.exception("failure with %d %s", 3, "retries")
    assert SECRET not in caplog.text
    assert caplog.text.count(redaction.REDACTED) >= 3
    assert "failure with 3 retries" in caplog.text


async def test_failing_requests_over_http_log_no_token(tmp_path, caplog):
    """Real aiohttp requests to the fake server fail (timeouts: connections cut; 502; 429) while the bot
    handles a user: everything logged at DEBUG, by any logger, is free of the token."""
    settings = harness_settings(tmp_path / "s.sqlite3")
    db = await Database.open(settings.database)
    fake = FakeTelegram(token=TEST_TOKEN)
    user = FakeUser(fake, 7, language_code="ru")
    dp = build_dispatcher(settings, db)  # installs the redaction for the configured token
    caplog.set_level(logging.DEBUG)
    async with FakeBotApiServer(fake) as server:
        bot = build_bot(settings, session=AiohttpSession(api=TelegramAPIServer.from_base(server.url)))
        bot.session.middleware(RetryMiddleware(sleep=no_wait, attempts=2))
        fake.inject(Fault("timeout", "sendMessage", times=4))
        fake.inject(Fault("server_error", "sendMessage", times=1))
        fake.inject(Fault("retry_after", "getMe", times=1, retry_after=1))
        try:
            await asyncio.wait_for(bot.get_me(), 5)
        except Exception as error:  # noqa: BLE001 - what it is does not matter, its text does
            logging.getLogger("test").exception("get_me failed: %s", error)
        polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
        try:
            for _ in range(3):
                await fake.enqueue(user.text("/start"))
            await fake.wait_for(lambda: fake.pending_updates == 0 and len(fake.sent(7)) >= 1, timeout=10)
            try:
                await bot.send_message(999, "to nobody")
            except Exception as error:  # noqa: BLE001
                logging.getLogger("test").error("send failed: %r", error)
        finally:
            await dp.stop_polling()
            await polling
            await db.close()
    assert any(record.levelno >= logging.WARNING for record in caplog.records), "no failure was logged"
    assert SECRET not in caplog.text
    for record in caplog.records:
        assert SECRET not in record.getMessage()
