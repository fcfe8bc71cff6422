"""What a complaint's fields must look like in the dialogue: an address, words in the text, a real date."""

from __future__ import annotations

import pytest
from dialogue_support import tr
from test_complaints_bot import RU, WAIT, WORDS, begin_individual

NOT_ADDRESS = ("That does not look like a postal address, and the written answer is sent there. Please give "
               "the postcode, town, street and house (and the flat, if any), at least {limit} characters, "
               "for example: 050000, Алматы қ., Абай даңғылы 10, 5-пәтер")


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_letters_in_a_row_are_not_an_address_and_real_ones_pass(harness, lang):
    refusal = tr(lang, NOT_ADDRESS, limit=10)
    for typed in ("а б в г д е ж з", "asdf asdf asdf"):
        user = harness.user(lang)
        await begin_individual(user, lang)
        await user.press(WORDS[lang]["no_patronymic"])
        assert refusal in (await user.send(typed)).text, typed
    for typed in ("г. Астана, ул. Кенесары 1, кв. 5", "Ақтөбе қ., Абай даңғылы, 12",
                  "Акмолинская обл., с. Шортанды, ул. Абая"):
        user = harness.user(lang)
        await begin_individual(user, lang)
        await user.press(WORDS[lang]["no_patronymic"])
        taken = await user.send(typed)
        assert refusal not in taken.text and tr(lang, "🗺 Choose the region") in taken.buttons, typed


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_a_complaint_of_emoji_alone_is_asked_in_words(harness, lang):
    user = harness.user(lang)
    await begin_individual(user, lang)
    await user.press(WORDS[lang]["no_patronymic"])
    await user.send("050000, Алматы қ., Абай даңғылы 10")
    found = await user.send("Қонаев")
    await user.press(found.buttons[0])
    await user.press(WAIT[lang])
    refused = await user.send("😀" * 11)
    assert tr(lang, "Please describe in words what happened: emoji and signs alone are not enough.") \
        in refused.text
    review = await user.send("Кезекте екі сағат күттім.")
    assert any(WORDS[lang]["continue"] in b for b in review.buttons)


async def test_an_impossible_letter_date_is_said_to_be_no_date(harness):
    user = harness.user("ru")
    await user.send("/complaints")
    await user.press(RU["file"])
    await user.press(RU["entity"])
    for typed in ("ТОО «Жол-Құрылыс»", "010000, Астана, пр. Республики 1", "17/204"):
        await user.send(typed)
    refused = await user.send("31.02.2024")
    no_such_date = tr("ru", "There is no such date in the calendar. Check the day and the month, for example "
                         "25.11.2026.")
    assert no_such_date in refused.text  # as the fee screen and the pre-check say it
    assert tr("ru", "I could not read the date. Please type it like 25.11.2026.") not in refused.text


async def test_form_buttons_keep_their_data_and_an_unknown_one_is_out_of_date(harness):
    """Each button of the form has its own handler (ComplaintStep); the data already in chats is the
    same ("cg:kind_individual"), and a value no handler knows gets the current step back."""
    user = harness.user("ru")
    await user.send("/complaints")
    await user.press(RU["file"])
    asked = await user.press_data("cg:kind_individual")
    assert tr("ru", "I have no patronymic") not in " ".join(asked.buttons)  # the surname is asked first
    await user.press_data("cg:no_such_step", asked.last.message_id)
    query = list(harness.fake.callback_queries.values())[-1]
    assert query["answer"]["text"] == tr("ru", "This step is out of date.")
    assert harness.fake.current(user.id, asked.last.message_id).text == asked.last.text  # still the step
    name = await user.send("Сейткали")  # and the surname it asks for is taken
    assert name.text != asked.last.text
