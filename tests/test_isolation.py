"""One user's updates are handled one at a time, and each bot token keeps its own dialogues."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from aiogram import Bot, F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.types import Message, Update

from bot.app import build_dispatcher
from bot.telegram.locale import make_i18n
from bot.testing.core import FakeTelegram
from bot.testing.harness import BotHarness
from bot.testing.session import FakeSession
from bot.testing.updates import FakeUser

I18N = make_i18n()


def tr(msgid: str, locale: str) -> str:
    return I18N.gettext(msgid, locale=locale)


def note_taker(harness: BotHarness) -> None:
    """A handler that adds one key to the dialogue data per message, as every dialogue step does."""

    async def take_note(message: Message, state: FSMContext) -> None:
        await state.update_data({message.text: True})
        await message.answer("noted")

    harness.dp.message.register(take_note, F.text.startswith("note "))


async def test_twenty_concurrent_updates_of_one_user_keep_all_twenty_answers(harness):
    note_taker(harness)
    user = harness.user("kk")
    notes = [f"note {n}" for n in range(20)]
    await harness.feed_together([user.fake_user.text(note) for note in notes])
    _state, data = await harness.db.dialogues.get(harness.dialogue_key(user))
    assert sorted(data) == sorted(notes)


async def test_the_isolation_is_a_constructor_argument(tmp_path, harness):
    used: list[StorageKey] = []

    class Recording(SimpleEventIsolation):
        @asynccontextmanager
        async def lock(self, key: StorageKey):
            used.append(key)
            async with super().lock(key):
                yield

    harness.dp = build_dispatcher(harness.settings, harness.db, events_isolation=Recording())
    user = harness.user("ru")
    await user.send("/menu")
    assert [(k.bot_id, k.user_id) for k in used] == [(harness.bot.id, user.id)]


async def test_the_language_choice_carries_on_under_the_users_lock(harness):
    user = harness.user(None)
    await user.send("/help")
    reply = await asyncio.wait_for(user.press(tr("Russian", "ru")), timeout=5)  # no deadlock
    assert tr("How to use me: press a button of the menu, or send a command:", "ru") in reply.last.text


async def test_a_dialogue_kept_before_keys_named_the_bot_goes_on_after_the_upgrade(harness):
    user = harness.user("ru")
    await harness.db.dialogues.set_state(f"fsm:{user.id}:{user.id}:default", "Fee:date")  # the old key layout
    reply = await user.send("25.11.2026")
    assert tr("State fee for a payment on {date}", "ru").split("{")[0] in reply.text
    assert await harness.db.dialogues.get(harness.dialogue_key(user)) == ("Fee:date", {})
    assert await harness.db.dialogues.get(f"fsm:{user.id}:{user.id}:default") == (None, {})


async def test_a_second_bot_on_the_same_database_has_its_own_dialogues(harness):
    user = harness.user("ru")
    await user.send("/fee")  # the first bot now reads typed text as a payment date
    other_fake = FakeTelegram(token="654321:OTHER-token")
    other = Bot("654321:OTHER-token", session=FakeSession(other_fake))
    other_user = FakeUser(other_fake, user.id, language_code="ru")
    update = Update.model_validate(other_user.text("25.11.2026"), context={"bot": other})
    await harness.dp.feed_update(other, update)
    answer = other_fake.visible(user.id)[-1].text
    assert answer == tr("I did not understand that. Choose from the menu, or send /help.", "ru")
    reply = await user.send("25.11.2026")  # the first bot's dialogue is untouched
    assert tr("State fee for a payment on {date}", "ru").split("{")[0] in reply.text
    await other.session.close()
