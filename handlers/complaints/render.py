"""What complaints look like in the chat: prompts, the review, the consent, the talon (§25), the lists.

HTML built with aiogram.utils.formatting (bot.telegram.markup): everything a person typed (names,
addresses, complaint and answer texts) and every data text is a plain str child, escaped when rendered.
Category and status names are data ({"kk", "ru"}); sentences are gettext.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from aiogram.utils.formatting import Bold, Italic
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from aiogram.utils.i18n import ngettext

from bot import complaints as domain
from bot.complaints import forwarding
from bot.formatting import clock, day, pick
from bot.offices.directory import load_directory
from bot.telegram.markup import lines, paragraphs, plain
from handlers.precheck.render import no_such_date

REVIEW_TEXT_PREVIEW = 1500

FIELD_LABELS = {
    "kind": __("Who is complaining"),
    "surname": __("Surname"),
    "name": __("Name"),
    "patronymic": __("Patronymic"),
    "entity_name": __("Organisation"),
    "postal_address": __("Postal address"),
    "outgoing_number": __("Outgoing number"),
    "outgoing_date": __("Date of the letter"),
    "office_id": __("Office"),
    "category": __("What about"),
    "text": __("Text"),
}
KIND_LABELS = {"individual": __("an individual"), "legal_entity": __("an organisation (legal entity)")}
CHANNEL_LABELS = {"bot": __("in the bot"), "post": __("by post"), "email": __("by e-mail"),
                  "hand": __("by hand")}


def bold(text: str) -> Bold:
    """A heading of a complaint screen, as a formatting node (escaped when the screen is rendered)."""
    return Bold(text)


def category_label(category_id: str) -> str:
    category = domain.load_terms().category(category_id)
    return pick(category.label) if category else category_id


def status_label(status_id: str) -> str:
    status = domain.load_terms().status(status_id)
    return pick(status.label) if status else status_id


def moment(stored: datetime) -> str:
    """A stored time as the reader says it: "25 қараша 2026 ж., 21:24"."""
    local = domain.local_time(stored)
    return f"{day(local.date())}, {clock(local)}"


def office_title(office: Any) -> str:
    return pick(office.name) if office is not None else _("an office no longer in the directory")


def place_title(place_id: str) -> str:
    """Where a complaint is: an office of Appendix 1, or a body it was forwarded to (§22)."""
    body = forwarding.target(place_id)
    return pick(body.name) if body is not None else office_title(load_directory().get(place_id))


def office_contacts(office: Any) -> str:
    """Phones of the secretariat and the migration police, and the website (Appendix 1)."""
    if office is None:
        return ""
    parts = []
    if secretariat := office.shown_phones("secretariat"):
        parts.append(_("secretariat: {phones}").format(phones=", ".join(secretariat)))
    if migration := office.shown_phones("migration"):
        parts.append(_("migration police: {phones}").format(phones=", ".join(migration)))
    if office.website:
        parts.append(office.website)
    return "; ".join(parts)


def follow_contacts(office: Any) -> str:
    """§25: the contacts of those who can tell how the complaint is going."""
    return _("The office can tell you how it is going: {contacts}").format(contacts=office_contacts(office))


# --- the dialogue ------------------------------------------------------------------------------


def intro_text() -> str:
    terms = domain.load_terms()
    return paragraphs(
        Bold(_("Complaints about the service")),
        _(
            "You can complain about rude service (§22), waiting longer than 20 minutes or a decision later "
            "than 30 days (§7), documents demanded beyond the list of §11, a refusal, or anything else "
            "about this service (§20–§24)."
        ),
        _(
            "I register the complaint and give you a talon with its number (§25). The office must answer "
            "within {days} calendar days, or up to {extended} when it has to request information from "
            "others. Against a refusal you may also go to court (§23)."
        ).format(days=terms.answer_days, extended=terms.extended_days),
    ).as_html()


def kind_prompt() -> str:
    return paragraphs(
        Bold(_("Who is filing the complaint?")),
        _(
            "§24: an individual gives the surname, name, patronymic (if any) and postal address; an "
            "organisation gives its name, postal address, and the outgoing number and date of its letter."
        ),
    ).as_html()


def field_prompt(field: str, kind: str | None) -> str:
    prompts = {
        "surname": _("Your surname:"),
        "name": _("Your first name:"),
        "patronymic": _("Your patronymic (if you have none, press the button):"),
        "entity_name": _("The organisation's full name:"),
        "outgoing_number": _("The outgoing number of your organisation's letter:"),
        "outgoing_date": _("The date of the letter, for example 25.11.2026:"),
        "office_id": _(
            "Which office is the complaint about? Type the town, the district or the office's name "
            "(for example Қонаев or Есіл), or choose the region."
        ),
    }
    if field == "postal_address":
        text = (_("The organisation's postal address, for the written answer:") if kind == "legal_entity"
                else _("Your postal address for the written answer (postcode, town, street, house, flat):"))
    elif field == "text":
        limits = domain.load_terms().limits
        text = _(
            "Describe what happened: when, where, who was involved and what you ask for. "
            "One message of {min} to {max} characters."
        ).format(min=limits["text_min"], max=limits["text_max"])
    else:
        text = prompts[field]
    return plain(text)


def category_prompt() -> str:
    return Bold(_("What is the complaint about?")).as_html()


def problem_text(problem: domain.Problem, value: str | None = None) -> str:
    """Why a typed answer was not taken, in the reader's language."""
    if problem.code == "too_long":
        count = len(value or "")
        return ngettext(
            "That is {count} character, {over} over the limit of {limit}. Please shorten it and send again.",
            "That is {count} characters, {over} over the limit of {limit}. Please shorten it and send again.",
            count,
        ).format(count=count, over=count - (problem.limit or 0), limit=problem.limit)
    if problem.code == "too_short":
        return _("That is too short: please write at least {limit} characters.").format(limit=problem.limit)
    if problem.code == "bad_characters" and problem.field in domain.NAME_FIELDS:
        return _("Please use letters only (a hyphen, an apostrophe or a space are fine).")
    if problem.code == "bad_characters":
        return _("This contains control characters I cannot store. Please type it again.")
    if problem.code == "bad_date":
        return _("I could not read the date. Please type it like 25.11.2026.")
    if problem.code == "no_such_date":
        return no_such_date()
    if problem.code == "future_date":
        return _("That date is in the future. Please check it.")
    if problem.code == "not_address":
        return _(
            "That does not look like a postal address, and the written answer is sent there. Please give "
            "the postcode, town, street and house (and the flat, if any), at least {limit} characters, "
            "for example: 050000, Алматы қ., Абай даңғылы 10, 5-пәтер"
        ).format(limit=problem.limit)
    if problem.code == "no_letters" and problem.field == "text":
        return _("Please describe in words what happened: emoji and signs alone are not enough.")
    if problem.code == "no_letters":
        return _("Please write the organisation's name in letters, for example: ТОО «Жол-Құрылыс».")
    if problem.code == "no_alnum":
        return _("An outgoing number has digits or letters, for example: 17/204.")
    if problem.code == "required":
        return _("This is required.")
    return _("This value is not accepted.")


