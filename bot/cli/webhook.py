"""`python -m bot webhook set | info | delete`: register the webhook with Telegram, once for all replicas.

`set` gives Telegram WEBHOOK_URL, WEBHOOK_SECRET and the update types the Dispatcher's routers use, and
keeps the updates already waiting (drop_pending_updates false: nothing a citizen sent is lost when
switching from polling). Replicas never call setWebhook themselves: N replicas starting would race.
`delete` switches back to polling, again keeping the waiting updates. JSON on stdout; a bad setting or
Telegram's refusal is one line on stderr and exit 2; the token and the secret are never printed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.cli import UsageError, emit
from bot.config import ConfigError, Settings, load_settings


def register(sub) -> None:
    webhook = sub.add_parser("webhook", help="register, show or delete the webhook with Telegram")
    webhook_sub = webhook.add_subparsers(dest="webhook_command", required=True)
    for name, help_text in (("set", "setWebhook with WEBHOOK_URL, WEBHOOK_SECRET and the used update types"),
                            ("info", "getWebhookInfo"),
                            ("delete", "deleteWebhook, keeping the updates waiting")):
        webhook_sub.add_parser(name, help=help_text).set_defaults(func=_command, action=name)


def _command(args) -> int:
    try:
        settings = load_settings()
        settings.require_token()
        if args.action == "set":
            settings.webhook_config()
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    from aiogram.exceptions import TelegramAPIError, TelegramNetworkError

    try:
        emit(asyncio.run(_call(settings, args.action)))
    except TelegramNetworkError as exc:
        raise UsageError(f"cannot reach Telegram: {exc.message}") from None
    except TelegramAPIError as exc:
        raise UsageError(f"Telegram refused {args.action}: {exc.message}") from None
    return 0


async def _call(settings: Settings, action: str) -> dict[str, Any]:
    from bot.app import build_bot

    bot = build_bot(settings)
    try:
        if action == "set":
            config = settings.webhook_config()
            update_types = await used_update_types(settings)
            ok = await bot.set_webhook(config.url, secret_token=config.secret, allowed_updates=update_types,
                                       drop_pending_updates=False)
            return {"ok": ok, "url": config.url, "allowed_updates": update_types}
        if action == "delete":
            return {"ok": await bot.delete_webhook(drop_pending_updates=False)}
        info = await bot.get_webhook_info()
        return info.model_dump(mode="json", exclude_none=True)
    finally:
        await bot.session.close()


async def used_update_types(settings: Settings) -> list[str]:
    """The update kinds the routers handle (Telegram sends only those); no real database needed."""
    from bot.app import build_dispatcher
    from bot.storage.database import Database

    db = await Database.open(":memory:")
    try:
        return build_dispatcher(settings, db).resolve_used_update_types()
    finally:
        await db.close()
