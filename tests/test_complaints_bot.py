"""Complaints through the real Dispatcher on the fake Telegram, in Kazakh and in Russian.

A citizen files a complaint and gets the talon (text and picture); staff find it in /queue, take it,
answer, close it, and the citizen hears of each step. Nobody sees or changes what is not theirs, a
forged button is refused, a double tap files once, and nothing personal reaches the logs.
"""

import asyncio
import io
import logging
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from dialogue_support import tr
from PIL import Image

import handlers.complaints.own
from bot import clock
from bot.clock import KZ_TZ
from bot.complaints import talon, talon_image
from bot.telegram.retention import RetentionSweep
from bot.testing.harness import BotHarness

TALON_RE = re.compile(r"[34679ACDEFHJKMPTWXY]{3}-[34679ACDEFHJKMPTWXY]{3}-[34679ACDEFHJKMPTWXY]")
NOW = datetime.now(UTC)

KK = {
    "file": "Шағым беру", "individual": "Мен, жеке тұлға", "entity": "Ұйым (заңды тұлға)",
    "no_patronymic": "аты жоқ", "category": "20 минуттан", "continue": "Жалғастыру",
    "agree": "Келісемін", "mine": "Менің шағымдарым", "take": "Қарауға алу", "answer": "Азаматқа жауап",
    "close": "Жабу", "today": "Бүгін", "open": "Шағымды ашу", "cancel": "Шағымнан бас тарту",
    "registered": "Шағымыңыз тіркелді", "due": "Жауап беру мерзімі", "status_taken": "қарауға алынды",
    "answer_head": "шағымыңызға жауап", "closed": "Жабылды", "mistyped": "қате терілген",
    "no_such": "Сіз көре алатын", "length": "9 таңбадан", "edit_address": "Пошталық мекенжай",
    "send": "📤 Жіберу", "justified": "✅ Негізді", "unjustified": "❎ Негізсіз",
}
RU = {
    "file": "Подать жалобу", "individual": "Я, как физическое лицо",
    "entity": "Организация (юридическое лицо)",
    "no_patronymic": "Отчества нет", "category": "Грубое", "continue": "Продолжить",
    "agree": "Согласен", "mine": "Мои жалобы", "take": "Взять в работу", "answer": "Ответить гражданину",
    "close": "Закрыть", "today": "Сегодня", "open": "Открыть жалобу", "cancel": "Отменить жалобу",
    "registered": "Ваша жалоба зарегистрирована", "due": "Ответ до", "status_taken": "принята к рассмотрению",
    "answer_head": "Ответ на вашу жалобу", "closed": "Закрыта", "mistyped": "набран с ошибкой",
    "no_such": "У меня нет жалобы", "length": "из 9 знаков", "edit_address": "Почтовый адрес",
    "send": "📤 Отправить", "justified": "✅ Обоснована", "unjustified": "❎ Не обоснована",
}
WORDS = {"kk": KK, "ru": RU}
COUNTER = {"kk": "{n}/3000 таңба", "ru": "{n} из 3000 знаков"}
STATUS = {"kk": "Тіркелді", "ru": "Зарегистрирована"}
WAIT = {"kk": "20 минуттан", "ru": "Ожидание в очереди"}
OFFICE = {"kk": "Қапшағай қаласының Ішкі істер бөлімі", "ru": "Отдел внутренних дел города Капчагая"}
TEXT = {"kk": "Кезекте бір жарым сағат күттім, терезе ашылмады.",
        "ru": "Сотрудник у окна 3 грубо со мной разговаривал и не принял документы."}


async def start_individual(user, lang, *, surname="Сейткали", place="Қонаев", category=None):
    w = WORDS[lang]
    await user.send("/complaints")
    await user.press(w["file"])
    await user.press(w["individual"])
    await user.send(surname)
    await user.send("Айгерім")
    await user.press(w["no_patronymic"])
    await user.send("050000, Алматы қ., Абай даңғылы 10, 5-пәтер")
    found = await user.send(place)
    await user.press(found.buttons[0])
    await user.press(category or w["category"])
    return await user.send(TEXT[lang])


async def start_entity(user, lang):
    """An organisation's complaint (§24: name, postal address, outgoing number and date) up to review."""
    w = WORDS[lang]
    await user.send("/complaints")
    await user.press(w["file"])
    await user.press(w["entity"])
    for typed in ("ТОО «Жол-Құрылыс»", "010000, Астана, пр. Республики 1", "17/204"):
        await user.send(typed)
    await user.press(w["today"])
    found = await user.send("Шымкент")
    await user.press(found.buttons[0])
    await user.press(WAIT[lang])
    return await user.send(TEXT[lang])


