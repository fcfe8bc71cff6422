"""The office finder: browse region → department → office, search by a place name, or share a location.

Lists are edited in place as the user moves through them; an office card is followed by a venue
message so the phone opens a map. While the section is open, typed text is a place-name search. The
location keyboard is a one-time reply keyboard, removed once the location arrived or the user closes it.
Callback queries are answered by the Dispatcher's CallbackAnswerMiddleware.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardRemove
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot import clock
from bot.formatting import pick
from bot.offices.directory import Directory, is_far
from bot.offices.territory import inside_kazakhstan
from bot.rules.hours import status_at
from bot.rules.ruleset import Ruleset
from bot.telegram.filters import is_plain_text
from bot.telegram.markup import plain
from bot.telegram.screen import chat_of, replace_or_send
from handlers.callbacks import MenuCallback
from handlers.menu import back_to_menu_button
from handlers.offices import keyboards as kb
from handlers.offices import render

SEARCH_LIMIT = 8
NEAREST = 3
QUERY_LIMIT = 100


class Offices(StatesGroup):
    """While the section is open, typed text searches offices by place name."""

    browsing = State()


def menu_row() -> list:
    return [back_to_menu_button()]


def regions_view(directory: Directory, page: int) -> tuple[str, InlineKeyboardMarkup]:
    labels = [(region.department, pick(region.name)) for region in directory.regions()]
    page = kb.clamp_page(page, len(labels))
    text = render.regions_text(len(labels), page, kb.page_count(len(labels)))
    return text, kb.regions_keyboard(labels, page, menu_row())


def department_view(directory: Directory, dept_id: str, page: int) -> tuple[str, InlineKeyboardMarkup] | None:
    """The department's own office first, then its district offices; None for an unknown id."""
    department = directory.get(dept_id)
    if department is None or not department.is_department:
        return None
    offices = [department, *directory.subordinates(dept_id)]
    labels = [(office.id, render.office_label(office)) for office in offices]
    page = kb.clamp_page(page, len(labels))
    keyboard = kb.offices_keyboard(dept_id, labels, page, menu_row())
    return render.department_text(department, len(labels), page, kb.page_count(len(labels))), keyboard


async def on_menu(callback: CallbackQuery, state: FSMContext, directory: Directory) -> None:
    await state.set_state(Offices.browsing)
    await replace_or_send(callback, *regions_view(directory, 0))


async def on_command(message: Message, state: FSMContext, directory: Directory) -> None:
    await state.set_state(Offices.browsing)
    text, keyboard = regions_view(directory, 0)
    await message.answer(text, reply_markup=keyboard)


async def on_regions(callback: CallbackQuery, callback_data: kb.RegionsPage, state: FSMContext,
                     directory: Directory) -> None:
    await state.set_state(Offices.browsing)
    await replace_or_send(callback, *regions_view(directory, callback_data.page))


async def on_department(callback: CallbackQuery, callback_data: kb.DepartmentPage, state: FSMContext,
                        callback_answer: CallbackAnswer, directory: Directory) -> None:
    await state.set_state(Offices.browsing)
    view = department_view(directory, callback_data.d, callback_data.page)
    if view is None:
        callback_answer.text = _("This button is out of date. Here is the list of regions.")
        view = regions_view(directory, 0)
    await replace_or_send(callback, *view)


async def on_office(callback: CallbackQuery, callback_data: kb.OfficeOpen, bot: Bot, state: FSMContext,
                    callback_answer: CallbackAnswer, directory: Directory, ruleset: Ruleset) -> None:
    await state.set_state(Offices.browsing)
    office = directory.get(callback_data.o)
    if office is None:
        callback_answer.text = _("This button is out of date. Here is the list of regions.")
        await replace_or_send(callback, *regions_view(directory, 0))
        return
    text = render.office_card(office, status_at(clock.now(), ruleset), ruleset)
    await replace_or_send(callback, text, kb.card_keyboard(callback_data.back, menu_row()))
    await send_venue(bot, chat_of(callback), office, directory)


async def send_venue(bot: Bot, chat_id: int, office, directory: Directory, reply_markup=None) -> None:
    """A venue message: the phone shows the office on a map and offers directions (to the city
    when the office only has its city's point, see render.venue_labels)."""
    title, address = render.venue_labels(office, directory.shares_point(office))
    await bot.send_venue(
        chat_id,
        latitude=office.lat,
        longitude=office.lon,
        title=title[:128],
        address=address[:256],
        reply_markup=reply_markup,
    )


# Section moves; each sends a new message, so the screen it was pressed on (a result card) stays.

