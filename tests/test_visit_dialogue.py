""""I handed in my documents" on the fake Telegram, in Kazakh and Russian: the office and the talon day,
the §7.1 due day under "My application", the §15 reminder and the survey sent through the outbox on
their days (also after a restart), the survey stored without a user id, correction and deletion."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from dialogue_support import LANGS, frozen_clock, tr  # noqa: F401  (fixture)

from bot.clock import KZ_TZ
from bot.formatting import day
from bot.offices.directory import load_directory
from handlers.questionnaire import QuestionnaireAnswer

pytestmark = pytest.mark.usefixtures("frozen_clock")
OFFICE = load_directory().get("ast-01")
ACCEPTED = date(2026, 11, 24)  # FROZEN is Wednesday 25 November 2026: "Yesterday" is a Tuesday
DUE = date(2026, 12, 24)


def at(day_: date) -> datetime:
    return datetime(day_.year, day_.month, day_.day, 10, 0, tzinfo=KZ_TZ)


async def record(user, lang: str):
    await user.send("/start")
    reply = await user.press(tr(lang, "🗂 My application"))
    assert tr(lang, "You have not recorded handing in your documents yet. Once the migration police has "
                    "accepted them, record the office and the day on the talon: I will tell you when the "
                    "decision is due and remind you of it.") in reply.text
    await user.press(tr(lang, "📥 I handed in my documents"))
    reply = await user.send("Астана")
    reply = await user.press(office_button(reply.last, OFFICE.id))
    assert tr(lang, "Today") in reply.buttons and tr(lang, "Yesterday") in reply.buttons
    return reply


def office_button(message, office_id: str) -> str:
    return next(b["text"] for row in message.inline for b in row
                if b.get("callback_data") == f"vo:{office_id}")


async def run_scheduler(harness) -> None:
    """One pass of the outbox worker: the scheduled work, then every notice due."""
    outbox = harness.dp["outbox"]
    await outbox.run_passes(harness.bot)
    await outbox.deliver_due(harness.bot)


@pytest.mark.parametrize("lang", LANGS)
async def test_record_shows_the_due_day_and_keeps_it_under_my_application(harness, lang):
    user = harness.user(lang)
    await record(user, lang)
    reply = await user.send("31.11.2026")  # no such day
    assert tr(lang, "Please type the date as dd.mm.yyyy, for example 25.11.2026.") in reply.text
    reply = await user.send("01.12.2026")
    assert tr(lang, "{day} has not come yet. Type the day the documents were accepted.",
              day=day(date(2026, 12, 1), lang)) in reply.text
    reply = await user.send("24.11.2024")
    assert tr(lang, "{day} was more than a year ago. Please check the year on the talon.",
              day=day(date(2024, 11, 24), lang)) in reply.text
    reply = await user.press(tr(lang, "Yesterday"))
    due_line = tr(lang, "The decision is due by {due}: within 30 calendar days of the day the documents "
                        "were accepted (§7.1).", due=day(DUE, lang))
    assert due_line in reply.text
    told = tr(lang, "The migration police tells you of the decision by phone or in person (§15).")
    assert told in reply.text
    visit = await harness.db.visits.of_user(user.id)
    assert (visit.accepted_on, visit.due_on, visit.remind_on) == (ACCEPTED, DUE, DUE)
    await user.send("/start")
    reply = await user.press(tr(lang, "🗂 My application"))
    assert due_line in reply.text and day(ACCEPTED, lang) in reply.text


@pytest.mark.parametrize("lang", LANGS)
async def test_a_day_off_is_asked_to_be_confirmed(harness, lang):
    user = harness.user(lang)
    await record(user, lang)
    sunday = date(2026, 11, 22)
    reply = await user.send("22.11.2026")
    assert tr(lang, "{day} is a day off: the offices do not accept documents then (§9). Is the date on "
                    "the talon really this one?", day=day(sunday, lang)) in reply.text
    assert await harness.db.visits.of_user(user.id) is None
    reply = await user.press(tr(lang, "Yes, that day"))
    assert day(sunday + timedelta(days=30), lang) in reply.text
    assert (await harness.db.visits.of_user(user.id)).accepted_on == sunday


@pytest.mark.parametrize("lang", LANGS)
async def test_the_reminder_comes_on_its_day_once_with_the_office_phones(harness, lang, frozen_clock):  # noqa: F811
    user = harness.user(lang)
    await record(user, lang)
    await user.press(tr(lang, "Yesterday"))
    frozen_clock.set(at(DUE - timedelta(days=1)))
    before = len(user.messages)
    await run_scheduler(harness)
    assert not any(tr(lang, "Reminder") in m.text for m in user.messages[before:])
    frozen_clock.set(at(DUE))
    await run_scheduler(harness)
    await harness.restart()  # a new process finds it sent: never twice
    await run_scheduler(harness)
    reminders = [m for m in user.messages if m.text.startswith(tr(lang, "Reminder"))]
    assert len(reminders) == 1
    text = reminders[0].text
    assert tr(lang, "The decision on the documents you handed in on {day} is due by {due} (§7.1).",
              day=day(ACCEPTED, lang), due=day(DUE, lang)) in text
    assert "+7 7172 71-68-63" in text and "+7 7172 71-67-37" in text
    assert await harness.db.outbox.get(f"visit:{(await harness.db.visits.of_user(user.id)).id}:reminder")


@pytest.mark.parametrize("lang", LANGS)
async def test_the_survey_is_asked_once_and_stored_without_who_gave_it(harness, lang, frozen_clock):  # noqa: F811
    user = harness.user(lang)
    await record(user, lang)
    await user.press(tr(lang, "Today"))
    accepted, due = date(2026, 11, 25), date(2026, 12, 25)
    await run_scheduler(harness)  # the day of the visit: nothing to ask yet
    assert not any("1" in m.button_texts for m in user.messages)
    frozen_clock.set(at(accepted + timedelta(days=1)))
    await run_scheduler(harness)
    await run_scheduler(harness)
    asked = [m for m in user.messages if m.button_texts[:5] == ["1", "2", "3", "4", "5"]]
    assert len(asked) == 1 and tr(lang, "Skip") in asked[0].button_texts
    first_press = asked[0].inline[0][3]["callback_data"]
    reply = await user.press("4", asked[0])
    assert tr(lang, "Skip") in reply.buttons  # the next question in the same message
    reply = await user.press(tr(lang, "Skip"), reply.last)
    reply = await user.press("5", reply.last)
    assert tr(lang, "Thank you! I will ask one more question after the decision is due.") in reply.text
    reply = await user.press_data(first_press, asked[0].message_id)  # an old tap: not applied twice
    visit = await harness.db.visits.of_user(user.id)
    assert visit.survey_answers == {"quality": 4, "information": None, "courtesy": 5}
    frozen_clock.set(at(due + timedelta(days=1)))
    await harness.restart()
    await run_scheduler(harness)
    on_time = user.keyboard_message
    assert on_time.button_texts == [tr(lang, "Yes"), tr(lang, "No"), tr(lang, "Skip")]
    reply = await user.press(tr(lang, "No"), on_time)
    assert reply.last.button_texts == []
    rows = await harness.db.engine.fetch_all("SELECT * FROM survey_response")
    assert len(rows) == 1
    row = rows[0]
    assert (row["office_id"], row["department_id"], row["visited_on"]) == ("ast-01", "ast-00", "2026-11-01")
    assert (row["quality"], row["information"], row["courtesy"], row["on_time"], row["channel"]) == \
        (4, None, 5, 0, "bot")
    assert str(user.id) not in " ".join(str(v) for v in row.values())
    visit = await harness.db.visits.of_user(user.id)
    assert visit.survey_done and visit.survey_answers == {}
    raw = await harness.db.engine.fetch_val("SELECT survey_answers FROM visit WHERE id = ?", (visit.id,))
    assert raw is None
    before = len(user.messages)
    await run_scheduler(harness)
    assert len(user.messages) == before
    stale = QuestionnaireAnswer(n="sv", r=visit.id, q="on_time", i=0).pack()
    await user.press_data(stale, on_time.message_id)
    assert len(await harness.db.engine.fetch_all("SELECT * FROM survey_response")) == 1


@pytest.mark.parametrize("lang", LANGS)
async def test_correct_then_delete_the_record(harness, lang):
    user = harness.user(lang)
    await record(user, lang)
    await user.press(tr(lang, "Yesterday"))
    first = await harness.db.visits.of_user(user.id)
    await user.press(tr(lang, "✏️ Correct"))
    reply = await user.send("Астана")
    await user.press(office_button(reply.last, OFFICE.id))
    reply = await user.press(tr(lang, "Today"))
    visit = await harness.db.visits.of_user(user.id)
    assert visit.accepted_on == date(2026, 11, 25) and visit.id != first.id
    assert day(date(2026, 12, 25), lang) in reply.text
    await user.press(tr(lang, "🗑 Delete"))
    reply = await user.press(tr(lang, "🗑 Yes, delete"))
    assert tr(lang, "The record is deleted, with its reminder and the survey not yet answered.") in reply.text
    assert await harness.db.visits.of_user(user.id) is None


@pytest.mark.parametrize("lang", LANGS)
async def test_privacy_says_what_a_visit_keeps(harness, lang):
    user = harness.user(lang)
    await user.send("/start")
    reply = await user.send("/privacy")
    assert tr(lang, "Visits: if you record handing in your documents, the bot keeps the office, the day on "
                    "the talon and your Telegram account number, to tell you when the decision is due and "
                    "to remind you; you can correct or delete the record under “My application”. Your "
                    "survey answers are kept with the office and the month of the visit only, apart from "
                    "who gave them: once the survey is over, nothing links them to you.") in reply.text


async def test_buttons_already_in_chats_keep_their_data_one_handler_each(harness):
    """Each record button has its own handler (VisitStep); the data already sent in chats is the same:
    "vg:new" turns the pressed message into the form, "vg:new_below" (under the pre-check's result)
    starts it in a new message, "vg:yesterday" and "vg:today" take their days."""
    user = harness.user("ru")
    menu = await user.send("/start")
    result = menu.last.message_id
    below = await user.press_data("vg:new_below", result)
    assert [m.text for m in below.sent] == [tr("ru", "Which office accepted your documents? Type the name of "
                                                     "your town or district, or choose the region.")]
    assert not below.edited and harness.fake.current(user.id, result).text == menu.last.text
    reply = await user.send("Астана")
    asked = await user.press(office_button(reply.last, OFFICE.id))
    card = await user.press_data("vg:yesterday", asked.last.message_id)
    assert (await harness.db.visits.of_user(user.id)).accepted_on == ACCEPTED
    edited = await user.press_data("vg:new", card.last.message_id)
    assert not edited.sent and [m.message_id for m in edited.edited] == [card.last.message_id]
    assert edited.last.text == below.last.text
    reply = await user.send("Астана")
    asked = await user.press(office_button(reply.last, OFFICE.id))
    await user.press_data("vg:today", asked.last.message_id)
    assert (await harness.db.visits.of_user(user.id)).accepted_on == date(2026, 11, 25)
