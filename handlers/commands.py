"""The bot's commands with their descriptions: the one list behind Telegram's "/" menu and /help,
and the texts of the bot's profile (what a new user reads before pressing Start).

Descriptions are msgids (N_) translated where they are shown: setMyCommands per language, /help.
Staff get STAFF_COMMANDS in their own chat's menu; a citizen's menu does not offer /queue or /stats.
"""

from __future__ import annotations

from bot.telegram.locale import N_

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

STAFF_COMMANDS: tuple[tuple[str, str], ...] = (
    *BOT_COMMANDS,
    ("queue", N_("Open complaints of your offices")),
    ("stats", N_("Quality indicators of your offices (Appendix 3)")),
)

# setMyDescription (at most 512 characters) and setMyShortDescription (at most 120), per language.
DESCRIPTION = N_(
    "I help citizens of Kazakhstan prepare to apply for documents for leaving for permanent residence: a "
    "pre-check of your situation against the service standard, the list of documents, the state fee and "
    "the office where you apply. Here you can also file a complaint about the service and follow it. "
    "This is a pre-check, not a decision."
)
SHORT_DESCRIPTION = N_(
    "Leaving Kazakhstan for permanent residence: pre-check, documents, state fee, offices, complaints."
)