async def file_individual(user, lang, **kwargs):
    review = await start_individual(user, lang, **kwargs)
    assert any(WORDS[lang]["continue"] in b for b in review.buttons)
    await user.press(WORDS[lang]["continue"])
    return await user.press(WORDS[lang]["agree"])


def talon_in(text: str) -> str:
    match = TALON_RE.search(text)
    assert match, text
    return match.group(0)


def last_answer(harness) -> str:
    """The text of the newest callback answer (a refusal is said there, as a notice)."""
    return str(list(harness.fake.callback_queries.values())[-1]["answer"].get("text") or "")


async def grant(harness, user_id, role, scope, name):
    await harness.db.staff.grant(user_id, role, scope, display_name=name, actor="test", at=NOW)


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_citizen_files_and_gets_a_talon_text_and_picture(harness, lang):
    user = harness.user(lang)
    review = await start_individual(user, lang)
    assert "Сейткали" in review.text and TEXT[lang] in review.text
    assert COUNTER[lang].format(n=len(TEXT[lang])) in review.text
    await user.press(WORDS[lang]["continue"])
    filed = await user.press(WORDS[lang]["agree"])
    shown = talon_in(filed.text)
    assert WORDS[lang]["registered"] in filed.text and WORDS[lang]["due"] in filed.text
    assert talon.is_valid(talon.parse(shown))
    assert OFFICE[lang] in filed.text  # Қонаев was Қапшағай: the office keeps the Appendix's name
    assert "/ticket " + shown in filed.text
    assert [m.kind for m in filed.sent] == ["photo"]
    photo = [call for call in harness.fake.calls if call.method == "sendPhoto"][-1]
    assert next(iter(photo.files.values())).startswith(b"\x89PNG")

    row = await harness.db.complaints.by_talon(talon.parse(shown))
    assert row.citizen_user_id == user.id and row.locale == lang and row.channel == "bot"
    assert row.surname == "Сейткали" and row.patronymic is None and row.category in (
        "long_wait", "rude_service")
    registered = row.registered_at.astimezone(KZ_TZ).date()
    assert row.due_date == registered + timedelta(days=15)

    mine = await user.press(WORDS[lang]["mine"])
    assert shown in mine.text
    opened = await user.press(shown)
    assert shown in opened.text and STATUS[lang] in opened.text


async def test_legal_entity_in_russian_with_corrections(harness):
    user = harness.user("ru")
    w = RU
    await user.send("/complaints")
    await user.press(w["file"])
    await user.press(w["entity"])
    await user.send("ТОО «Жол-Құрылыс»")
    await user.send("Астана, ул. Сейфуллина 29")
    await user.send("17/204")
    wrong = await user.send("31.02.2026")
    assert "Такой даты в календаре нет" in wrong.text
    assert "Не удалось прочитать дату" in (await user.send("вчера")).text
    future = await user.send("01.01.2099")
    assert "ещё не наступила" in future.text
    await user.press(w["today"])
    found = await user.send("Шымкент")
    await user.press(found.buttons[0])
    await user.press("Другое")
    too_long = await user.send("я" * 3005)
    assert "3005" in too_long.text and "на 5 больше" in too_long.text and "3000" in too_long.text
    too_short = await user.send("коротко")
    assert "не менее 10" in too_short.text
    review = await user.send("Просим сообщить, почему не принято решение в течение 30 дней.")
    assert "ТОО «Жол-Құрылыс»" in review.text and "17/204" in review.text
    again = await user.press(w["edit_address"])
    assert "Почтовый адрес организации" in again.text
    review = await user.send("010000, Астана, пр. Республики 1")
    assert "пр. Республики 1" in review.text and "Сейфуллина" not in review.text
    await user.press(w["continue"])
    filed = await user.press(w["agree"])
    row = await harness.db.complaints.by_talon(talon.parse(talon_in(filed.text)))
    assert row.kind == "legal_entity" and row.outgoing_number == "17/204"
    assert row.outgoing_date == clock.today().isoformat()
    assert row.surname is None and row.category == "other"


async def test_a_double_tap_files_once(harness):
    user = harness.user("kk")
    await start_individual(user, "kk")
    consent = await user.press(KK["continue"])
    data = consent.last.button("Келісемін")["callback_data"]
    first = await user.press_data(data, consent.last.message_id)
    second = await user.press_data(data, consent.last.message_id)
    assert talon_in(first.text) == talon_in(second.text)
    assert "бұрын берілген" in second.text
    assert len(await harness.db.complaints.export()) == 1
    queries = harness.fake.callback_queries.values()
    assert queries and all(q["answered"] for q in queries)