def notice(text: str) -> str:
    """A line above a repeated question: why the answer was not taken."""
    return "⚠️ " + plain(text)


def use_buttons_text() -> str:
    return _("Please answer with the buttons below.")


def already_filed_text() -> str:
    return _("Already filed: here is its talon.")


def search_result_text(query: str, count: int) -> str:
    if count == 0:
        return plain(_("I found no office for “{query}”. Try another spelling, or choose the region.")
                     .format(query=query))
    return plain(ngettext("Found {count} office for “{query}”. Choose it:",
                          "Found {count} offices for “{query}”. Choose one:", count)
                 .format(count=count, query=query))


def regions_prompt() -> str:
    return plain(_("Choose the region (the department of internal affairs):"))


def department_prompt(department: Any) -> str:
    return paragraphs(Bold(pick(department.region)), _("Choose the office:")).as_html()


def _field_value(field: str, fields: Mapping[str, Any], office: Any) -> str:
    """What the review shows for a field, as text (not HTML)."""
    value = fields.get(field)
    if field == "kind":
        return str(KIND_LABELS[value]) if value in KIND_LABELS else "—"
    if field == "office_id":
        return office_title(office) if value else "—"
    if field == "category" and value:
        category = domain.load_terms().category(value)
        return f"{category_label(value)} ({category.ref})" if category else value
    if field == "outgoing_date" and value:
        return day(date.fromisoformat(value))
    return value if value else "—"


