"""Faults: Telegram failing (429, 5xx, timeouts), the process dying, SIGTERM with an update in flight."""

from __future__ import annotations

import asyncio
import os
import random
import signal

from bot.app import build_bot, build_dispatcher
from bot.storage.database import Database
from bot.telegram import retry
from bot.telegram.retry import RetryMiddleware
from bot.testing import FakeSession, FakeTelegram, FakeUser, Fault
from bot.testing.citizen import Citizen
from bot.testing.harness import TEST_TOKEN, harness_settings


async def no_wait(seconds: float) -> None:
    return None


async def test_a_dialogue_step_survives_429_5xx_and_timeouts(harness):
    retry.install(harness.bot, RetryMiddleware(sleep=no_wait))
    user = harness.user("kk")
    await user.send("/start")
    harness.fake.inject(Fault("server_error", "editMessageText", times=2))
    harness.fake.inject(Fault("retry_after", "answerCallbackQuery", retry_after=1))
    reply = await user.press_data("m:precheck", user.keyboard_message.message_id)
    assert "qa:pc:0:citizen:0" in [b["callback_data"] for row in reply.last.inline for b in row]
    harness.fake.inject(Fault("timeout", "sendMessage"))
    reply = await user.send("/menu")
    assert len(reply.sent) == 1


def _workflow(harness) -> dict:
    """What start_polling hands the startup and shutdown handlers."""
    return {**harness.dp.workflow_data, "bot": harness.bot, "dispatcher": harness.dp}


async def test_notices_left_unsent_by_a_dying_process_are_sent_after_the_restart(harness):
    citizen = harness.user("kk")
    harness.fake.inject(Fault("timeout", "sendMessage", times=2))
    outbox = harness.dp["outbox"]
    for n in range(2):
        assert not await outbox.send(harness.bot, citizen.id, f"Status of complaint {n}", key=f"status:{n}")
    await harness.stop()  # the process dies: nothing sent, both rows stored
    await harness.start()
    await harness.dp.emit_startup(**_workflow(harness))
    try:
        await harness.fake.wait_for(lambda: len(harness.fake.sent(citizen.id)) == 2, timeout=5)
    finally:
        await harness.dp.emit_shutdown(**_workflow(harness))
    texts = [m.text for m in harness.fake.sent(citizen.id)]
    assert texts == ["Status of complaint 0", "Status of complaint 1"]
    assert await harness.db.outbox.counts() == {"pending": 0, "sent": 2, "failed": 0}
    await harness.dp.emit_startup(**_workflow(harness))  # a later start sends nothing twice
    await harness.dp.emit_shutdown(**_workflow(harness))
    assert len(harness.fake.sent(citizen.id)) == 2


async def test_a_pre_check_resumes_after_a_restart_at_every_step(harness):
    citizen = Citizen(harness.fake, 5005, random.Random(11))
    await harness.feed(citizen.first_update())
    for _ in range(30):
        await harness.restart()
        reply = await harness.feed(citizen.next_update())
        assert reply.messages, "every step after a restart shows something"
        if citizen.finished:
            break
    assert citizen.finished, "the pre-check reached its result across restarts"


class GatedSession(FakeSession):
    """Holds every sendMessage until `gate` opens, to keep an update in flight."""

    def __init__(self, fake: FakeTelegram) -> None:
        super().__init__(fake)
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()

    async def make_request(self, bot, method, timeout=None):
        if method.__api_method__ == "sendMessage" and not self.gate.is_set():
            self.waiting.set()
            await self.gate.wait()
        return await super().make_request(bot, method, timeout)


async def test_sigterm_lets_the_update_in_flight_finish(tmp_path):
    settings = harness_settings(tmp_path / "t.sqlite3")
    db = await Database.open(settings.database)
    fake = FakeTelegram(token=TEST_TOKEN)
    user = FakeUser(fake, 5, language_code="ru")
    session = GatedSession(fake)
    bot = build_bot(settings, session=session)
    dp = build_dispatcher(settings, db)
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=True, polling_timeout=1))
    try:
        update = user.text("/start")
        await fake.enqueue(update)
        await asyncio.wait_for(session.waiting.wait(), 5)
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.sleep(0.3)
        assert not polling.done(), "the stop waits for the update in flight"
        session.gate.set()
        await asyncio.wait_for(polling, 10)
    finally:
        session.gate.set()
        await db.close()
    assert len(fake.sent(5)) == 1
    assert await _handled(settings, update["update_id"])


async def _handled(settings, update_id: int) -> bool:
    db = await Database.open(settings.database)
    try:
        return await db.updates.handled_update_digest(update_id) is not None
    finally:
        await db.close()


async def test_a_staff_answer_reaches_the_citizen_once_after_telegram_was_down(harness):
    from datetime import timedelta

    from bot import clock
    from bot.complaints import workflow
    from bot.offices.directory import load_directory
    from handlers.complaints.notify import ComplaintNotices

    citizen = harness.user("ru")
    now = clock.now()
    fields = {"kind": "individual", "surname": "Иванов", "name": "Иван", "postal_address": "ул. Абая, 1",
              "office_id": load_directory().all()[0].id, "channel": "bot", "category": "other",
              "text": "Долго ждал"}
    row, _ = await harness.db.complaints.register(fields, registered_at=now, due_date=now.date(), actor="t",
                                                 citizen_user_id=citizen.id, locale="ru")
    seen = await harness.db.complaints.change(row.id, expected_status="registered", actor="staff:1",
                                             at=now, action="taken", status="in_review")
    harness.fake.inject(Fault("server_error", "sendMessage"))
    i18n, outbox = harness.dp["i18n"], harness.dp["outbox"]
    notices = ComplaintNotices(i18n)
    for _ in range(2):  # Telegram down; the staff member's repeated press makes no second notice
        outcome = await workflow.answer(harness.db, seen, "Ответ по существу", user_id=1,
                                        now=now + timedelta(minutes=1), notices=notices, default_locale="kk")
        assert await outbox.deliver_now(harness.bot, outcome.notice_keys) == 0
    assert harness.fake.sent(citizen.id) == []
    assert await outbox.deliver_due(harness.bot, everything=True) == 1
    (notice,) = harness.fake.sent(citizen.id)
    assert "Ответ по существу" in notice.text
