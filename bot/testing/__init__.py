"""A fake Telegram Bot API for tests and the terminal mode: one core, two transports.

`FakeTelegram` (core) keeps chats, messages and every API call; `FakeSession` plugs it into a
`Bot` in-process; `FakeBotApiServer` serves it over HTTP on 127.0.0.1 for real long polling,
and `WebhookSender` POSTs its updates to a webhook.
"""

from bot.testing.core import FakeTelegram
from bot.testing.limits import FakeApiError, Fault
from bot.testing.records import ApiCall, ChatEvent, SentMessage
from bot.testing.server import FakeBotApiServer, WebhookSender
from bot.testing.session import FakeSession
from bot.testing.updates import FakeChat, FakeUser

__all__ = [
    "ApiCall",
    "ChatEvent",
    "FakeApiError",
    "FakeBotApiServer",
    "FakeChat",
    "FakeSession",
    "FakeTelegram",
    "FakeUser",
    "Fault",
    "SentMessage",
    "WebhookSender",
]
