"""The bot token never reaches a log line, whatever logs it (aiohttp errors quote request URLs,
which are `/bot<token>/<method>`).

`install(token)` wraps the log record factory once: every record's message, arguments and exception
text are rendered and the token replaced by `<token>` before any handler sees them. A factory, not a
handler filter, so records of every logger and every handler configured later are covered too.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

REDACTED = "<token>"
_secrets: set[str] = set()
_installed = False


def redact(text: str) -> str:
    for secret in _secrets:
        if secret and secret in text:
            text = text.replace(secret, REDACTED)
    return text


def install(token: str) -> None:
    """Redact `token` (and its secret half, which alone identifies the bot) from all log records."""
    global _installed
    _secrets.update({token, token.split(":", 1)[-1]})
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: logging reports it when the record is emitted
            return record
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
