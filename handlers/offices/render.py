"""What the office finder shows: lists, the nearest offices, and an office card with "open now".

Office texts (names, addresses) are data in both languages; the hours and the §13 rule are the
ruleset's words; whether an office is open is bot.rules.hours' verdict at the moment given. HTML, escaped.
"""

from __future__ import annotations

import re
from datetime import datetime

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.formatting import clock, current_locale, distance, pick, weekday_time
from bot.telegram.markup import bold, plain

# A phone shows about this many characters on a full-width button before it cuts the text itself.
LABEL_LIMIT = 48
# Every office name repeats "of internal affairs" and its kind; on a button they shrink to the usual
# abbreviations (ІІД/ІІБ, ДВД/УВД/ОВД), and a city police office drops the city's department it
# belongs to, so what tells the offices apart (the district, the city, the region) stays visible.
SHORT_NAME = {
    "kk": (
        (r"^\S+ қаласы Ішкі істер басқармасының ", ""),
        (r"(\S+) қаласының және \1 ауданының", r"\1 қаласы мен ауданының"),
        (r"[Іі]шкі істер департаменті", "ІІД"),
        (r"[Іі]шкі істер (басқармасы|бөлімі)", "ІІБ"),
        (r"полиция (басқармасы|бөлімі)", "ПБ"),
    ),
    "ru": (
        (r" УВД города \S+$", ""),
        (r"^Департамент внутренних дел", "ДВД"),
        (r"^Управление внутренних дел", "УВД"),
        (r"^Отдел внутренних дел", "ОВД"),
        (r"^Управление полиции", "УП"),
        (r"^Отдел полиции", "ОП"),
        (r"\bгорода\b", "г."),
    ),
}
# A name still too long takes the usual short forms of the four "Kazakhstan" regions, of "district"
# and of a first name: never cut, since half a name ("ДВД Восточно-Казахстанской", "Қапшағай
# қаласының") tells nothing.
COMPACT_NAME = {
    "kk": (
        (r"Шығыс Қазақстан облысының", "ШҚО"),
        (r"Батыс Қазақстан облысының", "БҚО"),
        (r"Солтүстік Қазақстан облысының", "СҚО"),
        (r"Оңтүстік Қазақстан облысының", "ОҚО"),
        (r"Ғабит Мүсірепов атындағы ауданның", "Ғ. Мүсірепов ауданының"),
    ),
    "ru": (
        (r"Восточно-Казахстанской области", "ВКО"),
        (r"Западно-Казахстанской области", "ЗКО"),
        (r"Северо-Казахстанской области", "СКО"),
        (r"Южно-Казахстанской области", "ЮКО"),
        (r"\bрайона\b", "р-на"),
    ),
}


def page_line(page: int, pages: int) -> list[str]:
    """"Page 1 of 2" as a paragraph of the list's text, none for a one-page list."""
    if pages <= 1:
        return []
    return [plain(_("Page {page} of {pages}").format(page=page + 1, pages=pages))]


def regions_text(count: int, page: int = 0, pages: int = 1) -> str:
    return "\n\n".join([
        bold(_("Where to apply")),
        plain(ngettext(
            "Choose the region: {count} department of internal affairs, each with its district offices.",
            "Choose the region: {count} departments of internal affairs, each with its district offices.",
            count,
        ).format(count=count)),
        plain(_("You can also type the name of your town or district, or share your location.")),
        *page_line(page, pages),
    ])


def department_text(department, count: int, page: int = 0, pages: int = 1) -> str:
    return "\n\n".join([
        bold(pick(department.region)),
        plain(ngettext(
            "{count} office. Choose the one of your place of permanent residence (§13).",
            "{count} offices. Choose the one of your place of permanent residence (§13).",
            count,
        ).format(count=count)),
        *page_line(page, pages),
    ])


def settlement_text(office) -> str:
    """The Appendix's settlement, with today's name after it when the place was renamed."""
    settlement = pick(office.settlement)
    if office.settlement_now:
        return _("{old} (now {new})").format(old=settlement, new=pick(office.settlement_now))
    return settlement


def short_name(office, compact: bool = False) -> str:
    """The office's name without the words every office's name has (SHORT_NAME); `compact` also
    takes the short forms of COMPACT_NAME. Always whole words of the name."""
    lang = current_locale()
    name = pick(office.name, lang)
    rules = SHORT_NAME.get(lang, ()) + (COMPACT_NAME.get(lang, ()) if compact else ())
    for pattern, short in rules:
        name = re.sub(pattern, short, name)
    return name


