"""Drive the real Dispatcher through the fake Telegram, as a user would, and fail loudly.

`BotHarness` builds a fresh Dispatcher (bot.app) on a SQLite file, feeds it updates made by
`HarnessUser`, and returns a `Reply`: what the bot sent, edited or deleted in that chat. Handler
exceptions are collected (the global error handler would otherwise swallow them) and raise
`HandlerFailed`; a callback query left unanswered raises too. `restart()` rebuilds everything but the
database file and the fake Telegram, like a process restart.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import ErrorEvent, TelegramObject, Update

from bot.app import build_bot, build_dispatcher
from bot.config import Settings
from bot.storage.database import Database
from bot.storage.fsm import dialogue_key_builder
from bot.testing.core import FakeTelegram
from bot.testing.records import ChatEvent, SentMessage
from bot.testing.session import FakeSession
from bot.testing.updates import FakeChat, FakeUser

TEST_TOKEN = "123456:TEST-token"


class HandlerFailed(AssertionError):
    """A handler raised while the harness fed an update (the original is the __cause__)."""


def harness_settings(db_path: Path, **overrides: Any) -> Settings:
    """Settings that ignore the developer's .env: a fixed test token and the given database file."""
    values: dict[str, Any] = {"bot_token": TEST_TOKEN, "database_url": f"sqlite:///{db_path}",
                              "default_locale": "kk"}
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


@dataclass
class Reply:
    """What the bot did in one chat while handling one update."""

    events: list[ChatEvent]

    @property
    def messages(self) -> list[SentMessage]:
        """Messages sent or edited, each in the state this update left it."""
        return [e.message for e in self.events if e.message is not None]

    @property
    def sent(self) -> list[SentMessage]:
        return [e.message for e in self.events if e.kind == "send" and e.message is not None]

    @property
    def edited(self) -> list[SentMessage]:
        return [e.message for e in self.events if e.kind == "edit" and e.message is not None]

    @property
    def deleted(self) -> list[int]:
        return [e.message_id for e in self.events if e.kind == "delete"]

    @property
    def last(self) -> SentMessage:
        if not self.messages:
            raise AssertionError("the bot sent and edited nothing")
        return self.messages[-1]

    @property
    def text(self) -> str:
        return "\n\n".join(m.text for m in self.messages)

    @property
    def buttons(self) -> list[str]:
        """Inline button texts of the last message."""
        return self.last.button_texts

    def __contains__(self, needle: str) -> bool:
        return needle in self.text


class HarnessUser:
    """A user in a private chat; every action is fed to the bot and returns its Reply."""

    def __init__(self, harness: BotHarness, fake_user: FakeUser) -> None:
        self.harness = harness
        self.fake_user = fake_user
        self.id = fake_user.id

    async def send(self, text: str) -> Reply:
        """Type `text` (a /command too)."""
        return await self.harness.feed(self.fake_user.text(text))

    async def press(self, text: str, message: SentMessage | None = None) -> Reply:
        """Press an inline button by its text (exact, or the only one containing it)."""
        return await self.harness.feed(self.fake_user.press(text, message))

    async def press_data(self, data: str, message_id: int | None = None) -> Reply:
        """Press a button carrying any callback data: stale, forged, from a deleted message."""
        return await self.harness.feed(self.fake_user.press_data(data, message_id))

    async def tap(self, text: str) -> Reply:
        """Tap a reply-keyboard button."""
        return await self.harness.feed(self.fake_user.reply_button(text))

    async def location(self, latitude: float, longitude: float) -> Reply:
        return await self.harness.feed(self.fake_user.location(latitude, longitude))

    async def contact(self) -> Reply:
        return await self.harness.feed(self.fake_user.contact())

    async def sticker(self) -> Reply:
        return await self.harness.feed(self.fake_user.sticker())

    async def photo(self, caption: str | None = None) -> Reply:
        return await self.harness.feed(self.fake_user.photo(caption))

    async def document(self) -> Reply:
        return await self.harness.feed(self.fake_user.document())

    async def voice(self) -> Reply:
        return await self.harness.feed(self.fake_user.voice())

    async def send_and_edit(self, text: str, new_text: str) -> Reply:
        """Send `text`, then edit it to `new_text`; returns the reply to the edit."""
        update = self.fake_user.text(text)
        await self.harness.feed(update)
        return await self.harness.feed(self.fake_user.edit(update, new_text))

    @property
    def messages(self) -> list[SentMessage]:
        """The bot's messages in this chat as they are now, oldest first."""
        return self.harness.fake.visible(self.id)

    @property
    def last(self) -> SentMessage:
        messages = self.messages
        if not messages:
            raise AssertionError("the bot has no message in this chat")
        return messages[-1]

    @property
    def keyboard_message(self) -> SentMessage:
        """The newest message with inline buttons (the one `press` uses)."""
        return self.fake_user.last_keyboard_message()

    @property
    def reply_keyboard(self) -> list[str]:
        rows = self.harness.fake.reply_keyboard(self.id) or []
        return [b["text"] for row in rows for b in row]


