"""The fake Bot API itself: chats, messages, callback queries, the update queue and injected faults.

Transports hand it the form fields aiogram sent (`handle_form`) and turn its answer back into HTTP or
a session response, so both transports exercise aiogram's real serialisation. It enforces the limits
that bite in production (callback_data ≤ 64 bytes, text ≤ 4096, strict HTML, "message is not
modified", answering a callback query twice) so tests catch what Telegram would reject.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.testing.html import MarkupError, html_to_text

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120
MAX_COPY_TEXT = 256
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")

# Form fields that are plain strings; every other field arrives JSON-encoded (numbers, objects, lists).
_STRING_FIELDS = frozenset(
    {"text", "caption", "title", "address", "foursquare_id", "foursquare_type", "google_place_id",
     "google_place_type", "callback_query_id", "parse_mode", "url", "language_code", "description",
     "short_description", "inline_message_id", "photo", "document", "secret_token", "phone_number",
     "first_name", "last_name", "business_connection_id", "message_effect_id", "emoji"}
)


class FakeApiError(Exception):
    """An error response of the Bot API: HTTP status, description, optional retry_after."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class FakeTimeout(Exception):
    """An injected network timeout: each transport turns it into what a client would see."""


def _bad(description: str) -> FakeApiError:
    return FakeApiError(400, f"Bad Request: {description}")


@dataclass
class Fault:
    """A failure to inject: `kind` is "retry_after" (429), "server_error" (502) or "timeout".

    It hits the next `times` calls of `method` (any method but getUpdates when None).
    """

    kind: str
    method: str | None = None
    times: int = 1
    retry_after: int = 1

    def raise_it(self) -> None:
        if self.kind == "retry_after":
            raise FakeApiError(429, f"Too Many Requests: retry after {self.retry_after}", self.retry_after)
        if self.kind == "server_error":
            raise FakeApiError(502, "Bad Gateway")
        if self.kind == "timeout":
            raise FakeTimeout()
        raise ValueError(f"unknown fault kind {self.kind!r}")


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
class _Chat:
    raw: dict[str, Any]
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    views: dict[int, SentMessage] = field(default_factory=dict)
    events: list[ChatEvent] = field(default_factory=list)
    reply_keyboard: list[list[dict[str, Any]]] | None = None


