"""HTTP transports: the fake Bot API served by aiohttp on 127.0.0.1 at a free port, and its webhook sender.

Point a real `Bot(session=AiohttpSession(api=TelegramAPIServer.from_base(server.url)))` at it and run
real `Dispatcher.start_polling`: requests arrive as Telegram receives them (form fields, multipart for
files) at `/bot<token>/<method>`. With a webhook instead, `WebhookSender` POSTs the queued updates to
the bot's listener and the bot's calls still come to the server.
"""

from __future__ import annotations

import asyncio
import itertools
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from aiohttp import (
    BodyPartReader,
    ClientError,
    ClientResponse,
    ClientSession,
    ClientTimeout,
    MultipartReader,
    web,
)

from bot.testing.core import FakeTelegram
from bot.testing.limits import FakeApiError, FakeTimeout, decode_form


class FakeBotApiServer:
    """`async with FakeBotApiServer(fake) as server:` serves `fake` at `server.url`."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeBotApiServer:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.fake.release_pollers()  # else cleanup waits out a long poll nobody listens to
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        form: dict[str, str] = {}
        files: dict[str, bytes] = {}
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
            else:
                form[key] = str(value)
        try:
            status, body = await self.fake.handle_form(
                request.match_info["method"], form, files, request.match_info["token"]
            )
        except FakeTimeout:
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=504)
        return web.Response(status=status, text=body, content_type="application/json")


@dataclass
class Delivery:
    """One POST of an update to the webhook: its HTTP status, or 0 when the connection failed."""

    update_id: int
    status: int
    url: str = ""


class WebhookSender:
    """Telegram's side of a webhook: POSTs the fake's queued updates to `url`, as Telegram does.

    Each update is one JSON POST with the X-Telegram-Bot-Api-Secret-Token header (`secret`; by default
    what setWebhook registered). Anything but a 2xx, or a broken connection, and the same update is
    sent again after `retry_delay` until one is accepted; the next update waits for that (with
    `max_connections` > 1, that many are in flight at once). A method in the answer (a webhook reply)
    is performed like any call. `async with WebhookSender(fake, url) as sender:`; every attempt is in
    `sender.deliveries`. Several URLs stand for replicas behind a load balancer: each attempt goes to
    the next one in turn, so one citizen's updates are spread over them and a failed one is retried on
    another.
    """

    def __init__(self, fake: FakeTelegram, url: str | list[str], secret: str | None = None, *,
                 retry_delay: float = 0.05, max_connections: int = 1) -> None:
        self.fake = fake
        self.urls = [url] if isinstance(url, str) else list(url)
        self._turn = itertools.count()
        self.secret = secret
        self.retry_delay = retry_delay
        self.max_connections = max_connections
        self.deliveries: list[Delivery] = []
        self.in_flight = 0
        self._session: ClientSession | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> WebhookSender:
        self._session = ClientSession(timeout=ClientTimeout(total=60))
        self._tasks = [asyncio.create_task(self._deliver_forever()) for _ in range(self.max_connections)]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    @property
    def idle(self) -> bool:
        """Nothing queued and nothing being delivered."""
        return self.fake.pending_updates == 0 and self.in_flight == 0

    async def deliver(self, update: dict[str, Any]) -> None:
        """POST `update` now, again until it is accepted; returns once it was. The queue's workers use
        it for each update they take; a caller may use it directly to send on its own schedule (the
        webhook benchmark offers updates at a fixed rate, not one after the other's answer)."""
        self.in_flight += 1
        try:
            while not await self._post(update):
                await self.fake.notify()
                await asyncio.sleep(self.retry_delay)
        finally:
            self.in_flight -= 1
            await self.fake.notify()

    async def _deliver_forever(self) -> None:
        while True:
            await self.deliver(await self.fake.take_update())

    async def _post(self, update: dict[str, Any]) -> bool:
        assert self._session is not None
        secret = self.secret if self.secret is not None else (self.fake.webhook or {}).get("secret_token")
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        url = self.urls[next(self._turn) % len(self.urls)]
        try:
            async with self._session.post(url, json=update, headers=headers) as response:
                self.deliveries.append(Delivery(update["update_id"], response.status, url))
                if not 200 <= response.status < 300:
                    return False
                if response.content_type.startswith("multipart/"):
                    await self._perform_reply(response)
                return True
        except (TimeoutError, ClientError):
            self.deliveries.append(Delivery(update["update_id"], 0, url))
            return False

    async def _perform_reply(self, response: ClientResponse) -> None:
        form: dict[str, str] = {}
        files: dict[str, bytes] = {}
        reader = MultipartReader.from_response(response)
        while (part := await reader.next()) is not None:
            assert isinstance(part, BodyPartReader)
            if part.filename:
                files[part.name or ""] = await part.read()
            else:
                form[part.name or ""] = await part.text()
        method = form.pop("method", "")
        with suppress(FakeApiError, FakeTimeout):  # Telegram does not report a failed webhook reply
            await self.fake.call(method, decode_form(form), files)
