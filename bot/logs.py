"""Logging set-up: LOG_LEVEL and LOG_FORMAT (`text` for a terminal, `json` for a log collector).

A JSON line carries time, level, logger and message, and for a failure the exception's type and the
traceback's frames, never the exception's message: it may quote what a citizen wrote. The messages
themselves name updates, ids and error types, never names, addresses or texts (a house rule).
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime

from bot.config import ConfigError

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line, so a collector needs no parsing rules."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(entry, ensure_ascii=False)


def setup(level: str, fmt: str = "text") -> None:
    """Configure the root logger once, before anything logs; a bad level is a ConfigError."""
    name = level.strip().upper()
    if not isinstance(logging.getLevelName(name), int):
        raise ConfigError(f"LOG_LEVEL: unknown level {level!r} (use DEBUG, INFO, WARNING or ERROR)")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=name, handlers=[handler])
