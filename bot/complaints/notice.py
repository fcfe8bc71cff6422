"""A notice a complaint's change causes, to be stored in the outbox in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OutboxNotice:
    """Who gets it (`chat_id`), what (`payload`: {"text": HTML, "reply_markup": JSON or absent}),
    and the key that makes it stored and sent once."""

    dedupe_key: str
    chat_id: int
    payload: Mapping[str, Any]
