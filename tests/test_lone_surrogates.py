"""A lone surrogate (half an emoji, as some clients send it) is mended at the edge, in every field."""

from __future__ import annotations

from test_complaints_bot import TEXT, WAIT, WORDS, begin_individual, grant, talon_in

from bot.complaints import talon
from bot.telegram.lone_surrogates import mend

HALF = "\udcd0"


async def file_with(user, lang, *, address: str, text: str):
    w = WORDS[lang]
    await begin_individual(user, lang)
    await user.press(w["no_patronymic"])
    found = await user.send(address)
    assert "🗺" in " ".join(found.buttons)  # the address was taken: on to the office
    place = await user.send("Қонаев")
    await user.press(place.buttons[0])
    await user.press(WAIT[lang])
    review = await user.send(text)
    await user.press(w["continue"])
    return review, await user.press(w["agree"])


async def test_an_address_and_a_complaint_text_with_a_lone_surrogate_are_stored_mended(harness):
    user = harness.user("ru")  # the harness fails on any handler error, e.g. UnicodeEncodeError
    review, filed = await file_with(user, "ru", address=f"050000, Алматы, Абай 10{HALF}",
                                    text=f"{TEXT['ru']} {HALF}")
    assert "Абай 10\ufffd" in review.text
    row = await harness.db.complaints.by_talon(talon.parse(talon_in(filed.text)))
    assert row.postal_address == "050000, Алматы, Абай 10\ufffd"
    assert row.text == f"{TEXT['ru']} \ufffd"


async def test_a_staff_answer_with_a_lone_surrogate_reaches_the_citizen_mended(harness):
    citizen = harness.user("kk")
    _review, filed = await file_with(citizen, "kk", address="050000, Алматы, Абай 10", text=TEXT["kk"])
    row = await harness.db.complaints.by_talon(talon.parse(talon_in(filed.text)))
    await grant(harness, 500, "office_staff", row.office_id, "Ахметов А. Б.")
    staff = harness.user("ru", user_id=500)
    await staff.send("/queue")
    await staff.press(talon_in(filed.text))
    await staff.press(WORDS["ru"]["take"])
    await staff.press(WORDS["ru"]["answer"])
    preview = await staff.send(f"Проверка проведена {HALF}, очередь восстановлена.")
    assert "Проверка проведена \ufffd, очередь" in preview.text
    await staff.press(WORDS["ru"]["send"])
    assert "Проверка проведена \ufffd, очередь" in citizen.last.text


def test_whole_emoji_stay_and_halves_are_replaced():
    assert mend("😀 a\udcd0b\ud83d") == "😀 a\ufffdb\ufffd"
