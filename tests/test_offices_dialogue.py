"""The office finder on the fake Telegram, in Kazakh and in Russian: region → department → office card
with "open now", search by place name, the three nearest to a shared location, and stale buttons."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from dialogue_support import (
    LANGS,
    adult_self,
    assert_callback_data_fits,
    frozen_clock,  # noqa: F401  (fixture)
    ntr,
    tr,
    walk,
)

from bot.clock import KZ_TZ
from bot.formatting import distance, pick, weekday_time
from bot.offices.directory import load_directory
from bot.rules.ruleset import load_ruleset
from bot.telegram.locale import make_i18n
from handlers.callbacks import MenuCallback
from handlers.offices import router as offices
from handlers.offices.keyboards import PAGE_SIZE, DepartmentPage, OfficeOpen, RegionsPage

pytestmark = pytest.mark.usefixtures("frozen_clock")
DIRECTORY = load_directory()
RULESET = load_ruleset()


def office_button(user, office_id: str) -> str:
    """The text of the button that opens `office_id` on the newest keyboard."""
    message = user.keyboard_message
    for row in message.inline:
        for button in row:
            if button.get("callback_data", "").startswith(f"oo:{office_id}:"):
                return button["text"]
    raise AssertionError(f"no button for {office_id} in {message.button_texts}")


async def open_offices(user):
    await user.send("/menu")
    return await user.press_data(MenuCallback(item="offices").pack())


async def open_card(user, lang: str, region_index: int, office_id: str):
    """Browse to an office card the way a user does; returns the reply to the last press."""
    await open_offices(user)
    region = DIRECTORY.regions()[region_index]
    if region_index >= PAGE_SIZE:
        await user.press("▶")
    await user.press(pick(region.name, lang))
    for _page in range(5):
        try:
            return await user.press(office_button(user, office_id))
        except AssertionError:
            await user.press("▶")
    raise AssertionError(f"{office_id} not reachable")


@pytest.mark.parametrize("lang", LANGS)
async def test_regions_are_paged_in_appendix_order(harness, lang):
    user = harness.user(lang)
    reply = await open_offices(user)
    assert reply.edited and not reply.sent
    regions = DIRECTORY.regions()
    first = [pick(r.name, lang) for r in regions[:PAGE_SIZE]]
    assert user.keyboard_message.button_texts[:PAGE_SIZE] == first
    singular = "Choose the region: {count} department of internal affairs, each with its district offices."
    plural = "Choose the region: {count} departments of internal affairs, each with its district offices."
    assert ntr(lang, singular, plural, len(regions), count=len(regions)) in reply.text
    pages = -(-len(regions) // PAGE_SIZE)
    assert tr(lang, "Page {page} of {pages}", page=1, pages=pages) in reply.text
    assert not any("/" in text for text in reply.buttons)  # no page button that does nothing
    reply = await user.press("▶")
    assert reply.edited
    assert pick(regions[PAGE_SIZE].name, lang) in reply.buttons
    assert tr(lang, "Page {page} of {pages}", page=2, pages=pages) in reply.text
    await user.press("◀")
    assert user.keyboard_message.button_texts[0] == first[0]


@pytest.mark.parametrize("lang", LANGS)
async def test_office_card_open_now_with_venue(harness, lang):
    user = harness.user(lang)
    office = DIRECTORY.get("akm-03")
    reply = await open_card(user, lang, 1, office.id)
    card, venue = reply.messages[-2], reply.messages[-1]
    assert card.kind == "text" and venue.kind == "venue"
    assert pick(office.name, lang) in card.text and pick(office.address, lang) in card.text
    for phone in office.phones["migration"]:
        assert phone in card.text
    assert pick(RULESET.hours.text, lang) in card.text and "(§9)" in card.text
    assert tr(lang, "Open now, until {time}", time="13:00") in card.text
    assert venue.raw["venue"]["location"]["latitude"] == pytest.approx(office.lat, abs=1e-5)
    assert venue.raw["venue"]["location"]["longitude"] == pytest.approx(office.lon, abs=1e-5)
    # a town office has a point of its own: the pin carries its name and street address
    assert venue.raw["venue"]["title"] == pick(office.name, lang)
    assert venue.raw["venue"]["address"] == pick(office.address, lang)
    reply = await user.press(tr(lang, "◀ Back to the list"))
    assert office_button(user, office.id)


@pytest.mark.parametrize("lang", LANGS)
async def test_the_pin_of_an_office_on_its_citys_point_is_the_citys_not_the_street(harness, lang):
    user = harness.user(lang)
    office = DIRECTORY.get("ast-01")
    reply = await open_card(user, lang, 0, office.id)
    card, venue = reply.messages[-2], reply.messages[-1]
    assert pick(office.address, lang) in card.text  # the address stays in the text
    assert venue.raw["venue"]["title"] == pick(office.settlement, lang)
    assert venue.raw["venue"]["address"] == tr(
        lang, "One point for all offices of the city; the address is in the message")
    assert pick(office.address, lang) not in str(venue.raw["venue"])


@pytest.mark.parametrize("lang", LANGS)
async def test_renamed_town_shows_its_current_name_on_card_and_list(harness, lang):
    user = harness.user(lang)
    office = DIRECTORY.get("alm-06")
    reply = await open_card(user, lang, 4, office.id)
    now = tr(lang, "{old} (now {new})",
             old=pick(office.settlement, lang), new=pick(office.settlement_now, lang))
    assert now in reply.messages[-2].text
    await user.press(tr(lang, "◀ Back to the list"))
    label = office_button(user, office.id)  # today's name alone when "old (now new)" leaves no room
    assert label.startswith((now + " · ", pick(office.settlement_now, lang) + " · ")), label


@pytest.mark.parametrize("lang", LANGS)
async def test_altai_shows_its_name_of_today_on_results_and_card(harness, lang):
    """Zyryan (Zyryanovsk) is Altai since 2019, like Қапшағай is Қонаев."""
    user = harness.user(lang)
    office = DIRECTORY.get("vos-04")
    now = tr(lang, "{old} (now {new})", old=pick(office.settlement, lang), new="Алтай")
    await open_offices(user)
    await user.send("Алтай")
    assert office_button(user, office.id).startswith((now + " · ", "Алтай · "))
    reply = await user.press(office_button(user, office.id))
    assert "🏙 " + now in reply.messages[-2].text


DISTINCTIVE = {  # office id → the part of its name its button must show, kk and ru
    "yuz-02a": ("Еңбекші ауданы", "Енбекшинского района"),
    "yuz-02c": ("Әл-Фараби ауданы", "Аль-Фарабийского района"),
    "vos-01": ("Өскемен қаласының", "г. Усть-Каменогорска"),
    "vos-00": ("Шығыс Қазақстан облысының", "ДВД ВКО"),
    "sev-09": ("Мағжан Жұмабаев ауданының", "района Магжана Жумабаева"),
    "sev-05": ("Мүсірепов ауданының", "района имени Габита Мусрепова"),
    "aty-06": ("Құрманғазы", "Курмангазинского"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_labels_keep_what_tells_the_offices_apart(lang):
    """Generic words shrink first (ІІД/ІІБ, ДВД/УВД/ОВД), so the district, city or region stays on
    the button; every district office's button shows its district's name."""
    i18n = make_i18n()
    with i18n.context(), i18n.use_locale(lang):
        for office_id, parts in DISTINCTIVE.items():
            label = offices.render.office_label(DIRECTORY.get(office_id))
            assert parts[LANGS.index(lang)] in label, label
        checked = 0
        for office in DIRECTORY.all():
            name = pick(office.name, lang).replace(" атындағы", "")  # "named after X": X is the name
            # (a town's office that serves its district too, "города Аягоз и Аягозского района",
            # is told apart by the town, which the label starts with)
            district = (re.search(r"(\S+) аудан", name) if lang == "kk" else
                        re.search(r"(\S+ского) района", name) if "города" not in name else None)
            if district:
                assert district[1].strip("«»") in offices.render.office_label(office), office.id
                checked += 1
    assert checked >= 160


@pytest.mark.parametrize("lang", LANGS)
def test_every_list_label_is_settlement_then_name(lang):
    i18n = make_i18n()
    with i18n.context(), i18n.use_locale(lang):
        for office in DIRECTORY.all():
            label = offices.render.office_label(office)
            heads = [offices.render.settlement_text(office)]
            if office.settlement_now:  # a renamed town's long label names it by today's name only
                heads.append(pick(office.settlement_now, lang))
            assert any(label.startswith(head + " · ") for head in heads), label
            assert len(label) <= offices.render.LABEL_LIMIT
    yesil = DIRECTORY.get("akm-11")
    with i18n.context(), i18n.use_locale(lang):
        assert offices.render.office_label(yesil).startswith(pick(yesil.settlement, lang) + " · ")


@pytest.mark.parametrize("lang", LANGS)
def test_a_label_ends_on_the_whole_name_never_cut(lang):
    """The name part of every button is the office's whole (abbreviated) name: never half a phrase
    like "Қапшағай қаласының" or "г. Зыряновска и…"."""
    i18n = make_i18n()
    with i18n.context(), i18n.use_locale(lang):
        for office in DIRECTORY.all():
            label = offices.render.office_label(office)
            whole = {offices.render.short_name(office, compact) for compact in (False, True)}
            assert label.partition(" · ")[2] in whole, label
            assert "…" not in label
    expected = {
        "kk": {"alm-06": "Қонаев · Қапшағай қаласының ІІБ",
               "vos-04": "Алтай · Зырян қаласы мен ауданының ІІБ",
               "vos-00": "Өскемен · Шығыс Қазақстан облысының ІІД"},
        "ru": {"alm-06": "Капчагай (ныне Конаев) · ОВД г. Капчагая",
               "vos-04": "Алтай · ОВД г. Зыряновска и Зыряновского района",
               "vos-00": "Усть-Каменогорск · ДВД ВКО"},
    }[lang]
    with i18n.context(), i18n.use_locale(lang):
        for office_id, label in expected.items():
            assert offices.render.office_label(DIRECTORY.get(office_id)) == label


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("moment", "reason", "opens"),
    [
        (datetime(2026, 11, 29, 11, 0, tzinfo=KZ_TZ), "Sunday, a day off",
         datetime(2026, 11, 30, 9, 0, tzinfo=KZ_TZ)),
        (datetime(2026, 11, 25, 13, 30, tzinfo=KZ_TZ), "lunch break", None),
        (datetime(2026, 11, 28, 15, 0, tzinfo=KZ_TZ), "the working day is over",
         datetime(2026, 11, 30, 9, 0, tzinfo=KZ_TZ)),
        (datetime(2026, 11, 25, 7, 0, tzinfo=KZ_TZ), "not open yet", None),
    ],
)
async def test_office_card_closed_says_why_and_when_it_opens(harness, frozen_clock, lang,  # noqa: F811
                                                              moment, reason, opens):
    frozen_clock.set(moment)
    user = harness.user(lang)
    text = (await open_card(user, lang, 0, "ast-01")).messages[-2].text
    assert tr(lang, "Closed now: {reason}", reason=tr(lang, reason)) in text
    when = (weekday_time(opens, lang) if opens else
            tr(lang, "today at {time}", time="14:30" if moment.hour == 13 else "09:00"))
    assert tr(lang, "Opens {moment}", moment=when) in text


@pytest.mark.parametrize(
    ("moment", "kk", "ru"),
    [
        (datetime(2026, 12, 16, 11, 0, tzinfo=KZ_TZ), "Тәуелсіздік күні", "День Независимости"),
        (datetime(2026, 3, 24, 11, 0, tzinfo=KZ_TZ), "Наурыз мейрамы (қайта белгіленген демалыс)",
         "Наурыз мейрамы (перенесённый выходной)"),
    ],
)
async def test_holiday_is_named_in_the_readers_language(harness, frozen_clock, moment, kk, ru):  # noqa: F811
    frozen_clock.set(moment)
    for lang, name, other in (("kk", kk, ru), ("ru", ru, kk)):
        user = harness.user(lang)
        text = (await open_card(user, lang, 0, "ast-01")).messages[-2].text
        reason = tr(lang, "public holiday ({name})", name=name)
        assert tr(lang, "Closed now: {reason}", reason=reason) in text
        assert other not in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("query", "expected"),
    [("Қонаев", {"alm-06"}), ("Усть-Каменогорск", {"vos-00", "vos-01"}), ("Kokshetau", {"akm-00", "akm-01"})],
)
async def test_typed_place_names_find_their_offices(harness, lang, query, expected):
    user = harness.user(lang)
    await open_offices(user)
    reply = await user.send(query)
    count = len(reply.buttons) - 4  # offices, then nearest + search, regions, menu
    assert count >= len(expected)
    assert ntr(lang, "Found {count} office for “{query}”:", "Found {count} offices for “{query}”:",
               count, count=count, query=query) == reply.text
    for office_id in expected:
        await user.press(office_button(user, office_id))
        assert user.messages[-1].kind == "venue"
        await user.send(query)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("query", ["Нур-Султан", "Нурсултан", "Нұр-Сұлтан"])
async def test_an_old_name_of_astana_lists_all_four_of_its_offices(harness, lang, query):
    user = harness.user(lang)
    await open_offices(user)
    reply = await user.send(query)
    found = ("Found {count} office for “{query}”:", "Found {count} offices for “{query}”:")
    assert reply.text == ntr(lang, *found, 4, count=4, query=query)
    for office_id in ("ast-00", "ast-01", "ast-02", "ast-03"):
        assert office_button(user, office_id)
    assert len(reply.buttons) - 4 == 4


SHOWING = ("Found {count} office for “{query}”, showing the first {shown}. "
           "Type the name of your town, village or district to narrow the search:",
           "Found {count} offices for “{query}”, showing the first {shown}. "
           "Type the name of your town, village or district to narrow the search:")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("query", ["Туркестанская область", "Абай облысы", "Жетісу облысы", "Алматы"])
async def test_a_search_with_more_matches_than_buttons_says_how_many(harness, lang, query):
    user = harness.user(lang)
    await open_offices(user)
    total = len(DIRECTORY.search(query, limit=len(DIRECTORY)))
    assert total > offices.SEARCH_LIMIT
    reply = await user.send(query)
    assert len(reply.buttons) - 4 == offices.SEARCH_LIMIT
    assert reply.text == ntr(lang, *SHOWING, total, count=total, query=query, shown=offices.SEARCH_LIMIT)


@pytest.mark.parametrize("lang", LANGS)
async def test_a_district_name_lists_its_offices_in_every_region_with_the_region(harness, lang):
    user = harness.user(lang)
    await open_offices(user)
    reply = await user.send("Жамбыл ауданы")
    ids = ["alm-12", "zha-03", "sev-07"]  # Ұзынағаш, Аса, Пресновка; not the Zhambyl region department
    head = ntr(lang, "Found {count} office for “{query}”:", "Found {count} offices for “{query}”:",
               3, count=3, query="Жамбыл ауданы")
    assert reply.text.startswith(head)
    for office_id in ids:
        office = DIRECTORY.get(office_id)
        assert f"• {pick(office.settlement, lang)} — {pick(office.region, lang)}" in reply.text
        assert office_button(user, office_id).startswith(pick(office.settlement, lang) + " · ")
    assert len(reply.buttons) - 4 == 3


@pytest.mark.parametrize("lang", LANGS)
async def test_a_search_that_finds_nothing_says_what_to_type(harness, lang):
    user = harness.user(lang)
    await open_offices(user)
    reply = await user.send("<b>Qwzxv</b>")
    assert "<b>Qwzxv</b>" in reply.text  # shown as typed, never parsed as markup
    assert tr(lang, "◀ Regions") in reply.buttons


CITY_POINT = ("{place}: {distance} to the city's point. All its offices are marked by this one "
              "point; yours is the one of your place of permanent residence (§13):")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("point", "region"), [((43.25, 76.95), "ala"), ((51.17, 71.43), "ast")])
async def test_a_location_in_a_city_lists_every_office_of_the_city(harness, lang, point, region):
    """Not the three that happen to come first on the shared point: all of them, under one distance."""
    user = harness.user(lang)
    reply = await user.location(*point)
    listing, venue = reply.messages[0], reply.messages[-1]
    city = DIRECTORY.in_region(region)
    km = DIRECTORY.nearest(*point, limit=1)[0][1]
    assert listing.text.startswith(ntr(lang, "The nearest office:", "The {count} nearest offices:",
                                       len(city), count=len(city)))
    assert listing.text.count("📍") == 1
    place = pick(city[0].settlement, lang)
    assert tr(lang, CITY_POINT, place=place, distance=distance(km, lang)) in listing.text
    for office in city:
        assert pick(office.name, lang) in listing.text
        assert office_button(user, office.id)
    assert pick(DIRECTORY.residence_note, lang) in listing.text
    assert venue.raw["venue"]["title"] == pick(city[0].settlement, lang)


@pytest.mark.parametrize("lang", LANGS)
async def test_shared_location_gives_the_three_nearest_with_distances_and_the_residence_rule(harness, lang):
    user = harness.user(lang)
    await open_offices(user)
    prompt = await user.press(tr(lang, "📍 Nearest to me"))
    # it says what it does: the three nearest, and every office of a city among them
    every = {"kk": "сол қаланың барлық бөлімшесін", "ru": "все подразделения этого города"}[lang]
    assert every in prompt.text
    assert user.reply_keyboard == [tr(lang, "📍 Send my location"), tr(lang, "✖ Close")]
    reply = await user.location(51.17, 71.43)  # Astana: its four offices share the city's point
    found = DIRECTORY.nearest_whole(51.17, 71.43)
    assert [o.id for o, _km in found] == ["ast-00", "ast-01", "ast-02", "ast-03"]
    listing, venue = reply.messages[0], reply.messages[-1]
    heading = ntr(lang, "The nearest office:", "The {count} nearest offices:", 4, count=4)
    assert listing.text.startswith(heading)
    city_point = tr(
        lang, "{place}: {distance} to the city's point. All its offices are marked by this one "
        "point; yours is the one of your place of permanent residence (§13):",
        place=pick(found[0][0].settlement, lang), distance=distance(found[0][1], lang))
    assert listing.text.count(city_point) == 1  # one honest distance, not three equal "precise" ones
    # the distance is to the city's mark on the map, not to a "point of the city"
    assert {"kk": "картадағы қала белгісіне дейін", "ru": "до отметки города на карте"}[lang] in listing.text
    for office, km in found:
        assert pick(office.name, lang) in listing.text
        assert f"{pick(office.name, lang)} — {distance(km, lang)}" not in listing.text
    assert pick(DIRECTORY.residence_note, lang) in listing.text
    assert venue.kind == "venue"
    assert venue.raw["venue"]["title"] == pick(found[0][0].settlement, lang)  # the city, not an office
    assert user.reply_keyboard == []  # the location keyboard is gone


FAR = ("This point seems to be outside Kazakhstan or far from every office: the nearest one is "
       "{distance} away. Check the location you sent; the nearest offices are listed anyway.")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("point", [  # the Gulf of Guinea, Tashkent, Bishkek, Orenburg, Omsk, Ürümqi
    (0.0, 0.0), (41.30, 69.24), (42.87, 74.59), (51.77, 55.10), (54.99, 73.37), (43.83, 87.62)])
async def test_a_point_abroad_is_told_so_and_the_nearest_still_shown(harness, lang, point):
    user = harness.user(lang)
    await open_offices(user)
    reply = await user.location(*point)
    listing = reply.messages[0]
    assert "⚠️ " + pick(DIRECTORY.abroad_note, lang) in listing.text
    km = DIRECTORY.nearest(*point)[0][1]
    assert tr(lang, FAR, distance=distance(km, lang)) not in listing.text
    nearest = DIRECTORY.nearest(*point)[0][0]
    assert pick(nearest.name, lang) in listing.text
    assert reply.messages[-1].kind == "venue"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("point", [(41.45, 69.17), (44.16, 80.00), (54.87, 69.15), (51.23, 51.37)])
async def test_a_point_in_a_border_town_is_not_abroad(harness, lang, point):
    """Saryagash (15 km from Tashkent), Zharkent, Petropavl, Oral: a box cannot tell, the boundary can."""
    user = harness.user(lang)
    await open_offices(user)
    listing = (await user.location(*point)).messages[0]
    assert pick(DIRECTORY.abroad_note, lang) not in listing.text and "⚠️" not in listing.text


@pytest.mark.parametrize("lang", LANGS)
async def test_a_point_in_a_town_gives_distances_without_a_warning(harness, lang):
    user = harness.user(lang)
    await open_offices(user)
    reply = await user.location(43.87, 77.07)  # Qonaev: its office has a point of its own
    listing = reply.messages[0]
    office, km = DIRECTORY.nearest(43.87, 77.07)[0]
    assert f"{pick(office.name, lang)} — {distance(km, lang)}" in listing.text
    assert "⚠️" not in listing.text and "📍" not in listing.text


@pytest.mark.parametrize("lang", LANGS)
async def test_close_removes_the_location_keyboard(harness, lang):
    user = harness.user(lang)
    await open_offices(user)
    await user.press(tr(lang, "📍 Nearest to me"))
    reply = await user.tap(tr(lang, "✖ Close"))
    assert user.reply_keyboard == []
    assert reply.messages[-1].button_texts[0] == pick(DIRECTORY.regions()[0].name, lang)


async def test_a_location_outside_any_dialogue_still_finds_offices(harness):
    user = harness.user("ru")
    reply = await user.location(43.25, 76.95)  # Almaty
    assert pick(DIRECTORY.get("ala-00").name, "ru") in reply.messages[0].text


@pytest.mark.parametrize("lang", LANGS)
async def test_find_the_office_from_a_pre_check_result_keeps_the_result(harness, lang):
    user = harness.user(lang)
    await walk(user, lang, adult_self())
    result = user.keyboard_message
    reply = await user.press(tr(lang, "📍 Find the office"))
    assert reply.sent and not reply.edited
    assert harness.fake.current(user.id, result.message_id).text == result.text


@pytest.mark.parametrize("lang", LANGS)
async def test_stale_or_forged_office_buttons_are_answered_with_the_regions(harness, lang):
    user = harness.user(lang)
    await open_offices(user)
    out_of_date = tr(lang, "This button is out of date. Here is the list of regions.")
    for data in (OfficeOpen(o="zzz-99").pack(), DepartmentPage(d="ast-01", page=0).pack(),
                 DepartmentPage(d="zzz", page=3).pack()):
        await user.press_data(data)
        query = list(harness.fake.callback_queries.values())[-1]
        assert query["answer"]["text"] == out_of_date
        assert user.keyboard_message.button_texts[0] == pick(DIRECTORY.regions()[0].name, lang)
    await user.press_data(RegionsPage(page=99).pack())  # clamped to the last page
    assert pick(DIRECTORY.regions()[-1].name, lang) in user.keyboard_message.button_texts
    await user.press_data(DepartmentPage(d="akm-00", page=-4).pack())
    assert office_button(user, "akm-00")


@pytest.mark.parametrize("lang", LANGS)
def test_every_offices_button_fits_telegram_limits(lang):
    """Every page of every department, and the regions, in both languages: ≤ 64 bytes, ≤ PAGE_SIZE."""
    i18n = make_i18n()
    with i18n.context(), i18n.use_locale(lang):
        views = [offices.regions_view(DIRECTORY, 0), offices.regions_view(DIRECTORY, 1)]
        for region in DIRECTORY.regions():
            count = len(DIRECTORY.subordinates(region.department)) + 1
            for page in range(-(-count // PAGE_SIZE)):
                views.append(offices.department_view(DIRECTORY, region.department, page))
    seen = set()
    for _text, keyboard in views:
        office_rows = [row for row in keyboard.inline_keyboard
                       if len(row) == 1 and row[0].text not in ("◀", "▶")
                       and row[0].callback_data.startswith(("oo:", "odp:"))]
        assert len(office_rows) <= PAGE_SIZE
        for row in keyboard.inline_keyboard:
            for button in row:
                assert 1 <= len(button.callback_data.encode()) <= 64, button.callback_data
                seen.add(button.callback_data)
    opened = {data.split(":")[1] for data in seen if data.startswith("oo:")}
    assert opened == {office.id for office in DIRECTORY.all()}  # every office is reachable


async def test_browsing_buttons_in_a_real_chat_fit(harness):
    user = harness.user("ru")
    await open_card(user, "ru", 15, "yuz-02c")
    await user.location(42.3, 69.6)
    assert_callback_data_fits(harness.fake)


# --- never a guess as a match; places formed after the Appendix ----------------------------------

PREDATES = ("“{place}” ({where}) was formed in {year}, after the 2013 directory of offices, which "
            "does not say which office serves it. Apply to the office of your place of permanent "
            "residence (§13): here are the offices of the city, or share your location to see the "
            "nearest ones.")
SERVED = ("“{place}” ({where}) was formed in {year}, after the 2013 directory of offices. "
          "Its territory was then served by this office:",
          "“{place}” ({where}) was formed in {year}, after the 2013 directory of offices. "
          "Its territory was then served by these offices:")
ALMATY_IDS = [f"ala-{n:02d}" for n in range(8)]


def new_place_ids(user) -> list[str]:
    return [b["callback_data"].split(":")[1] for row in user.keyboard_message.inline for b in row
            if b.get("callback_data", "").startswith("oo:")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("query", ["Наурызбай", "Наурызбайский район", "Наурызбай ауданы", "Nauryzbay"])
async def test_naurzybay_is_an_almaty_district_the_directory_predates_never_naurzum(harness, lang, query):
    user = harness.user(lang)
    await open_offices(user)
    reply = await user.send(query)
    name = {"kk": "Наурызбай ауданы", "ru": "Наурызбайский район"}[lang]
    where = {"kk": "Алматы қаласы", "ru": "город Алматы"}[lang]
    assert reply.text == tr(lang, PREDATES, place=name, where=where, year=2014)
    assert new_place_ids(user) == ALMATY_IDS  # the city's offices, and no Naurzum (kus-16)
    assert tr(lang, "📍 Nearest to me") in reply.buttons


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("query", "where", "year"), [
    ("Тұран ауданы", ("Шымкент қаласы", "город Шымкент"), 2018),
    ("Қаратау ауданы", ("Шымкент қаласы", "город Шымкент"), 2018),
    ("Байқоңыр ауданы", ("Астана қаласы", "город Астана"), 2018),
])
async def test_districts_formed_since_2013_offer_their_citys_offices(harness, lang, query, where, year):
    user = harness.user(lang)
    await open_offices(user)
    reply = await user.send(query)
    place = DIRECTORY.new_place(query)
    assert reply.text.startswith(tr(lang, PREDATES, place=pick(place.name, lang),
                                    where=where[LANGS.index(lang)], year=year))
    assert new_place_ids(user)[:len(place.offer)] == list(place.offer)
    assert "kus-18" not in new_place_ids(user)  # Тұран is not Таран


@pytest.mark.parametrize("lang", LANGS)
async def test_a_new_place_that_shares_a_name_lists_the_other_with_its_region(harness, lang):
    """"Нұра": Astana's district of 2022, and the Nura district of Karaganda region in the Appendix."""
    user = harness.user(lang)
    await open_offices(user)
    reply = await user.send("Нұра")
    kar14 = DIRECTORY.get("kar-14")
    i18n = make_i18n()
    with i18n.context(), i18n.use_locale(lang):
        assert f"• {offices.render.settlement_text(kar14)} — {pick(kar14.region, lang)}" in reply.text
    assert new_place_ids(user) == ["ast-00", "ast-01", "ast-02", "ast-03", "kar-14"]