def office_label(office) -> str:
    """A button label, "settlement · short name", never cut mid-phrase. When it does not fit in
    LABEL_LIMIT, the name takes its short forms, then a renamed town is named by today's name only
    (its old one is in the office's name); if nothing fits, the shortest whole form is used."""
    heads = [settlement_text(office)]
    if office.settlement_now:
        heads.append(pick(office.settlement_now))
    labels = [f"{head} · {short_name(office, compact)}" for head in heads for compact in (False, True)]
    return next((label for label in labels if len(label) <= LABEL_LIMIT), min(labels, key=len))


def residence_note(directory) -> str:
    """§13: the office that matters is that of the place of permanent residence, not the nearest one."""
    return "ℹ️ " + plain(pick(directory.residence_note))


def nearest_text(found, directory, far: bool = False, abroad: bool = False) -> str:
    """The nearest offices, nearest first. Offices standing on a shared city point are grouped under
    one honest distance to that point (which district office is yours is §13's question, not the
    map's); a point outside Kazakhstan (bot.offices.territory) or far from every office says so, and the
    nearest are shown anyway."""
    lines = [bold(ngettext(
        "The nearest office:", "The {count} nearest offices:", len(found)
    ).format(count=len(found))), ""]
    if abroad and found:
        lines += ["⚠️ " + plain(pick(directory.abroad_note)), ""]
    elif far and found:
        lines += ["⚠️ " + plain(_(
            "This point seems to be outside Kazakhstan or far from every office: the nearest one is "
            "{distance} away. Check the location you sent; the nearest offices are listed anyway."
        ).format(distance=distance(found[0][1]))), ""]
    point = None
    for number, (office, km) in enumerate(found, start=1):
        if directory.shares_point(office):
            if (office.lat, office.lon) != point:
                point = (office.lat, office.lon)
                lines.append("📍 " + plain(_(
                    "{place}: {distance} to the city's point. All its offices are marked by this one "
                    "point; yours is the one of your place of permanent residence (§13):"
                ).format(place=settlement_text(office), distance=distance(km))))
            lines.append(f"{number}. {bold(pick(office.name))}")
        else:
            point = None
            lines.append(f"{number}. {bold(pick(office.name))} — {plain(distance(km))}")
        lines.append(f"   {plain(pick(office.address))}")
    lines += ["", residence_note(directory)]
    return "\n".join(lines)


def search_text(query: str, found, total: int | None = None, with_regions: bool = False) -> str:
    """How many offices matched; when more matched than the buttons show (`total`), says so and asks
    for a more precise name. Offices of one name in several regions ("Жамбыл ауданы": three) get a
    line each with their region, so the user can tell which is theirs."""
    if not found:
        return plain(_(
            "Nothing found for “{query}”. Type the name of a town, village or district "
            "(for example Konaev or Ust-Kamenogorsk), or choose the region."
        ).format(query=query))
    total = max(total or 0, len(found))
    if total > len(found):
        head = ngettext(
            "Found {count} office for “{query}”, showing the first {shown}. "
            "Type the name of your town, village or district to narrow the search:",
            "Found {count} offices for “{query}”, showing the first {shown}. "
            "Type the name of your town, village or district to narrow the search:",
            total,
        ).format(count=total, query=query, shown=len(found))
    else:
        head = ngettext(
            "Found {count} office for “{query}”:", "Found {count} offices for “{query}”:", total
        ).format(count=total, query=query)
    lines = [plain(head)]
    if with_regions or len({office.region_id for office in found}) > 1:
        lines += ["", *place_lines(found)]
    return "\n".join(lines)


def place_lines(offices) -> list[str]:
    """"• settlement — region", once per place: which of several same-named places is meant."""
    return [f"• {plain(place)}"
            for place in dict.fromkeys(f"{settlement_text(o)} — {pick(o.region)}" for o in offices)]


def guesses_text(query: str, guesses) -> str:
    """No office has this name; near names of other places are offered as a question, each with its
    region, so nobody takes Наурзум (Kostanay region) for Наурызбай (Almaty)."""
    return "\n".join([
        plain(_("Nothing found for “{query}”. Did you mean:").format(query=query)),
        "",
        *place_lines(guesses),
    ])


