"""The terminal mode (`make run` without a token): typed lines in, the bot's messages out."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from aiogram.types import KeyboardButton, ReplyKeyboardMarkup

from bot.telegram.locale import make_i18n
from bot.terminal import TERMINAL_USER_ID, Terminal
from bot.testing.harness import harness_settings

I18N = make_i18n()


def tr(msgid: str, locale: str) -> str:
    return I18N.gettext(msgid, locale=locale)


async def session(tmp_path, lines: list[str]) -> str:
    out = io.StringIO()
    terminal = Terminal(harness_settings(tmp_path / "t.sqlite3"), out)
    await terminal.start()
    try:
        for line in lines:
            await terminal.handle_line(line)
    finally:
        await terminal.stop()
    return out.getvalue()


async def test_language_then_menu_with_numbered_buttons(tmp_path):
    text = await session(tmp_path, ["/start", "1"])
    assert tr("Choose the language in which I will talk to you.", "ru") in text
    assert f"[1] {tr('Kazakh', 'kk')}" in text and f"[2] {tr('Russian', 'ru')}" in text
    assert "── bot (edited) ──" in text
    assert f"[1] {tr('✅ Check if I can apply', 'kk')}" in text


async def test_bad_locations_are_explained(tmp_path):
    text = await session(tmp_path, ["/start", "@95,10", "   "])
    assert "(a location is @latitude,longitude" in text


async def test_a_number_past_the_buttons_is_an_age_and_a_quote_types_a_small_one(tmp_path):
    # ru, "check if I can apply", citizen: yes, who: my child -> the age question shows 2 buttons
    # ([1] Back, [2] Start over); "12" is past them, "'1" is typed text, "1" is the Back button.
    start = ["/start", "2", "1", "1", "2"]
    age_question = "Сколько полных лет вашему ребёнку?"
    text = await session(tmp_path / "a", [*start, "12"])
    assert "(there is no button" not in text
    assert age_question not in text.split("Вопрос 4 ")[-1]
    assert "Вопрос 4 " in text
    text = await session(tmp_path / "b", [*start, "'1"])
    assert "Вопрос 4 " in text and "Вопрос 2 " not in text.split(age_question)[-1]
    text = await session(tmp_path / "c", [*start, "1"])
    assert "Вопрос 2 " in text.split(age_question)[-1]


def test_the_quote_and_the_number_rule_are_in_the_help_line():
    from bot.terminal import INTRO

    assert "'1 types 1" in INTRO and "past the buttons" in INTRO


async def test_a_location_is_shared_and_the_venue_printed(tmp_path):
    text = await session(tmp_path, ["/start", "1", "@51.17,71.43"])
    assert "📍 " in text and "(51." in text


async def test_the_database_keeps_the_language_between_runs(tmp_path):
    await session(tmp_path, ["/start", "2"])
    text = await session(tmp_path, ["/menu"])
    assert tr("Main menu. What do you need?", "ru") in text


def test_make_run_without_a_token_opens_the_terminal(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_URL")}
    env |= {"BOT_TOKEN": "", "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--or-terminal"],
        input="/start\n2\n/help\n", capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Terminal mode" in done.stdout
    assert "> /help" in done.stdout
    assert tr("Main menu. What do you need?", "ru") not in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "run.sqlite3").exists()


async def test_reply_keyboard_buttons_are_numbered_after_the_inline_ones(tmp_path):
    out = io.StringIO()
    terminal = Terminal(harness_settings(tmp_path / "t.sqlite3"), out)
    await terminal.start()
    try:
        await terminal.handle_line("/start")
        row = [KeyboardButton(text="Send my location", request_location=True), KeyboardButton(text="Close")]
        markup = ReplyKeyboardMarkup(keyboard=[row])
        await terminal.bot.send_message(TERMINAL_USER_ID, "Where are you?", reply_markup=markup)
        terminal.show(terminal.fake.events(TERMINAL_USER_ID)[-1:])
        assert "keyboard:\n[3] Send my location   [4] Close" in out.getvalue()
        await terminal.handle_line("3")
        assert "(type your location as @latitude,longitude" in out.getvalue()
        before = len(terminal.fake.calls)
        await terminal.handle_line("4")  # "Close" is sent as text: the fallback answers it
        assert terminal.fake.calls[before:] and terminal.fake.calls[-1].method == "sendMessage"
    finally:
        await terminal.stop()


def test_a_failing_update_does_not_end_the_session(tmp_path, monkeypatch):
    from bot import terminal as terminal_module

    calls = []

    async def flaky(self, line: str) -> None:
        calls.append(line)
        if line.strip() == "boom":
            raise RuntimeError("broken")

    monkeypatch.setattr(terminal_module.Terminal, "handle_line", flaky)
    out = io.StringIO()
    settings = harness_settings(tmp_path / "t.sqlite3")
    assert terminal_module.run(settings, io.StringIO("boom\nafter\n"), out) == 0
    assert calls == ["boom\n", "after\n"]
    assert "(the bot failed on that: RuntimeError" in out.getvalue()


async def test_a_message_without_buttons_is_not_shown_with_the_buttons_of_another(tmp_path):
    # ru, pre-check: "citizen?" has Yes/No; typed "maybe" gets one line without buttons of its own
    text = await session(tmp_path, ["/start", "2", "1", "может быть"])
    answer = text.split(tr("Please press Yes or No under the question above (or type yes or no).", "ru"))[-1]
    assert "[1] " not in answer and "[2] " not in answer  # no button line under it
    assert "(the buttons [1]–[" in answer  # still pressable, and said so in one line


async def test_an_edit_that_only_drops_buttons_is_one_short_line(tmp_path):
    out = io.StringIO()
    terminal = Terminal(harness_settings(tmp_path / "t.sqlite3"), out)
    await terminal.start()
    try:
        await terminal.handle_line("/start")
        shown = terminal.fake.visible(TERMINAL_USER_ID)[-1]
        before = len(out.getvalue())
        await terminal.bot.edit_message_reply_markup(chat_id=TERMINAL_USER_ID, message_id=shown.message_id,
                                                     reply_markup=None)
        terminal.show(terminal.fake.events(TERMINAL_USER_ID)[-1:])
        printed = out.getvalue()[before:]
        assert printed.strip() == "── (buttons removed from a message above)"
        assert shown.text not in printed
    finally:
        await terminal.stop()


def test_a_long_paste_arrives_whole_through_the_terminal(tmp_path):
    """8,000 bytes in one line: the kernel's line mode would keep 4096 of them."""
    import threading

    from bot.terminal import LineReader

    master, slave = os.openpty()
    pasted = ("Сотрудник у окна грубо разговаривал. " * 120)[:4000]
    echoed = bytearray()
    writer = threading.Thread(target=lambda: os.write(master, pasted.encode() + b"\nsecond\n"))
    try:
        with LineReader(slave, echoed.extend) as reader:
            writer.start()
            assert reader.read_line("> ") == pasted
            assert reader.read_line("> ") == "second"
    finally:
        writer.join()
        os.close(master)
        os.close(slave)
    assert echoed.startswith(b"> " + pasted[:10].encode())


def test_backspace_erases_a_whole_letter_and_arrow_keys_are_ignored():
    from bot.terminal import LineReader

    master, slave = os.openpty()
    try:
        with LineReader(slave, lambda data: None) as reader:
            os.write(master, "Жоқ".encode() + b"\x7f" + "қ".encode() + b"\x1b[D\n")
            assert reader.read_line() == "Жоқ"
    finally:
        os.close(master)
        os.close(slave)
