"""bot.telegram.dedupe: the same update delivered twice has one effect, in one process and after a restart."""

from __future__ import annotations

import asyncio

from aiogram.fsm.storage.base import StorageKey


async def _at_age_question(harness):
    """A user in the pre-check with the age question (typed) in front of them."""
    user = harness.user("kk")
    await user.send("/start")
    await user.press_data("m:precheck", user.keyboard_message.message_id)
    await user.press_data("pa:citizen:0", user.keyboard_message.message_id)
    await user.press_data("pa:who:0", user.keyboard_message.message_id)
    return user


async def _answers(harness, user) -> dict:
    key = StorageKey(bot_id=harness.bot.id, chat_id=user.id, user_id=user.id)
    return (await harness.dp.storage.get_data(key))["precheck"]["answers"]


async def test_a_typed_answer_delivered_twice_answers_one_question(harness):
    user = await _at_age_question(harness)
    update = user.fake_user.text("30")
    first = await harness.feed(update)
    assert first.sent
    answers = await _answers(harness, user)
    again = await harness.feed(update)
    assert again.events == []
    assert await _answers(harness, user) == answers
    assert harness.dp["dedupe"].skipped == 1


async def test_a_press_delivered_again_after_a_restart_has_no_second_effect(harness):
    user = harness.user("ru")
    await user.send("/start")
    press = user.fake_user.press_data("m:precheck", user.keyboard_message.message_id)
    assert (await harness.feed(press)).messages
    await harness.restart()
    assert (await harness.feed(press)).events == []
    assert harness.dp["dedupe"].skipped == 1
    assert (await user.send("/menu")).sent  # later updates are served as usual


async def test_a_new_update_that_reuses_an_old_id_is_handled(harness):
    user = harness.user("kk")
    first = user.fake_user.text("/start")
    await harness.feed(first)
    await harness.restart()
    reused = user.fake_user.text("/help") | {"update_id": first["update_id"]}
    assert (await harness.feed(reused)).sent


async def test_the_same_update_arriving_while_it_is_handled_runs_once(harness):
    user = await _at_age_question(harness)
    update = user.fake_user.text("45")
    before = len(harness.fake.sent(user.id))
    await asyncio.gather(harness.feed(update), harness.feed(update))
    cards = harness.fake.sent(user.id)[before:]
    assert len(cards) == 1


async def test_handled_updates_are_recorded_with_their_content_digest(harness):
    user = harness.user("kk")
    update = user.fake_user.text("/start")
    await harness.feed(update)
    assert await harness.db.updates.last_handled_update() == update["update_id"]
    assert await harness.db.updates.handled_update_digest(update["update_id"])
    assert await harness.db.updates.handled_update_digest(update["update_id"] + 1000) is None


async def test_a_pasted_lone_surrogate_is_answered_and_recorded(harness):
    """A terminal that cut a long paste mid-character sends a lone surrogate: no traceback, one answer."""
    user = harness.user("ru")
    await user.send("/start")
    update = user.fake_user.text("привет \udcd0 мир")
    reply = await harness.feed(update)
    assert reply.sent and await harness.db.updates.handled_update_digest(update["update_id"])


def test_the_digest_tells_another_update_under_the_same_id_apart():
    from aiogram.types import Update

    from bot.telegram.dedupe import digest

    def text(message_id, chat_id=5, text="hi"):
        return Update.model_validate({"update_id": 1, "message": {
            "message_id": message_id, "date": 1700000000, "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "A"}, "text": text}})

    def press(query_id):
        return Update.model_validate({"update_id": 1, "callback_query": {
            "id": query_id, "chat_instance": "1", "data": "m:menu",
            "from": {"id": 5, "is_bot": False, "first_name": "A"}}})

    assert digest(text(1)) == digest(text(1))
    assert len({digest(text(1)), digest(text(2)), digest(text(1, chat_id=6)), digest(press("a")),
                digest(press("b"))}) == 5
