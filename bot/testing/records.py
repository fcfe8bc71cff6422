"""The fake's records of what happened (API calls, the messages a user sees, each chat's history) and the
views a test reads of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ApiCall:
    """One request the bot made, decoded; `error` is the description when it failed."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    error: str | None = None


@dataclass
class SentMessage:
    """What a user sees of one bot message: plain text, buttons, and the kind of message."""

    chat_id: int
    message_id: int
    kind: str
    text: str
    raw: dict[str, Any]
    markup: str | None = None
    inline: list[list[dict[str, Any]]] = field(default_factory=list)
    reply_keyboard: list[list[dict[str, Any]]] | None = None

    @property
    def buttons(self) -> list[list[str]]:
        """Texts of the inline buttons, row by row."""
        return [[b["text"] for b in row] for row in self.inline]

    @property
    def button_texts(self) -> list[str]:
        return [b["text"] for row in self.inline for b in row]

    def button(self, text: str) -> dict[str, Any]:
        """The inline button whose text is `text`, or else the only one containing it."""
        flat = [b for row in self.inline for b in row]
        exact = [b for b in flat if b["text"] == text]
        if exact:
            return exact[0]
        partial = [b for b in flat if text.casefold() in b["text"].casefold()]
        if len(partial) == 1:
            return partial[0]
        raise LookupError(f"no single button {text!r} in message {self.message_id}: {self.button_texts}")


@dataclass
class ChatEvent:
    """A change the bot made in a chat: "send", "edit" or "delete" of a message."""

    kind: str
    message_id: int
    message: SentMessage | None


@dataclass
class ChatRecord:
    raw: dict[str, Any]
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    views: dict[int, SentMessage] = field(default_factory=dict)
    events: list[ChatEvent] = field(default_factory=list)
    reply_keyboard: list[list[dict[str, Any]]] | None = None


class ChatViews:
    """What a test reads of the chats: the bot's actions, its messages now, the reply keyboard.

    A mixin of FakeTelegram (bot.testing.core), which holds the chats.
    """

    _chats: dict[int, ChatRecord]

    def events(self, chat_id: int) -> list[ChatEvent]:
        """Everything the bot did in a chat, in order."""
        return list(self._chats[chat_id].events) if chat_id in self._chats else []

    def sent(self, chat_id: int) -> list[SentMessage]:
        """Messages the bot sent to a chat, as first sent (see `current` for their state now)."""
        return [e.message for e in self.events(chat_id) if e.kind == "send" and e.message]

    def current(self, chat_id: int, message_id: int) -> SentMessage | None:
        """A bot message as it is now (after edits); None once deleted."""
        chat = self._chats.get(chat_id)
        return chat.views.get(message_id) if chat else None

    def visible(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages still in the chat, in their current state, oldest first."""
        chat = self._chats.get(chat_id)
        return [chat.views[k] for k in sorted(chat.views)] if chat else []

    def reply_keyboard(self, chat_id: int) -> list[list[dict[str, Any]]] | None:
        """The reply keyboard the user currently sees under the input field."""
        chat = self._chats.get(chat_id)
        return chat.reply_keyboard if chat else None

    def raw_message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        chat = self._chats.get(chat_id)
        return chat.messages.get(message_id) if chat else None
