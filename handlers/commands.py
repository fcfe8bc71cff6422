"""The bot's commands with their descriptions: the one list behind Telegram's "/" menu and /help.

Descriptions are msgids (N_) translated where they are shown: setMyCommands per language, /help.
"""

from __future__ import annotations

from bot.i18n import N_

BOT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start and show the menu")),
    ("menu", N_("Main menu")),
    ("language", N_("Change the language")),
    ("help", N_("How to use the bot")),
    ("precheck", N_("Can I apply? The pre-check")),
    ("documents", N_("Documents to prepare (§11)")),
    ("fee", N_("State fee (§8)")),
    ("offices", N_("Where to hand in: offices")),
    ("complaints", N_("File or follow a complaint")),
    ("ticket", N_("Follow a complaint by its talon number")),
    ("about", N_("About the bot and its rules")),
    ("privacy", N_("What is stored about me")),
)
