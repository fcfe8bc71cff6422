"""Complaints that lose nothing (issue 9), through the real Dispatcher on the fake Telegram:

- the talon picture refused by Telegram hides neither the talon text nor the office's alert;
- a notice is written in the citizen's language of the moment, not the one they filed in;
- two officials pressing Extend at once extend once, with one audit record and one notice;
- /queue counts every open and overdue complaint, and says how many of them it lists;
- the talon's "accepted by" is the record made at filing, whoever takes the complaint later;
- a complaint and an answer at their longest stay workable: every screen fits Telegram's limit,
  the card comes in parts with its buttons under the last, and the complaint can be closed.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from dialogue_support import ntr, tr
from test_complaints_bot import KK, NOW, RU, WAIT, file_individual, grant, last_answer, talon_in

import handlers.complaints.own
from bot.complaints import talon, talon_image
from bot.complaints.terms import load_terms
from bot.telegram import retry
from bot.telegram.retry import RetryMiddleware
from bot.testing import Fault
from bot.testing.limits import MAX_TEXT


async def no_wait(seconds: float) -> None:
    return None


async def test_a_refused_talon_picture_loses_neither_the_talon_nor_the_alert(harness):
    retry.install(harness.bot, RetryMiddleware(sleep=no_wait))
    await grant(harness, 810, "office_staff", "alm-06", "Офис О.")
    office = harness.user("kk", user_id=810)
    citizen = harness.user("ru")
    harness.fake.inject(Fault("server_error", "sendPhoto", times=5))
    filed = await file_individual(citizen, "ru", category=WAIT["ru"])
    shown = talon_in(filed.text)
    assert RU["registered"] in filed.text and [m.kind for m in filed.sent] == []
    assert tr("ru", "Something went wrong on my side. Your answers are saved; please try again or open the "
                    "menu.") not in filed.text
    assert sum(1 for c in harness.fake.calls if c.method == "sendPhoto") == 5
    assert f"Жаңа шағым {shown}" in office.last.text
    assert await harness.db.complaints.by_talon(talon.parse(shown)) is not None

    receipt = next(m for m in filed.messages if shown in m.text)
    opened = await citizen.press(tr("ru", "🔎 Open this complaint"), receipt)
    picture = await citizen.press(tr("ru", "🖼 The talon as a picture"), opened.last)
    assert picture.sent and picture.sent[0].kind == "photo"  # Telegram takes it again: drawn on request


async def test_a_notice_is_in_the_citizens_language_of_the_moment(harness):
    citizen = harness.user("kk")
    filed = await file_individual(citizen, "kk", category=WAIT["kk"])
    shown = talon_in(filed.text)
    row = await harness.db.complaints.by_talon(talon.parse(shown))
    await citizen.send("/language")
    await citizen.press(tr("ru", "Russian"))
    await grant(harness, 500, "office_staff", row.office_id, "Ахметов А. Б.")
    staff = harness.user("kk", user_id=500)
    await staff.send(f"/ticket {shown}")
    await staff.press(KK["take"])
    told = citizen.last.text
    assert RU["status_taken"] in told and shown in told and "Ахметов А. Б." in told


async def test_two_officials_extending_at_once_extend_once(harness, monkeypatch):
    citizen = harness.user("ru")
    filed = await file_individual(citizen, "ru", category=WAIT["ru"])
    shown = talon_in(filed.text)
    row = await harness.db.complaints.by_talon(talon.parse(shown))
    first, second = harness.user("ru", user_id=701), harness.user("kk", user_id=702)
    await grant(harness, 701, "office_staff", row.office_id, "Бірінші Б.")
    await grant(harness, 702, "office_staff", row.office_id, "Екінші Е.")
    await first.send(f"/ticket {shown}")
    await first.press(RU["take"])
    cards = [await official.send(f"/ticket {shown}") for official in (first, second)]

    read = harness.db.complaints.by_talon
    arrived, both = [], asyncio.Event()

    async def read_together(compact):  # both presses read the complaint before either changes it
        found = await read(compact)
        arrived.append(compact)
        if len(arrived) == 2:
            both.set()
        await asyncio.wait_for(both.wait(), 5)
        return found

    monkeypatch.setattr(harness.db.complaints, "by_talon", read_together)
    extend = {"ru": tr("ru", "⏳ Extend the term (information requested)"),
              "kk": tr("kk", "⏳ Extend the term (information requested)")}
    await asyncio.gather(first.press(extend["ru"], cards[0].last), second.press(extend["kk"], cards[1].last))
    monkeypatch.undo()

    events = [e.action for e in await harness.db.complaints.events(row.id)]
    assert events == ["registered", "taken", "extended"]
    assert len([m for m in harness.fake.sent(citizen.id) if "нужна информация" in m.text]) == 1
    answers = [q["answer"].get("text") for q in list(harness.fake.callback_queries.values())[-2:]]
    changed = "Someone changed this complaint a moment ago: here it is now."
    assert [a for a in answers if a] in ([tr("ru", changed)], [tr("kk", changed)])


async def test_the_queue_counts_all_and_says_how_many_it_lists(harness):
    fields = {"kind": "individual", "surname": "Иванов", "name": "Иван", "postal_address": "ул. Абая, 1",
              "office_id": "alm-06", "channel": "post", "category": "long_wait",
              "text": "Долго ждал в очереди"}
    old = NOW - timedelta(days=40)
    for n in range(45):
        await harness.db.complaints.register(fields, registered_at=old + timedelta(minutes=n),
                                            due_date=(old + timedelta(days=15)).date(), actor="t")
    await grant(harness, 820, "office_staff", "alm-06", "Офис О.")
    staff = harness.user("ru", user_id=820)
    queue = await staff.send("/queue")
    assert tr("ru", "Open complaints, oldest first: {count}").format(count=45) in queue.text
    assert tr("ru", "Overdue: {count} (marked ⚠️)").format(count=45) in queue.text
    assert ntr("ru", "Below is the first {shown} of {total}; find any other with /ticket NUMBER.",
               "Below are the first {shown} of {total}; find any other with /ticket NUMBER.", 30,
               shown=30, total=45) in queue.text
    assert sum(1 for b in queue.buttons if b.startswith("⚠️")) == 30


async def test_the_talon_keeps_who_accepted_it_at_filing(harness, monkeypatch):
    cards = []

    def keep(card):
        cards.append(card)
        return talon_image.render_png(card)

    monkeypatch.setattr(handlers.complaints.own, "render_png", keep)
    citizen = harness.user("ru")
    filed = await file_individual(citizen, "ru", category=WAIT["ru"])
    shown = talon_in(filed.text)
    row = await harness.db.complaints.by_talon(talon.parse(shown))
    await grant(harness, 500, "office_staff", row.office_id, "Ахметов А. Б.")
    staff = harness.user("ru", user_id=500)
    await staff.send(f"/ticket {shown}")
    await staff.press(RU["take"])
    opened = await citizen.press(RU["open"])
    await citizen.press(tr("ru", "🖼 The talon as a picture"), opened.last)
    at_filing, later = (dict(card.rows)[tr("ru", "Accepted by")] for card in cards)
    assert later == at_filing and "Ахметов" not in later
    assert tr("ru", "the bot's complaint registry (registered automatically)") in later.lower()


# --- everything at its limit ------------------------------------------------------------------------


def words(count: int, seed: str) -> str:
    """`count` characters of text in words and lines, with characters HTML must escape."""
    base = f"{seed} <очередь> & «окно» 3, "
    out = ""
    while len(out) < count:
        out += base if len(out) % 500 < 480 else "\n"
    return out[:count].rstrip() + "."


async def file_at_the_limits(user, lang: str):
    limits = load_terms().limits
    w = {"kk": KK, "ru": RU}[lang]
    name = ("Абдурахманова-" * 8)[:limits["name_max"] - 1] + "а"
    address = ("050000, Алматы қ., Абай даңғылы 10, 5-пәтер; " * 8)[:limits["address_max"]].strip()
    text = words(limits["text_max"], "Жалоба")
    await user.send("/complaints")
    await user.press(w["file"])
    await user.press(w["individual"])
    for typed in (name, name, name, address):
        await user.send(typed)
    found = await user.send("Қонаев")
    await user.press(found.buttons[0])
    await user.press(WAIT[lang])
    review = await user.send(text)
    await user.press(w["continue"])
    filed = await user.press(w["agree"])
    return review, filed, text


def fits(messages) -> None:
    assert messages and all(len(m.text) <= MAX_TEXT for m in messages)


async def test_a_complaint_and_an_answer_at_their_longest_stay_workable(harness):
    citizen = harness.user("ru")
    review, filed, text = await file_at_the_limits(citizen, "ru")
    fits(review.messages)
    fits(filed.messages)
    shown = talon_in(filed.text)
    row = await harness.db.complaints.by_talon(talon.parse(shown))
    await grant(harness, 500, "office_staff", row.office_id, "Ахметов А. Б.")
    staff = harness.user("ru", user_id=500)

    card = await staff.send(f"/ticket {shown}")
    fits(card.messages)
    await staff.press(RU["take"], card.last)
    await staff.press(RU["answer"])
    answer = words(load_terms().limits["answer_max"], "Ответ")
    preview = await staff.send(answer)
    fits(preview.messages)
    sent = await staff.press(RU["send"])
    assert len(sent.messages) >= 2  # the card in parts
    fits(sent.messages)
    *parts, last = sent.messages
    assert all(not p.inline for p in parts) and RU["close"] in " ".join(last.button_texts)
    together = " ".join(" ".join(m.text.split()) for m in sent.messages)
    for piece in (text, answer):
        assert " ".join(piece.split()) in together

    told = [m for m in harness.fake.sent(citizen.id) if RU["answer_head"] in m.text]
    assert len(told) == 1 and " ".join(answer.split()) in " ".join(told[0].text.split())
    fits(told)

    for _ in range(2):  # the card opens again as often as needed
        again = await staff.send(f"/ticket {shown}")
        fits(again.messages)
    queue = await staff.send("/queue")
    opened = await staff.press(next(b for b in queue.buttons if shown in b))
    fits(opened.messages)
    asked = await staff.press(RU["close"], opened.last)
    fits(asked.messages)
    closed = await staff.press("❎ Не обоснована")
    fits(closed.messages)
    assert (await harness.db.complaints.by_talon(row.talon)).status == "closed"
    assert last_answer(harness) == ""

    mine = await citizen.send(f"/ticket {shown}")
    fits(mine.messages)
    assert " ".join(answer.split()) in " ".join(" ".join(m.text.split()) for m in mine.messages)
