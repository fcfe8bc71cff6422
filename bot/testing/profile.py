"""The bot's profile on the fake Bot API: its webhook, its "/" command menus and its descriptions.

A mixin of FakeTelegram (bot.testing.core), which holds the state (`webhook`, `commands`, `descriptions`,
the pending updates) and lists these methods in its method table.
"""

from __future__ import annotations

import re
from typing import Any

from bot.testing.limits import COMMAND_RE, bad_request


class BotProfileMethods:
    """setWebhook, getWebhookInfo, deleteWebhook; setMyCommands and friends; the descriptions."""

    _pending: list[dict[str, Any]]
    webhook: dict[str, Any] | None
    commands: dict[tuple[str, str], list[dict[str, str]]]
    descriptions: dict[tuple[str, str], str]

    # --- webhook -------------------------------------------------------------------------------

    def _set_webhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        url = str(params.get("url") or "")
        if not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self.webhook = {"url": url, "secret_token": secret, "allowed_updates": params.get("allowed_updates")}
        return True

    def _get_webhook_info(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        info: dict[str, Any] = {"url": "", "has_custom_certificate": False,
                                "pending_update_count": len(self._pending)}
        if self.webhook is not None:
            info["url"] = self.webhook["url"]
            if self.webhook["allowed_updates"] is not None:
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _delete_webhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self.webhook = None
        return True

    # --- commands ------------------------------------------------------------------------------

    @staticmethod
    def _command_key(params: dict[str, Any]) -> tuple[str, str]:
        """(scope, language code or ""); a chat's scope is "chat:<id>", one menu per chat."""
        scope = params.get("scope") or {"type": "default"}
        kind = str(scope.get("type", "default"))
        if kind in ("chat", "chat_administrators", "chat_member"):
            kind = f"{kind}:{scope.get('chat_id')}" + (f":{scope['user_id']}" if "user_id" in scope else "")
        return kind, str(params.get("language_code") or "")

    def commands_for(self, chat_id: int, language_code: str | None) -> list[dict[str, str]]:
        """The "/" menu a user sees in a private chat, picked as Telegram picks it: the chat's own
        scope, then all private chats, then the default; each with the user's language, then without."""
        for kind in (f"chat:{chat_id}", "all_private_chats", "default"):
            for language in (language_code or "", ""):
                if (kind, language) in self.commands:
                    return self.commands[(kind, language)]
        return []

    def _set_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not commands or len(commands) > 100:
            raise bad_request("commands must be a non-empty list of at most 100")
        for command in commands:
            if not COMMAND_RE.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("LANG_CODE_INVALID")
        self.commands[self._command_key(params)] = commands
        return True

    def _set_description(self, params: dict[str, Any], kind: str, limit: int) -> bool:
        text = str(params.get(kind) or "")
        if len(text) > limit:
            raise bad_request(f"{kind.upper()}_INVALID")
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("LANG_CODE_INVALID")
        if text:
            self.descriptions[(kind, language)] = text
        else:
            self.descriptions.pop((kind, language), None)
        return True

    def _get_description(self, params: dict[str, Any], kind: str) -> dict[str, str]:
        return {kind: self.descriptions.get((kind, str(params.get("language_code") or "")), "")}

    def _delete_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        self.commands.pop(self._command_key(params), None)
        return True

    def _get_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> list[dict[str, str]]:
        return self.commands.get(self._command_key(params), [])