@pytest.mark.parametrize("lang", LANGS)
async def test_a_new_town_whose_office_is_known_is_found_under_its_own_name(harness, lang):
    user = harness.user(lang)
    await open_offices(user)
    reply = await user.send("Қосшы")
    where = {"kk": "Ақмола облысы", "ru": "Акмолинская область"}[lang]
    assert reply.text == ntr(lang, *SERVED, 1, place=pick(DIRECTORY.new_place("Қосшы").name, lang),
                             where=where, year=2021)
    assert new_place_ids(user) == ["akm-17"]


@pytest.mark.parametrize("lang", LANGS)
async def test_a_weak_near_name_is_asked_about_with_its_region_not_found(harness, lang):
    user = harness.user(lang)
    await open_offices(user)
    reply = await user.send("Наурзумск")
    kus16 = DIRECTORY.get("kus-16")
    assert reply.text.startswith(tr(lang, "Nothing found for “{query}”. Did you mean:", query="Наурзумск"))
    assert f"• {pick(kus16.settlement, lang)} — {pick(kus16.region, lang)}" in reply.text
    found = ntr(lang, "Found {count} office for “{query}”:", "Found {count} offices for “{query}”:", 1,
                count=1, query="Наурзумск")
    assert found not in reply.text
    assert new_place_ids(user) == ["kus-16"]


@pytest.mark.parametrize("lang", LANGS)
async def test_finder_buttons_already_in_chats_keep_working(harness, lang):
    """Each section move has its own handler now (filtered on the callback's enum); buttons sent
    before, with the same packed data, still reach them; an unknown move gets the main menu."""
    user = harness.user(lang)
    await open_offices(user)
    await user.press_data("on:near")
    assert user.reply_keyboard == [tr(lang, "📍 Send my location"), tr(lang, "✖ Close")]
    find = await user.press_data("on:find")
    assert find.text == tr(lang, "Type the name of your town, village or district in Kazakh, Russian or "
                                 "Latin letters, for example Konaev, Ust-Kamenogorsk or Kokshetau.")
    home = await user.press_data("on:home")
    assert len(home.last.buttons) > 10  # the regions
    stale = await user.press_data("on:elsewhere")
    assert "m:offices" in [button.get("callback_data") for row in stale.last.inline for button in row]
