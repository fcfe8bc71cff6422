"""/stats through the real Dispatcher: a supervisor sees the Appendix 3 table of their department
(computed by hand), this year and last, and gets the chart as a PNG; office staff see their office, an
admin the country; a citizen, or anyone pressing a forged button, learns nothing."""

import io
from datetime import UTC, date, datetime

import pytest
from dialogue_support import frozen_clock, tr  # noqa: F401 (a fixture)
from PIL import Image

from bot.telegram import charts
from bot.testing.harness import BotHarness
from handlers.stats import StatsView

NOW = datetime(2026, 11, 25, 5, tzinfo=UTC)
SUPERVISOR, OFFICER, ADMIN = 601, 602, 603

# (office, department, day, quality, information, courtesy, on_time); alm-06, alm-01 are in alm-00.
ANSWERS = [
    *[("alm-06", "alm-00", date(2026, 3, 2 + i), *a) for i, a in enumerate([
        (5, 5, 5, True), (5, 4, 5, True), (4, 4, 5, True), (4, 4, 4, False), (3, 4, 1, None),
        (2, 4, None, None)])],
    *[("alm-01", "alm-00", date(2026, 4, 6 + i), 5, 5, 5, True) for i in range(5)],
    *[("alm-06", "alm-00", date(2026, 10, 5 + i), 1, 1, 1, False) for i in range(2)],
    *[("ast-01", "ast-00", date(2026, 3, 10 + i), 5, 5, 5, True) for i in range(5)],
    *[("alm-06", "alm-00", date(2025, 6, 2 + i), 4, 4, 4, True) for i in range(5)],
]


@pytest.fixture
async def stored(harness, frozen_clock):  # noqa: F811
    db = harness.db
    for n, (office, dept, day, q, inf, c, on_time) in enumerate(ANSWERS):
        await db.surveys.add_response(office_id=office, department_id=dept, visited_on=day, quality=q,
                                          information=inf, courtesy=c, on_time=on_time, channel="bot",
                                          idempotency_key=f"k{n}")
    await db.surveys.set_served_count(office_id="alm-06", month=date(2026, 3, 1), count=200,
                                      entered_by="test", at=NOW)
    await db.surveys.set_served_count(office_id="alm-01", month=date(2026, 4, 1), count=100,
                                      entered_by="test", at=NOW)
    for user_id, role, scope in ((SUPERVISOR, "department_supervisor", "alm-00"),
                                 (OFFICER, "office_staff", "alm-06"), (ADMIN, "admin", "")):
        await db.staff.grant(user_id, role, scope, display_name="Тестов Т.", actor="test", at=NOW)
    return harness


def photos(harness) -> list[bytes]:
    return [next(iter(c.files.values())) for c in harness.fake.calls if c.method == "sendPhoto"]


def value_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Значение: ")]


async def test_supervisor_sees_the_department_table_and_a_chart(stored):
    harness = stored
    user = harness.user("ru", user_id=SUPERVISOR)
    reply = await user.send("/stats")
    table = reply.sent[0]
    assert "Показатели качества (приложение 3)" in table.text
    assert ("Департамент внутренних дел Алматинской области: 1 января 2026 г. – 25 ноября 2026 г."
            in table.text)
    # 2026 in alm-00 (alm-06 and alm-01; not ast-01): quality 5,5,4,4,3,2 +5×5 +1,1 -> 9/13; information
    # 5,4,4,4,4,4 +5×5 +1,1 -> 11/13; courtesy 5,5,5,4,1 +5×5 +1,1 -> 9/12; on time yes×3,no +yes×5
    # +no×2 -> 8/11; 4.1: no justified complaint over 200 + 100 served; 3.2 is known nowhere.
    assert value_lines(table.text) == [
        "Значение: 72,7\u00a0% (11 ответов)",
        "Значение: 69,2\u00a0% (13 ответов)",
        "Значение: 84,6\u00a0% (13 ответов)",
        "Значение: нет данных",
        "Значение: 0\u00a0% (обслужено 300 граждан)",
        "Значение: 75\u00a0% (12 ответов)",
    ]
    assert "Нормативное значение: нет данных · целевое значение на следующий год: нет данных" in table.text
    assert table.button_texts == ["• Текущий год (2026)", "Прошлый год (2025)"]

    chart = reply.sent[1]
    assert chart.kind == "photo" and "Доля оценок 4 и 5 по месяцам" in chart.text
    png = photos(harness)[-1]
    assert png.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(png)).size == (charts.WIDTH_PX, charts.HEIGHT_PX) == (1200, 675)

    last_year = await user.press("Прошлый год (2025)", table)
    shown = last_year.edited[0]
    assert "1 января 2025 г. – 31 декабря 2025 г." in shown.text
    assert value_lines(shown.text)[1] == "Значение: 100\u00a0% (5 ответов)"  # June 2025 at alm-06
    assert "Значение: нет данных: число обслуженных граждан не внесено" in shown.text
    assert shown.button_texts == ["Текущий год (2026)", "• Прошлый год (2025)"]
    assert [m.kind for m in last_year.sent] == ["photo"] and len(photos(harness)) == 2


