"""Documents (§11) and the state fee (§8) from the menu, in Kazakh and in Russian, on the fake Telegram."""

from __future__ import annotations

from datetime import date

import pytest
from dialogue_support import (
    FROZEN,
    LANGS,
    adult_self,
    assert_callback_data_fits,
    frozen_clock,  # noqa: F401  (fixture)
    shown_question,
    tr,
    walk,
)

from bot.formatting import day, money, pick
from bot.rules.fee import load_mrp_table
from bot.rules.ruleset import load_ruleset
from handlers.callbacks import MenuCallback

pytestmark = pytest.mark.usefixtures("frozen_clock")
RULESET = load_ruleset()
UNREADABLE = "I could not read that date. Type it as DD.MM.YYYY (for example 25.11.2026) or YYYY-MM-DD."
NO_SUCH_DATE = "There is no such date in the calendar. Check the day and the month, for example 25.11.2026."
STALE = ("The MRP table of this bot does not cover this date yet: this is the latest known value, "
         "and the real amount may be higher. Check the amount at the bank.")


async def open_from_menu(user, item: str):
    await user.send("/menu")
    return await user.press_data(MenuCallback(item=item).pack())


# ------------------------------------------------------------------------------------------- documents


@pytest.mark.parametrize("lang", LANGS)
async def test_documents_menu_lists_every_paragraph_11_document_and_offers_the_pre_check(harness, lang):
    user = harness.user(lang)
    reply = await open_from_menu(user, "documents")
    assert reply.edited and not reply.sent  # the menu message turns into the list
    text = reply.last.text
    for document in RULESET.documents:
        when = tr(lang, "When needed: {when}", when=pick(document.applies_when, lang))
        assert f"☐ {document.paragraph} {pick(document.title, lang)}\n   {when}\n" in text
        assert pick(document.description, lang) in text
    assert pick(RULESET.documents_note.text, lang).split(".")[0] in text
    assert len(text) <= 4096
    assert tr(lang, "Answer a few questions and I will make the list for your situation.") in text
    await user.press(tr(lang, "✅ Make my list"))
    assert shown_question(user, lang).id == "citizen"


@pytest.mark.parametrize("lang", LANGS)
async def test_documents_after_a_finished_pre_check_are_the_personal_checklist(harness, lang):
    user = harness.user(lang)
    await walk(user, lang, adult_self(military_registered=True))
    reply = await open_from_menu(user, "documents")
    text = reply.last.text
    assert tr(lang, "Your documents, from your pre-check") in text
    assert f"☐ §11.4 {pick(RULESET.documents[3].title, lang)}" in text
    assert "§11.5" not in text.split("\n\n")[1]  # the checklist block holds only what applies
    full = await user.press(tr(lang, "📄 The full list (§11)"))
    assert "§11.5" in full.last.text and full.edited
    # the full list offers the list already made, not a pre-check to make one
    assert tr(lang, "Your own list, from your pre-check, is under “My list”.") in full.last.text
    make_it = tr(lang, "Answer a few questions and I will make the list for your situation.")
    assert make_it not in full.last.text
    mine = await user.press(tr(lang, "☑️ My list"))
    assert tr(lang, "Your documents, from your pre-check") in mine.last.text
    await user.press(tr(lang, "↺ New pre-check"))
    assert shown_question(user, lang).id == "citizen"
    assert_callback_data_fits(harness.fake)


@pytest.mark.parametrize("lang", LANGS)
async def test_documents_after_a_refusal_show_the_full_list(harness, lang):
    user = harness.user(lang)
    await walk(user, lang, adult_self(tax_debt=True))
    text = (await open_from_menu(user, "documents")).last.text
    assert tr(lang, "Documents for leaving for permanent residence") in text


async def test_documents_command_works_too(harness):
    user = harness.user("ru")
    reply = await user.send("/documents")
    assert tr("ru", "Documents for leaving for permanent residence") in reply.text