async def test_cancel_stores_nothing_and_old_buttons_do_not_crash(harness):
    user = harness.user("ru")
    await start_individual(user, "ru")
    await user.press(RU["cancel"])
    cancelled = await user.press(tr("ru", "🗑 Yes, delete what I entered"))
    assert "ничего не сохранено" in cancelled.text
    for data in ("cc:rude_service", "co:alm-06", "ce:surname", "cg:consent", "cx:someDraft"):
        stale = await user.press_data(data)
        assert last_answer(harness) == "Этот шаг устарел." and "Главное меню" in stale.text
    assert await harness.db.complaints.export() == []


async def test_the_draft_survives_a_restart(harness):
    user = harness.user("kk")
    await user.send("/complaints")
    await user.press(KK["file"])
    await user.press(KK["individual"])
    await user.send("Сейткали")
    await harness.restart()
    asked = await user.send("Айгерім")
    assert "Әкеңіздің аты" in asked.text


@pytest.mark.parametrize(("citizen_lang", "staff_lang"), [("kk", "ru"), ("ru", "kk")])
async def test_staff_take_answer_close_and_the_citizen_is_told(harness, citizen_lang, staff_lang):
    citizen = harness.user(citizen_lang)
    filed = await file_individual(citizen, citizen_lang, category=WAIT[citizen_lang])
    shown = talon_in(filed.text)
    row = await harness.db.complaints.by_talon(talon.parse(shown))
    await grant(harness, 500, "office_staff", row.office_id, "Ахметов А. Б.")
    staff = harness.user(staff_lang, user_id=500)
    sw = WORDS[staff_lang]

    queue = await staff.send("/queue")
    assert shown in " ".join(queue.buttons)
    opened = await staff.press(shown)
    assert TEXT[citizen_lang] in opened.text and "Сейткали" in opened.text

    await staff.press(sw["take"])
    told = citizen.last.text
    assert shown in told and WORDS[citizen_lang]["status_taken"] in told and "Ахметов А. Б." in told

    await staff.press(sw["answer"])
    answer = "Тексеру жүргізілді, кезек тәртібі қалпына келтірілді." if staff_lang == "kk" else \
        "Проверка проведена, порядок очереди восстановлен."
    preview = await staff.send(answer)
    assert answer in preview.text and WORDS[citizen_lang]["answer_head"] not in citizen.last.text
    after = await staff.press(sw["send"])
    assert answer in after.text
    told = citizen.last.text
    assert WORDS[citizen_lang]["answer_head"] in told and answer in told

    asked = await staff.press(sw["close"])
    assert WORDS[citizen_lang]["closed"] not in citizen.last.text  # Close asks first
    assert tr(staff_lang, "Close complaint {talon}?", talon=shown) in asked.text
    closed = await staff.press(sw["unjustified"])
    assert WORDS[citizen_lang]["closed"] in citizen.last.text
    assert tr(staff_lang, "the complaint was not justified") in closed.text  # the history says so
    assert (await harness.db.complaints.by_talon(row.talon)).justified == 0
    events = await harness.db.complaints.events(row.id)
    assert [(e.actor, e.action) for e in events] == [
        (f"citizen:{citizen.id}", "registered"), ("staff:500", "taken"), ("staff:500", "answered"),
        ("staff:500", "closed")]

    opened = await citizen.press(WORDS[citizen_lang]["open"])
    assert answer in opened.text and "Ахметов А. Б." in opened.text


async def test_overdue_complaints_are_marked_in_the_queue_oldest_first(harness):
    old_at = NOW - timedelta(days=20)
    fields = dict(kind="individual", surname="Ким", name="Ли", postal_address="Алматы", office_id="alm-06",
                  channel="post", category="other", text="Бумажная жалоба, поступившая по почте.")
    old, _ = await harness.db.complaints.register(fields, registered_at=old_at, due_date=(old_at + timedelta(
        days=15)).date(), actor="cli", department_id="alm-00")
    new, _ = await harness.db.complaints.register(fields, registered_at=NOW, due_date=(NOW + timedelta(
        days=15)).date(), actor="cli", department_id="alm-00")
    await grant(harness, 600, "department_supervisor", "alm-00", "Серікова Б.")
    queue = await harness.user("ru", user_id=600).send("/queue")
    labels = queue.buttons[:2]
    assert labels[0].startswith("⚠️ " + talon.format_talon(old.talon))
    assert labels[1].startswith(talon.format_talon(new.talon))
    assert "Просрочено: 1" in queue.text


