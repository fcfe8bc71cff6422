"""About: which ruleset the bot applies, its legal basis and period, that it decides nothing, and
what it stores about complaints and for how long (COMPLAINT_RETENTION_DAYS).

Everything about the law comes from the ruleset in force (bot.rules.ruleset: title, id, legal basis,
period, disclaimer) in the reader's language; only the framing sentences are ours.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.formatting import Bold, Code, Text
from aiogram.utils.i18n import gettext as _

from bot.complaints.terms import Terms, retention_days
from bot.config import Settings
from bot.formatting import day, pick
from bot.rules.ruleset import Ruleset
from bot.telegram.markup import paragraphs
from bot.telegram.screen import replace_or_send
from bot.visits.due import keep_days
from handlers.callbacks import MenuCallback
from handlers.complaints.render import privacy_text
from handlers.menu import back_to_menu_keyboard
from handlers.visits.render import privacy_text as visit_privacy_text


def about_text(ruleset: Ruleset) -> str:
    if ruleset.valid_to is None:
        period = _("In force since {start}.").format(start=day(ruleset.valid_from))
    else:
        period = _("In force: {start} – {end}.").format(start=day(ruleset.valid_from),
                                                            end=day(ruleset.valid_to))
    heading, ruleset_label, basis_label = _("About this bot"), _("Ruleset"), _("Legal basis")
    return paragraphs(
        Bold(heading),
        _("I am a pre-check: I show how the service standard applies to your answers, which "
          "documents to prepare, the state fee and where to apply. I am not a government service "
          "and my answer is not a decision: the migration police decides."),
        Text(Bold(ruleset_label, ":"), " ", pick(ruleset.title), " (", Code(ruleset.id), ")\n", period),
        Text(Bold(basis_label, ":"), " ", pick(ruleset.legal_basis.summary)),
        pick(ruleset.disclaimer),
        _("Every answer names the paragraph of the standard it rests on, like §11.4. The texts "
          "are paraphrases in our own words, not the text of the law."),
        _("The offices' points on the map come from GeoNames (geonames.org), licensed under "
          "CC BY 4.0."),
    ).as_html()


def make_router() -> Router:
    router = Router(name="about")

    def screen(settings: Settings, ruleset: Ruleset, terms: Terms) -> tuple[str, InlineKeyboardMarkup]:
        days = retention_days(settings.complaint_retention_days, terms)
        text = "\n\n".join([about_text(ruleset), privacy_text(days), visit_privacy_text(keep_days(days))])
        return text, back_to_menu_keyboard()

    @router.callback_query(MenuCallback.filter(F.item == "about"))
    async def about(callback: CallbackQuery, settings: Settings, ruleset: Ruleset, terms: Terms) -> None:
        await replace_or_send(callback, *screen(settings, ruleset, terms))

    @router.message(Command("about"))
    async def about_command(message: Message, settings: Settings, ruleset: Ruleset, terms: Terms) -> None:
        text, keyboard = screen(settings, ruleset, terms)
        await message.answer(text, reply_markup=keyboard)

    return router
