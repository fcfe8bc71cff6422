"""The visit's texts: the "My application" card, the form's prompts and refusals, the reminder and the
survey's question cards, all HTML in the reader's language."""

from __future__ import annotations

from aiogram.utils.formatting import Bold, Text
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.formatting import day, pick
from bot.offices.directory import load_directory
from bot.telegram.markup import lines, paragraphs, plain
from bot.visits.due import AcceptanceProblem
from bot.visits.survey import Survey, SurveyQuestion
from handlers.offices.render import office_label, phone_texts


def local(text) -> str:
    """A survey file's {kk, ru} text in the reader's language."""
    return pick({"kk": text.kk, "ru": text.ru})


def office_name(office_id: str) -> str:
    office = load_directory().get(office_id)
    return office_label(office) if office is not None else office_id


def card_text(visit) -> str:
    """What "My application" shows: where and when, and when the decision is due."""
    parts: list[Text | str] = [
        Bold(_("My application")),
        _("Documents accepted on {day} by: {office}.").format(
            day=day(visit.accepted_on), office=office_name(visit.office_id)),
        _("The decision is due by {due}: within 30 calendar days of the day the documents were "
          "accepted (§7.1).").format(due=day(visit.due_on)),
        _("The migration police tells you of the decision by phone or in person (§15)."),
    ]
    if not visit.reminded:
        parts.append(_("I will remind you on {day}.").format(day=day(visit.remind_on)))
    return paragraphs(*parts).as_html()


def empty_text() -> str:
    return plain(_("You have not recorded handing in your documents yet. Once the migration police has "
                   "accepted them, record the office and the day on the talon: I will tell you when the "
                   "decision is due and remind you of it."))


def office_prompt() -> str:
    return plain(_("Which office accepted your documents? Type the name of your town or district, or "
                   "choose the region."))


def search_result_text(query: str, count: int) -> str:
    if count:
        return plain(_("Offices found for “{query}”. Choose yours:").format(query=query))
    return plain(_("No office found for “{query}”. Type another name or choose the region.").format(
        query=query))


def region_prompt() -> str:
    return plain(_("Choose the region:"))


def day_prompt(office_id: str) -> str:
    return paragraphs(
        _("Office: {office}.").format(office=office_name(office_id)),
        _("On which day were the documents accepted? The date is on the talon you were given "
          "(§14). Type it as dd.mm.yyyy, for example 25.11.2026."),
    ).as_html()


def day_problem(problem: AcceptanceProblem | None, value=None) -> str:
    """Why a typed day is refused (None: it is not a date at all)."""
    if problem is None:
        return plain(_("Please type the date as dd.mm.yyyy, for example 25.11.2026."))
    if problem is AcceptanceProblem.FUTURE:
        return plain(_("{day} has not come yet. Type the day the documents were accepted.").format(
            day=day(value)))
    if problem is AcceptanceProblem.TOO_OLD:
        return plain(_("{day} was more than a year ago. Please check the year on the talon.").format(
            day=day(value)))
    return plain(_("{day} is a day off: the offices do not accept documents then (§9). Is the date on "
                   "the talon really this one?").format(day=day(value)))


def deleted_text() -> str:
    return plain(_("The record is deleted, with its reminder and the survey not yet answered."))


def delete_question() -> str:
    return plain(_("Delete the record of your visit? The reminder will not be sent."))


def reminder_text(visit) -> str:
    """The §15 reminder: the due day, how the decision is told, and the office's phones."""
    office = load_directory().get(visit.office_id)
    parts: list[Text | str] = [
        Bold(_("Reminder")),
        _("The decision on the documents you handed in on {day} is due by {due} (§7.1).").format(
            day=day(visit.accepted_on), due=day(visit.due_on)),
        _("The migration police tells you of the decision by phone or in person (§15). If no one "
          "has called you yet, you can call the office yourself."),
    ]
    if office is not None:
        parts.append(lines(office_label(office), *phone_texts(office)))
    return paragraphs(*parts).as_html()


def survey_card(survey: Survey, question: SurveyQuestion, first: bool) -> str:
    parts: list[Text | str] = []
    if first:
        parts += [Bold(local(survey.title)), local(survey.intro)]
    parts.append(Bold(local(question.text)))
    if question.kind == "scale":
        parts.append(_("{low} — {low_word}, {high} — {high_word}").format(
            low=survey.scale.min, low_word=local(survey.scale.low), high=survey.scale.max,
            high_word=local(survey.scale.high)))
    if question.hint is not None:
        parts.append(local(question.hint))
    return paragraphs(*parts).as_html()


def survey_later_text() -> str:
    return plain(_("Thank you! I will ask one more question after the decision is due."))


def survey_thanks(survey: Survey) -> str:
    return plain(local(survey.thanks))


def survey_saved_text() -> str:
    return plain(_("Thank you! Your answer is saved."))


def privacy_text(keep_days: int) -> str:
    """For /privacy and the about screen: what a visit record keeps and for how long, and that survey
    answers do not say who gave them."""
    kept = ngettext("The record is deleted by itself {days} day after the day the decision is due.",
                    "The record is deleted by itself {days} days after the day the decision is due.",
                    keep_days).format(days=keep_days)
    return plain(_(
        "Visits: if you record handing in your documents, the bot keeps the office, the day on the talon "
        "and your Telegram account number, to tell you when the decision is due and to remind you; you can "
        "correct or delete the record under “My application”. Your survey answers are kept with the office "
        "and the month of the visit only, apart from who gave them: once the survey is over, nothing links "
        "them to you."
    ) + " " + kept)
