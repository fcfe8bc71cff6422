"""Updates as Telegram would send them: what a user types, presses, shares or edits.

Each method returns the update as a JSON dict (already recorded in the fake's chat history) for a
transport to deliver: fed to the Dispatcher directly or queued for getUpdates.
"""

from __future__ import annotations

import time
from typing import Any

from bot.testing.core import FakeTelegram
from bot.testing.records import SentMessage


class FakeChat:
    """A group, supergroup or channel: anything but a private chat, which the bot should not serve."""

    def __init__(self, fake: FakeTelegram, chat_id: int, kind: str = "group", title: str = "A group") -> None:
        self.fake = fake
        self.raw: dict[str, Any] = {"id": chat_id, "type": kind, "title": title}
        fake.ensure_chat(self.raw)

    def text(self, user: FakeUser, text: str) -> dict[str, Any]:
        """`user` writes `text` in this chat."""
        message = user._message({"text": text, **_command_entities(text)}, chat=self.raw)
        return self.fake_update({"message": message})

    def channel_post(self, text: str) -> dict[str, Any]:
        message = {"message_id": self.fake.new_message_id(), "date": int(time.time()), "chat": self.raw,
                   "text": text}
        self.fake.record_incoming(message)
        return self.fake_update({"channel_post": message})

    def fake_update(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"update_id": self.fake.next_update_id(), **body}


class FakeUser:
    """A Telegram user in a private chat with the bot."""

    def __init__(
        self,
        fake: FakeTelegram,
        user_id: int,
        *,
        language_code: str | None = None,
        first_name: str = "Test",
        username: str | None = None,
    ) -> None:
        self.fake = fake
        self.id = user_id
        self.raw: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code is not None:
            self.raw["language_code"] = language_code
        if username is not None:
            self.raw["username"] = username
        self.chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        fake.ensure_chat(self.chat)

    # --- messages --------------------------------------------------------------------------------

    def text(self, text: str) -> dict[str, Any]:
        """The user types `text` (a leading /command gets its bot_command entity)."""
        return self._update({"message": self._message({"text": text, **_command_entities(text)})})

    def command(self, name: str, args: str = "") -> dict[str, Any]:
        return self.text(f"/{name} {args}".rstrip())

    def location(self, latitude: float, longitude: float) -> dict[str, Any]:
        """The user shares a location (e.g. through a request_location button)."""
        return self._update({"message": self._message({"location": {"latitude": latitude,
                                                                    "longitude": longitude}})})

    def contact(self, phone: str = "+77010000000") -> dict[str, Any]:
        contact = {"phone_number": phone, "first_name": self.raw["first_name"], "user_id": self.id}
        return self._update({"message": self._message({"contact": contact})})

    def sticker(self) -> dict[str, Any]:
        sticker = {"file_id": "sticker-1", "file_unique_id": "s1", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": "\U0001f44d"}
        return self._update({"message": self._message({"sticker": sticker})})

    def photo(self, caption: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"photo": [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90,
                                           "height": 90}]}
        if caption:
            body["caption"] = caption
        return self._update({"message": self._message(body)})

    def document(self, file_name: str = "scan.pdf") -> dict[str, Any]:
        document = {"file_id": "doc-1", "file_unique_id": "d1", "file_name": file_name}
        return self._update({"message": self._message({"document": document})})

    def voice(self) -> dict[str, Any]:
        voice = {"file_id": "voice-1", "file_unique_id": "v1", "duration": 3}
        return self._update({"message": self._message({"voice": voice})})

    def edit(self, update: dict[str, Any], new_text: str) -> dict[str, Any]:
        """The user edits the text of a message they sent earlier (`update` is the one that sent it)."""
        message = dict(update["message"]) | {"text": new_text, "edit_date": int(time.time())}
        message.pop("entities", None)
        message.update(_command_entities(new_text))
        self.fake.record_incoming(message)
        return self._update({"edited_message": message})

    # --- buttons ---------------------------------------------------------------------------------

    def last_keyboard_message(self) -> SentMessage:
        """The newest bot message in this chat that still shows inline buttons."""
        for view in reversed(self.fake.visible(self.id)):
            if view.inline:
                return view
        raise LookupError(f"no message with inline buttons in chat {self.id}")

    def press(self, text: str, message: SentMessage | None = None) -> dict[str, Any]:
        """Press the inline button labelled `text` on `message` (default: the newest keyboard)."""
        target = message if message is not None else self.last_keyboard_message()
        current = self.fake.current(self.id, target.message_id) or target
        button = current.button(text)
        if "callback_data" not in button:
            raise LookupError(f"button {text!r} is not a callback button: {button}")
        return self.press_data(button["callback_data"], message_id=current.message_id)

    def press_data(self, data: str, message_id: int | None = None) -> dict[str, Any]:
        """A callback query carrying any `data`, also forged, or from a message that is gone or old."""
        if message_id is None:
            message_id = self.last_keyboard_message().message_id
        message = self.fake.raw_message(self.id, message_id)
        if message is None:  # deleted or never existed: Telegram still sends the press
            message = {"message_id": message_id, "date": int(time.time()) - 3600, "chat": self.chat,
                       "from": self.fake.bot_user, "text": "…"}
        query_id = self.fake.next_query_id()
        self.fake.callback_queries[query_id] = {"answered": False, "answer": None, "data": data}
        query = {"id": query_id, "from": self.raw, "chat_instance": f"ci{self.id}", "message": message,
                 "data": data}
        return self._update({"callback_query": query})

    def reply_button(self, text: str) -> dict[str, Any]:
        """Tap a reply-keyboard button: plain text, or the user's location/contact when it requests it."""
        rows = self.fake.reply_keyboard(self.id) or []
        matches = [b for row in rows for b in row if b["text"] == text]
        if not matches:
            raise LookupError(f"no reply button {text!r}: {[b['text'] for r in rows for b in r]}")
        button = matches[0]
        if button.get("request_location"):
            raise LookupError("a location button needs coordinates: use location(lat, lon)")
        if button.get("request_contact"):
            return self.contact()
        return self.text(text)

    # --- plumbing --------------------------------------------------------------------------------

    def _message(self, body: dict[str, Any], chat: dict[str, Any] | None = None) -> dict[str, Any]:
        message = {"message_id": self.fake.new_message_id(), "date": int(time.time()),
                   "chat": chat or self.chat, "from": self.raw, **body}
        self.fake.record_incoming(message)
        return message

    def _update(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"update_id": self.fake.next_update_id(), **body}


def _command_entities(text: str) -> dict[str, Any]:
    if not text.startswith("/"):
        return {}
    length = len(text.split(maxsplit=1)[0]) if text.strip() else 1
    return {"entities": [{"type": "bot_command", "offset": 0, "length": length}]}