async def test_forged_and_foreign_requests_are_refused(harness):
    citizen = harness.user("kk")
    filed = await file_individual(citizen, "kk")
    shown = talon_in(filed.text)
    compact = talon.parse(shown)
    row = await harness.db.complaints.by_talon(compact)

    stranger = harness.user("ru")
    await stranger.send("/start")  # a message with buttons to forge a press on
    for action in ("open", "take", "close", "answer", "queue"):
        reply = await stranger.press_data(f"sa:{compact}:{action}:0")
        assert reply.messages == [] and last_answer(harness) == "Это — для сотрудников подразделений."
    reply = await stranger.press_data(f"cm:{compact}:open")
    assert reply.messages == [] and shown in last_answer(harness) and "нет жалобы" in last_answer(harness)
    reply = await stranger.press_data(f"cm:{compact}:image")
    assert not [m for m in reply.sent if m.kind == "photo"]
    ticket = await stranger.send(f"/ticket {shown}")
    assert RU["no_such"] in ticket.text and TEXT["kk"] not in ticket.text

    await grant(harness, 700, "office_staff", "ast-03", "Басқа Б.")
    other_office = harness.user("kk", user_id=700)
    await other_office.send("/start")
    reply = await other_office.press_data(f"sa:{compact}:take:0")
    assert reply.messages == [] and last_answer(harness) == "Бұл шағымды көре алмайсыз."
    ticket = await other_office.send(f"/ticket {shown}")
    assert KK["no_such"] in ticket.text

    await grant(harness, 701, "office_staff", row.office_id, "Осы Б.")
    same_office = harness.user("kk", user_id=701)
    await same_office.send("/start")
    reply = await same_office.press_data(f"sa:{compact}:close:0")  # not allowed from "registered"
    assert (await harness.db.complaints.by_talon(compact)).status == "registered"
    assert [e.action for e in await harness.db.complaints.events(row.id)] == ["registered"]
    assert last_answer(harness) == "Қазір мұны істей алмайсыз."
    assert "Қарауға алу" in reply.last.button_texts[0]  # the complaint as it is, with what may be done


async def test_rude_service_goes_past_the_office_to_its_department(harness):
    citizen = harness.user("ru")
    filed = await file_individual(citizen, "ru", place="Қонаев")  # category: rude service (§22)
    compact = talon.parse(talon_in(filed.text))
    row = await harness.db.complaints.by_talon(compact)
    assert row.category == "rude_service"
    await grant(harness, 800, "office_staff", row.office_id, "Офис О.")
    await grant(harness, 801, "department_supervisor", row.department_id, "Басшы Б.")
    office = await harness.user("ru", user_id=800).send("/queue")
    assert talon.format_talon(compact) not in " ".join(office.buttons)
    boss = await harness.user("ru", user_id=801).send("/queue")
    assert talon.format_talon(compact) in " ".join(boss.buttons)


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_ticket_tells_a_mistyped_number_from_a_malformed_one(harness, lang):
    user = harness.user(lang)
    filed = await file_individual(user, lang)
    shown = talon_in(filed.text)
    own = await user.send(f"/ticket {shown.lower().replace('-', ' ')}")
    assert shown in own.text and TEXT[lang] not in own.text
    last = shown[-1]
    typo = shown[:-1] + next(ch for ch in talon.ALPHABET if ch != last)
    assert WORDS[lang]["mistyped"] in (await user.send(f"/ticket {typo}")).text
    assert WORDS[lang]["length"] in (await user.send("/ticket K4D-3C7")).text
    assert "«0»" in (await user.send("/ticket 0" + shown[1:])).text
    hello = (await user.send("/ticket hello")).text  # a word, not a number with a bad letter "L"
    assert WORDS[lang]["length"] in hello and "«L»" not in hello and "«l»" not in hello
    assert "«l»" in (await user.send("/ticket l" + shown[1:])).text  # shown as typed, not as "L"


async def test_nothing_personal_reaches_the_logs(harness, caplog):
    caplog.set_level(logging.DEBUG)
    citizen = harness.user("ru")
    filed = await file_individual(citizen, "ru", surname="Уникальнофамильев", category=WAIT["ru"])
    compact = talon.parse(talon_in(filed.text))
    row = await harness.db.complaints.by_talon(compact)
    await grant(harness, 900, "office_staff", row.office_id, "Тестов Т.")
    staff = harness.user("ru", user_id=900)
    await staff.send(f"/ticket {talon_in(filed.text)}")
    await staff.press(RU["take"])
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert "Уникальнофамильев" not in logged and TEXT["ru"] not in logged and "Абай даңғылы" not in logged


