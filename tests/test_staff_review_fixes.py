"""Defects a reviewer found using the bot as staff and as a citizen, each pinned by a test.

1. A typed answer or forwarding note is shown back as a preview and sent only by "Send"; leaving the
   card (queue, ticket, menu, another complaint) forgets it, so a later note never reaches the citizen.
2. Answered, closed or forwarded complaints no longer promise an answer by a date; the handler of a
   complaint stays named after the official's staff grant is withdrawn.
3. Answered complaints stay in /queue, after the open ones, until closed.
4. Queue rows carry the category and the due date.
"""

import re
from datetime import timedelta

from test_complaints_bot import NOW, RU, WORDS, file_individual, grant, last_answer, talon_in

from bot import clock
from bot.complaints import talon

NOTE = "Позвонил гражданину, договорились о встрече."
ANSWER = "Проверка проведена, порядок очереди восстановлен."


async def staff_with_complaint(harness, citizen_lang="ru", staff_lang="ru", staff_id=500):
    citizen = harness.user(citizen_lang)
    other = "Другое" if citizen_lang == "ru" else "Басқа"
    filed = await file_individual(citizen, citizen_lang, category=other)
    shown = talon_in(filed.text)
    row = await harness.db.complaints.by_talon(talon.parse(shown))
    await grant(harness, staff_id, "office_staff", row.office_id, "Ахметов А. Б.")
    staff = harness.user(staff_lang, user_id=staff_id)
    await staff.send(f"/ticket {shown}")
    await staff.press(WORDS[staff_lang]["take"])
    return citizen, staff, shown, row


async def answers_told(harness, citizen) -> list[str]:
    return [m.text for m in citizen.messages if m.text and RU["answer_head"] in m.text]


async def test_leaving_the_card_forgets_the_pending_answer(harness):
    citizen, staff, shown, row = await staff_with_complaint(harness)
    for leave in ("queue_button", "/queue", "/ticket", "/menu", "open_other", "/complaints", "mine"):
        await staff.send(f"/ticket {shown}")
        await staff.press(RU["answer"])
        if leave == "queue_button":
            queue = await staff.press("Очередь")
            assert shown in " ".join(queue.buttons)
        elif leave == "open_other":
            await staff.press_data(f"sa:{row.talon}:open:0")
        elif leave == "mine":
            await staff.press_data("cg:mine")
        elif leave == "/ticket":
            await staff.send(f"/ticket {shown}")
        else:
            await staff.send(leave)
        typed = await staff.send(NOTE)
        assert "📤 Отправить" not in typed.buttons, leave
        stored = await harness.db.complaints.by_talon(row.talon)
        assert stored.status == "in_review" and stored.answer_text is None, leave
        assert await answers_told(harness, citizen) == [], leave
        assert [e.action for e in await harness.db.complaints.events(row.id)] == ["registered", "taken"]


async def test_the_answer_is_previewed_and_sent_only_by_send(harness):
    citizen, staff, shown, row = await staff_with_complaint(harness)
    await staff.press(RU["answer"])
    preview = await staff.send("Черновик с опечаткой.")
    assert "Черновик с опечаткой." in preview.text and "не отправлен" in preview.text
    assert {"📤 Отправить", "✏️ Изменить", "✖ Отмена"} <= set(preview.buttons)
    assert (await harness.db.complaints.by_talon(row.talon)).answer_text is None

    asked = await staff.press("✏️ Изменить")
    assert "Напишите ответ" in asked.text
    preview = await staff.send(ANSWER)
    assert ANSWER in preview.text
    assert await answers_told(harness, citizen) == []
    sent = await staff.press("📤 Отправить")
    assert ANSWER in sent.text
    stored = await harness.db.complaints.by_talon(row.talon)
    assert stored.status == "answered" and stored.answer_text == ANSWER
    told = await answers_told(harness, citizen)
    assert len(told) == 1 and ANSWER in told[0] and "Черновик" not in told[0]

    again = await staff.press_data(f"sa:{row.talon}:send:0", preview.last.message_id)
    assert again.messages == [] and "Нечего отправлять" in last_answer(harness)
    assert len(await answers_told(harness, citizen)) == 1


async def test_cancel_under_the_preview_sends_nothing(harness):
    citizen, staff, shown, row = await staff_with_complaint(harness, "kk", "kk")
    await staff.press(WORDS["kk"]["answer"])
    await staff.send("Жауаптың жобасы, жіберілмеуі керек.")
    card = await staff.press("✖ Бас тарту")
    assert shown in card.text and last_answer(harness) == "Бас тартылды: ештеңе жіберілген жоқ."
    stored = await harness.db.complaints.by_talon(row.talon)
    assert stored.status == "in_review" and stored.answer_text is None
    await staff.send("Кейінгі жазба.")
    assert (await harness.db.complaints.by_talon(row.talon)).answer_text is None


