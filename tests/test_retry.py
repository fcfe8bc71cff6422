"""bot.telegram.retry: 429 honours retry_after, 5xx and timeouts back off and retry, where it is safe."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError

from bot.telegram import retry
from bot.telegram.retry import RetryMiddleware
from bot.testing import FakeSession, FakeTelegram, FakeUser, Fault
from bot.testing.harness import TEST_TOKEN


class Sleeps(list):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram(token=TEST_TOKEN)


@pytest.fixture
async def bot(fake):
    bot = Bot(TEST_TOKEN, session=FakeSession(fake))
    FakeUser(fake, 42)
    yield bot
    await bot.session.close()


def calls(fake: FakeTelegram, method: str) -> list:
    return [c for c in fake.calls if c.method == method]


async def test_429_waits_retry_after_then_sends_once(fake, bot):
    sleeps = Sleeps()
    retry.install(bot, RetryMiddleware(sleep=sleeps))
    fake.inject(Fault("retry_after", "sendMessage", times=2, retry_after=7))
    await bot.send_message(42, "talon")
    assert sleeps == [7.0, 7.0]
    assert [m.text for m in fake.sent(42)] == ["talon"]
    assert len(calls(fake, "sendMessage")) == 3


async def test_server_errors_and_timeouts_back_off_exponentially(fake, bot):
    sleeps = Sleeps()
    retry.install(bot, RetryMiddleware(sleep=sleeps, base_delay=0.5, max_delay=8))
    fake.inject(Fault("server_error", "sendMessage", times=2))
    fake.inject(Fault("timeout", "sendMessage", times=1))
    await bot.send_message(42, "answer")
    assert sleeps == [0.5, 1.0, 2.0]
    assert [m.text for m in fake.sent(42)] == ["answer"]


async def test_gives_up_after_the_attempts_with_capped_delays(fake, bot):
    sleeps = Sleeps()
    retry.install(bot, RetryMiddleware(sleep=sleeps, attempts=6, base_delay=1, max_delay=4))
    fake.inject(Fault("server_error", "sendMessage", times=10))
    with pytest.raises(TelegramServerError):
        await bot.send_message(42, "lost?")
    assert sleeps == [1, 2, 4, 4, 4]
    assert len(calls(fake, "sendMessage")) == 6
    assert fake.sent(42) == []


async def test_a_timeout_on_a_non_repeatable_method_is_not_retried(fake, bot):
    sleeps = Sleeps()
    retry.install(bot, RetryMiddleware(sleep=sleeps))
    fake.inject(Fault("timeout", "answerCallbackQuery"))
    with pytest.raises(TelegramNetworkError):
        await bot.answer_callback_query("1")
    assert sleeps == []


async def test_a_429_is_retried_for_any_method_but_not_beyond_the_cap(fake, bot):
    sleeps = Sleeps()
    retry.install(bot, RetryMiddleware(sleep=sleeps, max_retry_after=30))
    fake.inject(Fault("retry_after", "deleteMyCommands", retry_after=2))
    assert await bot.delete_my_commands() is True
    fake.inject(Fault("retry_after", "sendMessage", retry_after=3600))
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(42, "not for an hour")
    assert sleeps == [2.0]


async def test_get_updates_is_left_to_aiogram_polling(fake, bot):
    sleeps = Sleeps()
    retry.install(bot, RetryMiddleware(sleep=sleeps))
    fake.inject(Fault("retry_after", "getUpdates", retry_after=1))
    with pytest.raises(TelegramRetryAfter):
        await bot.get_updates(timeout=0)
    assert sleeps == []


async def test_install_is_idempotent(bot):
    first = retry.install(bot)
    assert retry.install(bot) is first
    assert sum(isinstance(m, RetryMiddleware) for m in bot.session.middleware) == 1