class BotHarness:
    """A bot on the fake Telegram and a database file; see the module docstring."""

    def __init__(self, db_path: Path, **settings: Any) -> None:
        self.db_path = db_path
        self.settings = harness_settings(db_path, **settings)
        self.fake = FakeTelegram(token=self.settings.require_token())
        self.errors: list[BaseException] = []
        self.db: Database | None = None
        self.redis: Any = None  # with REDIS_URL (settings redis_url): dialogues and the rest in Redis
        self.dp: Dispatcher | None = None
        self.bot: Bot | None = None
        self._ids = itertools.count(1001)

    async def start(self) -> BotHarness:
        self.db = await Database.open(self.db_path)
        if self.settings.redis_url:
            from bot.storage.redis_client import open_redis

            self.redis = open_redis(self.settings.redis_url)
        self.dp = build_dispatcher(self.settings, self.db, redis=self.redis)
        self.dp.errors.outer_middleware(self._collect)
        self.bot = build_bot(self.settings, session=FakeSession(self.fake))
        return self

    async def stop(self) -> None:
        if self.dp is not None:
            await self.dp.storage.close()
        if self.bot is not None:
            await self.bot.session.close()
        if self.db is not None:
            await self.db.close()
        if self.redis is not None:
            await self.redis.aclose()
        self.db = self.dp = self.bot = self.redis = None

    async def restart(self) -> None:
        """Stop and start again on the same database file and the same chats, like a new process."""
        await self.stop()
        await self.start()

    async def _collect(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, ErrorEvent):
            self.errors.append(event.exception)
        return await handler(event, data)

    def user(self, language_code: str | None = "kk", *, user_id: int | None = None,
             first_name: str = "Test") -> HarnessUser:
        """A new user (language_code None: the client reports no language)."""
        fake_user = FakeUser(self.fake, user_id or next(self._ids), language_code=language_code,
                             first_name=first_name)
        return HarnessUser(self, fake_user)

    def dialogue_key(self, user: HarnessUser) -> str:
        """The database key of `user`'s dialogue row with this bot (as the FSM storage names it)."""
        assert self.bot is not None, "call start() first"
        return dialogue_key_builder().build(StorageKey(bot_id=self.bot.id, chat_id=user.id, user_id=user.id))

    def group(self, chat_id: int = -100123, kind: str = "group") -> FakeChat:
        return FakeChat(self.fake, chat_id, kind)

    async def feed(self, update: dict[str, Any], *, expect_error: bool = False) -> Reply:
        """Deliver one update; fails on a handler error (unless expected) or an unanswered press."""
        assert self.dp is not None and self.bot is not None, "call start() first"
        chat_id = _chat_id(update)
        before = len(self.fake.events(chat_id)) if chat_id is not None else 0
        errors_before = len(self.errors)
        await self.dp.feed_update(self.bot, Update.model_validate(update, context={"bot": self.bot}))
        new_errors = self.errors[errors_before:]
        if new_errors and not expect_error:
            raise HandlerFailed(f"a handler raised {type(new_errors[0]).__name__}: {new_errors[0]}") \
                from new_errors[0]
        if expect_error and not new_errors:
            raise AssertionError("expected a handler error, none happened")
        query = update.get("callback_query")
        record = self.fake.callback_queries[query["id"]] if query is not None else {}
        if query is not None and not (record["answered"] or record.get("expired")):
            raise AssertionError(f"callback query {query['data']!r} was not answered")
        return Reply(self.fake.events(chat_id)[before:] if chat_id is not None else [])


    async def feed_together(self, updates: list[dict[str, Any]]) -> list[Reply]:
        """Deliver updates concurrently, as polling does (each handled as its own task)."""
        return list(await asyncio.gather(*(self.feed(update) for update in updates)))


def _chat_id(update: dict[str, Any]) -> int | None:
    for key in ("message", "edited_message", "channel_post"):
        if key in update:
            return update[key]["chat"]["id"]
    query = update.get("callback_query")
    if query is not None:
        return query["message"]["chat"]["id"] if query.get("message") else query["from"]["id"]
    return None