async def test_privacy_and_retention(tmp_path):
    bot_harness = await BotHarness(tmp_path / "bot.sqlite3", complaint_retention_days=30).start()
    try:
        user = bot_harness.user("ru")
        reply = await user.send("/privacy")
        assert "30 дней" in reply.text and "никогда не пишутся в журналы" in reply.text
        await user.send("/start")
        about = await user.press("О боте")
        assert "Через 30 дней после закрытия жалобы она удаляется" in about.last.text
        db = bot_harness.db
        fields = dict(kind="individual", surname="Ким", name="Ли", postal_address="Алматы",
                      office_id="alm-06", channel="post", category="other", text="Старая закрытая жалоба.")
        old, _ = await db.complaints.register(fields, registered_at=NOW - timedelta(days=90),
                                             due_date=date.today(), actor="cli", department_id="alm-00")
        await db.complaints.change(old.id, expected_status="registered", status="closed", actor="t",
                                  at=NOW - timedelta(days=60), action="closed")
        kept, _ = await db.complaints.register(fields, registered_at=NOW - timedelta(days=90),
                                              due_date=date.today(), actor="cli", department_id="alm-00")
        # a forwarded complaint is being worked by its new office: it is not finished, so it is kept
        moving, _ = await db.complaints.register(fields, registered_at=NOW - timedelta(days=90),
                                                due_date=date.today(), actor="cli", department_id="alm-00")
        await db.complaints.change(moving.id, expected_status="registered", status="forwarded", actor="t",
                                  at=NOW - timedelta(days=60), action="forwarded")
        swept = await RetentionSweep(db, bot_harness.settings, draft_key="complaint",
                                     dialogue_parts=bot_harness.dp.storage).sweep()
        assert swept.complaints == 1
        assert [r.id for r in await db.complaints.export()] == [kept.id, moving.id]
    finally:
        await bot_harness.stop()


async def test_forward_extend_and_reopen(harness):
    citizen = harness.user("ru")
    await citizen.send("/complaints")
    await citizen.press(RU["file"])
    await citizen.press(RU["individual"])
    for typed in ("Петров", "Пётр"):
        await citizen.send(typed)
    await citizen.press(RU["no_patronymic"])
    await citizen.send("Павлодар, ул. Ленина 1")
    await citizen.press("Выбрать регион")
    region = await citizen.press("Павлодар")
    assert "Выберите подразделение" in region.text
    await citizen.press(region.buttons[0])
    await citizen.press("Другое")
    await citizen.send("Прошу проверить, почему мне не выдали талон о приёме документов.")
    await citizen.press(RU["continue"])
    filed = await citizen.press(RU["agree"])
    compact = talon.parse(talon_in(filed.text))
    row = await harness.db.complaints.by_talon(compact)
    assert row.office_id == row.department_id == "pav-00"

    await grant(harness, 601, "department_supervisor", "pav-00", "Омаров О.")
    boss = harness.user("ru", user_id=601)
    await boss.send(f"/ticket {talon_in(filed.text)}")
    await boss.press(RU["take"])
    extended = await boss.press("Продлить срок")
    due = row.registered_at.astimezone(KZ_TZ).date() + timedelta(days=30)
    assert (await harness.db.complaints.by_talon(compact)).due_date == due
    assert "Продлить срок" not in " ".join(extended.buttons)
    assert "нужна информация от других органов" in citizen.last.text
    await boss.press(RU["answer"])
    await boss.send("Талон выдан повторно, приносим извинения.")
    await boss.press(RU["send"])
    reopened = await boss.press("Вернуть на рассмотрение")
    assert "На рассмотрении" in reopened.text
    assert "На рассмотрении" in citizen.last.text
    await boss.press("Перенаправить")
    found = await boss.send("Экибастуз")
    await boss.press(found.buttons[0])
    await boss.send("По месту выдачи талона, в отдел города Экибастуза.")
    await boss.press(RU["send"])
    assert "перенаправлена" in citizen.last.text and "Экибастуз" in citizen.last.text
    final = await harness.db.complaints.by_talon(compact)
    assert (final.status, final.office_id, final.department_id) == ("forwarded", "pav-03", "pav-00")
    actions = [e.action for e in await harness.db.complaints.events(final.id)]
    assert actions == ["registered", "taken", "extended", "answered", "reopened", "forwarded"]


async def test_two_taps_at_the_same_moment_file_once(harness):
    user = harness.user("kk")
    await start_individual(user, "kk")
    consent = await user.press(KK["continue"])
    data = consent.last.button("Келісемін")["callback_data"]
    await asyncio.gather(user.press_data(data, consent.last.message_id),
                         user.press_data(data, consent.last.message_id))
    assert len(await harness.db.complaints.export()) == 1


