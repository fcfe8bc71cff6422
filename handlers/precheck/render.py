"""What the pre-check shows: one question card, and the result card. Pure text building, no sending.

The rules engine decides; this module only words its answers in the reader's language, citing the
paragraph behind each statement. Law texts come from the ruleset (data, kk and ru); the sentences that
frame them are gettext msgids. The result card is composed of aiogram.utils.formatting nodes whose
plain str children (data texts, answers) are escaped when rendered to HTML; the question card, shown at
every step, is joined from bot.telegram.markup's escaped lines (the same HTML without rendering the
nodes' entities first, which was most of the time it took).
"""

from __future__ import annotations

import re
from datetime import date

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.formatting import Bold, Italic, Text
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.formatting import day, money, percent, pick
from bot.telegram.markup import bold, italic, lines, plain
from handlers.precheck.keyboards import NAME
from handlers.questionnaire.callbacks import KEEP
from handlers.questionnaire.keyboards import nav_row, option_rows, question_keyboard, quick_row

TYPED_KINDS = ("int", "date")


def option_labels(question) -> list[str]:
    """Button labels in order; bool questions get Yes/No (index 0 is yes)."""
    if question.kind == "bool":
        return [_("Yes"), _("No")]
    return [pick(option.label) for option in question.options]


def option_values(question) -> list[object]:
    if question.kind == "bool":
        return [True, False]
    return [option.value for option in question.options]


def options(question) -> list[tuple[str, object]]:
    """(label, value) of each answer button; none for a typed question (an age, a date)."""
    if question.kind in TYPED_KINDS:
        return []
    return list(zip(option_labels(question), option_values(question), strict=True))


def chosen_index(question, previous: object) -> int | None:
    values = option_values(question)
    return values.index(previous) if previous in values else None


def progress_line(number: int, total: int) -> str:
    total = max(total, number)
    return ngettext(
        "Question {number} of about {total}", "Question {number} of about {total}", total
    ).format(number=number, total=total)


def typed_hint(question) -> str:
    if question.kind == "int":
        return _("Type the age in full years as a number, for example 17.")
    return _("Type the date as DD.MM.YYYY or YYYY-MM-DD (for example 25.11.2026), or press Today.")


def quick_answers(question, earlier: object) -> list[tuple[str, str]]:
    """Buttons for typed questions: "Today" for a date, "Keep …" when Back reopened an answer."""
    quick = [("today", _("Today"))] if question.kind == "date" else []
    if earlier is not None:
        quick.append((KEEP, _("Keep: {answer}").format(answer=previous_text(question, earlier))))
    return quick


def question_card(question, number: int, total: int, answers: dict, can_go_back: bool):
    """The card of the question on screen: (html text, keyboard), worded for the answers so far (the
    age of "you" or of "your child"). Its own answer, if any (Back reopened it), is ticked on its
    button, or offered as "Keep" for a typed answer."""
    text, hint = question.worded(answers)
    previous = answers.get(question.id)
    shown = [italic(progress_line(number, total)), "", bold(pick(text))]
    if hint:
        shown.append(plain(pick(hint)))
    if question.kind in TYPED_KINDS:
        shown += ["", plain(typed_hint(question))]
        rows = quick_row(NAME, question.id, quick_answers(question, previous))
    else:
        rows = option_rows(NAME, question.id, option_labels(question), chosen_index(question, previous))
    if question.paragraph:
        shown += ["", italic(_("Rule: {paragraph}").format(paragraph=question.paragraph))]
    return "\n".join(shown), question_keyboard(NAME, rows, can_go_back)


def previous_text(question, previous: object) -> str:
    if question.kind == "date":
        return day(date.fromisoformat(str(previous)))
    return str(previous)


def answer_error(question, error, ruleset) -> str:
    """A polite explanation of why a typed answer was not taken (the answers so far are kept).

    Too early a payment date is not aligned with /fee (MRP known from 2011): the pre-check's rules start
    with the ruleset, so it says so and points to /fee instead.
    """
    reason, earliest = error.reason, ruleset.valid_from
    if reason == "bound":
        choice, low, high = error.bounds
        label = next((pick(o.label) for o in ruleset.question(question.bounds_by).options
                      if o.value == choice), str(choice))
        if high >= question.max:
            text = _("For “{choice}” the age is at least {low}. Type the age again, or press Back "
                     "to change the answer to who is leaving.")
        else:
            text = _("For “{choice}” the age is from {low} to {high}. Type the age again, or press Back "
                     "to change the answer to who is leaving.")
        return text.format(choice=label, low=low, high=high)
    if question.kind == "int":
        if reason == "range":
            return _(
                "That does not look like an age. Type a whole number of years from {low} to {high}."
            ).format(low=question.min, high=question.max)
        return _(
            "I need the age as a whole number of full years, for example 17. Your other answers are kept."
        )
    if reason == "no_such_date":
        return no_such_date()
    if reason == "range":
        return _(
            "This pre-check applies the rules in force from {date}, so it covers payments from that day "
            "on: type a later date, or press Today. The fee on an earlier day is shown by /fee."
        ).format(date=day(earliest))
    return _(
        "I could not read that date. Type it as DD.MM.YYYY, for example 25.11.2026, "
        "or as YYYY-MM-DD. Your other answers are kept."
    )


def no_such_date() -> str:
    """Said for 31.02.2024: written like a date, but not one (the pre-check and the fee screen)."""
    return _("There is no such date in the calendar. Check the day and the month, for example 25.11.2026.")


def buttons_please(question) -> str:
    """One line for text typed at a button question; the card with its buttons is right above it."""
    if question.kind == "bool":
        return _("Please press Yes or No under the question above (or type yes or no).")
    return _("Please choose one of the buttons under the question above.")


