"""In-process transport: an aiogram session that hands requests straight to a FakeTelegram.

It serialises each method exactly as aiogram's aiohttp session does (form fields via
`prepare_value`, files read in full) and parses the reply with `check_response`, so what passes here
passes on the wire; it only skips the socket.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile

from bot.testing.core import FakeTelegram
from bot.testing.limits import FakeTimeout


class FakeSession(BaseSession):
    """`Bot(token, session=FakeSession(fake))` talks to `fake` without a network."""

    def __init__(self, fake: FakeTelegram, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fake = fake
        self.closed = False

    async def close(self) -> None:
        self.closed = True

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        files: dict[str, InputFile] = {}
        form: dict[str, str] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                form[key] = prepared
        payloads = {key: await _read(file, bot) for key, file in files.items()}
        try:
            status, body = await self.fake.handle_form(method.__api_method__, form, payloads, bot.token)
        except FakeTimeout:
            raise TelegramNetworkError(method=method, message="Request timeout error") from None
        response = self.check_response(bot=bot, method=method, status_code=status, content=body)
        return response.result  # type: ignore[return-value]

    async def stream_content(
        self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,
        chunk_size: int = 65536, raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        raise TelegramNetworkError(method=None, message="the fake Telegram serves no files")  # type: ignore[arg-type]
        yield b""  # pragma: no cover - makes this an async generator


async def _read(file: InputFile, bot: Bot) -> bytes:
    chunks = [chunk async for chunk in file.read(bot)]
    return b"".join(chunks)