async def test_expired_complaints_are_purged_when_the_bot_starts(harness):
    fields = dict(kind="individual", surname="Ким", name="Ли", postal_address="Алматы", office_id="alm-06",
                  channel="post", category="other", text="Старая закрытая жалоба.")
    old, _ = await harness.db.complaints.register(fields, registered_at=NOW - timedelta(days=2000),
                                                 due_date=date.today(), actor="cli", department_id="alm-00")
    await harness.db.complaints.change(old.id, expected_status="registered", status="closed", actor="t",
                                      at=NOW - timedelta(days=1500), action="closed")
    user = harness.user("kk")
    await user.send("/complaints")
    await user.press(KK["file"])
    await user.press(KK["individual"])
    await user.send("Сейткали")
    key = harness.dialogue_key(user)
    assert "Сейткали" in str(await harness.db.dialogues.get(key))
    await harness.db.engine.execute("UPDATE fsm_state SET updated_at = '2020-01-01T00:00:00.000Z'")
    await harness.dp.emit_startup(bot=harness.bot, **harness.dp.workflow_data)
    assert await harness.db.complaints.export() == []
    assert "Сейткали" not in str(await harness.db.dialogues.get(key))
    asked = await user.send("Айгерім")  # the draft is gone: back to the menu, nothing half-kept
    assert "Әкеңіздің аты" not in asked.text


async def test_typing_instead_of_pressing_shows_the_step_again(harness):
    user = harness.user("ru")
    await user.send("/complaints")
    await user.press(RU["file"])
    kind = await user.send("физлицо")
    assert "Ответьте кнопками ниже" in kind.text and RU["individual"] in " ".join(kind.buttons)
    await start_individual(user, "ru")
    await user.press(RU["continue"])
    again = await user.send("да")
    assert "Ответьте кнопками ниже" in again.text and "Проверьте вашу жалобу" in again.text
    await user.press(RU["continue"])
    filed = await user.press(RU["agree"])
    assert talon_in(filed.text)


async def test_a_button_of_another_step_shows_the_current_one(harness):
    user = harness.user("kk")
    await user.send("/complaints")
    await user.press(KK["file"])
    await user.press(KK["individual"])
    await user.press_data("cc:other")
    assert last_answer(harness) == "Бұл қадам ескірген." and "Тегіңіз" in user.last.text
    await user.press_data("co:nowhere")
    assert last_answer(harness) == "Бұл қадам ескірген." and "Тегіңіз" in user.last.text
    assert (await harness.db.complaints.export()) == []


async def test_two_officials_taking_at_once_one_wins(harness):
    citizen = harness.user("kk")
    filed = await file_individual(citizen, "kk", category=WAIT["kk"])
    shown = talon_in(filed.text)
    row = await harness.db.complaints.by_talon(talon.parse(shown))
    first, second = harness.user("kk", user_id=501), harness.user("ru", user_id=502)
    for official, name in ((first, "Бірінші Б."), (second, "Второй В.")):
        await grant(harness, official.id, "office_staff", row.office_id, name)
        await official.send(f"/ticket {shown}")
    await asyncio.gather(first.press(KK["take"]), second.press(RU["take"]))
    taken = await harness.db.complaints.by_talon(row.talon)
    assert taken.status == "in_review" and taken.assignee_user_id in (501, 502)
    events = await harness.db.complaints.events(row.id)
    assert [e.action for e in events] == ["registered", "taken"]
    loser = second if taken.assignee_user_id == 501 else first
    await loser.press_data(f"sa:{row.talon}:take:0")
    assert last_answer(harness) in ("Қазір мұны істей алмайсыз.", "Сейчас вы не можете этого сделать.")
    still = await harness.db.complaints.by_talon(row.talon)
    assert still.assignee_user_id == taken.assignee_user_id


async def test_staff_in_reach_hear_of_a_new_complaint_in_their_language(harness):
    await grant(harness, 810, "office_staff", "alm-06", "Офис О.")
    await grant(harness, 811, "department_supervisor", "alm-00", "Басшы Б.")
    await grant(harness, 812, "office_staff", "ast-03", "Басқа Б.")
    await harness.db.dialogues.set_locale(811, "ru")
    office, boss, other = (harness.user("kk", user_id=uid) for uid in (810, 811, 812))

    citizen = harness.user("kk")
    shown = talon_in((await file_individual(citizen, "kk", category=WAIT["kk"])).text)
    assert f"Жаңа шағым {shown}" in office.last.text and "Қапшағай" in office.last.text
    assert f"Новая жалоба {shown}" in boss.last.text
    assert other.messages == []
    opened = await office.press("Шағымды ашу")
    assert TEXT["kk"] in opened.text

    rude = talon_in((await file_individual(harness.user("ru"), "ru")).text)  # §22: past the office
    assert rude not in office.last.text and f"Новая жалоба {rude}" in boss.last.text


# --- what the tester found: the draft kept, cancel asked, addresses checked, consent and talon ---------


