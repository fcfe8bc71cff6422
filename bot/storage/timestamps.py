"""How times and JSON documents are stored: text that sorts and reads the same on every backend."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


def utc_text(moment: datetime) -> str:
    """A stored timestamp: UTC with fixed width, so that text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc_text(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def json_text(obj: Mapping[str, Any]) -> str:
    """A stored JSON document (audit details, notice payloads): compact, keys sorted, UTF-8 as is."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
