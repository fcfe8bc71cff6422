"""A process killed right after a complaint's change committed loses no notice and makes none twice.

The bot runs as a child process (tests/crash_child.py: real Dispatcher, long polling) against the fake
Telegram served over HTTP from here, on the database the in-process harness prepared. The child ends
with os._exit the moment the change is committed; a new child on the same database gets the update
again, as Telegram redelivers an update whose handling was cut short. The office's alert and the
citizen's notice must each arrive exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from test_complaints_bot import RU, TEXT, WAIT, grant, start_individual, talon_in

from bot.storage.database import Database
from bot.testing import FakeBotApiServer
from bot.testing.harness import BotHarness

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "crash_child.py"
CRASHED = 17
ANSWER = "Проверка проведена: порядок очереди восстановлен, сотрудник получил замечание."


async def child(db_path: Path, url: str, crash_after: str | None = None) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return await asyncio.create_subprocess_exec(
        sys.executable, str(CHILD), str(db_path), url, *([crash_after] if crash_after else []),
        env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def crash_then_redeliver(harness: BotHarness, update: dict, crash_after: str, delivered) -> str:
    """Feed `update` to a child that dies right after `crash_after` commits, then to a new child (as
    Telegram delivers it again) until `delivered()` holds; returns the second child's stderr."""
    fake = harness.fake
    async with FakeBotApiServer(fake) as server:
        first = await child(harness.db_path, server.url, crash_after)
        await fake.enqueue(update)
        _, stderr = await asyncio.wait_for(first.communicate(), 60)
        assert first.returncode == CRASHED, stderr.decode()
        second = await child(harness.db_path, server.url)
        try:
            if not any(u["update_id"] == update["update_id"] for u in fake._pending):
                await fake.enqueue(update)  # Telegram delivers again what was not confirmed
            try:
                await fake.wait_for(lambda: delivered() and not fake.unanswered_callback_queries(), 30)
            except TimeoutError:
                raise AssertionError("what the change causes never arrived after the restart") from None
            await asyncio.sleep(1.0)  # room for a repeat to show, if there were one
        finally:
            second.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(second.communicate(), 60)
    assert second.returncode == 0, stderr.decode()
    return stderr.decode()


def texts(harness: BotHarness, chat_id: int) -> list[str]:
    return [m.text for m in harness.fake.sent(chat_id) if m.text]


async def test_a_filing_cut_short_after_its_commit_alerts_the_office_once(tmp_path):
    harness = await BotHarness(tmp_path / "bot.sqlite3").start()
    try:
        await grant(harness, 900, "office_staff", "alm-06", "Офис О.")
        harness.user("ru", user_id=900)
        await harness.db.dialogues.set_locale(900, "ru")
        citizen = harness.user("ru")
        await start_individual(citizen, "ru", category=WAIT["ru"])
        await citizen.press(RU["continue"])
        submit = citizen.fake_user.press(RU["agree"])
    finally:
        await harness.stop()

    def alerts() -> list[str]:
        return [t for t in texts(harness, 900) if t.startswith("Новая жалоба")]

    def talons() -> list[str]:
        return [m.text for m in harness.fake.visible(citizen.id) if m.text and "Талон №" in m.text]

    await crash_then_redeliver(harness, submit, "register", lambda: bool(alerts() and talons()))
    (alert,) = alerts()
    (shown,) = talons()
    assert talon_in(alert) == talon_in(shown)
    db = await Database.open(harness.db_path)
    try:
        assert len(await db.complaints.export()) == 1
        assert await db.outbox.counts() == {"pending": 0, "sent": 1, "failed": 0}
    finally:
        await db.close()


async def test_a_send_cut_short_after_its_commit_tells_the_citizen_once(tmp_path):
    harness = await BotHarness(tmp_path / "bot.sqlite3").start()
    try:
        citizen = harness.user("kk")
        await start_individual(citizen, "kk", category="20 минуттан")
        await citizen.press("Жалғастыру")
        filed = await citizen.press("Келісемін")
        shown = talon_in(filed.text)
        row = await harness.db.complaints.by_talon(shown.replace("-", ""))
        await grant(harness, 901, "office_staff", row.office_id, "Ахметов А. Б.")
        staff = harness.user("ru", user_id=901)
        await staff.send(f"/ticket {shown}")
        await staff.press(RU["take"])
        await staff.press(RU["answer"])
        await staff.send(ANSWER)
        send = staff.fake_user.press(RU["send"])
    finally:
        await harness.stop()

    def answers() -> list[str]:
        return [t for t in texts(harness, citizen.id) if ANSWER in t]

    await crash_then_redeliver(harness, send, "change", lambda: bool(answers()))
    (told,) = answers()
    assert "шағымыңызға жауап" in told and TEXT["kk"] not in told  # in the citizen's language
    db = await Database.open(harness.db_path)
    try:
        stored = await db.complaints.by_id(row.id)
        assert stored.status == "answered" and stored.answer_text == ANSWER
        assert [e.action for e in await db.complaints.events(row.id)] == ["registered", "taken",
                                                                               "answered"]
    finally:
        await db.close()
