"""The retention sweep keeps /privacy's word while the bot runs: a bot that is never restarted still
deletes a visit record, a closed complaint and a survey answer once their time is up (an outbox
worker's pass, hourly), and a sweep that finds nothing leaves no trace in the audit log (several
replicas sweep the same database every hour)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from dialogue_support import frozen_clock, tr  # noqa: F401  (fixture)
from test_visit_dialogue import at, record, run_scheduler

from bot.clock import KZ_TZ
from bot.telegram.retention import SWEEP_EVERY

pytestmark = pytest.mark.usefixtures("frozen_clock")
DUE = date(2026, 12, 25)  # the record's due day: accepted "Today" (25 November 2026), §7.1
FIELDS = dict(kind="individual", surname="Ким", name="Ли", postal_address="Алматы", office_id="alm-06",
              channel="post", category="other", text="Старая закрытая жалоба.")


async def test_a_running_bot_deletes_a_visit_record_on_time_without_a_restart(harness, frozen_clock):  # noqa: F811
    user = harness.user("ru")
    await record(user, "ru")
    await user.press(tr("ru", "Today"))
    await harness.dp.emit_startup(bot=harness.bot, **harness.dp.workflow_data)  # the bot starts once
    await harness.dp.emit_shutdown(bot=harness.bot, **harness.dp.workflow_data)  # (its worker stopped)
    frozen_clock.set(at(DUE + timedelta(days=90)))
    await run_scheduler(harness)
    assert await harness.db.visits.of_user(user.id) is not None  # the 90th day after the due day: kept
    frozen_clock.set(at(DUE + timedelta(days=91)))
    await run_scheduler(harness)
    assert await harness.db.visits.of_user(user.id) is None


async def test_closed_complaints_and_old_answers_go_within_the_hour(harness, frozen_clock):  # noqa: F811
    now = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # 10:00 in Kazakhstan
    frozen_clock.set(now)
    db = harness.db
    old, _ = await db.complaints.register(FIELDS, registered_at=now - timedelta(days=2000),
                                         due_date=date(2021, 6, 1), actor="cli", department_id="alm-00")
    await db.complaints.change(old.id, expected_status="registered", status="closed", actor="t",
                               at=now - timedelta(days=1095, minutes=-30), action="closed")
    await db.surveys.add_response(office_id="alm-06", department_id="alm-00",
                                      visited_on=date(2023, 11, 26), quality=5, information=None,
                                      courtesy=None, on_time=None, channel="paper", idempotency_key="old")
    await run_scheduler(harness)  # a sweep now: the complaint has half an hour to go, the answer a day
    assert [c.id for c in await db.complaints.export()] == [old.id]
    assert len(await db.surveys.answers()) == 1
    frozen_clock.set(now + SWEEP_EVERY - timedelta(minutes=1))
    await run_scheduler(harness)  # due by now, but within the hour the sweep does not run again
    assert [c.id for c in await db.complaints.export()] == [old.id]
    frozen_clock.set(now + SWEEP_EVERY)
    await run_scheduler(harness)
    assert await db.complaints.export() == []
    frozen_clock.set(now + timedelta(days=1, hours=1))
    await run_scheduler(harness)
    assert await db.surveys.answers() == []


async def test_a_sweep_that_finds_nothing_writes_no_audit_record(harness, frozen_clock):  # noqa: F811
    await harness.dp.emit_startup(bot=harness.bot, **harness.dp.workflow_data)
    await harness.dp.emit_shutdown(bot=harness.bot, **harness.dp.workflow_data)
    for hour in range(1, 4):
        frozen_clock.set(datetime(2026, 11, 25, 10 + hour, 0, tzinfo=KZ_TZ))
        await run_scheduler(harness)
    rows = await harness.db.engine.fetch_all("SELECT action FROM audit_log WHERE action = 'purged'")
    assert rows == []