def review_fields(kind: str | None) -> list[str]:
    """The fields shown and editable on the review screen, in the order they were asked."""
    person = (["surname", "name", "patronymic"] if kind != "legal_entity"
              else ["entity_name", "outgoing_number", "outgoing_date"])
    return ["kind", *person, "postal_address", "office_id", "category", "text"]


def review_text(fields: Mapping[str, Any], office: Any) -> str:
    kind = fields.get("kind")
    text = fields.get("text") or ""
    limit = domain.load_terms().limits["text_max"]
    shown = text if len(text) <= REVIEW_TEXT_PREVIEW else text[:REVIEW_TEXT_PREVIEW] + "…"
    rows = [f"{FIELD_LABELS[field]}: {_field_value(field, fields, office)}"
            for field in review_fields(kind)[:-1]]
    return lines(
        Bold(_("Please check your complaint")),
        "",
        *rows,
        "",
        _("Text ({count} of {limit} characters):").format(count=len(text), limit=limit),
        Italic(shown),
        "",
        _("Press a field to change it, or Continue."),
    ).as_html()


def consent_text(retention_days: int, kind: str | None) -> str:
    """What is stored, in the words of the complainant's kind: an organisation gives no one's name
    or home address, only its own details (and the sender's Telegram account number)."""
    if kind == "legal_entity":
        stored = _(
            "To register and consider the complaint I store what you entered (the organisation's name, "
            "its postal address, the number and date of its letter, the office, the text) and your "
            "Telegram account number. Only the staff of that office, the management of its department "
            "and the bot's administrators see it, to consider the complaint and answer the organisation. "
            "It is kept for {days} days after the complaint is closed, then deleted, and it never goes "
            "to the logs."
        )
        heading = _("Consent to storing the complaint's data")
    else:
        stored = _(
            "To register and consider your complaint I store what you entered (names, postal address, "
            "the office, the text) and your Telegram account number. Only the staff of that office, the "
            "management of its department and the bot's administrators see it, to consider the complaint "
            "and answer you. It is kept for {days} days after the complaint is closed, then deleted, and "
            "it never goes to the logs."
        )
        heading = _("Consent to the processing of personal data")
    return paragraphs(
        Bold(heading),
        stored.format(days=retention_days),
        _("Do you agree, and shall I file the complaint?"),
    ).as_html()


def draft_kept_text() -> str:
    return paragraphs(
        Bold(_("You have an unfinished complaint")),
        _("I kept what you entered. Continue where you stopped, or start a new complaint "
          "(the unfinished one is then deleted)?"),
    ).as_html()


def cancel_question_text() -> str:
    return paragraphs(
        Bold(_("Cancel the complaint?")),
        _("Everything you entered for this complaint will be deleted, and nothing is filed."),
    ).as_html()


def cancelled_text() -> str:
    return plain(_("The complaint was cancelled; nothing was stored."))


def stale_text() -> str:
    return _("This step is out of date.")


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def privacy_text(retention_days: int) -> str:
    """For the about screen: what the bot stores about complaints, who sees it, for how long."""
    return plain(_(
        "Complaints: the bot stores what you enter in a complaint (names, postal address, the office, the "
        "text), your Telegram account number and the history of the complaint, to register it and send "
        "you the answer. The staff of that office, its department's management and the bot's "
        "administrators see it. It is deleted {days} days after the complaint is closed. Complaint texts "
        "and personal data are never written to the logs. Your language choice and the answers of an "
        "unfinished dialogue are kept so you can continue."
    ).format(days=retention_days))
