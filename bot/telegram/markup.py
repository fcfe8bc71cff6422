"""HTML for messages sent with parse_mode HTML: text from people, catalogs and data files is escaped
here and nowhere else, so no screen can break on a "<" in an address or a translation."""

from __future__ import annotations

from aiogram.utils.text_decorations import html_decoration


def plain(text: str) -> str:
    """Text shown as it is: <, > and & escaped."""
    return html_decoration.quote(text)


def bold(text: str) -> str:
    return html_decoration.bold(plain(text))


def italic(text: str) -> str:
    return html_decoration.italic(plain(text))
