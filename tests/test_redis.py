"""Redis for several replicas, on the real Redis TEST_REDIS_URL names (tools/test_servers.sh): the
storage contract, two Dispatchers on one Redis (the dialogue carries on in either, one user's updates
one at a time, one throttle, one effect per update), the draft purge, the locks, a Redis that is down.

Each test runs under a bot id of its own (the token), which every key carries, so tests never meet.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Dispatcher, F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.types import Message, Update

from bot.app import build_dispatcher
from bot.storage.database import Database
from bot.storage.redis_buckets import RedisBuckets
from bot.storage.redis_client import open_redis
from bot.storage.redis_dialogues import RedisDialogues
from bot.storage.redis_locks import RedisLocks
from bot.storage.redis_updates import KEEP_SECONDS, RedisUpdateMarks
from bot.telegram.throttle import Policy
from bot.testing.harness import BotHarness
from tests.dialogue_support import tr

REDIS_URL = os.environ.get("TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL,
                                reason="TEST_REDIS_URL is unset: run under tools/test_servers.sh")


def unique_token() -> str:
    return f"{secrets.randbelow(10**9) + 10**9}:redis-test-token"


@pytest.fixture
async def redis():
    client = open_redis(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
async def harness(tmp_path):
    """A bot whose dialogues, locks, buckets and marks are in Redis (`harness.redis`)."""
    bot_harness = await BotHarness(tmp_path / "bot.sqlite3", redis_url=REDIS_URL,
                                   bot_token=unique_token()).start()
    yield bot_harness
    await bot_harness.stop()


def replica(harness: BotHarness, **kwargs) -> Dispatcher:
    """A second Dispatcher on the same database and Redis, as another replica would build it."""
    dp = build_dispatcher(harness.settings, harness.db, redis=harness.redis, **kwargs)
    dp.errors.outer_middleware(harness._collect)
    return dp


async def feed_on(harness: BotHarness, dp: Dispatcher, update: dict):
    """harness.feed (with its checks and its Reply), through `dp`."""
    first, harness.dp = harness.dp, dp
    try:
        return await harness.feed(update)
    finally:
        harness.dp = first


async def raw_feed(harness: BotHarness, dp: Dispatcher, update: dict) -> None:
    await dp.feed_update(harness.bot, Update.model_validate(update, context={"bot": harness.bot}))


def storage_key(harness: BotHarness, user) -> StorageKey:
    return StorageKey(bot_id=harness.bot.id, chat_id=user.id, user_id=user.id)


def key_builder() -> DefaultKeyBuilder:
    return DefaultKeyBuilder(prefix=f"t{uuid.uuid4().hex}", with_bot_id=True, with_destiny=True)


def key(user_id: int) -> StorageKey:
    return StorageKey(bot_id=42, chat_id=user_id, user_id=user_id)


# --- the storage -------------------------------------------------------------------------------


async def test_aiogram_storage_contract(redis):
    storage = RedisDialogues(redis, key_builder())
    k = key(9)
    assert await storage.get_state(k) is None and await storage.get_data(k) == {}
    await storage.set_state(k, "S:one")
    await storage.set_data(k, {"a": 1})
    assert await storage.update_data(k, {"b": 2}) == {"a": 1, "b": 2}
    assert await storage.get_data(k) == {"a": 1, "b": 2}
    assert await storage.get_value(k, "missing", "default") == "default"
    await storage.set_data(k, {})
    assert await storage.get_data(k) == {} and await storage.get_state(k) == "S:one"
    await storage.set_state(k, None)
    assert await storage.get_state(k) is None
    await storage.close()
    assert await redis.ping()  # the client stays open: its owner closes it


async def test_keys_are_the_database_storages_json_and_never_expire(harness):
    user = harness.user("ru")
    await user.send("/start")
    await user.press(tr("ru", "✅ Check if I can apply"))
    name = f"fsm:{harness.bot.id}:{user.id}:{user.id}:default"
    assert name == harness.dialogue_key(user)  # bot.storage.fsm.dialogue_key_builder's layout
    assert (await harness.redis.get(f"{name}:state")).decode().startswith("Precheck")
    assert isinstance(json.loads(await harness.redis.get(f"{name}:data")), dict)
    assert await harness.redis.ttl(f"{name}:state") == -1 and await harness.redis.ttl(f"{name}:data") == -1
    assert await harness.db.dialogues.get(name) == (None, {})  # nothing written to the database


async def test_the_draft_purge_drops_idle_drafts_only(redis):
    now = datetime.now(UTC)
    times = iter([(now - timedelta(days=10)).timestamp()] * 2 + [now.timestamp()] * 2)
    storage = RedisDialogues(redis, key_builder(), clock=lambda: next(times))
    idle, recent, idle_no_draft = key(1), key(2), key(3)
    await storage.set_data(idle, {"complaint": {"surname": "Ким"}, "precheck": {"answers": {}}})
    await storage.set_state(idle_no_draft, "S:x")
    await storage.set_data(recent, {"complaint": {"surname": "Ли"}})
    await storage.set_state(recent, "S:y")
    assert await storage.forget_part("complaint", now - timedelta(days=7)) == 1
    assert await storage.get_data(idle) == {"precheck": {"answers": {}}}
    assert await storage.get_data(recent) == {"complaint": {"surname": "Ли"}}
    assert await storage.get_state(idle_no_draft) == "S:x"
    # both idle dialogues left the set of touched ones: the next purge reads only what moved since
    assert await redis.zcard(storage.touched) == 1


async def test_a_dialogue_that_moves_on_during_the_purge_keeps_its_draft(redis):
    storage = RedisDialogues(redis, key_builder(), clock=lambda: 1000.0)
    k = key(4)
    await storage.set_data(k, {"complaint": {"surname": "Ким"}})
    storage.clock = lambda: 2000.0
    real_get = redis.get

    async def moved_on(name):  # another replica writes between the purge's read and its write
        raw = await real_get(name)
        await storage.set_data(k, {"complaint": {"surname": "Ким", "name": "Ли"}})
        return raw

    storage.redis.get = moved_on
    try:
        assert await storage.forget_part("complaint", datetime.fromtimestamp(1500, UTC)) == 0
    finally:
        del storage.redis.get
    assert await storage.get_data(k) == {"complaint": {"surname": "Ким", "name": "Ли"}}


async def test_retention_sweep_reaches_drafts_in_redis(harness):
    from bot.telegram.retention import RetentionSweep

    storage = harness.dp.storage
    k = StorageKey(bot_id=harness.bot.id, chat_id=77, user_id=77)
    storage.clock = lambda: (datetime.now(UTC) - timedelta(days=400)).timestamp()
    await storage.set_data(k, {"complaint": {"surname": "Ким"}, "kept": 1})
    await RetentionSweep(harness.db, harness.settings, draft_key="complaint",
                         dialogue_parts=harness.dp.storage).sweep()
    assert await storage.get_data(k) == {"kept": 1}


# --- two Dispatchers on one Redis ----------------------------------------------------------------


async def test_the_dialogue_carries_on_whichever_dispatcher_gets_the_next_update(harness):
    dispatchers = [harness.dp, replica(harness)]
    user = harness.user("kk")
    steps = [user.fake_user.text("/start"),
             lambda: user.fake_user.press_data("m:precheck", user.keyboard_message.message_id),
             lambda: user.fake_user.press_data("pa:citizen:0", user.keyboard_message.message_id),
             lambda: user.fake_user.press_data("pa:who:0", user.keyboard_message.message_id)]
    for n, step in enumerate(steps):
        await feed_on(harness, dispatchers[n % 2], step() if callable(step) else step)
    reply = await feed_on(harness, dispatchers[0], user.fake_user.text("30"))
    assert reply.sent
    answers = (await dispatchers[1].storage.get_data(storage_key(harness, user)))["precheck"]["answers"]
    assert set(answers) >= {"citizen", "who", "age"}


def note_taker(dp: Dispatcher) -> None:
    """A handler that adds one key to the dialogue data per message, as every dialogue step does: it
    reads the data, works a moment (a call to Telegram, to the database), then writes it back."""

    async def take_note(message: Message, state: FSMContext) -> None:
        data = await state.get_data()
        await asyncio.sleep(0.01)
        await state.set_data(data | {message.text: True})
        await message.answer("noted")

    dp.message.register(take_note, F.text.startswith("note "))


async def test_one_users_updates_on_two_dispatchers_are_handled_one_at_a_time(harness):
    second = replica(harness)
    for dp in (harness.dp, second):
        note_taker(dp)
    user = harness.user("kk")
    notes = [f"note {n}" for n in range(20)]
    await asyncio.gather(*(raw_feed(harness, (harness.dp, second)[n % 2], user.fake_user.text(note))
                           for n, note in enumerate(notes)))
    assert sorted(await second.storage.get_data(storage_key(harness, user))) == sorted(notes)


async def test_without_the_shared_lock_two_dispatchers_lose_answers(harness):
    """What the test above guards against: each process's own lock does not see the other's."""
    first, second = (replica(harness, events_isolation=SimpleEventIsolation()) for _ in range(2))
    for dp in (first, second):
        note_taker(dp)
    user = harness.user("kk")
    notes = [f"note {n}" for n in range(20)]
    await asyncio.gather(*(raw_feed(harness, (first, second)[n % 2], user.fake_user.text(note))
                           for n, note in enumerate(notes)))
    assert len(await second.storage.get_data(storage_key(harness, user))) < len(notes)


async def test_an_update_waits_for_the_one_another_dispatcher_is_handling(harness):
    second = replica(harness)
    for dp in (harness.dp, second):
        note_taker(dp)
    user, other = harness.user("kk"), harness.user("kk")
    held, release = asyncio.Event(), asyncio.Event()
    real_handle = harness.fake.handle_form

    async def slow_first_answer(method, form, files, token):
        if method == "sendMessage" and form.get("text") == "noted" and not release.is_set():
            held.set()
            await release.wait()
        return await real_handle(method, form, files, token)

    harness.fake.handle_form = slow_first_answer
    first = asyncio.create_task(raw_feed(harness, harness.dp, user.fake_user.text("note 1")))
    await asyncio.wait_for(held.wait(), 10)
    then = asyncio.create_task(raw_feed(harness, second, user.fake_user.text("note 2")))
    await raw_feed(harness, second, other.fake_user.text("/help"))  # another user is not held up
    await asyncio.sleep(0.5)
    assert not then.done() and len(harness.fake.sent(user.id)) == 0
    release.set()
    await asyncio.wait_for(asyncio.gather(first, then), 10)
    assert sorted(await second.storage.get_data(storage_key(harness, user))) == ["note 1", "note 2"]


async def test_the_throttle_counts_a_user_across_dispatchers(harness):
    second = replica(harness)
    for dp in (harness.dp, second):
        dp["throttle"].policy = Policy(burst=3, rate=1 / 3600)
    user = harness.user("ru")
    for dp in (harness.dp, second, harness.dp):
        assert (await feed_on(harness, dp, user.fake_user.sticker())).sent
    notice = await feed_on(harness, second, user.fake_user.sticker())
    assert notice.text == tr("ru", "You are sending messages too fast. Please wait a few seconds: "
                                   "then I will answer again.")
    assert (await feed_on(harness, harness.dp, user.fake_user.sticker())).sent == []  # once per burst


async def test_one_update_delivered_to_both_at_once_has_one_effect(harness):
    second = replica(harness)
    user = harness.user("kk")
    await user.send("/start")
    update = user.fake_user.press_data("m:precheck", user.keyboard_message.message_id)
    before = len(harness.fake.events(user.id))
    await asyncio.gather(raw_feed(harness, harness.dp, update), raw_feed(harness, second, update))
    assert len(harness.fake.events(user.id)) - before == 1
    assert harness.dp["dedupe"].skipped + second["dedupe"].skipped == 1
    later = replica(harness)  # a replica started afterwards knows it too
    await raw_feed(harness, later, update)
    assert later["dedupe"].skipped == 1


async def test_a_replicas_language_choice_reaches_the_other_at_once(harness):
    """Another process has its own Database object: with Redis it must not answer from memory."""
    other_db = await Database.open(harness.db_path)
    try:
        second = build_dispatcher(harness.settings, other_db, redis=harness.redis)
        second.errors.outer_middleware(harness._collect)
        user = harness.user(None)
        await feed_on(harness, second, user.fake_user.text("/start"))  # asks the language
        await feed_on(harness, harness.dp, user.fake_user.press(tr("kk", "Russian")))
        reply = await feed_on(harness, second, user.fake_user.text("/menu"))
    finally:
        await other_db.close()
    assert tr("ru", "✅ Check if I can apply") in reply.buttons


# --- the parts on their own ----------------------------------------------------------------------


async def test_update_marks_expire_after_two_days(redis):
    marks = RedisUpdateMarks(redis, bot_id=secrets.randbelow(10**9))
    await marks.mark_update_handled(5, "abc", datetime.now(UTC))
    assert await marks.handled_update_digest(5) == "abc" and await marks.handled_update_digest(6) is None
    assert KEEP_SECONDS - 5 < await redis.ttl(f"{marks.prefix}5") <= KEEP_SECONDS
    await marks.mark_update_handled(5, "def", datetime.now(UTC))  # an id reused by another update
    assert await marks.handled_update_digest(5) == "def"


async def test_shared_buckets_refill_and_expire(redis):
    now = [1000.0]
    buckets = RedisBuckets(redis, prefix=f"t{uuid.uuid4().hex}", clock=lambda: now[0])
    assert [await buckets.take("u", 2, 1.0) for _ in range(4)] == [
        (True, False), (True, False), (False, True), (False, False)]
    now[0] += 1.0
    assert await buckets.take("u", 2, 1.0) == (True, False)
    assert 0 < await redis.ttl(f"{buckets.prefix}:u") <= 3


async def test_a_dead_holders_lock_expires_and_a_live_one_is_renewed(redis):
    locks = RedisLocks(redis, key_builder(), timeout=0.4)
    k = key(5)
    order: list[str] = []

    async def hold(name: str, seconds: float) -> None:
        async with locks.lock(k):
            order.append(f"{name} in")
            await asyncio.sleep(seconds)
            order.append(f"{name} out")

    first = asyncio.create_task(hold("slow", 1.2))  # three times the timeout: renewed meanwhile
    await asyncio.sleep(0.05)
    await hold("next", 0)
    await first
    assert order == ["slow in", "slow out", "next in", "next out"]
    dead = redis.lock(locks.key_builder.build(k, "lock"), timeout=0.4)
    assert await dead.acquire()  # and never released, as by a replica killed with SIGKILL
    started = asyncio.get_running_loop().time()
    await hold("survivor", 0)
    assert 0.2 < asyncio.get_running_loop().time() - started < 2.0


async def test_a_redis_that_is_down_lets_updates_through_the_throttle_and_the_purge():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = open_redis(f"redis://127.0.0.1:{probe.getsockname()[1]}/0")
    try:
        assert await RedisBuckets(dead).take("u", 1, 1.0) == (True, False)
        assert await RedisDialogues(dead).forget_part("complaint", datetime.now(UTC)) == 0
    finally:
        await dead.aclose()