def new_place_text(place, count: int) -> str:
    """A district or town formed after the Appendix (bot.offices.new_places): the offices that served
    it where a source names them; else the directory predates it, and its town's offices are offered
    with the location search."""
    name, where = pick(place.name), pick(place.where)
    if place.covered:
        text = ngettext(
            "“{place}” ({where}) was formed in {year}, after the 2013 directory of offices. "
            "Its territory was then served by this office:",
            "“{place}” ({where}) was formed in {year}, after the 2013 directory of offices. "
            "Its territory was then served by these offices:",
            count,
        )
    else:
        text = _(
            "“{place}” ({where}) was formed in {year}, after the 2013 directory of offices, which "
            "does not say which office serves it. Apply to the office of your place of permanent "
            "residence (§13): here are the offices of the city, or share your location to see the "
            "nearest ones."
        )
    return plain(text.format(place=name, where=where, year=place.formed))


def venue_labels(office, shares_point: bool) -> tuple[str, str]:
    """Title and address of the office's map pin. An office placed at its city's point is not at
    that spot, so its pin is titled with the city and says so; the street address stays in the text."""
    if shares_point:
        return settlement_text(office), _(
            "One point for all offices of the city; the address is in the message")
    return pick(office.name), pick(office.address)


def search_prompt() -> str:
    return plain(_(
        "Type the name of your town, village or district in Kazakh, Russian or Latin letters, "
        "for example Konaev, Ust-Kamenogorsk or Kokshetau."
    ))


def location_prompt() -> str:
    return plain(_(
        "Press “Send my location” below: I will show the three offices nearest to you, and every office "
        "of a city among them (a city's offices share one mark on the map). "
        "Your location is used for this answer only and is not stored."
    ))


def location_private_only() -> str:
    return plain(_(
        "Sharing a location works only in a private chat with the bot. Type the name of your town instead."
    ))


def phone_texts(office) -> list[str]:
    """The office's phones, a line for the secretariat and one for the migration police (not HTML)."""
    lines = []
    if secretariat := office.shown_phones("secretariat"):
        lines.append(_("Secretariat: {phones}").format(phones=", ".join(secretariat)))
    if migration := office.shown_phones("migration"):
        lines.append(_("Migration police: {phones}").format(phones=", ".join(migration)))
    return lines


def open_now_line(status) -> str:
    """🟢 open now (until when), or 🔴 closed now, why, and when it opens next (bot.rules.hours' answer)."""
    if status.open:
        if status.closes_at is not None:
            return "🟢 " + plain(_("Open now, until {time}").format(time=clock(status.closes_at)))
        return "🟢 " + plain(_("Open now"))
    why = closed_reason(status)
    line = "🔴 " + plain(_("Closed now: {reason}").format(reason=why) if why else _("Closed now"))
    if status.next_open is not None:
        line += "\n" + plain(_("Opens {moment}").format(moment=opening_moment(status.at, status.next_open)))
    return line


def opening_moment(now: datetime, next_open: datetime) -> str:
    """"today at 14:30", or the weekday, date and time of a later day."""
    if next_open.date() == now.date():
        return _("today at {time}").format(time=clock(next_open))
    return weekday_time(next_open)


def closed_reason(status) -> str:
    """Why the office is shut; a holiday is named in the reader's language when its name is known."""
    if status.reason == "holiday":
        if name := status.holiday_name_in(current_locale()):
            return _("public holiday ({name})").format(name=name)
        return _("public holiday")
    reasons = {
        "lunch_break": _("lunch break"),
        "before_opening": _("not open yet"),
        "after_closing": _("the working day is over"),
        "sunday": _("Sunday, a day off"),
        "day_off": _("a day off"),
    }
    return reasons.get(status.reason, "")


def office_card(office, status, ruleset) -> str:
    lines = [bold(pick(office.name)), plain(pick(office.region)), "",
             "🏙 " + plain(settlement_text(office)), "📍 " + plain(pick(office.address))]
    lines += ["☎️ " + plain(line) for line in phone_texts(office)]
    if office.website:
        lines.append("🌐 " + plain(office.website))
    lines += [
        "",
        bold(_("Hours") + f" ({ruleset.hours.paragraph})"),
        plain(pick(ruleset.hours.text)),
        "",
        open_now_line(status),
    ]
    return "\n".join(lines)