async def begin_individual(user, lang, surname="Сейткали", name="Айгерім"):
    await user.send("/complaints")
    await user.press(WORDS[lang]["file"])
    await user.press(WORDS[lang]["individual"])
    await user.send(surname)
    return await user.send(name)


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_leaving_the_form_keeps_the_draft_and_offers_to_continue_it(harness, lang):
    user = harness.user(lang)
    asked = await begin_individual(user, lang)
    patronymic_prompt = tr(lang, "Your patronymic (if you have none, press the button):")
    assert patronymic_prompt in asked.text
    await user.send("/menu")
    intro = await user.press(tr(lang, "📝 Complaints"))
    assert tr(lang, "▶️ Continue my unfinished complaint") in intro.buttons
    offer = await user.press(WORDS[lang]["file"])
    assert tr(lang, "You have an unfinished complaint") in offer.text
    resumed = await user.press(tr(lang, "▶️ Continue where I stopped"))
    assert patronymic_prompt in resumed.text
    await user.press(WORDS[lang]["no_patronymic"])
    await user.send("050000, Алматы қ., Абай даңғылы 10, 5-пәтер")
    found = await user.send("Қонаев")
    await user.press(found.buttons[0])
    await user.press(WAIT[lang])
    review = await user.send(TEXT[lang])
    assert "Сейткали" in review.text and "Айгерім" in review.text
    await user.press(WORDS[lang]["continue"])
    filed = await user.press(WORDS[lang]["agree"])
    row = await harness.db.complaints.by_talon(talon.parse(talon_in(filed.text)))
    assert (row.surname, row.name) == ("Сейткали", "Айгерім")

    await begin_individual(user, lang, surname="Жаңабаев", name="Ерлан")  # a second draft, then anew
    await user.send("/complaints")
    await user.press(WORDS[lang]["file"])
    fresh = await user.press(tr(lang, "🆕 Start a new complaint"))
    assert WORDS[lang]["individual"] in " ".join(fresh.buttons)
    await user.press(WORDS[lang]["individual"])
    await user.send("/menu")
    intro = await user.send("/complaints")  # only the kind was chosen: still a draft to continue
    resumed = await user.press(tr(lang, "▶️ Continue my unfinished complaint"))
    assert tr(lang, "Your surname:") in resumed.text and "Жаңабаев" not in resumed.text


async def test_a_new_citizen_is_not_asked_about_a_draft(harness):
    user = harness.user("kk")
    intro = await user.send("/complaints")
    assert tr("kk", "▶️ Continue my unfinished complaint") not in intro.buttons
    asked = await user.press(KK["file"])
    assert KK["individual"] in " ".join(asked.buttons)


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_cancel_asks_before_deleting_the_draft(harness, lang):
    user = harness.user(lang)
    review = await start_individual(user, lang)
    question = await user.press(WORDS[lang]["cancel"])
    assert tr(lang, "Cancel the complaint?") in question.text
    back = await user.press(tr(lang, "⬅️ No, continue the complaint"))
    assert back.last.text == review.last.text  # the review again, nothing lost
    await user.press(WORDS[lang]["cancel"])
    cancelled = await user.press(tr(lang, "🗑 Yes, delete what I entered"))
    assert tr(lang, "The complaint was cancelled; nothing was stored.") in cancelled.text
    key = harness.dialogue_key(user)
    assert "Сейткали" not in str(await harness.db.dialogues.get(key))
    intro = await user.send("/complaints")
    assert tr(lang, "▶️ Continue my unfinished complaint") not in intro.buttons
    assert await harness.db.complaints.export() == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_a_postal_address_must_be_one(harness, lang):
    user = harness.user(lang)
    await begin_individual(user, lang)
    asked = await user.press(WORDS[lang]["no_patronymic"])
    refusal = tr(lang, "That does not look like a postal address, and the written answer is sent there. "
                       "Please give the postcode, town, street and house (and the flat, if any), at least "
                       "{limit} characters, for example: 050000, Алматы қ., Абай даңғылы 10, 5-пәтер",
                 limit=10)
    for typed in ("x", ".", "-- ,, --", "050000 12", "0500001234567"):
        again = await user.send(typed)
        assert refusal in again.text and asked.last.text in again.text, typed
    assert "10" in refusal and "050000" in refusal
    office = await user.send("Абай 10, Есік")
    assert refusal not in office.text and tr(lang, "🗺 Choose the region") in office.buttons  # next step


@pytest.mark.parametrize(("field", "typed"), [("surname", "."), ("surname", "-"), ("surname", "А--"),
                                              ("name", "'")])
async def test_a_name_is_letters(harness, field, typed):
    user = harness.user("ru")
    await user.send("/complaints")
    await user.press(RU["file"])
    await user.press(RU["individual"])
    if field == "name":
        await user.send("Петров")
    refused = await user.send(typed)
    assert tr("ru", "Please use letters only (a hyphen, an apostrophe or a space are fine).") in refused.text


