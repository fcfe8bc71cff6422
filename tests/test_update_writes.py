"""bot.storage.update_writes: the dialogue writes of an update go with its handled mark, in one trip."""

from __future__ import annotations

import json

from tests.test_duplicates import _at_age_question


def _count_trips(harness, monkeypatch) -> list[str]:
    """Every function the bot hands to aiosqlite's thread from now on."""
    conn, trips = harness.db.engine.conn, []
    hand_over = conn._execute

    async def counted(fn, *args, **kwargs):
        trips.append(getattr(fn, "__name__", repr(fn)))
        return await hand_over(fn, *args, **kwargs)

    monkeypatch.setattr(conn, "_execute", counted)
    return trips


async def test_a_typed_answer_is_one_trip_to_the_database(harness, monkeypatch):
    user = await _at_age_question(harness)
    trips = _count_trips(harness, monkeypatch)
    reply = await user.send("30")
    assert reply.sent
    assert len(trips) == 1  # the state, the data and the handled mark together


async def test_an_update_whose_mark_fails_leaves_its_dialogue_as_it_was(harness):
    user = await _at_age_question(harness)
    key = harness.dialogue_key(user)
    stored = await harness.db.dialogues.get(key)
    await harness.db.engine.execute(
        "CREATE TEMP TRIGGER full_disk BEFORE INSERT ON processed_update "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    await harness.feed(user.fake_user.text("30"), expect_error=True)
    assert await harness.db.dialogues.get(key) == stored  # none of the update's writes landed
    await harness.db.engine.execute("DROP TRIGGER full_disk")
    data = await harness.dp.storage.get_data(harness.dp.fsm.get_context(
        harness.bot, user.id, user.id).key)
    assert json.dumps(data, sort_keys=True) == json.dumps(stored[1], sort_keys=True)  # nor in memory
    assert (await user.send("30")).sent  # and the same answer is taken once the disk has room
    assert (await harness.db.dialogues.get(key))[1] != stored[1]
