"""HTTP transport: the fake Bot API served by aiohttp on 127.0.0.1 at a free port.

Point a real `Bot(session=AiohttpSession(api=TelegramAPIServer.from_base(server.url)))` at it and run
real `Dispatcher.start_polling`: requests arrive as Telegram receives them (form fields, multipart for
files) at `/bot<token>/<method>`.
"""

from __future__ import annotations

from aiohttp import web

from bot.testing.core import FakeTelegram, FakeTimeout


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
