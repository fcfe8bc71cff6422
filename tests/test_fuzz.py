"""A stateful fuzz test: random sequences of every kind of update from several users, on the real bot.

Hypothesis drives the production Dispatcher through the harness (bot.testing) with presses of buttons
actually shown (old ones too), forged and other users' callback data, typed text with odd Unicode,
commands, locations, media, edits, group messages, redeliveries of earlier updates, restarts, and
complaints filed step by step in between. After every step:
- no handler raised and every button press was answered (the harness checks both);
- every private message got an answer (a redelivered update must get none);
- every complaint whose talon the bot showed is stored once, for its citizen (none lost, none twice);
- no chat shows another user's name, surname, complaint text or talon.
It runs with the production event isolation (one update per user at a time): a handler that waited
for its own user's lock would hang a step, which then fails.
The database lives in /dev/shm where there is one (tmpfs: no fsync), so 5,000+ updates stay fast.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from aiogram.fsm.storage.memory import SimpleEventIsolation
from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from bot.complaints import talon
from bot.testing.harness import BotHarness

TALON_RE = re.compile(r"\b[34679ACDEFHJKMPTWXY]{3}-[34679ACDEFHJKMPTWXY]{3}-[34679ACDEFHJKMPTWXY]\b")
PEOPLE = [  # (language_code, first name, surname, name, complaint text): made up, in no data file
    ("kk", "Арман", "Фаззибаев", "Ақжелкен", "Кезекте екі сағат күттім, терезе жабық болды."),
    ("ru", "Борис", "Тестемирова", "Нурзипа", "Сотрудник у окна грубо отказал в приёме документов."),
    (None, "Сауле", "Куклинская", "Евлампия", "Решение не выдали через сорок дней после подачи."),
]
COMMANDS = ["/start", "/menu", "/help", "/language", "/precheck", "/complaints", "/ticket", "/queue",
            "/privacy", "/start deep-link", "/nonsense", "/ticket K4D-3C7-7"]
FORGED_PREFIXES = ["m:", "lang:", "pa:", "pk:", "pn:", "qa:pc:", "qk:pc:", "qn:pc:", "qa:sv:", "cg:", "cc:",
                   "co:", "ce:", "cx:", "odp:", "orp:", "on:", "ms:", "st:", "", "x" * 40]
ODD = st.sampled_from(["\u200f\u202eабв\u202c", "\u200b\u200d\ufeff", "👨\u200d👩\u200d👧🇰🇿", "Е\u0301\u0301",
                       "a\x00b\x07", "<b>x</b>&amp;", "Ә" * 4200, "30", "17", "25.11.2026", "Қонаев",
                       "Алматы", "K4D-3C7-7", "   "])
TEXTS = st.one_of(ODD, st.text(max_size=60))
COMPLAINT_SCRIPT = [  # what a citizen sends to file a complaint, by kind: a button prefix or typed text
    ("command", "/complaints"), ("press", "cg:new"), ("press", "cg:kind_individual"), ("text", "surname"),
    ("text", "name"), ("press", "cg:no_patronymic"), ("text", "050000, Алматы, Абай 10"),
    ("text", "Қонаев"), ("press", "co:"), ("press", "cc:"), ("text", "complaint"), ("press", "cg:consent"),
    ("press", "cx:"),
]
STEPS, EXAMPLES = 90, 34
TOTAL = {"updates": 0, "complaints": 0}


def _data_of(message) -> list[str]:
    return [b["callback_data"] for row in message.inline for b in row if "callback_data" in b]


class Clock:
    """The throttle's clock: a second per update, the pace of a person, so no one is throttled here."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


