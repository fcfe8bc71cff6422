"""The fake Bot API itself: chats, messages, callback queries, the update queue and injected faults.

Transports hand it the form fields aiogram sent (`handle_form`) and turn its answer back into HTTP or
a session response, so both transports exercise aiogram's real serialisation. It enforces the limits
that bite in production (callback_data ≤ 64 bytes, text ≤ 4096, strict HTML, "message is not
modified", answering a callback query twice) so tests catch what Telegram would reject.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from bot.testing.limits import (
    MAX_CALLBACK_ANSWER,
    MAX_CAPTION,
    MAX_DESCRIPTION,
    MAX_SHORT_DESCRIPTION,
    FakeApiError,
    FakeTimeout,
    Fault,
    bad_request,
    check_markup,
    decode_form,
    read_location,
    render,
    render_text,
)
from bot.testing.profile import BotProfileMethods
from bot.testing.records import ApiCall, ChatEvent, ChatRecord, ChatViews, SentMessage


class FakeTelegram(ChatViews, BotProfileMethods):
    """The state of a fake Telegram as one bot sees it."""

    def __init__(self, *, token: str = "123456:TEST-token", bot_username: str = "pmzh_test_bot") -> None:
        self.token = token
        self.bot_user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "PMZh pre-check",
            "username": bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[ApiCall] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        # (kind, language code or "") → text, kind being "description" or "short_description"
        self.descriptions: dict[tuple[str, str], str] = {}
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self._chats: dict[int, ChatRecord] = {}
        self._faults: list[Fault] = []
        self._next_message_id = 1
        self._next_update_id = 1
        self._next_query_id = 1
        self._pending: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] | None = None  # setWebhook's url, secret_token, allowed_updates
        self._closing = False
        self._changed: asyncio.Condition | None = None
        self._methods: dict[str, Callable[[dict[str, Any], dict[str, bytes]], Any]] = {
            "getMe": lambda p, f: self.bot_user,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendVenue": self._send_venue,
            "sendLocation": self._send_location,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "setMyDescription": lambda p, f: self._set_description(p, "description", MAX_DESCRIPTION),
            "setMyShortDescription": lambda p, f: self._set_description(p, "short_description",
                                                                         MAX_SHORT_DESCRIPTION),
            "getMyDescription": lambda p, f: self._get_description(p, "description"),
            "getMyShortDescription": lambda p, f: self._get_description(p, "short_description"),
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "deleteWebhook": self._delete_webhook,
            "close": lambda p, f: True,
            "logOut": lambda p, f: True,
        }

    # --- faults --------------------------------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        """Make upcoming calls fail (see Fault)."""
        self._faults.append(fault)

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self._faults:
            matches = fault.method == method if fault.method else method != "getUpdates"
            if matches:
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def expire_callback_queries(self) -> None:
        """Every press made so far becomes too old to answer, as after the bot was down: Telegram
        keeps a press answerable for seconds only, then refuses answerCallbackQuery for it."""
        for query in self.callback_queries.values():
            query["expired"] = True

    # --- the request entry points --------------------------------------------------------------

    async def handle_form(
        self, method: str, form: dict[str, str], files: dict[str, bytes], token: str
    ) -> tuple[int, str]:
        """Answer one request as the HTTP status and JSON body Telegram would send.

        Raises FakeTimeout for an injected timeout (the transport decides what that looks like).
        """
        try:
            if token != self.token:
                raise FakeApiError(401, "Unauthorized")
            result = await self.call(method, decode_form(form), files)
        except FakeApiError as exc:
            return exc.status, json.dumps(exc.body())
        return 200, json.dumps({"ok": True, "result": result}, ensure_ascii=False)

    async def call(self, method: str, params: dict[str, Any], files: dict[str, bytes] | None = None) -> Any:
        """Perform one decoded API call; FakeApiError/FakeTimeout on failure. Every call is recorded."""
        record = ApiCall(method, params, dict(files or {}))
        self.calls.append(record)
        try:
            fault = self._take_fault(method)
            if fault is not None:
                fault.raise_it()
            if method == "getUpdates":
                return await self._get_updates(params)
            handler = self._methods.get(method)
            if handler is None:
                raise FakeApiError(404, "Not Found")
            result = handler(params, record.files)
        except FakeApiError as exc:
            record.error = exc.description
            raise
        except FakeTimeout:
            record.error = "timeout"
            raise
        finally:
            await self._notify()
        return result

    # --- updates -------------------------------------------------------------------------------

    def next_update_id(self) -> int:
        self._next_update_id += 1
        return self._next_update_id - 1

    def next_query_id(self) -> str:
        self._next_query_id += 1
        return str(self._next_query_id - 1)

    async def enqueue(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (polling transports)."""
        self._pending.append(update)
        await self._notify()

    async def take_update(self) -> dict[str, Any]:
        """The oldest queued update, removed from the queue, once there is one (webhook transport)."""
        await self.wait_for(lambda: bool(self._pending), timeout=None)
        return self._pending.pop(0)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise FakeApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                    "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        if offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        wait = float(params.get("timeout") or 0)
        if not self._pending and wait > 0 and not self._closing:
            try:
                await self.wait_for(lambda: bool(self._pending) or self._closing, timeout=wait)
            except TimeoutError:
                return []
        return self._pending[:limit]

    async def release_pollers(self) -> None:
        """Answer every waiting getUpdates now (empty) and later ones at once: the server is stopping."""
        self._closing = True
        await self._notify()

    @property
    def pending_updates(self) -> int:
        return len(self._pending)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float | None = 10.0) -> None:
        """Wait until `predicate()` holds (None: however long); re-checked after every call and enqueue."""
        cond = self._condition()
        async with cond:
            await asyncio.wait_for(cond.wait_for(predicate), timeout)

    async def notify(self) -> None:
        """Make every wait_for look again: a transport changed something its predicates read."""
        await self._notify()

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def _notify(self) -> None:
        cond = self._condition()
        async with cond:
            cond.notify_all()

    # --- chats ---------------------------------------------------------------------------------

    def ensure_chat(self, raw_chat: dict[str, Any]) -> None:
        """Make a chat known (a user or a group wrote to the bot)."""
        self._chats.setdefault(raw_chat["id"], ChatRecord(raw=dict(raw_chat)))

    def new_message_id(self) -> int:
        self._next_message_id += 1
        return self._next_message_id - 1

    def record_incoming(self, message: dict[str, Any]) -> None:
        """Keep a message a user sent, so the bot can refer to it like in a real chat."""
        self.ensure_chat(message["chat"])
        self._chats[message["chat"]["id"]].messages[message["message_id"]] = message

    def unanswered_callback_queries(self) -> list[str]:
        return [qid for qid, q in self.callback_queries.items() if not q["answered"]]

    def _chat(self, params: dict[str, Any]) -> ChatRecord:
        chat_id = params.get("chat_id")
        if chat_id not in self._chats:
            raise bad_request("chat not found")
        return self._chats[chat_id]

    def _bot_message(self, params: dict[str, Any]) -> tuple[ChatRecord, dict[str, Any]]:
        chat = self._chat(params)
        raw = chat.messages.get(params.get("message_id"))
        if raw is None or raw.get("from", {}).get("id") != self.bot_user["id"]:
            raise bad_request("message to edit not found")
        return chat, raw

    # --- sending -------------------------------------------------------------------------------

    def _store(self, chat: ChatRecord, raw: dict[str, Any], kind: str, text: str, markup: str | None,
               reply_markup: Any) -> dict[str, Any]:
        inline, keyboard = check_markup(reply_markup)
        if inline:
            raw["reply_markup"] = {"inline_keyboard": inline}
        if keyboard is not None:
            chat.reply_keyboard = keyboard or None
        view = SentMessage(chat.raw["id"], raw["message_id"], kind, text, raw, markup, inline,
                           keyboard or None)
        chat.messages[raw["message_id"]] = raw
        chat.views[raw["message_id"]] = view
        chat.events.append(ChatEvent("send", raw["message_id"], view))
        return raw

    def _new_raw(self, chat: ChatRecord) -> dict[str, Any]:
        return {"message_id": self.new_message_id(), "date": int(time.time()), "chat": chat.raw,
                "from": self.bot_user}

    def _send_message(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat = self._chat(params)
        markup = str(params.get("text") or "")
        text = render_text(markup, params.get("parse_mode"))
        raw = self._new_raw(chat) | {"text": text}
        return self._store(chat, raw, "text", text, markup, params.get("reply_markup"))

    def _send_venue(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat = self._chat(params)
        location = read_location(params)
        title, address = str(params.get("title") or ""), str(params.get("address") or "")
        if not title or not address:
            raise bad_request("venue title and address must be non-empty")
        raw = self._new_raw(chat) | {"location": location,
                                     "venue": {"location": location, "title": title, "address": address}}
        return self._store(chat, raw, "venue", f"{title}\n{address}", None, params.get("reply_markup"))

    def _send_location(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat = self._chat(params)
        location = read_location(params)
        raw = self._new_raw(chat) | {"location": location}
        text = f"{location['latitude']}, {location['longitude']}"
        return self._store(chat, raw, "location", text, None, params.get("reply_markup"))

    def _send_file(self, params: dict[str, Any], files: dict[str, bytes], kind: str) -> dict[str, Any]:
        chat = self._chat(params)
        ref = str(params.get(kind) or "")
        if ref.startswith("attach://"):
            payload = files.get(ref.removeprefix("attach://"))
            if payload is None:
                raise bad_request(f"wrong file identifier/HTTP URL specified: {ref}")
        elif ref:
            payload = b""
        else:
            raise bad_request(f"there is no {kind} in the request")
        markup = params.get("caption")
        caption = ""
        if markup:
            caption = render(str(markup), params.get("parse_mode"), MAX_CAPTION, None, "caption is too long")
        file_id = f"{kind}-{len(self.calls)}"
        meta = {"file_id": file_id, "file_unique_id": file_id, "file_size": len(payload)}
        raw = self._new_raw(chat)
        raw[kind] = [meta | {"width": 1, "height": 1}] if kind == "photo" else meta | {"file_name": "file"}
        if caption:
            raw["caption"] = caption
        return self._store(chat, raw, kind, caption, markup, params.get("reply_markup"))

    def _send_photo(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        return self._send_file(params, files, "photo")

    def _send_document(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        return self._send_file(params, files, "document")

    # --- changing ------------------------------------------------------------------------------

    def _edit_message_text(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat, raw = self._bot_message(params)
        if "text" not in raw:
            raise bad_request("there is no text in the message to edit")
        markup = str(params.get("text") or "")
        text = render_text(markup, params.get("parse_mode"))
        return self._edit(chat, raw, text, markup, params.get("reply_markup"))

    def _edit_reply_markup(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat, raw = self._bot_message(params)
        view = chat.views[raw["message_id"]]
        return self._edit(chat, raw, view.text, view.markup, params.get("reply_markup"))

    def _edit(self, chat: ChatRecord, raw: dict[str, Any], text: str, markup: str | None,
              reply_markup: Any) -> dict[str, Any]:
        inline, keyboard = check_markup(reply_markup)
        if keyboard is not None:
            raise bad_request("inline keyboard expected")
        old = chat.views[raw["message_id"]]
        if old.text == text and old.inline == inline and old.markup == markup:
            raise bad_request("message is not modified: specified new message content and reply markup are "
                       "exactly the same as a current content and reply markup of the message")
        new = {k: v for k, v in raw.items() if k != "reply_markup"} | {"edit_date": int(time.time())}
        if "text" in new:
            new["text"] = text
        if inline:
            new["reply_markup"] = {"inline_keyboard": inline}
        view = SentMessage(old.chat_id, old.message_id, old.kind, text, new, markup, inline, None)
        chat.messages[raw["message_id"]] = new
        chat.views[raw["message_id"]] = view
        chat.events.append(ChatEvent("edit", raw["message_id"], view))
        return new

    def _delete_message(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        chat = self._chat(params)
        message_id = params.get("message_id")
        if message_id not in chat.messages:
            raise bad_request("message to delete not found")
        del chat.messages[message_id]
        chat.views.pop(message_id, None)
        chat.events.append(ChatEvent("delete", message_id, None))
        return True

    def _answer_callback_query(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        query = self.callback_queries.get(str(params.get("callback_query_id")))
        if query is None or query["answered"] or query.get("expired"):
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        query["answer"] = params
        return True
