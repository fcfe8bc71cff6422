"""Webhook mode over real HTTP: aiogram's handler on our listener, the fake Telegram's webhook sender
POSTing updates and serving the bot's calls; /healthz, /metrics; `run --webhook` and `webhook set`."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from contextlib import asynccontextmanager

import aiohttp
import pytest
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.app import build_bot, build_dispatcher
from bot.storage.database import Database
from bot.storage.redis_client import open_redis
from bot.telegram.webhook import WebhookServer, build_app
from bot.testing import FakeBotApiServer, FakeTelegram, FakeUser, WebhookSender
from bot.testing.harness import TEST_TOKEN, harness_settings
from bot.testing.replicas import REPLICA_SETTINGS, free_port
from tests.dialogue_support import tr

SECRET = "s3cr3t_webhook-Secret"
PUBLIC_URL = "https://bot.example.kz/telegram"


@asynccontextmanager
async def webhook_bot(tmp_path, fake: FakeTelegram, **settings):
    """Our webhook server on 127.0.0.1:<free>, its Bot talking HTTP to the fake Bot API server."""
    settings = harness_settings(tmp_path / "w.sqlite3", webhook_url=PUBLIC_URL, webhook_secret=SECRET,
                                **settings)
    db = await Database.open(settings.database)
    redis = open_redis(settings.redis_url) if settings.redis_url else None
    try:
        async with FakeBotApiServer(fake) as api:
            bot = build_bot(settings, session=AiohttpSession(api=TelegramAPIServer.from_base(api.url)))
            dp = build_dispatcher(settings, db, redis=redis)
            app = build_app(dp, bot, db, settings, settings.webhook_config())
            async with WebhookServer(app, "127.0.0.1", 0) as server:
                server.db = db
                yield server
    finally:
        if redis is not None:
            await redis.aclose()
        await db.close()


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def test_an_update_without_the_secret_is_refused_and_does_nothing(tmp_path):
    fake = FakeTelegram(token=TEST_TOKEN)
    user = FakeUser(fake, 501, language_code="ru")
    async with webhook_bot(tmp_path, fake) as server, aiohttp.ClientSession() as http:
        url = server.base_url + "/telegram"
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            async with http.post(url, json=user.text("/start"), headers=headers) as response:
                assert response.status == 401
        async with http.post(url, json=user.text("/start"),
                             headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
            assert response.status == 200
    assert len(fake.sent(501)) == 1  # only the update with the secret was handled
    assert fake.sent(501)[0].button_texts[0] == tr("ru", "✅ Check if I can apply")


async def test_a_dialogue_over_the_webhook_and_redelivery_until_accepted(tmp_path):
    fake = FakeTelegram(token=TEST_TOKEN)
    user = FakeUser(fake, 502, language_code=None)
    async with webhook_bot(tmp_path, fake) as server:
        async with WebhookSender(fake, server.base_url + "/telegram", secret="stale-secret") as sender:
            await fake.enqueue(user.text("/start"))
            await fake.wait_for(lambda: len(sender.deliveries) >= 3)
            assert {d.status for d in sender.deliveries} == {401} and fake.sent(502) == []
            sender.secret = SECRET  # the operator fixed the secret: the same update now gets through
            await fake.wait_for(lambda: sender.deliveries[-1].status == 200 and sender.idle)
            assert tr("kk", "Choose the language in which I will talk to you.") in fake.sent(502)[0].text
            await fake.enqueue(user.press(tr("kk", "Kazakh")))
            await fake.wait_for(lambda: sender.idle)
            await fake.enqueue(user.press(tr("kk", "ℹ️ About this bot")))
            await fake.wait_for(lambda: sender.idle)
    assert not fake.unanswered_callback_queries()
    assert fake.sent(502)[-1].button_texts[0] == tr("kk", "✅ Check if I can apply")
    assert {d.update_id for d in sender.deliveries if d.status == 200} == {1, 2, 3}
    assert {"sendMessage", "editMessageText", "answerCallbackQuery"} <= {c.method for c in fake.calls}
    assert all(call.error is None for call in fake.calls)


async def test_healthz_names_what_is_down(tmp_path):
    fake = FakeTelegram(token=TEST_TOKEN)
    async with webhook_bot(tmp_path, fake) as server:
        assert await get(server.base_url + "/healthz") == (
            200, json.dumps({"database": "ok", "redis": "not configured"}))
        await server.db.close()
        status, body = await get(server.base_url + "/healthz")
        assert status == 503 and json.loads(body)["database"] == "down"
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
        async with webhook_bot(tmp_path, fake, redis_url=dead) as server:
            status, body = await get(server.base_url + "/healthz")
    assert status == 503 and json.loads(body) == {"database": "ok", "redis": "down"}


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL unset (make test sets it)")
async def test_healthz_pings_a_live_redis(tmp_path):
    fake = FakeTelegram(token=TEST_TOKEN)
    async with webhook_bot(tmp_path, fake, redis_url=os.environ["TEST_REDIS_URL"]) as server:
        assert await get(server.base_url + "/healthz") == (200, json.dumps({"database": "ok", "redis": "ok"}))


async def test_metrics_count_updates_by_type_and_read_the_outbox(tmp_path):
    fake = FakeTelegram(token=TEST_TOKEN)
    user = FakeUser(fake, 503, language_code="kk")
    async with webhook_bot(tmp_path, fake) as first, webhook_bot(tmp_path / "b", fake) as second:
        async with WebhookSender(fake, first.base_url + "/telegram") as sender:
            fake.webhook = {"url": PUBLIC_URL, "secret_token": SECRET, "allowed_updates": None}
            await fake.enqueue(user.text("/start"))
            await fake.wait_for(lambda: sender.idle)
            await fake.enqueue(user.press(tr("kk", "ℹ️ About this bot")))
            await fake.wait_for(lambda: sender.idle and len(sender.deliveries) == 2)
        status, text = await get(first.base_url + "/metrics")
        _, other = await get(second.base_url + "/metrics")  # its own registry: nothing counted there
    assert status == 200
    assert 'bot_updates_handled_total{type="message"} 1.0' in text
    assert 'bot_updates_handled_total{type="callback_query"} 1.0' in text
    assert "bot_update_seconds_count 2.0" in text
    assert 'bot_outbox_rows{state="pending"} 0.0' in text and 'bot_outbox_rows{state="failed"} 0.0' in text
    assert "bot_updates_throttled_total 0.0" in text
    assert "bot_updates_handled_total{" not in other and "bot_update_seconds_count 0.0" in other


def bot_env(tmp_path, **env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in REPLICA_SETTINGS}
    return base | {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"} | env


async def test_python_m_bot_run_webhook_serves_until_sigterm_with_json_logs(tmp_path):
    fake = FakeTelegram(token=TEST_TOKEN)
    user = FakeUser(fake, 504, language_code="ru")
    port = free_port()
    async with FakeBotApiServer(fake) as api:
        env = bot_env(tmp_path, BOT_TOKEN=TEST_TOKEN, TELEGRAM_API_SERVER=api.url, WEBHOOK_URL=PUBLIC_URL,
                      WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN=f"127.0.0.1:{port}", LOG_FORMAT="json",
                      LOG_LEVEL="INFO")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook", env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(600):
                try:
                    status, _body = await get(base + "/healthz")
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            assert status == 200
            async with WebhookSender(fake, base + "/telegram", SECRET) as sender:
                await fake.enqueue(user.text("/start"))
                await fake.wait_for(lambda: sender.idle and fake.sent(504), timeout=60)
        finally:
            process.send_signal(signal.SIGTERM)
            stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()
    assert fake.sent(504)[0].button_texts[0] == tr("ru", "✅ Check if I can apply")
    assert "setWebhook" not in {c.method for c in fake.calls}  # a replica never registers itself
    lines = [json.loads(line) for line in stderr.decode().splitlines()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert SECRET not in stderr.decode() and TEST_TOKEN.split(":")[1] not in stderr.decode()


def cli(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True,
                          env=bot_env(tmp_path, **env), cwd=tmp_path, timeout=120, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (("run", "--webhook"), {"WEBHOOK_URL": PUBLIC_URL}, "WEBHOOK_SECRET is not set"),
        (("run", "--webhook"), {"WEBHOOK_URL": PUBLIC_URL, "WEBHOOK_SECRET": "bad secret!"},
         "WEBHOOK_SECRET"),
        (("run", "--webhook"), {"WEBHOOK_URL": PUBLIC_URL, "WEBHOOK_SECRET": "x" * 257}, "WEBHOOK_SECRET"),
        (("run", "--webhook"), {"WEBHOOK_SECRET": SECRET}, "WEBHOOK_URL is not set"),
        (("run", "--webhook"), {"WEBHOOK_URL": "http://bot.example.kz/t", "WEBHOOK_SECRET": SECRET}, "https"),
        (("run", "--webhook"), {"WEBHOOK_URL": PUBLIC_URL, "WEBHOOK_SECRET": SECRET,
                                "WEBHOOK_LISTEN": "8080"}, "WEBHOOK_LISTEN"),
        (("run",), {"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        (("webhook", "set"), {"WEBHOOK_URL": PUBLIC_URL}, "WEBHOOK_SECRET is not set"),
    ],
)
def test_bad_webhook_settings_are_one_line_and_exit_2(tmp_path, args, env, message):
    done = cli(tmp_path, *args, BOT_TOKEN=TEST_TOKEN, **env)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "bad secret" not in done.stderr and "xxxx" not in done.stderr


async def test_webhook_set_info_delete_against_the_fake_telegram(tmp_path):
    fake = FakeTelegram(token=TEST_TOKEN)
    user = FakeUser(fake, 505)
    await fake.enqueue(user.text("/start"))  # waiting while the operator switches to the webhook
    async with FakeBotApiServer(fake) as api:
        env = {"BOT_TOKEN": TEST_TOKEN, "TELEGRAM_API_SERVER": api.url, "WEBHOOK_URL": PUBLIC_URL,
               "WEBHOOK_SECRET": SECRET}
        done = await asyncio.to_thread(cli, tmp_path, "webhook", "set", **env)
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert fake.webhook == {"url": PUBLIC_URL, "secret_token": SECRET,
                                "allowed_updates": result["allowed_updates"]}
        assert {"message", "callback_query", "edited_message"} <= set(result["allowed_updates"])
        assert SECRET not in done.stdout
        assert fake.pending_updates == 1  # drop_pending_updates false: nothing the citizen sent is lost
        info = json.loads((await asyncio.to_thread(cli, tmp_path, "webhook", "info", **env)).stdout)
        assert info["url"] == PUBLIC_URL and info["pending_update_count"] == 1
        done = await asyncio.to_thread(cli, tmp_path, "webhook", "delete", **env)
        assert json.loads(done.stdout) == {"ok": True} and fake.webhook is None
        assert fake.pending_updates == 1
        refused = await asyncio.to_thread(cli, tmp_path, "webhook", "set",
                                          **(env | {"BOT_TOKEN": "654321:other-token"}))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "Unauthorized" in refused.stderr


async def test_a_starting_replica_sends_what_the_outbox_holds(tmp_path):
    from datetime import UTC, datetime

    fake = FakeTelegram(token=TEST_TOKEN)
    FakeUser(fake, 506)
    db = await Database.open(tmp_path / "w.sqlite3")  # a previous process stored it, then died
    await db.outbox.add("talon:1", 506, {"text": "T-1"}, datetime.now(UTC))
    await db.close()
    async with webhook_bot(tmp_path, fake) as server:
        await fake.wait_for(lambda: fake.sent(506))  # the hardening's outbox worker started with the app
        for _ in range(100):  # the worker marks the row sent just after Telegram took it
            _, text = await get(server.base_url + "/metrics")
            if 'bot_outbox_rows{state="pending"} 0.0' in text:
                break
            await asyncio.sleep(0.05)
    assert fake.sent(506)[0].text == "T-1"
    assert 'bot_outbox_rows{state="pending"} 0.0' in text