async def test_office_staff_see_their_office_and_too_few_is_marked(stored):
    harness = stored
    officer = harness.user("ru", user_id=OFFICER)
    text = (await officer.send("/stats")).sent[0].text
    assert "Отдел внутренних дел города Капчагая: 1 января 2026 г." in text
    # alm-06 in 2026: quality 5,5,4,4,3,2,1,1 -> 4/8; 4.1: 0 over its 200 in March.
    assert value_lines(text)[1] == "Значение: 50\u00a0% (8 ответов)"
    assert value_lines(text)[4] == "Значение: 0\u00a0% (обслужено 200 граждан)"

    reply = await officer.press("Прошлый год (2025)")
    assert value_lines(reply.edited[0].text)[1] == "Значение: 100\u00a0% (5 ответов)"

    # a month with answers from one office only would point at few people: too few is said, not shown
    await harness.db.surveys.add_response(office_id="alm-02", department_id="alm-00",
                                      visited_on=date(2026, 5, 5), quality=1, information=None, courtesy=5,
                                      on_time=True, channel="bot", idempotency_key="few")
    await harness.db.staff.grant(OFFICER, "office_staff", "alm-02", display_name=None, actor="test", at=NOW)
    reply = await officer.send("/stats")  # two offices now: the first by id, a button for each
    text = reply.sent[0].text
    assert reply.sent[0].button_texts[2:] == ["• Управление внутренних дел Енбекшиказахского района",
                                              "Отдел внутренних дел города Капчагая"]
    assert "Управление внутренних дел Енбекшиказахского района: 1 января 2026 г." in text
    assert value_lines(text)[1] == "Значение: слишком мало ответов для показа: 1 (нужно не менее 5)"
    assert value_lines(text)[2] == "Значение: слишком мало ответов для показа: 0 (нужно не менее 5)"
    assert [m.text for m in reply.sent[1:]] == [
        "Для графика пока нет ни одного месяца с достаточным числом ответов."]
    back = await officer.press("Отдел внутренних дел города Капчагая")
    assert value_lines(back.edited[0].text)[1] == "Значение: 50\u00a0% (8 ответов)"


async def test_admin_sees_the_country_in_kazakh(stored):
    harness = stored
    admin = harness.user("kk", user_id=ADMIN)
    reply = await admin.send("/stats")
    text = reply.sent[0].text
    assert tr("kk", "Quality indicators (Appendix 3)") in text
    assert tr("kk", "All offices of Kazakhstan") in text
    # the country adds ast-01's five 5s: quality 9+5 of 13+5
    assert f"{tr('kk', 'Value: {value}', value='77,8%')} (18 жауап)" in text
    assert reply.sent[1].kind == "photo"


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_a_citizen_gets_what_an_unknown_command_gets(stored, lang):
    harness = stored
    citizen = harness.user(lang)
    unknown = await citizen.send("/nosuchcommand")
    reply = await citizen.send("/stats")
    assert reply.text == unknown.text and [m.kind for m in reply.sent] == [m.kind for m in unknown.sent]
    assert tr(lang, "Quality indicators (Appendix 3)") not in reply.text
    forged = await citizen.press_data(StatsView(k="all", y=2026).pack())
    assert tr(lang, "Quality indicators (Appendix 3)") not in forged.text
    assert photos(harness) == []


async def test_staff_cannot_press_their_way_to_another_table(stored):
    harness = stored
    officer = harness.user("ru", user_id=OFFICER)
    await officer.send("/stats")
    reply = await officer.press_data(StatsView(k="all", y=2026).pack())  # forged: their own table instead
    assert "Все подразделения Казахстана" not in "".join(m.text for m in officer.messages)
    assert reply.sent[-1].text == ("Доля оценок 4 и 5 по месяцам: Отдел внутренних дел города Капчагая, "
                                   "2026 г.")


async def test_answers_older_than_the_retention_are_purged_on_start(tmp_path, frozen_clock):  # noqa: F811
    bot_harness = await BotHarness(tmp_path / "bot.sqlite3", complaint_retention_days=365).start()
    try:
        for key, day in (("old", date(2025, 11, 24)), ("kept", date(2025, 11, 25))):
            await bot_harness.db.surveys.add_response(office_id="alm-06", department_id="alm-00",
                                              visited_on=day, quality=5, information=None, courtesy=None,
                                              on_time=None, channel="bot", idempotency_key=key)
        await bot_harness.dp.emit_startup(bot=bot_harness.bot, **bot_harness.dp.workflow_data)
        assert [a.answered_on for a in await bot_harness.db.surveys.answers()] == [date(2025, 11, 25)]
    finally:
        await bot_harness.stop()
