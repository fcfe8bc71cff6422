"""Issue 10, points 7, 8 and 10, through the real Dispatcher in Kazakh and Russian.

7. Forwarding picks where to (another office found by name or by region → office, the department, the
   committee for §22 complaints); the complaint moves to the new place's queue, the citizen is told
   where, the history shows the hop, and the forwarding side (or an admin) may recall it.
8. Close asks first, and whether the complaint was justified; the answer is stored and shown.
10. "My complaints" names each complaint's office and subject.
"""

import pytest
from dialogue_support import tr
from test_complaints_bot import WAIT, WORDS, file_individual, grant, last_answer, talon_in

from bot.complaints import talon
from bot.offices.directory import load_directory

STAFF, TARGET, BOSS, ADMIN = 500, 700, 800, 900
NOTE = {"kk": "Бұл мәселе облыстық орталықтағы бөлімнің құзыретіне жатады.",
        "ru": "Этот вопрос относится к компетенции отдела в областном центре."}
TARGET_OFFICE = "alm-01"  # found by typing "Талдықорған": the second of the two results (alm-00 first)
RUDE = {"kk": "Дөрекі қызмет", "ru": "Грубое обслуживание"}
COMMITTEE = {"kk": "Көші-қон полициясы комитеті", "ru": "Комитет миграционной полиции"}


def name(office_id: str, lang: str) -> str:
    return load_directory().get(office_id).name[lang]


async def filed_and_taken(harness, lang, category=None):
    citizen = harness.user(lang)
    filed = await file_individual(citizen, lang, category=category or WAIT[lang])
    shown = talon_in(filed.text)
    row = await harness.db.complaints.by_talon(talon.parse(shown))
    await grant(harness, STAFF, "office_staff", row.office_id, "Ахметов А. Б.")
    staff = harness.user(lang, user_id=STAFF)
    await staff.send(f"/ticket {shown}")
    return citizen, staff, shown, row


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_forwarded_to_another_office_it_moves_and_can_be_recalled(harness, lang):
    citizen, staff, shown, row = await filed_and_taken(harness, lang)
    await staff.press(WORDS[lang]["take"])
    await grant(harness, TARGET, "office_staff", TARGET_OFFICE, "Бекова Б.")
    target = harness.user("ru" if lang == "kk" else "kk", user_id=TARGET)
    target_lang = "ru" if lang == "kk" else "kk"
    await harness.db.dialogues.set_locale(TARGET, target_lang)  # the official's own language, as chosen
    assert shown not in " ".join((await target.send("/queue")).buttons)

    asked = await staff.press(tr(lang, "↪️ Forward"))
    assert tr(lang, "Where to forward complaint {talon}?", talon=shown) in asked.text
    found = await staff.send("Талдықорған")
    prompt = await staff.press(found.buttons[1])
    assert name(TARGET_OFFICE, lang) in prompt.text
    preview = await staff.send(NOTE[lang])
    assert NOTE[lang] in preview.text and len(found.buttons) >= 2
    assert len(harness.fake.sent(TARGET)) == 1  # only its /queue answer: nothing moves before Send
    card = await staff.press(WORDS[lang]["send"])

    moved = await harness.db.complaints.by_talon(row.talon)
    where = (moved.office_id, moved.department_id, moved.status)
    assert where == (TARGET_OFFICE, "alm-00", "forwarded")
    assert moved.assignee_user_id is None
    told = citizen.last.text
    assert tr(lang, "Your complaint {talon} was forwarded to: {office}.", talon=shown,
              office=name(TARGET_OFFICE, lang)) in told and NOTE[lang] in told
    alert = harness.fake.sent(TARGET)[-1].text
    assert tr(target_lang, "Complaint {talon} was forwarded to you", talon=shown) in alert
    hop = tr(lang, "forwarded: {source} → {target}", source=name(row.office_id, lang),
             target=name(TARGET_OFFICE, lang))
    assert hop in card.text  # the forwarding side still sees it, with the hop in the history
    assert tr(lang, "↩️ Recall the forwarding") in " ".join(card.buttons)
    assert shown not in " ".join((await staff.send("/queue")).buttons)
    assert shown in " ".join((await target.send("/queue")).buttons)
    event = (await harness.db.complaints.events(row.id))[-1]
    assert event.action == "forwarded" and event.detail["from_office"] == row.office_id
    assert event.detail["to_office"] == TARGET_OFFICE and event.detail["note"] == NOTE[lang]

    back = await staff.press(tr(lang, "↩️ Recall the forwarding"), card.last)
    again = await harness.db.complaints.by_talon(row.talon)
    assert (again.office_id, again.status, again.assignee_user_id) == (row.office_id, "in_review",
                                                                               STAFF)
    assert tr(lang, "The forwarding of your complaint {talon} was recalled: it is again with {office}.",
              talon=shown, office=name(row.office_id, lang)) in citizen.last.text
    assert tr(lang, "forwarding recalled: back to {office}", office=name(row.office_id, lang)) in back.text
    assert shown not in " ".join((await target.send("/queue")).buttons)
    actions = [e.action for e in await harness.db.complaints.events(row.id)]
    assert actions[-2:] == ["forwarded", "recalled"]