async def test_send_rechecks_the_status_and_the_grant(harness):
    citizen, staff, shown, row = await staff_with_complaint(harness)
    await staff.press(RU["answer"])
    preview = await staff.send(ANSWER)
    await harness.db.complaints.change(row.id, expected_status="in_review", actor="staff:9", at=NOW,
                                      action="forwarded", status="forwarded", note="x")
    await staff.press_data(f"sa:{row.talon}:send:0", preview.last.message_id)
    assert last_answer(harness) == "Сейчас вы не можете этого сделать."
    assert (await harness.db.complaints.by_talon(row.talon)).answer_text is None

    citizen, staff, shown, row = await staff_with_complaint(harness, staff_id=501)
    await staff.press("Перенаправить")
    preview = await staff.send("В департамент, по компетенции.")
    await harness.db.staff.revoke(501, role=None, scope=None, actor="test", at=NOW)
    await staff.press_data(f"sa:{row.talon}:send:0", preview.last.message_id)
    assert (await harness.db.complaints.by_talon(row.talon)).status == "in_review"
    assert last_answer(harness) == "Это — для сотрудников подразделений."


async def test_finished_complaints_show_their_date_not_a_due_date(harness):
    citizen, staff, shown, row = await staff_with_complaint(harness)
    due = clock.today() + timedelta(days=15)
    await staff.press(RU["answer"])
    await staff.send(ANSWER)
    await staff.press("📤 Отправить")
    card = await citizen.press(RU["open"])
    assert re.search(r"Ответ дан \d{1,2} [а-я]+ \d{4}", card.text) and "Ответ до" not in card.text
    await staff.press(RU["close"])
    await staff.press("✅ Обоснована")
    mine = await citizen.press_data("cg:mine")
    line = next(ln for ln in mine.text.splitlines() if shown in ln)
    assert "Закрыта" in line and "Ответ до" not in line and "ответ до" not in line
    assert due.isoformat() not in line

    await harness.db.staff.revoke(500, role=None, scope=None, actor="test", at=NOW)
    card = await citizen.press(shown)
    assert "Ахметов А. Б." in card.text and "ещё не назначен" not in card.text
async def test_answered_complaints_stay_in_the_queue_after_open_ones_until_closed(harness):
    citizen, staff, shown, row = await staff_with_complaint(harness)
    other = await file_individual(harness.user("ru"), "ru", category="Другое", surname="Ким")
    other_shown = talon_in(other.text)
    await staff.send(f"/ticket {shown}")
    await staff.press(RU["answer"])
    await staff.send(ANSWER)
    await staff.press("📤 Отправить")
    queue = await staff.send("/queue")
    labels = [b for b in queue.buttons if "·" in b]
    assert labels[0].startswith(other_shown) and shown in labels[1] and labels[1].startswith("💬")
    assert "Отвечено, ждут закрытия: 1" in queue.text
    await staff.press(shown)
    await staff.press(RU["close"])
    await staff.press("✅ Обоснована")
    queue = await staff.send("/queue")
    assert shown not in " ".join(queue.buttons)


async def test_queue_rows_carry_the_category_and_the_due_date(harness):
    citizen, staff, shown, row = await staff_with_complaint(harness)
    queue = await staff.send("/queue")
    label = next(b for b in queue.buttons if shown in b)
    due = clock.today() + timedelta(days=15)
    assert "Другое" in label and f"до {due:%d.%m}" in label and len(label) <= 64
    old_at = NOW - timedelta(days=20)
    fields = dict(kind="individual", surname="Ким", name="Ли", postal_address="Алматы",
                  office_id=row.office_id, channel="post", category="extra_documents",
                  text="Бумажная жалоба, поступившая по почте.")
    old, _ = await harness.db.complaints.register(fields, registered_at=old_at, due_date=(old_at + timedelta(
        days=15)).date(), actor="cli", department_id=row.department_id)
    queue = await staff.send("/queue")
    label = queue.buttons[0]
    assert label.startswith("⚠️ " + talon.format_talon(old.talon)) and "§11" in label
    assert len(label) <= 64


async def test_the_extension_in_the_history_is_capitalised_like_the_other_events(harness):
    cases = (("ru", 511, "— Срок продлён до "), ("kk", 512, "— Мерзім ұзартылды, жаңа мерзім: "))
    for lang, staff_id, expected in cases:
        citizen, staff, shown, row = await staff_with_complaint(harness, lang, lang, staff_id=staff_id)
        extended = await staff.press("⏳")
        history = extended.text.split("\n")
        assert any(expected in line for line in history), extended.text
        card = await citizen.send(f"/ticket {shown}")
        assert expected in card.text


async def test_a_taken_complaint_without_a_recorded_name_names_the_registry(harness):
    citizen = harness.user("ru")
    filed = await file_individual(citizen, "ru", category="Другое")
    row = await harness.db.complaints.by_talon(talon.parse(talon_in(filed.text)))
    await harness.db.complaints.change(row.id, expected_status="registered", actor="staff:999", at=NOW,
                                      action="taken", status="in_review", assignee_user_id=999)
    card = await citizen.send(f"/ticket {talon_in(filed.text)}")
    assert "служба регистрации жалоб подразделения" in card.text and "не назначен" not in card.text
