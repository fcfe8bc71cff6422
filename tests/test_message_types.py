"""Every kind of message, in every dialogue, gets a sensible answer (or is ignored by design), never a crash.

The harness fails a test on any handler exception and on any unanswered button, so each case only
has to check that the bot said something back in the private chat and stayed silent in groups.
"""

from __future__ import annotations

import pytest

ODD_TEXTS = {
    "rtl_marks": "\u200f\u202eИванов\u202c\u200e",
    "zero_width": "\u200b\u200c\u200d\ufeff",
    "emoji_zwj": "👨\u200d👩\u200d👧\u200d👦🇰🇿",
    "combining": "Е\u0301\u0301\u0301скендір\u0336",
    "control_chars": "a\x00b\x01c\x07\x1b[31m",
    "html_like": "<b>Ахмет</b> & <script>x</script>",
    "only_spaces": " \u00a0\u3000 ",
    "very_long": "Ә" * 5000,
    "exactly_4096": "ы" * 4096,
    "surrogates_and_astral": "𝔸𝕓𝕔 \U0001f600 \U000e0041",
}


async def _idle(harness, user):
    await user.send("/start")


async def _precheck_age(harness, user):
    await user.send("/start")
    await user.press_data("m:precheck", user.keyboard_message.message_id)
    await user.press_data("pa:citizen:0", user.keyboard_message.message_id)
    await user.press_data("pa:who:0", user.keyboard_message.message_id)


async def _offices(harness, user):
    await user.send("/start")
    await user.press_data("m:offices", user.keyboard_message.message_id)


async def _complaint_surname(harness, user):
    await user.send("/complaints")
    await user.press_data("cg:new", user.keyboard_message.message_id)
    await user.press_data("cg:kind_individual", user.keyboard_message.message_id)


STATES = {"idle": _idle, "precheck_age": _precheck_age, "offices": _offices,
          "complaint_surname": _complaint_surname}

KINDS = {
    "sticker": lambda u: u.sticker(),
    "photo": lambda u: u.photo(),
    "photo_with_caption": lambda u: u.photo("Паспорт"),
    "document": lambda u: u.document(),
    "voice": lambda u: u.voice(),
    "contact": lambda u: u.contact(),
    "location_in_kazakhstan": lambda u: u.location(43.238, 76.945),
    "location_far_away": lambda u: u.location(-33.86, 151.2),
    "edited_message": lambda u: u.send_and_edit("30", "31"),
    "unknown_command": lambda u: u.send("/nonsense"),
    **{f"text_{name}": (lambda u, text=text: u.send(text)) for name, text in ODD_TEXTS.items()},
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("kind", list(KINDS))
async def test_every_message_kind_in_every_dialogue_gets_an_answer(harness, state, kind):
    user = harness.user("ru" if len(kind) % 2 else "kk")
    await STATES[state](harness, user)
    reply = await KINDS[kind](user)
    assert reply.messages, f"{kind} in {state}: the bot said nothing"
    assert all(m.text or m.kind != "text" for m in reply.messages)


async def test_groups_and_channels_get_no_dialogue(harness):
    """In a group a command gets one line pointing to the private chat (bot.telegram.private_chats); anything
    else is ignored by design, and nothing of the user's dialogue appears there or in their chat."""
    user = harness.user("kk")
    await user.send("/start")
    before = len(harness.fake.events(user.id))
    for kind in ("group", "supergroup"):
        group = harness.group(-1000 - len(kind), kind)
        for text in ("/start", "/complaints"):
            reply = await harness.feed(group.text(user.fake_user, text))
            assert len(reply.sent) == 1 and not reply.sent[0].inline
        for text in ("hello", ODD_TEXTS["very_long"], ODD_TEXTS["control_chars"]):
            assert (await harness.feed(group.text(user.fake_user, text))).events == []
    channel = harness.group(-2000, "channel")
    assert (await harness.feed(channel.channel_post("news"))).events == []
    assert len(harness.fake.events(user.id)) == before


async def test_a_press_on_a_message_in_a_group_is_answered_but_not_acted_on(harness):
    user = harness.user("ru")
    group = harness.group(-3000, "supergroup")
    update = user.fake_user.press_data("m:precheck", message_id=999_999)
    update["callback_query"]["message"]["chat"] = group.raw
    reply = await harness.feed(update)  # the harness fails if the press were left unanswered
    assert reply.events == []