async def test_an_organisation_gives_a_name_in_letters_and_a_real_number(harness):
    user = harness.user("ru")
    await user.send("/complaints")
    await user.press(RU["file"])
    await user.press(RU["entity"])
    refused = await user.send("...")
    assert "Напишите название организации буквами" in refused.text
    await user.send("ТОО «Жол-Құрылыс»")
    assert "Это не похоже на почтовый адрес" in (await user.send("Астана")).text
    await user.send("010000, Астана, пр. Республики 1")
    refused = await user.send("./-")
    assert "Исходящий номер состоит из цифр или букв" in refused.text
    asked = await user.send("б/н")
    assert RU["today"] in " ".join(asked.buttons)  # the date step: "without number" is a number


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_the_consent_speaks_of_an_organisation_to_an_organisation(harness, lang):
    user = harness.user(lang)
    await start_entity(user, lang)
    consent = await user.press(WORDS[lang]["continue"])
    individual = tr(lang, "Consent to the processing of personal data")
    assert tr(lang, "Consent to storing the complaint's data") in consent.text
    assert individual not in consent.text and ("ФИО" not in consent.text and "аты-жөні" not in consent.text)
    assert ("название организации" if lang == "ru" else "ұйымның атауы") in consent.text

    other = harness.user(lang)
    await start_individual(other, lang)
    consent = await other.press(WORDS[lang]["continue"])
    assert individual in consent.text and ("ФИО" in consent.text or "аты-жөні" in consent.text)


@pytest.mark.parametrize(("lang", "kind"), [("kk", "individual"), ("ru", "individual"),
                                           ("ru", "legal_entity")])
async def test_the_talon_picture_says_when_and_where_the_answer_comes(harness, monkeypatch, lang, kind):
    cards = []

    def keep(card):
        cards.append(card)
        return talon_image.render_png(card)

    monkeypatch.setattr(handlers.complaints.own, "render_png", keep)
    user = harness.user(lang)
    if kind == "individual":
        filed = await file_individual(user, lang)
    else:
        await start_entity(user, lang)
        await user.press(WORDS[lang]["continue"])
        filed = await user.press(WORDS[lang]["agree"])
    row = await harness.db.complaints.by_talon(talon.parse(talon_in(filed.text)))
    (card,) = cards
    rows = dict(card.rows)
    where = {"legal_entity": "Here in the bot, and in writing to the organisation's postal address given "
                             "in the complaint",
             "individual": "Here in the bot, and in writing to the postal address given in the "
                           "complaint"}[kind]
    assert rows[tr(lang, "Where the answer comes")] == tr(lang, where)
    assert rows[tr(lang, "Answer due by")] in filed.text  # the same due date as the text talon
    assert row.due_date.isoformat()[:4] in rows[tr(lang, "Answer due by")]
    lines = talon_image._fit(card)
    assert not lines[-1][0].endswith("…") and min(size for _, size, _, _ in lines) >= 18  # all of it, legible
    photo = [call for call in harness.fake.calls if call.method == "sendPhoto"][-1]
    image = Image.open(io.BytesIO(next(iter(photo.files.values()))))
    assert abs(image.width / image.height - 75 / 55) < 0.005


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_the_talon_message_stays_as_it_is_when_its_buttons_are_pressed(harness, lang):
    user = harness.user(lang)
    filed = await file_individual(user, lang)
    receipt = next(m for m in filed.messages if m.kind == "text" and TALON_RE.search(m.text))
    shown = talon_in(receipt.text)
    before = (receipt.text, receipt.button_texts)
    mine = await user.press(WORDS[lang]["mine"], receipt)
    assert mine.edited == [] and len(mine.sent) == 1 and shown in mine.sent[0].text
    opened = await user.press(tr(lang, "🔎 Open this complaint"), receipt)
    assert opened.edited == [] and STATUS[lang] in opened.sent[0].text
    menu = await user.press(tr(lang, "☰ Main menu"), receipt)
    assert menu.edited == [] and tr(lang, "Main menu. What do you need?") in menu.sent[0].text
    now = harness.fake.current(user.id, receipt.message_id)
    assert (now.text, now.button_texts) == before
    assert [m.message_id for m in user.messages].count(receipt.message_id) == 1

    stranger = harness.user("ru")
    await stranger.send("/start")
    reply = await stranger.press_data(f"ct:open:{talon.parse(shown)}")
    assert reply.messages == [] and "нет жалобы" in last_answer(harness)


async def test_a_forged_talon_button_gets_the_out_of_date_answer_and_the_menu(harness):
    """One handler per button under the talon; a value that is none of them matches no handler and is
    answered as any old button is (the fallback: out of date, the main menu below)."""
    user = harness.user("ru")
    await user.send("/start")
    reply = await user.press_data("ct:zzz:")
    assert last_answer(harness) == tr("ru", "This button is out of date. Here is the menu.")
    assert tr("ru", "Main menu. What do you need?") in reply.messages[-1].text
