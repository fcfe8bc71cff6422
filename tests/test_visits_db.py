"""The visit repository on each backend: one record per user, a correction under a new id, what is due,
one winner when two replicas store the same day's notices, and the survey stored without a user id."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from bot.complaints.notice import OutboxNotice

AT = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)


async def record(db, user_id=7, accepted=date(2026, 11, 24)):
    return await db.visits.record(
        user_id, locale="ru", office_id="ast-01", department_id="ast-00", accepted_on=accepted,
        due_on=date(2026, 12, 24), remind_on=date(2026, 12, 24), reminded=False,
        next_ask_on=date(2026, 11, 25), at=AT)


async def test_a_correction_replaces_the_record_and_drops_its_unsent_notices(db):
    first = await record(db)
    notice = OutboxNotice(f"visit:{first.id}:survey:quality", 7, {"text": "q"})
    await db.visits.mark_sent(first, notices=[notice], reminded=False, asked=["quality"], next_ask_on=None,
                              at=AT)
    second = await record(db, accepted=date(2026, 11, 23))
    assert second.id != first.id and (await db.visits.of_user(7)).accepted_on == date(2026, 11, 23)
    assert await db.outbox.get(f"visit:{first.id}:survey:quality") is None
    assert await db.visits.delete(7, at=AT) and await db.visits.of_user(7) is None
    assert not await db.visits.delete(7, at=AT)


async def test_what_is_due_and_one_winner_between_replicas(db):
    visit = await record(db)
    assert [v.id for v in await db.visits.due(date(2026, 11, 24))] == []
    assert [v.id for v in await db.visits.due(date(2026, 11, 25))] == [visit.id]
    notice = OutboxNotice(f"visit:{visit.id}:survey:quality", 7, {"text": "q"})
    won = await asyncio.gather(*(
        db.visits.mark_sent(visit, notices=[notice], reminded=False, asked=["quality"],
                            next_ask_on=date(2026, 12, 25), at=AT)
        for _ in range(2)))
    assert sorted(won) == [False, True]
    assert (await db.visits.get(visit.id)).survey_sent == ("quality",)
    assert await db.visits.due(date(2026, 11, 30)) == []


async def test_the_finished_survey_is_stored_without_the_user_and_the_progress_is_gone(db):
    visit = await record(db, user_id=424242)
    await db.visits.mark_sent(visit, notices=[], reminded=False, asked=["quality"], next_ask_on=None, at=AT)
    visit = await db.visits.get(visit.id)
    assert await db.visits.answer(visit, {"quality": 5}, asked=["information"], at=AT)
    assert not await db.visits.answer(visit, {"quality": 4}, asked=[], at=AT)  # a double tap: stale
    visit = await db.visits.get(visit.id)
    assert await db.visits.finish_survey(visit, {**visit.survey_answers, "on_time": True}, at=AT)
    assert not await db.visits.finish_survey(visit, {"quality": 1}, at=AT)
    rows = await db.engine.fetch_all("SELECT * FROM survey_response")
    assert len(rows) == 1 and "424242" not in " ".join(map(str, rows[0].values()))
    assert (rows[0]["quality"], rows[0]["on_time"], rows[0]["visited_on"]) == (5, 1, "2026-11-01")
    done = await db.visits.get(visit.id)
    assert done.survey_done and done.survey_answers == {} and done.next_ask_on is None


async def test_a_survey_over_unfinished_is_stored_once_and_a_tap_first_wins(db):
    visit = await record(db, user_id=5150)
    await db.visits.mark_sent(visit, notices=[], reminded=False, asked=["quality"], next_ask_on=None, at=AT)
    visit = await db.visits.get(visit.id)
    assert await db.visits.answer(visit, {"quality": 3}, asked=[], at=AT)
    assert not await db.visits.close_survey(visit, at=AT)  # read before the tap: stale, nothing stored
    visit = await db.visits.get(visit.id)
    assert await db.visits.close_survey(visit, at=AT) and not await db.visits.close_survey(visit, at=AT)
    assert await db.visits.purge(date(2027, 1, 1), at=AT) == 1  # done already: not stored again
    rows = await db.engine.fetch_all("SELECT quality, information, visited_on FROM survey_response")
    assert [tuple(r.values()) for r in rows] == [(3, None, "2026-11-01")]


async def test_purge_deletes_by_due_day_and_stores_an_open_survey(db):
    visit = await record(db, user_id=1)
    await record(db, user_id=2)
    await db.visits.mark_sent(visit, notices=[], reminded=False, asked=["quality"], next_ask_on=None, at=AT)
    assert await db.visits.answer(await db.visits.get(visit.id), {"quality": 5}, asked=[], at=AT)
    assert await db.visits.purge(date(2026, 12, 24), at=AT) == 0  # due on 24 December: kept that day
    assert await db.visits.purge(date(2026, 12, 25), at=AT) == 2
    assert await db.visits.of_user(1) is None and await db.visits.of_user(2) is None
    rows = await db.engine.fetch_all("SELECT quality FROM survey_response")
    assert [r["quality"] for r in rows] == [5]  # the record without answers stores nothing
