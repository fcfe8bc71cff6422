"""bot.telegram.throttle: a flood gets one polite notice per burst, in the user's language."""

from __future__ import annotations

import pytest

from bot.telegram.locale import make_i18n
from bot.telegram.throttle import Policy

I18N = make_i18n()
NOTICE = "You are sending messages too fast. Please wait a few seconds: then I will answer again."


def tr(msgid: str, locale: str) -> str:
    return I18N.gettext(msgid, locale=locale)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(harness) -> Clock:
    clock = Clock()
    throttle = harness.dp["throttle"]
    throttle.clock = clock
    throttle.policy = Policy(burst=3, rate=1.0)
    return clock


@pytest.mark.parametrize("locale", ["kk", "ru"])
async def test_a_flood_gets_one_notice_per_burst_in_the_users_language(harness, clock, locale):
    user = harness.user(locale)
    replies = [await user.sticker() for _ in range(3)]
    assert all(r.sent and tr(NOTICE, locale) not in r for r in replies)
    notice = await user.sticker()
    assert notice.text == tr(NOTICE, locale)
    for _ in range(5):
        assert (await user.sticker()).sent == []
    clock.now += 2.0
    assert tr(NOTICE, locale) not in await user.send("/menu")
    await user.send("/menu")
    assert (await user.sticker()).text == tr(NOTICE, locale)  # a new burst is announced again
    assert harness.dp["throttle"].throttled == 7


async def test_a_press_while_throttled_is_answered_not_acted_on(harness, clock):
    user = harness.user("ru")
    await user.send("/start")
    for _ in range(2):
        await user.send("/menu")
    reply = await user.press(tr("💳 State fee", "ru"))  # the harness fails if the press is unanswered
    assert reply.events == []
    (query,) = [q for q in harness.fake.callback_queries.values() if q["answer"]]
    assert query["answer"]["text"] == tr(NOTICE, "ru")


async def test_a_person_at_human_speed_is_never_throttled(harness, clock):
    user = harness.user("kk")
    for _ in range(20):
        reply = await user.send("/menu")
        assert tr(NOTICE, "kk") not in reply
        clock.now += 1.0
    assert harness.dp["throttle"].throttled == 0


async def test_users_have_their_own_buckets_and_a_group_has_its_own(harness, clock):
    flooder, other = harness.user("kk"), harness.user("kk")
    for _ in range(6):
        await flooder.sticker()
    assert tr(NOTICE, "kk") not in await other.send("/menu")
    group = harness.group()
    for _ in range(10):
        await harness.feed(group.text(other.fake_user, "hello"))
    assert tr(NOTICE, "kk") not in await other.send("/menu")


async def test_idle_buckets_are_forgotten(harness, clock):
    throttle = harness.dp["throttle"]
    for _ in range(5):
        await harness.user("kk").send("/menu")
    assert len(throttle.buckets) == 5
    clock.now += 3600
    await harness.user("kk").send("/menu")
    assert len(throttle.buckets) == 1


async def test_a_flood_before_the_language_is_known_gets_few_prompts_and_one_bilingual_notice(harness, clock):
    user = harness.user(None)  # the client sends neither kk nor ru: every message would be asked
    replies = [await user.send(f"hello {n}") for n in range(200)]
    prompt = "Choose the language in which I will talk to you."
    assert sum(tr(prompt, "ru") in r for r in replies) == 3  # the burst, then nothing but the notice
    notices = [r for r in replies if tr(NOTICE, "kk") in r]
    assert len(notices) == 1 and notices[0].text == f"{tr(NOTICE, 'kk')}\n{tr(NOTICE, 'ru')}"
    assert sum(len(r.sent) for r in replies) == 4


async def test_a_group_flooding_start_gets_a_few_pointers_per_period(harness, clock):
    group = harness.group(-100555, "supergroup")
    members = [harness.user("kk") for _ in range(20)]
    pointer = "I work only in a private chat: open a chat with me and send /start."
    replies = [await harness.feed(group.text(members[n % 20].fake_user, "/start")) for n in range(200)]
    assert sum(len(r.sent) for r in replies) == 3
    assert all(r.last.text == tr(pointer, "kk") for r in replies if r.sent)
    clock.now += 60.0
    assert len((await harness.feed(group.text(members[0].fake_user, "/start"))).sent) == 1
    assert tr(NOTICE, "kk") not in await members[0].send("/menu")  # their private chat is not counted