# ------------------------------------------------------------------------------------------------ fee


@pytest.mark.parametrize("lang", LANGS)
async def test_fee_today_names_the_amount_the_date_the_mrp_and_its_source(harness, lang):
    user = harness.user(lang)
    reply = await open_from_menu(user, "fee")
    assert reply.edited and not reply.sent
    text = reply.last.text
    assert tr(lang, "State fee today, {date}", date=day(FROZEN.date(), lang)) in text
    assert money(4325, lang) in text
    assert day(date(2026, 1, 1), lang) in text  # the MRP's start
    source = load_mrp_table().values[-1].source
    assert tr(lang, "Source: {source}", source=pick(source, lang)) in text
    assert pick(source, "ru" if lang == "kk" else "kk") not in text
    assert pick(RULESET.fee.text, lang).rstrip(".") + " (§8, §11.7)." in text  # paid through a bank, receipt


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("typed", "mrp", "since"),
    [
        ("01.04.2020", 2778, date(2020, 4, 1)),  # the April 2020 rise applied to duties
        ("31.03.2020", 2651, date(2020, 1, 1)),
        ("2021-12-31", 2917, date(2021, 1, 1)),
        ("2022-01-01", 3063, date(2022, 1, 1)),
        ("01.04.2022", 3063, date(2022, 1, 1)),  # the April 2022 rise did not apply to duties
        ("31/12/2022", 3063, date(2022, 1, 1)),
        ("2023-01-01", 3450, date(2023, 1, 1)),
        ("1.1.2011", 1512, date(2011, 1, 1)),
    ],
)
async def test_fee_for_a_typed_date(harness, lang, typed, mrp, since):
    user = harness.user(lang)
    await open_from_menu(user, "fee")
    text = (await user.send(typed)).text
    assert money(mrp, lang) in text
    assert day(since, lang) in text
    assert tr(lang, STALE) not in text


@pytest.mark.parametrize("lang", LANGS)
async def test_fee_screen_shows_the_tables_notes_in_the_readers_language(harness, lang):
    user = harness.user(lang)
    await open_from_menu(user, "fee")
    text = (await user.send("05.05.2022")).text
    for note in (v.note for v in load_mrp_table().values if v.valid_from.year == 2022):
        assert pick(note, lang) in text
        assert pick(note, "ru" if lang == "kk" else "kk") not in text


@pytest.mark.parametrize("lang", LANGS)
async def test_fee_past_the_known_table_is_flagged_stale(harness, lang):
    user = harness.user(lang)
    await open_from_menu(user, "fee")
    text = (await user.send("2027-03-01")).text
    assert money(4325, lang) in text
    assert tr(lang, STALE) in text


@pytest.mark.parametrize("lang", LANGS)
async def test_fee_for_impossible_or_out_of_scope_dates_is_answered_helpfully(harness, lang):
    user = harness.user(lang)
    await open_from_menu(user, "fee")
    for typed in ("30.02.2026", "2026-13-01", "31.02.2024"):
        assert (await user.send(typed)).text == tr(lang, NO_SUCH_DATE)
    for typed in ("next week", "25.11.26"):
        assert (await user.send(typed)).text == tr(lang, UNREADABLE)
    reply = await user.send("31.12.2010")
    first = load_mrp_table().first_day
    assert reply.text == tr(lang, "I know the fee only for dates from {start} on: type a later date.",
                            start=day(first, lang))
    assert money(2778, lang) in (await user.send("01.04.2020")).text  # still in the fee screen


async def test_fee_dates_are_read_only_while_the_fee_screen_is_open(harness):
    user = harness.user("ru")
    await open_from_menu(user, "fee")
    await user.send("/menu")
    reply = await user.send("01.04.2020")
    assert money(2778, "ru") not in reply.text


async def test_fee_command_shows_todays_fee(harness):
    user = harness.user("kk")
    reply = await user.send("/fee")
    assert money(4325, "kk") in reply.text
