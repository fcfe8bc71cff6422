"""A restart (new Dispatcher, Bot and database connection on the same file) loses nobody's place."""

from __future__ import annotations

from bot.telegram.locale import make_i18n
from handlers.callbacks import MenuCallback

I18N = make_i18n()


def tr(msgid: str, locale: str) -> str:
    return I18N.gettext(msgid, locale=locale)


async def fsm(harness, user):
    context = harness.dp.fsm.get_context(harness.bot, chat_id=user.id, user_id=user.id)
    return await context.get_state(), await context.get_data()


async def test_state_and_data_survive_a_restart(harness):
    user = harness.user("ru")
    await user.send("/start")
    context = harness.dp.fsm.get_context(harness.bot, chat_id=user.id, user_id=user.id)
    await context.set_state("Dialogue:step")
    await context.update_data(age=17, answers={"citizen": True, "note": "қазақша"})
    await harness.restart()
    assert await fsm(harness, user) == ("Dialogue:step", {"age": 17, "answers": {"citizen": True,
                                                                                   "note": "қазақша"}})


async def test_language_choice_survives_a_restart(harness):
    user = harness.user(None)
    await user.send("/start")
    await user.press(tr("Russian", "ru"))
    await harness.restart()
    reply = await user.send("/menu")
    assert reply.last.text == tr("Main menu. What do you need?", "ru")


async def test_mid_precheck_restart_carries_on(harness):
    user = harness.user("kk")
    await user.send("/start")
    first = await user.press(tr("✅ Check if I can apply", "kk"))
    step = user.keyboard_message
    assert step.buttons, first.text
    await user.press(step.button_texts[0])
    before = await fsm(harness, user)
    shown = user.keyboard_message
    await harness.restart()
    assert await fsm(harness, user) == before
    reply = await user.press(shown.button_texts[0], shown)  # a button of the current step
    assert reply.messages, "the press after the restart changed nothing on screen"


async def test_an_old_menu_button_after_restart_answers_and_shows_a_menu(harness):
    user = harness.user("kk")
    await user.send("/start")
    old_menu = user.keyboard_message
    await user.send("/help")
    await harness.restart()
    reply = await user.press_data(MenuCallback(item="menu").pack(), old_menu.message_id)
    assert reply.last.text == tr("Main menu. What do you need?", "kk")


async def test_buttons_no_router_knows_are_answered_with_the_menu(harness):
    user = harness.user("ru")
    await user.send("/start")
    await harness.restart()
    for data in ["zz:from-an-older-version", "m", "\u0000", "lang:xx:yy", "m:" + "x" * 60]:
        reply = await user.press_data(data)
        assert reply.last.text == tr("Main menu. What do you need?", "ru")
        query_id = max(harness.fake.callback_queries, key=int)
        answer = harness.fake.callback_queries[query_id]["answer"]
        assert answer["text"] == tr("This button is out of date. Here is the menu.", "ru")


async def test_a_press_on_a_deleted_message_still_gets_an_answer(harness):
    user = harness.user("kk")
    await user.send("/start")
    reply = await user.press_data(MenuCallback(item="menu").pack(), message_id=987654)
    assert reply.last.text == tr("Main menu. What do you need?", "kk")
