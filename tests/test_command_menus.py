"""What Telegram shows around the chat: the bot's description before Start, and the "/" menu, which
offers /queue to staff only, follows grants made from the command line and the member's language."""

from datetime import UTC, datetime

import pytest
from dialogue_support import tr

from bot.app import set_commands
from bot.telegram.locale import make_i18n
from bot.testing.limits import FakeApiError
from handlers.commands import DESCRIPTION, SHORT_DESCRIPTION

NOW = datetime.now(UTC)
LANGS = ("kk", "ru")


def names(commands) -> list[str]:
    return [c["command"] for c in commands]


async def test_the_description_and_short_description_are_set_in_kk_ru_and_a_default(harness):
    await set_commands(harness.bot, make_i18n("ru"))
    described = harness.fake.descriptions
    for lang in LANGS:
        assert described[("description", lang)] == tr(lang, DESCRIPTION) != DESCRIPTION
        assert described[("short_description", lang)] == tr(lang, SHORT_DESCRIPTION) != SHORT_DESCRIPTION
    assert described[("description", "")] == described[("description", "ru")]  # DEFAULT_LOCALE: ru here
    assert described[("short_description", "")] == described[("short_description", "ru")]


@pytest.mark.parametrize(("method", "field", "limit"),
                         [("setMyDescription", "description", 512),
                          ("setMyShortDescription", "short_description", 120)])
async def test_the_fake_telegram_holds_descriptions_to_telegrams_limits(harness, method, field, limit):
    await harness.fake.call(method, {field: "д" * limit, "language_code": "kk"})
    with pytest.raises(FakeApiError, match=f"{field.upper()}_INVALID"):
        await harness.fake.call(method, {field: "д" * (limit + 1)})
    stored = await harness.fake.call(method.replace("set", "get"), {"language_code": "kk"})
    assert stored == {field: "д" * limit}


@pytest.mark.parametrize("lang", LANGS)
async def test_staff_see_queue_in_their_menu_from_a_grant_to_its_withdrawal(harness, lang):
    await set_commands(harness.bot, make_i18n())
    menus = harness.dp["staff_menus"]
    menus.interval = 0  # look at the audit log on every update (30 s in production)
    citizen, member = harness.user(lang), harness.user(lang, user_id=950)
    await harness.db.dialogues.set_locale(member.id, lang)
    await member.send("/start")
    assert "queue" not in names(harness.fake.commands_for(member.id, lang))

    # `python -m bot staff add`, from another process: the bot learns it from the audit log
    await harness.db.staff.grant(member.id, "office_staff", "ast-01", display_name="Тестов Т.", actor="cli",
                               at=NOW)
    await citizen.send("/start")  # anyone's update will do
    menu = harness.fake.commands_for(member.id, lang)
    assert names(menu)[-2:] == ["queue", "stats"] and "ticket" in names(menu)
    assert menu[-2]["description"] == tr(lang, "Open complaints of your offices")
    assert menu[-1]["description"] == tr(lang, "Quality indicators of your offices (Appendix 3)")
    citizen_menu = names(harness.fake.commands_for(citizen.id, lang))
    assert "queue" not in citizen_menu and "stats" not in citizen_menu

    other = "ru" if lang == "kk" else "kk"
    await harness.db.dialogues.set_locale(member.id, other)  # /language: the menu follows at the next update
    await member.send("/help")
    queue = harness.fake.commands_for(member.id, other)[-2]
    assert queue["description"] == tr(other, "Open complaints of your offices")

    await harness.db.staff.revoke(member.id, role=None, scope=None, actor="cli", at=NOW)
    await citizen.send("/help")
    assert "queue" not in names(harness.fake.commands_for(member.id, lang))


async def test_at_start_every_member_gets_the_menu_of_their_grants(harness):
    await set_commands(harness.bot, make_i18n())
    kept, gone = harness.user("ru", user_id=960), harness.user("kk", user_id=961)
    for user in (kept, gone):
        await user.send("/start")
        await harness.db.staff.grant(user.id, "admin", "", display_name="А.", actor="cli", at=NOW)
    await harness.dp["staff_menus"].sync_all(harness.bot)
    assert all("queue" in names(harness.fake.commands_for(u.id, "ru")) for u in (kept, gone))

    await harness.db.staff.revoke(gone.id, role=None, scope=None, actor="cli", at=NOW)
    await harness.restart()  # a new process: nothing is remembered but the database
    await harness.dp["staff_menus"].sync_all(harness.bot)
    assert "queue" in names(harness.fake.commands_for(kept.id, "ru"))
    assert "queue" not in names(harness.fake.commands_for(gone.id, "kk"))