def section(title: str, paragraph: str | None = None) -> Bold:
    """A section's heading with its paragraph: "State fee (§8)"."""
    ref = f" ({paragraph})" if paragraph else ""
    return Bold(title + ref)


_TRAILING_REF = re.compile(r"\s*\((§[^()]*)\)$")


def cite(text: str, paragraph: str) -> str:
    """A sentence with its paragraph before the final stop: "… the office (§13)."

    A text that already ends with its own reference ("… guardian (§11).") gets one bracket holding
    both, "(§11, §6).", not two brackets in a row. Text, not HTML.
    """
    body = text.rstrip().rstrip(".")
    refs = [paragraph]
    if match := _TRAILING_REF.search(body):
        body = body[: match.start()]
        refs = [match.group(1), *(p for p in [paragraph] if p not in match.group(1).split(", "))]
    return f"{body} ({', '.join(refs)})."


def data_text(note) -> str:
    """A ruleset note (law paraphrase in the reader's language) with its paragraph."""
    return cite(pick(note.text), note.paragraph)


def outcome_heading(assessment) -> str:
    if assessment.outcome == "eligible":
        text = _("✅ You can apply")
    elif assessment.outcome == "refused":
        text = _("⛔ There are grounds for refusal")
    elif assessment.outcome == "not_applicable":
        text = _("ℹ️ This service does not apply")
    else:
        text = _("The pre-check is not finished yet")
    return section(text, assessment.paragraph)


def outcome_section(assessment) -> list[Text]:
    shown: list[Text | str] = [outcome_heading(assessment)]
    if assessment.reason:
        shown.append(pick(assessment.reason))
    applicant = assessment.applicant
    if applicant is not None and assessment.outcome == "eligible":
        if applicant.via == "self":
            who = _("Who files: the person leaving, in person.")
        elif applicant.representative is not None:
            who = _("Who files: the legal representative, the {representative}.").format(
                representative=pick(applicant.representative))
        else:
            who = _("Who files: the legal representative (parent, trustee or guardian).")
        shown.append(who + " " + cite(pick(applicant.explanation), applicant.paragraph))
    return [lines(*shown)]


def refusal_section(assessment, ruleset) -> list[Text]:
    if not assessment.refusal_grounds:
        return []
    shown: list[Text | str] = [section(_("Grounds for refusal"), ruleset.refusal_notice.paragraph)]
    for ground in assessment.refusal_grounds:
        shown.append(Text("• ", Bold(ground.paragraph), " ", pick(ground.text)))
        shown.append("   " + _("Lifted: {when}").format(when=pick(ground.lifted_when)))
    shown += ["", data_text(ruleset.refusal_notice)]
    return [lines(*shown)]


def checklist(documents) -> list[Text | str]:
    shown: list[Text | str] = []
    for document in documents:
        shown.append(Text("☐ ", Bold(f"{document.paragraph} {pick(document.title)}")))
        shown.append(f"   {pick(document.description)}")
    return shown


def documents_section(documents, ruleset) -> list[Text]:
    if not documents:
        return []
    shown: list[Text | str] = [section(_("Your documents: a checklist"), ruleset.documents_note.paragraph)]
    shown += checklist(documents)
    shown += ["", data_text(ruleset.documents_note)]
    return [lines(*shown)]


def fee_lines(quote) -> list[str]:
    """The fee on the payment day, and a warning when the MRP table is stale (text, not HTML)."""
    amount = _("{fee}: {share} of the MRP in force on the day of payment ({date})").format(
        fee=money(quote.fee_kzt), share=percent(quote.percent_of_mrp), date=day(quote.date))
    shown = [amount]
    if quote.stale:
        shown.append("⚠️ " + _(
            "The MRP table of this bot does not cover this date yet: this is the latest known value, "
            "and the real amount may be higher. Check the amount at the bank."
        ))
    return shown


def fee_section(quote, ruleset) -> list[Text]:
    return [lines(section(_("State fee"), quote.paragraph), *fee_lines(quote), pick(ruleset.fee.text))]


def term_and_place_section(ruleset) -> list[Text]:
    return [
        lines(section(_("Term"), ruleset.terms.decision_paragraph), pick(ruleset.terms.text)),
        lines(section(_("Where to hand in"), ruleset.submission.paragraph), pick(ruleset.submission.text)),
    ]


def ruleset_footer(ruleset) -> Italic:
    """Which ruleset answered (its id and legal basis) and that this is a pre-check, not a decision."""
    return Italic(lines(
        _("Ruleset {id}.").format(id=ruleset.id) + " " + pick(ruleset.legal_basis.summary),
        pick(ruleset.disclaimer),
    ))


def result_sections(assessment, ruleset) -> list[str]:
    """The result card as HTML paragraphs, ready to be joined and split under Telegram's limit."""
    sections = outcome_section(assessment)
    sections += refusal_section(assessment, ruleset)
    if assessment.outcome == "eligible":
        sections += documents_section(assessment.documents, ruleset)
        sections += fee_section(assessment.fee, ruleset)
        sections += term_and_place_section(ruleset)
    sections.append(ruleset_footer(ruleset))
    return [part.as_html() for part in sections]


def result_keyboard(find_office_data: str, menu_button, handed_in=None) -> InlineKeyboardMarkup:
    """`handed_in`: the button that records the documents handed in (an eligible result only)."""
    rows = []
    if find_office_data:
        rows.append([InlineKeyboardButton(text=_("📍 Find the office"), callback_data=find_office_data)])
    if handed_in is not None:
        rows.append([handed_in])
    rows += [nav_row(NAME, can_go_back=True), [menu_button]]
    return InlineKeyboardMarkup(inline_keyboard=rows)
