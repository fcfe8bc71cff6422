"""A press Telegram no longer lets us answer (redelivered after downtime) still gets its screen."""

from __future__ import annotations

from bot.telegram.locale import make_i18n
from handlers.callbacks import MenuCallback

I18N = make_i18n()
FAILED = "Something went wrong on my side. Your answers are saved; please try again or open the menu."


def tr(msgid: str, locale: str) -> str:
    return I18N.gettext(msgid, locale=locale)


async def test_a_press_too_old_to_answer_still_shows_its_screen(harness):
    user = harness.user("ru")
    await user.send("/start")
    press = user.fake_user.press(tr("💳 State fee", "ru"))
    harness.fake.expire_callback_queries()  # the bot was down: Telegram stopped waiting for the answer
    reply = await harness.feed(press)  # the harness fails on any handler error
    assert tr("State fee today, {date}", "ru").split(",")[0] in reply.last.text
    assert tr(FAILED, "ru") not in reply
    refused = [c for c in harness.fake.calls if c.method == "answerCallbackQuery" and c.error]
    assert refused and "query is too old" in refused[0].error


async def test_a_late_press_before_the_language_is_known_gets_the_prompt(harness):
    user = harness.user(None)
    press = user.fake_user.press_data(MenuCallback(item="fee").pack(), message_id=999)
    harness.fake.expire_callback_queries()
    reply = await harness.feed(press)
    assert tr("Choose the language in which I will talk to you.", "ru") in reply.last.text
