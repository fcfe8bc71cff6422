"""What the fake Bot API refuses as Telegram does: its limits, its errors, the faults a test injects, and
the checks of a request's form fields, text and keyboards."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
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
STRING_FIELDS = frozenset(
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


def bad_request(description: str) -> FakeApiError:
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




def decode_form(form: dict[str, str]) -> dict[str, Any]:
    """Form fields as aiogram sends them (strings, JSON for non-strings) back to Python values."""
    params: dict[str, Any] = {}
    for key, value in form.items():
        if key in STRING_FIELDS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except (TypeError, ValueError):
            params[key] = value
    return params


def render_text(markup: str, parse_mode: Any) -> str:
    return render(markup, parse_mode, MAX_TEXT, "message text is empty", "message is too long")


def render(markup: str, parse_mode: Any, limit: int, empty: str | None, too_long: str) -> str:
    if parse_mode not in (None, "", "HTML"):
        raise bad_request(f"unsupported parse_mode {parse_mode!r} in this fake (the bot uses HTML)")
    try:
        text = html_to_text(markup) if parse_mode == "HTML" else markup
    except MarkupError as exc:
        raise bad_request(str(exc)) from None
    if empty and not text.strip():
        raise bad_request(empty)
    if len(text) > limit:
        raise bad_request(too_long)
    return text


def read_location(params: dict[str, Any]) -> dict[str, float]:
    try:
        lat, lon = float(params["latitude"]), float(params["longitude"])
    except (KeyError, TypeError, ValueError):
        raise bad_request("latitude and longitude are required") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise bad_request("wrong latitude or longitude")
    return {"latitude": lat, "longitude": lon}


def check_markup(markup: Any) -> tuple[list[list[dict[str, Any]]], list[list[dict[str, Any]]] | None]:
    """(inline rows, reply keyboard rows or [] to remove or None for no change), validated."""
    if not markup:
        return [], None
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        for row in rows:
            for button in row:
                if not str(button.get("text", "")).strip():
                    raise bad_request("BUTTON_TEXT_INVALID")
                actions = [k for k in button if k != "text"]
                if len(actions) != 1:
                    raise bad_request("BUTTON_TYPE_INVALID")
                data = button.get("callback_data")
                if "callback_data" in button and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
                copy = button.get("copy_text")
                if "copy_text" in button and not (
                        isinstance(copy, dict) and 1 <= len(str(copy.get("text") or "")) <= MAX_COPY_TEXT):
                    raise bad_request("BUTTON_COPY_TEXT_INVALID")
        return rows, None
    if "keyboard" in markup:
        rows = [[b if isinstance(b, dict) else {"text": b} for b in row] for row in markup["keyboard"]]
        if any(not str(b.get("text", "")).strip() for row in rows for b in row):
            raise bad_request("BUTTON_TEXT_INVALID")
        return [], rows
    if markup.get("remove_keyboard"):
        return [], []
    return [], None
