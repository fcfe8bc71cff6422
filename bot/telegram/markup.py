"""HTML for messages sent with parse_mode HTML: text from people, catalogs and data files is escaped
here (and by aiogram.utils.formatting, whose plain str children are escaped when rendered) and nowhere
else, so no screen can break on a "<" in an address or a translation.

A one-sentence screen is `plain(...)` or `bold(...)`; a screen of several parts is composed of
aiogram.utils.formatting nodes (Text, Bold, Italic) and str, joined by `paragraphs` or `lines`, and
rendered once with `.as_html()`.
"""

from __future__ import annotations

from aiogram.utils.formatting import Text
from aiogram.utils.text_decorations import html_decoration

# A part of a screen: a formatting node, or a str shown as it is.
Part = Text | str


def plain(text: str) -> str:
    """Text shown as it is: <, > and & escaped."""
    return html_decoration.quote(text)


def bold(text: str) -> str:
    return html_decoration.bold(plain(text))


def italic(text: str) -> str:
    return html_decoration.italic(plain(text))


def joined(parts: tuple[Part, ...] | list[Part], sep: str) -> Text:
    """The parts with `sep` between them."""
    nodes: list[Part] = []
    for part in parts:
        if nodes:
            nodes.append(sep)
        nodes.append(part)
    return Text(*nodes)


def lines(*parts: Part) -> Text:
    """One part a line; an empty str is an empty line."""
    return joined(parts, "\n")


def paragraphs(*parts: Part) -> Text:
    """Paragraphs separated by an empty line."""
    return joined(parts, "\n\n")