class FakeTelegram:
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
        self._chats: dict[int, _Chat] = {}
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
        self._chats.setdefault(raw_chat["id"], _Chat(raw=dict(raw_chat)))

    def new_message_id(self) -> int:
        self._next_message_id += 1
        return self._next_message_id - 1

    def record_incoming(self, message: dict[str, Any]) -> None:
        """Keep a message a user sent, so the bot can refer to it like in a real chat."""
        self.ensure_chat(message["chat"])
        self._chats[message["chat"]["id"]].messages[message["message_id"]] = message

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

    def unanswered_callback_queries(self) -> list[str]:
        return [qid for qid, q in self.callback_queries.items() if not q["answered"]]

    def _chat(self, params: dict[str, Any]) -> _Chat:
        chat_id = params.get("chat_id")
        if chat_id not in self._chats:
            raise _bad("chat not found")
        return self._chats[chat_id]

    def _bot_message(self, params: dict[str, Any]) -> tuple[_Chat, dict[str, Any]]:
        chat = self._chat(params)
        raw = chat.messages.get(params.get("message_id"))
        if raw is None or raw.get("from", {}).get("id") != self.bot_user["id"]:
            raise _bad("message to edit not found")
        return chat, raw

    # --- sending -------------------------------------------------------------------------------

    def _store(self, chat: _Chat, raw: dict[str, Any], kind: str, text: str, markup: str | None,
               reply_markup: Any) -> dict[str, Any]:
        inline, keyboard = _check_markup(reply_markup)
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

    def _new_raw(self, chat: _Chat) -> dict[str, Any]:
        return {"message_id": self.new_message_id(), "date": int(time.time()), "chat": chat.raw,
                "from": self.bot_user}

    def _send_message(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat = self._chat(params)
        markup = str(params.get("text") or "")
        text = _render_text(markup, params.get("parse_mode"))
        raw = self._new_raw(chat) | {"text": text}
        return self._store(chat, raw, "text", text, markup, params.get("reply_markup"))

    def _send_venue(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat = self._chat(params)
        location = _location(params)
        title, address = str(params.get("title") or ""), str(params.get("address") or "")
        if not title or not address:
            raise _bad("venue title and address must be non-empty")
        raw = self._new_raw(chat) | {"location": location,
                                     "venue": {"location": location, "title": title, "address": address}}
        return self._store(chat, raw, "venue", f"{title}\n{address}", None, params.get("reply_markup"))

    def _send_location(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat = self._chat(params)
        location = _location(params)
        raw = self._new_raw(chat) | {"location": location}
        text = f"{location['latitude']}, {location['longitude']}"
        return self._store(chat, raw, "location", text, None, params.get("reply_markup"))

    def _send_file(self, params: dict[str, Any], files: dict[str, bytes], kind: str) -> dict[str, Any]:
        chat = self._chat(params)
        ref = str(params.get(kind) or "")
        if ref.startswith("attach://"):
            payload = files.get(ref.removeprefix("attach://"))
            if payload is None:
                raise _bad(f"wrong file identifier/HTTP URL specified: {ref}")
        elif ref:
            payload = b""
        else:
            raise _bad(f"there is no {kind} in the request")
        markup = params.get("caption")
        caption = ""
        if markup:
            caption = _render(str(markup), params.get("parse_mode"), MAX_CAPTION, None, "caption is too long")
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
            raise _bad("there is no text in the message to edit")
        markup = str(params.get("text") or "")
        text = _render_text(markup, params.get("parse_mode"))
        return self._edit(chat, raw, text, markup, params.get("reply_markup"))

    def _edit_reply_markup(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat, raw = self._bot_message(params)
        view = chat.views[raw["message_id"]]
        return self._edit(chat, raw, view.text, view.markup, params.get("reply_markup"))

    def _edit(self, chat: _Chat, raw: dict[str, Any], text: str, markup: str | None,
              reply_markup: Any) -> dict[str, Any]:
        inline, keyboard = _check_markup(reply_markup)
        if keyboard is not None:
            raise _bad("inline keyboard expected")
        old = chat.views[raw["message_id"]]
        if old.text == text and old.inline == inline and old.markup == markup:
            raise _bad("message is not modified: specified new message content and reply markup are "
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
            raise _bad("message to delete not found")
        del chat.messages[message_id]
        chat.views.pop(message_id, None)
        chat.events.append(ChatEvent("delete", message_id, None))
        return True

    def _answer_callback_query(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        query = self.callback_queries.get(str(params.get("callback_query_id")))
        if query is None or query["answered"] or query.get("expired"):
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER:
            raise _bad("MESSAGE_TOO_LONG")
        query["answered"] = True
        query["answer"] = params
        return True

    # --- webhook -------------------------------------------------------------------------------

    def _set_webhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        url = str(params.get("url") or "")
        if not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self.webhook = {"url": url, "secret_token": secret, "allowed_updates": params.get("allowed_updates")}
        return True

    def _get_webhook_info(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        info: dict[str, Any] = {"url": "", "has_custom_certificate": False,
                                "pending_update_count": len(self._pending)}
        if self.webhook is not None:
            info["url"] = self.webhook["url"]
            if self.webhook["allowed_updates"] is not None:
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _delete_webhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self.webhook = None
        return True

    # --- commands ------------------------------------------------------------------------------

    @staticmethod
    def _command_key(params: dict[str, Any]) -> tuple[str, str]:
        """(scope, language code or ""); a chat's scope is "chat:<id>", one menu per chat."""
        scope = params.get("scope") or {"type": "default"}
        kind = str(scope.get("type", "default"))
        if kind in ("chat", "chat_administrators", "chat_member"):
            kind = f"{kind}:{scope.get('chat_id')}" + (f":{scope['user_id']}" if "user_id" in scope else "")
        return kind, str(params.get("language_code") or "")

    def commands_for(self, chat_id: int, language_code: str | None) -> list[dict[str, str]]:
        """The "/" menu a user sees in a private chat, picked as Telegram picks it: the chat's own
        scope, then all private chats, then the default; each with the user's language, then without."""
        for kind in (f"chat:{chat_id}", "all_private_chats", "default"):
            for language in (language_code or "", ""):
                if (kind, language) in self.commands:
                    return self.commands[(kind, language)]
        return []

    def _set_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not commands or len(commands) > 100:
            raise _bad("commands must be a non-empty list of at most 100")
        for command in commands:
            if not COMMAND_RE.match(str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad("LANG_CODE_INVALID")
        self.commands[self._command_key(params)] = commands
        return True

    def _set_description(self, params: dict[str, Any], kind: str, limit: int) -> bool:
        text = str(params.get(kind) or "")
        if len(text) > limit:
            raise _bad(f"{kind.upper()}_INVALID")
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad("LANG_CODE_INVALID")
        if text:
            self.descriptions[(kind, language)] = text
        else:
            self.descriptions.pop((kind, language), None)
        return True

    def _get_description(self, params: dict[str, Any], kind: str) -> dict[str, str]:
        return {kind: self.descriptions.get((kind, str(params.get("language_code") or "")), "")}

    def _delete_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        self.commands.pop(self._command_key(params), None)
        return True

    def _get_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> list[dict[str, str]]:
        return self.commands.get(self._command_key(params), [])


def decode_form(form: dict[str, str]) -> dict[str, Any]:
    """Form fields as aiogram sends them (strings, JSON for non-strings) back to Python values."""
    params: dict[str, Any] = {}
    for key, value in form.items():
        if key in _STRING_FIELDS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except (TypeError, ValueError):
            params[key] = value
    return params


def _render_text(markup: str, parse_mode: Any) -> str:
    return _render(markup, parse_mode, MAX_TEXT, "message text is empty", "message is too long")


def _render(markup: str, parse_mode: Any, limit: int, empty: str | None, too_long: str) -> str:
    if parse_mode not in (None, "", "HTML"):
        raise _bad(f"unsupported parse_mode {parse_mode!r} in this fake (the bot uses HTML)")
    try:
        text = html_to_text(markup) if parse_mode == "HTML" else markup
    except MarkupError as exc:
        raise _bad(str(exc)) from None
    if empty and not text.strip():
        raise _bad(empty)
    if len(text) > limit:
        raise _bad(too_long)
    return text


def _location(params: dict[str, Any]) -> dict[str, float]:
    try:
        lat, lon = float(params["latitude"]), float(params["longitude"])
    except (KeyError, TypeError, ValueError):
        raise _bad("latitude and longitude are required") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _bad("wrong latitude or longitude")
    return {"latitude": lat, "longitude": lon}


def _check_markup(markup: Any) -> tuple[list[list[dict[str, Any]]], list[list[dict[str, Any]]] | None]:
    """(inline rows, reply keyboard rows or [] to remove or None for no change), validated."""
    if not markup:
        return [], None
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        for row in rows:
            for button in row:
                if not str(button.get("text", "")).strip():
                    raise _bad("BUTTON_TEXT_INVALID")
                actions = [k for k in button if k != "text"]
                if len(actions) != 1:
                    raise _bad("BUTTON_TYPE_INVALID")
                data = button.get("callback_data")
                if "callback_data" in button and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                    raise _bad("BUTTON_DATA_INVALID")
                copy = button.get("copy_text")
                if "copy_text" in button and not (
                        isinstance(copy, dict) and 1 <= len(str(copy.get("text") or "")) <= MAX_COPY_TEXT):
                    raise _bad("BUTTON_COPY_TEXT_INVALID")
        return rows, None
    if "keyboard" in markup:
        rows = [[b if isinstance(b, dict) else {"text": b} for b in row] for row in markup["keyboard"]]
        if any(not str(b.get("text", "")).strip() for row in rows for b in row):
            raise _bad("BUTTON_TEXT_INVALID")
        return [], rows
    if markup.get("remove_keyboard"):
        return [], []
    return [], None
