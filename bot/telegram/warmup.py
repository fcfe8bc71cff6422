"""Pay the first-use costs at start-up, not on the first citizen's press.

Right after a start the first update took ~0.3 s: pydantic completes each aiogram model class on its
first instance (a keyboard button alone ~0.25 s), aiogram builds the parsed type of each method's reply
on its first call, and the ruleset and the office directory are read on first use. With polling, the
updates that queued during a restart all meet that wait; done once here, before polling starts.
"""

from __future__ import annotations

from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    Response,
    SendMessage,
    SendPhoto,
    SendVenue,
)
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)

from bot.offices.directory import load_directory
from bot.rules.ruleset import load_ruleset

# The methods the handlers call, so that their reply types exist before the first reply arrives.
METHODS = (SendMessage, EditMessageText, EditMessageReplyMarkup, AnswerCallbackQuery, DeleteMessage,
           SendVenue, SendPhoto)

# pydantic caches a parametrised generic model by a weak reference only: aiogram's `Response[...]`,
# built for every reply, was collected and rebuilt again and again (~8% of a press). Held here for good.
REPLY_TYPES: dict[type, type] = {}

_SAMPLE_PRESS = {
    "update_id": 1,
    "callback_query": {
        "id": "1", "chat_instance": "1", "data": "m:menu",
        "from": {"id": 1, "is_bot": False, "first_name": "A", "language_code": "kk"},
        "message": {
            "message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "·",
            "from": {"id": 2, "is_bot": True, "first_name": "B"},
            "reply_markup": {"inline_keyboard": [[{"text": "·", "callback_data": "m:menu"}]]},
        },
    },
}


def warm_up() -> None:
    load_ruleset()
    load_directory()
    InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="·", callback_data="·")]])
    ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="·", request_location=True)]], resize_keyboard=True)
    ReplyKeyboardRemove()
    Update.model_validate(_SAMPLE_PRESS)
    for method in METHODS:
        REPLY_TYPES[method] = Response[method.__returning__]