async def on_near(callback: CallbackQuery, bot: Bot, state: FSMContext) -> None:
    await state.set_state(Offices.browsing)
    if callback.message is None or callback.message.chat.type == "private":
        await bot.send_message(chat_of(callback), render.location_prompt(),
                               reply_markup=kb.location_keyboard())
    else:
        await bot.send_message(chat_of(callback), render.location_private_only())


async def on_find(callback: CallbackQuery, bot: Bot, state: FSMContext) -> None:
    await state.set_state(Offices.browsing)
    await bot.send_message(chat_of(callback), render.search_prompt())


async def on_home(callback: CallbackQuery, bot: Bot, state: FSMContext, directory: Directory) -> None:
    await state.set_state(Offices.browsing)
    text, keyboard = regions_view(directory, 0)
    await bot.send_message(chat_of(callback), text, reply_markup=keyboard)


async def on_location(message: Message, bot: Bot, state: FSMContext, directory: Directory) -> None:
    """The three nearest offices with distances, and every office of a city whose shared point is
    among them (grouped under one distance), a warning for a point abroad or far from every office,
    the §13 note; a venue of the nearest one."""
    await state.set_state(Offices.browsing)
    try:
        found = directory.nearest_whole(message.location.latitude, message.location.longitude,
                                        limit=NEAREST)
    except ValueError:
        found = []
    labels = [(office.id, render.office_label(office)) for office, _km in found]
    keyboard = kb.found_keyboard(labels, menu_row())
    lat, lon = message.location.latitude, message.location.longitude
    abroad = bool(found) and not inside_kazakhstan(lat, lon)
    far = bool(found) and is_far(lat, lon, found[0][1])
    await message.answer(render.nearest_text(found, directory, far, abroad), reply_markup=keyboard)
    if found:
        await send_venue(bot, message.chat.id, found[0][0], directory, reply_markup=ReplyKeyboardRemove())


async def on_close(message: Message, directory: Directory) -> None:
    """The "Close" button of the location keyboard: take the keyboard away, show the regions."""
    text, keyboard = regions_view(directory, 0)
    await message.answer(plain(_("Keyboard closed.")), reply_markup=ReplyKeyboardRemove())
    await message.answer(text, reply_markup=keyboard)


async def on_search(message: Message, directory: Directory) -> None:
    """The best SEARCH_LIMIT matches as buttons; the text says how many matched in all. A place
    formed after the Appendix says so and offers the offices that served it (or its town's); a near
    name of another place is only asked about ("did you mean …?"), never shown as found."""
    query = (message.text or "").strip()[:QUERY_LIMIT]
    matches = [office for office, _score in directory.search(query, limit=len(directory))] if query else []
    place = directory.new_place(query) if query else None
    if place is not None:
        offered = [directory.get(office_id) for office_id in place.offer]
        others = [office for office in matches if office.id not in place.offer]
        parts = [render.new_place_text(place, len(offered))]
        if others:
            parts.append(render.search_text(query, others[:SEARCH_LIMIT], len(others), with_regions=True))
        found = (offered + others)[:SEARCH_LIMIT]
        text = "\n\n".join(parts)
    elif matches or not query:
        found = matches[:SEARCH_LIMIT]
        text = render.search_text(query, found, len(matches))
    else:
        found = [office for office, _score in directory.guesses(query, limit=SEARCH_LIMIT)]
        text = render.guesses_text(query, found) if found else render.search_text(query, [])
    labels = [(office.id, render.office_label(office)) for office in found]
    await message.answer(text, reply_markup=kb.found_keyboard(labels, menu_row()))


async def has_location(message: Message) -> bool:
    """Async filters keep the hot path in the event loop (magic F filters run in a thread)."""
    return message.location is not None and message.chat.type == "private"


async def is_close(message: Message) -> bool:
    return message.text is not None and message.text == kb.close_label()


def make_router() -> Router:
    router = Router(name="offices")
    router.callback_query.register(on_menu, MenuCallback.filter(F.item == "offices"))
    router.message.register(on_command, Command("offices"))
    router.callback_query.register(on_regions, kb.RegionsPage.filter())
    router.callback_query.register(on_department, kb.DepartmentPage.filter())
    router.callback_query.register(on_office, kb.OfficeOpen.filter())
    router.callback_query.register(on_near, kb.OfficesNav.filter(F.action == kb.NavAction.near))
    router.callback_query.register(on_find, kb.OfficesNav.filter(F.action == kb.NavAction.find))
    router.callback_query.register(on_home, kb.OfficesNav.filter(F.action == kb.NavAction.home))
    router.message.register(on_location, has_location)
    router.message.register(on_close, is_close)
    router.message.register(on_search, StateFilter(Offices.browsing), is_plain_text)
    return router
