"""Telegram's HTML parse mode, as strict as the real server: bad markup is a 400, not a shrug.

A handler that pastes user text into HTML unescaped fails here the way it would fail in production.
"""

from __future__ import annotations

import html
import re

ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
     "tg-spoiler", "span", "blockquote", "tg-emoji"}
)
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)


class MarkupError(ValueError):
    """The text is not valid Telegram HTML (the message is what Telegram would say)."""


def html_to_text(markup: str) -> str:
    """The plain text a user would see, or MarkupError for markup Telegram rejects."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while pos < len(markup):
        start = markup.find("<", pos)
        if start < 0:
            out.append(markup[pos:])
            break
        out.append(markup[pos:start])
        match = _TAG.match(markup, start)
        if match is None:
            raise MarkupError(f"can't parse entities: unsupported start tag at byte offset {start}")
        closing, name = match.group(1), match.group(2).lower()
        if name not in ALLOWED_TAGS:
            raise MarkupError(f'can\'t parse entities: unsupported start tag "{name}" at byte offset {start}')
        if closing:
            if not stack or stack[-1] != name:
                raise MarkupError(f'can\'t parse entities: unmatched end tag "{name}" at byte offset {start}')
            stack.pop()
        else:
            stack.append(name)
        pos = match.end()
    if stack:
        raise MarkupError(f'can\'t parse entities: can\'t find end tag for start tag "{stack[-1]}"')
    return html.unescape("".join(out))