async def test_once_the_new_office_takes_it_the_old_one_can_no_longer_recall_or_see_it(harness):
    citizen, staff, shown, row = await filed_and_taken(harness, "ru")
    await grant(harness, TARGET, "office_staff", TARGET_OFFICE, "Бекова Б.")
    target = harness.user("ru", user_id=TARGET)
    await staff.press("Перенаправить")
    await staff.press("Выбрать регион")
    region = await staff.press("Алматинская")
    await staff.press(next(b for b in region.buttons if "УВД г. Талдыкоргана" in b))
    await staff.send(NOTE["ru"])
    card = await staff.press(WORDS["ru"]["send"])
    recall = card.last.button("Отозвать")["callback_data"]

    await target.send(f"/ticket {shown}")
    taken = await target.press(WORDS["ru"]["take"])
    assert "На рассмотрении" in taken.text
    await staff.press_data(recall)
    assert last_answer(harness) == tr("ru", "You cannot see this complaint.")
    assert (await harness.db.complaints.by_talon(row.talon)).office_id == TARGET_OFFICE
    seen = await staff.send(f"/ticket {shown}")
    assert tr("ru", "I have no complaint {talon} that you may see.", talon=shown) in seen.text


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_rude_service_goes_to_the_committee_and_admins_work_it(harness, lang):
    citizen = harness.user(lang)
    filed = await file_individual(citizen, lang, category=RUDE[lang])
    shown = talon_in(filed.text)
    row = await harness.db.complaints.by_talon(talon.parse(shown))
    await grant(harness, BOSS, "department_supervisor", row.department_id, "Омаров О.")
    await grant(harness, ADMIN, "admin", "", "Әкімші")
    boss, admin = harness.user(lang, user_id=BOSS), harness.user(lang, user_id=ADMIN)
    await boss.send(f"/ticket {shown}")
    asked = await boss.press(tr(lang, "↪️ Forward"))
    assert COMMITTEE[lang] in " ".join(asked.buttons) and "§22" in " ".join(asked.buttons)
    department = load_directory().get(row.department_id)
    assert department.name[lang] in " ".join(asked.buttons)  # the department of the office too
    await boss.press(COMMITTEE[lang])
    await boss.send(NOTE[lang])
    await boss.press(WORDS[lang]["send"])
    moved = await harness.db.complaints.by_talon(row.talon)
    assert (moved.office_id, moved.department_id) == ("mvd-kpk", None)
    assert COMMITTEE[lang] in citizen.last.text
    assert shown in " ".join((await admin.send("/queue")).buttons)
    assert shown not in " ".join((await boss.send("/queue")).buttons)
    await citizen.send("/complaints")
    listed = await citizen.press(WORDS[lang]["mine"])
    assert COMMITTEE[lang] in listed.text


