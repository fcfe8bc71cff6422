"""What a person types is shown as typed, never read as markup: "<b>" and "&" in a complaint's address
and text, in an official's answer, in an office search of the complaint form and of "My application"
go through the screens (bot.telegram.markup, aiogram.utils.formatting) and come back literally.

The fake Telegram parses HTML as strictly as the real one, so an unescaped "<b>" would be a 400 there
(the handler fails the test) or vanish from the text the user sees.
"""

from __future__ import annotations

import pytest
from dialogue_support import LANGS, frozen_clock, tr  # noqa: F401  (fixture)
from test_complaints_bot import TEXT, WAIT, WORDS, grant, talon_in

from bot.complaints import talon

QUERY = "<b>Qwzxv</b> & <i>"
ADDRESS = "050000, Алматы қ., <b>Абай</b> & Co даңғылы 10, 5-пәтер"
COMPLAINT = "<b>Терезе</b> 3 & <i>кезек</i>: " + TEXT["kk"]
ANSWER = "Жауап <i>дайын</i> & <b>тексерілді</b>: құжаттарыңызды қабылдаймыз."


@pytest.mark.parametrize("lang", LANGS)
async def test_a_complaint_shows_what_was_typed_literally(harness, lang):
    w = WORDS[lang]
    citizen = harness.user(lang)
    await citizen.send("/complaints")
    await citizen.press(w["file"])
    await citizen.press(w["individual"])
    await citizen.send("Сейткали")
    await citizen.send("Айгерім")
    await citizen.press(w["no_patronymic"])
    await citizen.send(ADDRESS)
    nothing = await citizen.send(QUERY)
    assert tr(lang, "I found no office for “{query}”. Try another spelling, or choose the region.",
              query=QUERY) in nothing.text
    found = await citizen.send("Қонаев")
    await citizen.press(found.buttons[0])
    await citizen.press(WAIT[lang])
    review = await citizen.send(COMPLAINT)
    assert f"{tr(lang, 'Postal address')}: {ADDRESS}" in review.text and COMPLAINT in review.text
    await citizen.press(w["continue"])
    shown = talon_in((await citizen.press(w["agree"])).text)

    row = await harness.db.complaints.by_talon(talon.parse(shown))
    assert (row.postal_address, row.text) == (ADDRESS, COMPLAINT)
    await grant(harness, 500, "office_staff", row.office_id, "Ахметов <А.> & Б.")
    staff = harness.user(lang, user_id=500)
    card = await staff.send(f"/ticket {shown}")
    assert tr(lang, "Postal address: {address}", address=ADDRESS) in card.text and COMPLAINT in card.text
    await staff.press(w["take"], card.last)
    told = citizen.last.text
    assert tr(lang, "Official in charge: {official}", official="Ахметов <А.> & Б.") in told
    await staff.press(w["answer"])
    preview = await staff.send(ANSWER)
    assert ANSWER in preview.text
    await staff.press(w["send"])
    assert ANSWER in citizen.last.text
    opened = await citizen.press(w["open"])
    assert ANSWER in opened.text and "Ахметов <А.> & Б." in opened.text


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.parametrize("lang", LANGS)
async def test_an_office_search_of_my_application_shows_the_query_literally(harness, lang):
    user = harness.user(lang)
    await user.send("/start")
    await user.press(tr(lang, "🗂 My application"))
    await user.press(tr(lang, "📥 I handed in my documents"))
    reply = await user.send(QUERY)
    assert tr(lang, "No office found for “{query}”. Type another name or choose the region.",
              query=QUERY) in reply.text
