"""When the survey after a visit is over though the citizen did not finish it: its last day passed
(open_days after the last question), the record deleted, or the record purged on start; the answers
given are then stored once without a user id, a skipped question empty. A correction keeps the
survey's progress, so no question is asked twice. On the fake Telegram, in Kazakh and Russian."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dialogue_support import LANGS, frozen_clock, ntr, tr  # noqa: F401  (fixture)
from test_visit_dialogue import OFFICE, at, office_button, record, run_scheduler

from bot.visits.survey import load_survey

pytestmark = pytest.mark.usefixtures("frozen_clock")
ACCEPTED = date(2026, 11, 25)  # "Today" under the frozen clock
DUE = date(2026, 12, 25)
SCALE = ["1", "2", "3", "4", "5"]


async def responses(harness) -> list[dict]:
    return await harness.db.engine.fetch_all("SELECT * FROM survey_response ORDER BY id")


def answers(row: dict) -> tuple:
    return (row["office_id"], row["visited_on"], row["quality"], row["information"], row["courtesy"],
            row["on_time"], row["channel"])


async def start(harness) -> None:
    """What a process does on start (the purges, the outbox worker's first pass), then stop the worker."""
    await harness.dp.emit_startup(bot=harness.bot, **harness.dp.workflow_data)
    await harness.dp.emit_shutdown(bot=harness.bot, **harness.dp.workflow_data)


async def first_card(harness, user, frozen_clock):  # noqa: F811
    """The day after the visit: the first question of the batch, alone."""
    frozen_clock.set(at(ACCEPTED + timedelta(days=1)))
    await run_scheduler(harness)
    cards = [m for m in user.messages if m.button_texts[:5] == SCALE]
    assert len(cards) == 1
    return cards[0]


@pytest.mark.parametrize("lang", LANGS)
async def test_an_unfinished_survey_is_over_after_its_last_day_and_stored_once(harness, lang, frozen_clock):  # noqa: F811
    user = harness.user(lang)
    await record(user, lang)
    await user.press(tr(lang, "Today"))
    card = await first_card(harness, user, frozen_clock)
    reply = await user.press("4", card)  # quality; the information question follows, left unanswered
    assert reply.last.button_texts[:5] == SCALE
    frozen_clock.set(at(DUE + timedelta(days=1)))
    before = len(user.messages)
    await run_scheduler(harness)
    # The term's question comes on its day; the rest of the first batch is not sent piecemeal.
    new = [m for m in user.messages[before:] if m.button_texts]  # and the reminder, sent late
    assert [m.button_texts for m in new] == [[tr(lang, "Yes"), tr(lang, "No"), tr(lang, "Skip")]]
    on_time = new[0]
    closes = DUE + timedelta(days=1 + load_survey().open_days)
    frozen_clock.set(at(closes - timedelta(days=1)))
    await run_scheduler(harness)
    assert await responses(harness) == []  # still open: the citizen may still answer
    frozen_clock.set(at(closes))
    before = len(user.messages)
    await run_scheduler(harness)
    assert len(user.messages) == before  # over without a word
    rows = await responses(harness)
    assert [answers(r) for r in rows] == [("ast-01", "2026-11-01", 4, None, None, None, "bot")]
    assert str(user.id) not in " ".join(str(v) for v in rows[0].values())
    visit = await harness.db.visits.of_user(user.id)
    assert visit.survey_done and visit.next_ask_on is None
    assert await harness.db.engine.fetch_val("SELECT survey_answers FROM visit WHERE id = ?",
                                             (visit.id,)) is None
    await user.press(tr(lang, "Yes"), on_time)  # too late: not stored, not stored twice
    await harness.restart()
    await run_scheduler(harness)
    await start(harness)
    assert len(await responses(harness)) == 1


@pytest.mark.parametrize("lang", LANGS)
async def test_deleting_the_record_stores_the_answers_given(harness, lang, frozen_clock):  # noqa: F811
    user = harness.user(lang)
    await record(user, lang)
    await user.press(tr(lang, "Today"))
    card = await first_card(harness, user, frozen_clock)
    reply = await user.press("5", card)
    reply = await user.press(tr(lang, "Skip"), reply.last)  # information skipped: stays empty
    courtesy = reply.last
    await user.send("/start")
    await user.press(tr(lang, "🗂 My application"))
    await user.press(tr(lang, "🗑 Delete"))
    await user.press(tr(lang, "🗑 Yes, delete"))
    assert await harness.db.visits.of_user(user.id) is None
    await user.press("3", courtesy)  # the record is gone: the tap changes nothing
    rows = await responses(harness)
    assert [answers(r) for r in rows] == [("ast-01", "2026-11-01", 5, None, None, None, "bot")]


@pytest.mark.parametrize("lang", LANGS)
async def test_a_correction_keeps_the_survey_so_nothing_is_asked_twice(harness, lang, frozen_clock):  # noqa: F811
    user = harness.user(lang)
    await record(user, lang)
    saved = await user.press(tr(lang, "Yesterday"))  # 24 November: the first batch is due today
    await run_scheduler(harness)
    card = next(m for m in user.messages if m.button_texts[:5] == SCALE)
    await user.press("4", card)
    await user.press(tr(lang, "✏️ Correct"), saved.last)  # it was 25 November after all
    reply = await user.send("Астана")
    await user.press(office_button(reply.last, OFFICE.id))
    await user.press(tr(lang, "Today"))
    visit = await harness.db.visits.of_user(user.id)
    assert visit.accepted_on == ACCEPTED and visit.survey_answers == {"quality": 4}
    before = len(user.messages)
    for moment in (ACCEPTED + timedelta(days=1), DUE):
        frozen_clock.set(at(moment))
        await run_scheduler(harness)
    assert len(user.messages) == before + 1  # the reminder; the first batch is not asked again
    assert user.messages[-1].text.startswith(tr(lang, "Reminder"))
    frozen_clock.set(at(DUE + timedelta(days=1)))
    await run_scheduler(harness)
    reply = await user.press(tr(lang, "Yes"), user.keyboard_message)
    rows = await responses(harness)
    assert [answers(r) for r in rows] == [("ast-01", "2026-11-01", 4, None, None, 1, "bot")]


@pytest.mark.parametrize("lang", LANGS)
async def test_records_are_purged_on_start_90_days_after_the_due_day(harness, lang, frozen_clock):  # noqa: F811
    user = harness.user(lang)
    await record(user, lang)
    await user.press(tr(lang, "Today"))
    card = await first_card(harness, user, frozen_clock)
    await user.press("2", card)  # the scheduler never ran since: the survey is still open

    async def start_on(day: date) -> None:
        frozen_clock.set(at(day))
        await harness.restart()
        await start(harness)

    await start_on(DUE + timedelta(days=90))
    assert await harness.db.visits.of_user(user.id) is not None
    await start_on(DUE + timedelta(days=91))
    assert await harness.db.visits.of_user(user.id) is None
    await start_on(DUE + timedelta(days=92))
    rows = await responses(harness)
    assert [answers(r) for r in rows] == [("ast-01", "2026-11-01", 2, None, None, None, "bot")]
    await user.send("/start")
    reply = await user.press(tr(lang, "🗂 My application"))
    assert tr(lang, "📥 I handed in my documents") in reply.buttons


@pytest.mark.parametrize("lang", LANGS)
async def test_privacy_says_when_the_record_is_deleted(harness, lang):
    user = harness.user(lang)
    await user.send("/start")
    reply = await user.send("/privacy")
    assert ntr(lang, "The record is deleted by itself {days} day after the day the decision is due.",
               "The record is deleted by itself {days} days after the day the decision is due.", 90,
               days=90) in reply.text
