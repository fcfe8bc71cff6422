"""bot.telegram.outbox on each backend: stored first, sent once per key, retried on the schedule,
refused rows not retried, claimed so that two senders never send one row twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.storage.database import Database
from bot.telegram.outbox import LEASE, RETRY_SCHEDULE, Outbox, OutboxWorker
from bot.testing import FakeSession, FakeTelegram, FakeUser, Fault
from bot.testing.harness import TEST_TOKEN


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def fake() -> FakeTelegram:
    fake = FakeTelegram(token=TEST_TOKEN)
    FakeUser(fake, 42)
    return fake


@pytest.fixture
async def bot(fake):
    bot = Bot(TEST_TOKEN, session=FakeSession(fake))
    yield bot
    await bot.session.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


async def test_a_notice_is_stored_then_sent_once_per_key(db, bot, fake, clock):
    outbox = Outbox(db, clock=clock)
    button = InlineKeyboardButton(text="Open", callback_data="c:1")
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[button]])
    assert await outbox.send(bot, 42, "<b>Answer</b> to K4D-3C7-7", key="answer:1", reply_markup=keyboard)
    assert await outbox.send(bot, 42, "<b>Answer</b> to K4D-3C7-7", key="answer:1", reply_markup=keyboard)
    (sent,) = fake.sent(42)
    assert sent.text == "Answer to K4D-3C7-7" and sent.buttons == [["Open"]]
    row = await db.outbox.get("answer:1")
    assert row.sent_at is not None and row.attempts == 1
    assert await db.outbox.counts() == {"pending": 0, "sent": 1, "failed": 0}


async def test_a_failed_send_waits_for_its_turn_and_is_then_delivered(db, bot, fake, clock):
    outbox = Outbox(db, clock=clock)
    fake.inject(Fault("server_error", "sendMessage"))
    assert not await outbox.send(bot, 42, "status", key="status:1")
    row = await db.outbox.get("status:1")
    assert row.sent_at is None and row.attempts == 1 and row.last_error == "TelegramServerError"
    assert await outbox.deliver_due(bot) == 0  # not due yet
    clock.now += RETRY_SCHEDULE[0]
    fake.inject(Fault("timeout", "sendMessage"))
    assert await outbox.deliver_due(bot) == 0
    assert (await db.outbox.get("status:1")).attempts == 2
    clock.now += RETRY_SCHEDULE[1] - timedelta(seconds=1)
    assert await outbox.deliver_due(bot) == 0
    clock.now += timedelta(seconds=1)
    assert await outbox.deliver_due(bot) == 1
    assert [m.text for m in fake.sent(42)] == ["status"]
    assert await outbox.deliver_due(bot) == 0


async def test_429_waits_at_least_retry_after(db, bot, fake, clock):
    outbox = Outbox(db, clock=clock)
    fake.inject(Fault("retry_after", "sendMessage", retry_after=120))
    await outbox.send(bot, 42, "talon", key="talon:1")
    row = await db.outbox.get("talon:1")
    assert row.next_attempt_at == datetime(2026, 11, 25, 12, 2, tzinfo=UTC)


async def test_a_refused_notice_is_marked_failed_and_never_retried(db, bot, fake, clock):
    outbox = Outbox(db, clock=clock)
    assert not await outbox.send(bot, 999, "to a chat that does not exist", key="k")
    clock.now += timedelta(days=1)
    assert await outbox.deliver_due(bot) == 0
    row = await db.outbox.get("k")
    assert row.failed_at is not None and row.last_error == "TelegramBadRequest"
    assert not await outbox.send(bot, 999, "again", key="k")
    assert len([c for c in fake.calls if c.method == "sendMessage"]) == 1


async def test_the_worker_sends_what_is_due_and_wakes_on_demand(db, bot, fake, clock):
    outbox = Outbox(db, clock=clock)
    fake.inject(Fault("timeout", "sendMessage", times=2))
    await outbox.send(bot, 42, "first", key="a")
    await outbox.send(bot, 42, "second", key="b")
    clock.now += timedelta(hours=1)
    worker = OutboxWorker(outbox, bot, interval=3600)
    worker.start()
    await fake.wait_for(lambda: len(fake.sent(42)) == 2, timeout=5)
    fake.inject(Fault("timeout", "sendMessage"))
    await outbox.send(bot, 42, "third", key="c")
    clock.now += timedelta(hours=1)
    outbox.wake.set()
    await fake.wait_for(lambda: len(fake.sent(42)) == 3, timeout=5)
    await worker.stop()
    assert [m.text for m in fake.sent(42)] == ["first", "second", "third"]
    assert await db.outbox.counts() == {"pending": 0, "sent": 3, "failed": 0}


async def test_finished_notices_are_forgotten_after_thirty_days(db, bot, fake, clock):
    outbox = Outbox(db, clock=clock)
    await outbox.send(bot, 42, "sent", key="sent")
    await outbox.send(bot, 999, "refused", key="refused")
    fake.inject(Fault("timeout", "sendMessage"))
    await outbox.send(bot, 42, "pending", key="pending")
    clock.now += timedelta(days=29)
    assert await outbox.forget_finished() == 0
    clock.now += timedelta(days=2)
    assert await outbox.forget_finished() == 2
    assert await db.outbox.counts() == {"pending": 1, "sent": 0, "failed": 0}


async def test_two_replicas_never_send_one_row_twice(db_url, fake, clock):
    """Two processes (each its own Database and worker) on one outbox: every row goes out once."""
    first, second = await Database.open(db_url), await Database.open(db_url)
    bots = [Bot(TEST_TOKEN, session=FakeSession(fake)) for _ in range(2)]
    try:
        for n in range(40):
            await first.outbox.add(f"n:{n}", 42, {"text": f"notice {n}"}, clock())
        outboxes = [Outbox(first, clock=clock), Outbox(second, clock=clock)]
        workers = [OutboxWorker(outbox, bot, interval=3600)
                   for outbox, bot in zip(outboxes, bots, strict=True)]
        for worker in workers:
            worker.start()
        await fake.wait_for(lambda: len(fake.sent(42)) >= 40, timeout=10)
        for worker in workers:
            await worker.stop()
        texts = [m.text for m in fake.sent(42)]
        assert sorted(texts) == sorted(f"notice {n}" for n in range(40))
        assert await first.outbox.counts() == {"pending": 0, "sent": 40, "failed": 0}
    finally:
        for bot in bots:
            await bot.session.close()
        await first.close()
        await second.close()


async def test_a_claimed_row_is_nobody_elses_until_its_lease_runs_out(db_url, clock):
    """A replica that claimed rows and died: the others leave them alone for LEASE, then take them."""
    dead, alive = await Database.open(db_url), await Database.open(db_url)
    try:
        await alive.outbox.add("a", 42, {"text": "a"}, clock())
        await alive.outbox.add("b", 42, {"text": "b"}, clock())
        assert [r.dedupe_key for r in await dead.outbox.claim(clock(), LEASE, 1)] == ["a"]
        assert [r.dedupe_key for r in await alive.outbox.claim(clock(), LEASE, 10)] == ["b"]
        assert await alive.outbox.claim(clock(), LEASE, 10) == []
        assert await alive.outbox.claim(clock(), LEASE, 10, keys=["a", "b"]) == []
        later = clock() + LEASE
        assert sorted(r.dedupe_key for r in await alive.outbox.claim(later, LEASE, 10)) == ["a", "b"]
    finally:
        await dead.close()
        await alive.close()


async def test_a_notice_being_sent_by_another_replica_is_not_sent_again(db, bot, fake, clock):
    """A handler's immediate attempt skips a row the worker (here or on another replica) holds."""
    await db.outbox.add("k", 42, {"text": "once"}, clock())
    (held,) = await db.outbox.claim(clock(), LEASE, 10)
    outbox = Outbox(db, clock=clock)
    assert await outbox.deliver_now(bot, ["k"]) == 0
    assert not await outbox.send(bot, 42, "once", key="k")
    assert fake.sent(42) == []
    await db.outbox.mark_sent(held.id, clock())
    assert await outbox.send(bot, 42, "once", key="k")  # already sent: nothing more goes out
    assert fake.sent(42) == []
