"""Callback data of the core: the main menu and the language choice (typed, prefixed, ≤ 64 bytes).

Feature modules filter menu presses with `MenuCallback.filter(F.item == "fee")`: an async filter,
so it runs in the event loop (a bare `F.data == ...` would be run in a worker thread).
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class MenuCallback(CallbackData, prefix="m"):
    """A main-menu item (`item` is a MenuItem key) or `"menu"` to show the menu itself."""

    item: str


class LanguageCallback(CallbackData, prefix="lang"):
    """A language button: `code` is kk or ru."""

    code: str