class BotFuzz(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        base = "/dev/shm" if Path("/dev/shm").is_dir() else None
        self.folder = Path(tempfile.mkdtemp(prefix="bot-fuzz-", dir=base))
        self.harness = BotHarness(self.folder / "fuzz.sqlite3")
        self.run(self.harness.start())
        self.clock = Clock()
        self._configure()
        self.users = [self.harness.user(lang, user_id=5001 + n, first_name=first)
                      for n, (lang, first, *_rest) in enumerate(PEOPLE)]
        self.person = {u.id: PEOPLE[n] for n, u in enumerate(self.users)}
        self.script_at = {u.id: 0 for u in self.users}
        self.talons: dict[int, set[str]] = {u.id: set() for u in self.users}
        self.history: list[dict[str, Any]] = []
        self.group = self.harness.group(-100777, "supergroup")

    def run(self, coroutine):
        """Run one step; a step that waits for its own user's lock fails here instead of hanging."""
        return self.loop.run_until_complete(asyncio.wait_for(coroutine, 60))

    def _configure(self) -> None:
        assert isinstance(self.harness.dp.fsm.events_isolation, SimpleEventIsolation)
        self.harness.dp["throttle"].clock = self.clock

    def teardown(self) -> None:
        self.run(self.harness.stop())
        self.loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- feeding and the per-update checks ----------------------------------------------------

    def feed(self, user, update: dict[str, Any], *, typed: str = "", redelivery: bool = False):
        TOTAL["updates"] += 1
        reply = self.run(self.harness.feed(update))
        if not redelivery:
            self.history.append(update)
        private = update.get("message") or update.get("edited_message")
        if redelivery:
            assert reply.events == [], "a redelivered update had an effect"
        elif private is not None and private["chat"]["type"] == "private":
            assert reply.events, f"a private message got no answer: {list(update)[1]}"
        if user is not None:
            self._no_foreign_data(user, reply, typed)
        for message in reply.messages:
            for found in TALON_RE.findall(message.text):
                compact = found.replace("-", "")
                if user is not None and compact not in typed.replace("-", "") and talon.is_valid(compact) \
                        and "cx:" in str(update.get("callback_query", {}).get("data", "")) \
                        and compact not in self.talons[user.id]:
                    self.talons[user.id].add(compact)
                    TOTAL["complaints"] += 1
        return reply

    def _no_foreign_data(self, user, reply, typed: str) -> None:
        for other in self.users:
            if other.id == user.id:
                continue
            _lang, first, surname, name, text = self.person[other.id]
            secrets = [surname, name, text[:30]] + [talon.format_talon(t) for t in self.talons[other.id]]
            for message in reply.messages:
                for secret in secrets:
                    if secret not in typed:
                        assert secret not in message.text, f"chat {user.id} was shown {other.id}'s data"

    # --- rules ---------------------------------------------------------------------------------

    @initialize()
    def everyone_starts(self) -> None:
        for user in self.users:
            self.feed(user, user.fake_user.text("/start"))

    @rule(n=st.integers(0, 2), pick=st.integers(0, 10_000))
    def press_a_shown_button(self, n: int, pick: int) -> None:
        user = self.users[n]
        shown = [(m.message_id, d) for m in self.harness.fake.visible(user.id) for d in _data_of(m)]
        if not shown:
            return
        message_id, data = shown[pick % len(shown)]
        self.feed(user, user.fake_user.press_data(data, message_id))

    @rule(n=st.integers(0, 2), prefix=st.sampled_from(FORGED_PREFIXES), tail=st.text(max_size=20))
    def press_forged_data(self, n: int, prefix: str, tail: str) -> None:
        data = (prefix + tail).encode()[:64].decode(errors="ignore") or "x"
        user = self.users[n]
        message_id = user.keyboard_message.message_id if self._has_keyboard(user) else 1
        self.feed(user, user.fake_user.press_data(data, message_id))

    @rule(n=st.integers(0, 2), m=st.integers(0, 2), pick=st.integers(0, 10_000))
    def press_another_users_button(self, n: int, m: int, pick: int) -> None:
        user, other = self.users[n], self.users[m]
        data = [d for msg in self.harness.fake.visible(other.id) for d in _data_of(msg)]
        if data and self._has_keyboard(user):
            message_id = user.keyboard_message.message_id
            self.feed(user, user.fake_user.press_data(data[pick % len(data)], message_id))

    @rule(n=st.integers(0, 2), text=TEXTS)
    def type_text(self, n: int, text: str) -> None:
        user = self.users[n]
        if text.startswith("/"):
            text = " " + text
        self.feed(user, user.fake_user.text(text), typed=text)

    @rule(n=st.integers(0, 2), command=st.sampled_from(COMMANDS), m=st.integers(0, 2))
    def send_a_command(self, n: int, command: str, m: int) -> None:
        user, other = self.users[n], self.users[m]
        if command == "/ticket" and self.talons[other.id]:
            command = f"/ticket {talon.format_talon(sorted(self.talons[other.id])[0])}"
        self.feed(user, user.fake_user.text(command), typed=command)

    @rule(n=st.integers(0, 2), lat=st.floats(-90, 90), lon=st.floats(-180, 180))
    def share_a_location(self, n: int, lat: float, lon: float) -> None:
        user = self.users[n]
        self.feed(user, user.fake_user.location(lat, lon))

    @rule(n=st.integers(0, 2), kind=st.sampled_from(["sticker", "photo", "document", "voice", "contact"]))
    def send_media(self, n: int, kind: str) -> None:
        user = self.users[n]
        self.feed(user, getattr(user.fake_user, kind)())

    @rule(n=st.integers(0, 2), text=TEXTS)
    def edit_an_earlier_message(self, n: int, text: str) -> None:
        user = self.users[n]
        mine = [u for u in self.history if u.get("message", {}).get("chat", {}).get("id") == user.id
                and "text" in u["message"]]
        if mine:
            self.feed(user, user.fake_user.edit(mine[-1], text or "x"), typed=text)

    @rule(n=st.integers(0, 2), text=st.sampled_from(["/start", "/complaints", "hello", "Ә" * 5000]))
    def write_in_a_group(self, n: int, text: str) -> None:
        reply = self.feed(None, self.group.text(self.users[n].fake_user, text))
        assert all(not m.inline for m in reply.messages), "a group was shown a dialogue"

    @rule(pick=st.integers(0, 10_000))
    def telegram_delivers_an_update_again(self, pick: int) -> None:
        if self.history:
            update = self.history[pick % len(self.history)]
            self.feed(None, update, redelivery=True)

    @rule(n=st.integers(0, 2))
    def file_a_complaint_step(self, n: int) -> None:
        user = self.users[n]
        at = self.script_at[user.id]
        kind, what = COMPLAINT_SCRIPT[at]
        _lang, _first, surname, name, text = self.person[user.id]
        if kind == "press":
            data = [d for d in _data_of(user.keyboard_message) if d.startswith(what)] \
                if self._has_keyboard(user) else []
            if not data:
                self.script_at[user.id] = 0
                return
            self.feed(user, user.fake_user.press_data(data[0], user.keyboard_message.message_id))
        else:
            typed = {"surname": surname, "name": name, "complaint": text}.get(what, what)
            self.feed(user, user.fake_user.text(typed), typed=typed)
        self.script_at[user.id] = (at + 1) % len(COMPLAINT_SCRIPT)

    @rule(roll=st.integers(0, 39))
    def restart(self, roll: int) -> None:
        """Now and then (a restart costs a new Dispatcher), the process restarts."""
        if roll == 0:
            self.run(self.harness.restart())
            self._configure()

    def _has_keyboard(self, user) -> bool:
        try:
            user.keyboard_message  # noqa: B018
        except LookupError:
            return False
        return True

    # --- invariants ------------------------------------------------------------------------------

    @invariant()
    def every_talon_shown_is_stored_once_for_its_citizen(self) -> None:
        stored = self.run(self.harness.db.complaints.export())
        talons = [row.talon for row in stored]
        assert len(talons) == len(set(talons))
        for user in self.users:
            theirs = {row.talon for row in stored if row.citizen_user_id == user.id}
            assert self.talons[user.id] <= theirs, "a complaint whose talon was shown is not stored"
            assert theirs <= self.talons[user.id], "a complaint was stored that its citizen was not shown"


@seed(199)
class FuzzFirstHalf(BotFuzz):
    pass


@seed(2011)
class FuzzSecondHalf(BotFuzz):
    pass


@pytest.mark.parametrize("machine", [FuzzFirstHalf, FuzzSecondHalf])
def test_random_updates_from_several_users(machine):
    """Two fixed seeds, so CI's two workers share the 5,000+ updates and every run is the same."""
    TOTAL.update(updates=0, complaints=0)
    run_state_machine_as_test(machine, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    ))
    assert TOTAL["updates"] >= 2500 and TOTAL["complaints"] >= 5, TOTAL