async def test_a_complaint_goes_only_where_it_may(harness):
    """A forged button sends a long-wait complaint neither to the committee (§22 only) nor to its office."""
    citizen, staff, shown, row = await filed_and_taken(harness, "ru")
    await staff.press("Перенаправить")
    version = (await harness.db.complaints.by_talon(row.talon)).version
    for place in ("mvd-kpk", row.office_id, "zzz-99"):
        await staff.press_data(f"sf:{row.talon}:{version}:{place}")
        assert last_answer(harness) == tr("ru", "The complaint cannot be forwarded there.")
    assert (await harness.db.complaints.by_talon(row.talon)).office_id == row.office_id


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_close_asks_first_and_records_whether_it_was_justified(harness, lang):
    citizen, staff, shown, row = await filed_and_taken(harness, lang)
    await staff.press(WORDS[lang]["take"])
    await staff.press(WORDS[lang]["answer"])
    await staff.send(NOTE[lang])
    await staff.press(WORDS[lang]["send"])
    asked = await staff.press(tr(lang, "✅ Close"))
    assert tr(lang, "Close complaint {talon}?", talon=shown) in asked.text
    assert (await harness.db.complaints.by_talon(row.talon)).status == "answered"  # nothing yet
    back = await staff.press(tr(lang, "⬅️ Back to the complaint"))
    assert NOTE[lang] in back.text
    await staff.press(tr(lang, "✅ Close"))
    closed = await staff.press(tr(lang, "✅ Justified — close"))
    stored = await harness.db.complaints.by_talon(row.talon)
    assert stored.status == "closed" and stored.justified == 1
    assert tr(lang, "the complaint was justified") in closed.text
    assert (await harness.db.complaints.events(row.id))[-1].detail["justified"] is True


async def test_the_answers_to_close_keep_their_data_one_handler_each(harness):
    """Justified and not justified have a handler each; the buttons already in chats carry the same data
    ("sa:<talon>:cj:<revision>", "…:cu:…"), and a press on it closes as before."""
    citizen, staff, shown, row = await filed_and_taken(harness, "ru")
    await staff.press(WORDS["ru"]["take"])
    await staff.press(WORDS["ru"]["answer"])
    await staff.send(NOTE["ru"])
    await staff.press(WORDS["ru"]["send"])
    asked = await staff.press(tr("ru", "✅ Close"))
    version = (await harness.db.complaints.by_talon(row.talon)).version
    data = [button.get("callback_data") for line in asked.last.inline for button in line]
    assert {f"sa:{row.talon}:cj:{version}", f"sa:{row.talon}:cu:{version}"} <= set(data)
    closed = await staff.press_data(f"sa:{row.talon}:cu:{version}", asked.last.message_id)
    assert (await harness.db.complaints.by_talon(row.talon)).justified == 0
    assert tr("ru", "the complaint was not justified") in closed.text


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_my_complaints_name_the_office_and_the_subject(harness, lang):
    citizen = harness.user(lang)
    await file_individual(citizen, lang, category=WAIT[lang])
    await citizen.send("/complaints")
    mine = await citizen.press(WORDS[lang]["mine"])
    office = load_directory().get("alm-06")
    assert office.name[lang] in mine.text
    category_text = {"kk": "Кезекте 20 минуттан артық күту", "ru": "Ожидание в очереди дольше 20 минут"}
    assert category_text[lang] in mine.text
    short = {"kk": "Ұзақ кезек", "ru": "Долгая очередь"}
    button = next(b for b in mine.buttons if talon_in(b))
    assert office.settlement[lang] in button and short[lang] in button and len(button) <= 64


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_the_complaint_form_asks_did_you_mean_for_a_near_name(harness, lang):
    citizen = harness.user(lang)
    await citizen.send("/complaints")
    await citizen.press(WORDS[lang]["file"])
    await citizen.press(WORDS[lang]["individual"])
    await citizen.send("Сейткали")
    await citizen.send("Айгерім")
    await citizen.press(WORDS[lang]["no_patronymic"])
    await citizen.send("050000, Алматы қ., Абай даңғылы 10, 5-пәтер")
    asked = await citizen.send("Наурызбай")
    assert tr(lang, "Nothing found for “{query}”. Did you mean:", query="Наурызбай") in asked.text
    guessed = load_directory().get("kus-16")  # Наурызым district, Kostanay region: offered, not found
    assert asked.buttons[0].startswith(guessed.settlement[lang])
