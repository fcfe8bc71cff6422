"""The Appendix 3 repository (db.surveys) on each backend: the table refuses what the survey cannot
answer, a key is stored once, served counts are whole months, and the /stats chart reads by month."""

from datetime import UTC, date, datetime

import pytest

from bot.storage import surveys
from bot.storage.engine import StorageError
from bot.visits.indicators import Scope

AT = datetime(2026, 5, 4, 6, tzinfo=UTC)


def answer(**over):
    return {"office_id": "alm-06", "department_id": "alm-00", "visited_on": date(2026, 4, 1), "quality": 5,
            "information": 4, "courtesy": None, "on_time": True, "channel": "bot",
            "idempotency_key": None} | over


@pytest.mark.parametrize("over", [{"quality": 0}, {"information": 6}, {"courtesy": -1}])
async def test_a_rating_off_the_scale_is_refused_and_nothing_stored(db, over):
    with pytest.raises(StorageError):
        await db.surveys.add_response(**answer(**over))
    assert await db.surveys.answers() == []


async def test_a_key_is_stored_once_and_answers_keep_no_one(db):
    assert await db.surveys.add_response(**answer(idempotency_key="bot:1"))
    assert not await db.surveys.add_response(**answer(idempotency_key="bot:1", quality=1))
    assert await db.surveys.add_response(**answer(channel="paper"))  # no key: paper forms may repeat
    assert await db.surveys.add_response(**answer(channel="paper"))
    stored = await db.surveys.answers()
    assert [a.answers for a in stored] == [{"quality": 5, "information": 4, "on_time": True}] * 3
    with pytest.raises(ValueError, match="channel"):
        await db.surveys.add_response(**answer(channel="phone"))


async def test_served_counts_are_whole_months_and_re_entry_replaces(db):
    with pytest.raises(ValueError, match="first day"):
        await db.surveys.set_served_count(office_id="alm-06", month=date(2026, 4, 2), count=1,
                                          entered_by="staff:1", at=AT)
    first = await db.surveys.set_served_count(office_id="alm-06", month=date(2026, 4, 1), count=120,
                                              entered_by="staff:1", at=AT)
    second = await db.surveys.set_served_count(office_id="alm-06", month=date(2026, 4, 1), count=130,
                                               entered_by="staff:2", at=AT)
    assert (first.previous, second.previous, second.month) == (None, 120, "2026-04")
    served = await db.surveys.served_counts({"alm-06": "alm-00"}.get)
    assert [(s.department_id, s.month, s.count) for s in served] == [("alm-00", date(2026, 4, 1), 130)]


async def test_the_chart_reads_answers_by_month_within_the_days(db):
    days = [date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 30), date(2026, 5, 1)]
    for n, day in enumerate(days):
        await db.surveys.add_response(**answer(visited_on=day, quality=5 if n % 2 else 2))
    scope = Scope(office_id="alm-06", date_from=date(2026, 4, 1), date_to=date(2026, 4, 30))
    series = await surveys.satisfaction_by_month(db, scope)
    assert [(p.month, p.responses) for p in series["2.1"]] == [(date(2026, 4, 1), 2)]
