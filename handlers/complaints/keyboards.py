"""Callback data and keyboards of complaints, for citizens and for staff (typed, prefixed, ≤ 64 bytes).

A button says what it is about (a talon, an office id, a draft id), never who may press it: every
handler checks that again from the database, because callback data can be forged.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.complaints import talon
from handlers.menu import back_to_menu_button


class ComplaintStep(StrEnum):
    """The buttons of the citizen's dialogue; each has its own handler (handlers.complaints.citizen)."""

    new = "new"
    fresh = "fresh"  # new, dropping a kept draft
    resume = "resume"
    mine = "mine"
    kind_individual = "kind_individual"
    kind_legal_entity = "kind_legal_entity"
    no_patronymic = "no_patronymic"
    today = "today"
    regions = "regions"
    office_search = "office_search"
    review = "review"
    consent = "consent"
    cancel = "cancel"  # asks first
    cancel_confirmed = "cancel_confirmed"


class ComplaintGo(CallbackData, prefix="cg"):
    a: ComplaintStep


class ComplaintRegion(CallbackData, prefix="cr"):
    """Show the offices of department `d` to pick the one complained about."""

    d: str


class ComplaintOffice(CallbackData, prefix="co"):
    """The office complained about."""

    o: str


class ComplaintCategory(CallbackData, prefix="cc"):
    """What the complaint is about (a category id of data/complaints.toml)."""

    c: str


class ComplaintEdit(CallbackData, prefix="ce"):
    """Change one field from the review screen."""

    f: str


class ComplaintSubmit(CallbackData, prefix="cx"):
    """File draft `d`: the draft id makes a second press find the complaint the first one filed."""

    d: str


class MyComplaintView(StrEnum):
    """How a citizen's own complaint is shown; each has its own handler (handlers.complaints.own)."""

    open = "open"
    image = "image"  # the talon as a picture


class MyComplaint(CallbackData, prefix="cm"):
    """A citizen's own complaint by talon."""

    t: str
    a: MyComplaintView = MyComplaintView.open


class TalonButton(StrEnum):
    """The buttons under a talon: its complaint, the citizen's list, the main menu."""

    open = "open"
    mine = "mine"
    menu = "menu"


class TalonGo(CallbackData, prefix="ct"):
    """A button under a talon, which stays as it is (a receipt): each screen comes as a new message;
    one handler per button (`a`), a forged value matches none and gets the out-of-date answer."""

    a: TalonButton
    t: str = ""


class Action(StrEnum):
    """What a staff button does to complaint `t`: open it, a move of bot.complaints.workflow, the close's
    two answers (justified or not), the queue; and under the preview of a typed answer or forwarding
    note: send, edit, drop. The values are what the buttons carry (buttons already sent keep working)."""

    open = "open"
    queue = "queue"
    take = "take"
    answer = "answer"
    extend = "extend"
    forward = "forward"
    recall = "recall"
    close = "close"
    justified = "cj"
    unjustified = "cu"
    reopen = "reopen"
    send = "send"
    edit = "edit"
    drop = "drop"


class StaffAct(CallbackData, prefix="sa"):
    """A staff action on complaint `t` at revision `v` (the card's): it is applied to that revision only;
    under a preview the revision is the one the official started typing for."""

    t: str
    action: Action
    v: int = 0


class StaffForwardTo(CallbackData, prefix="sf"):
    """Forward complaint `t` (revision `v`) to `to`: an office of Appendix 1 or a body of
    data/complaints.toml; the note is asked next."""

    t: str
    v: int
    to: str


class StaffForwardRegion(CallbackData, prefix="sr"):
    """Where to forward complaint `t`: the regions (`d` empty), or the offices of department `d`."""

    t: str
    v: int
    d: str = ""


Rows = list[list[InlineKeyboardButton]]


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def markup(rows: Rows, *, menu: bool = True) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [back_to_menu_button()]] if menu else rows)


def pairs(buttons: list[InlineKeyboardButton]) -> Rows:
    """Two short buttons a row, so that long Kazakh labels still fit."""
    return [buttons[i:i + 2] for i in range(0, len(buttons), 2)]


def cancel_row() -> list[InlineKeyboardButton]:
    return [button(_("✖ Cancel the complaint"), ComplaintGo(a=ComplaintStep.cancel))]


def intro_keyboard(has_complaints: bool, *, has_draft: bool = False) -> InlineKeyboardMarkup:
    rows = [[button(_("📝 File a complaint"), ComplaintGo(a=ComplaintStep.new))]]
    if has_draft:
        rows.insert(0, [button(_("▶️ Continue my unfinished complaint"), ComplaintGo(a=ComplaintStep.resume))])
    if has_complaints:
        rows.append([button(_("📂 My complaints"), ComplaintGo(a=ComplaintStep.mine))])
    return markup(rows)


def draft_kept_keyboard() -> InlineKeyboardMarkup:
    """Continue the draft kept from before, or start again (which deletes it)."""
    return markup([
        [button(_("▶️ Continue where I stopped"), ComplaintGo(a=ComplaintStep.resume))],
        [button(_("🆕 Start a new complaint"), ComplaintGo(a=ComplaintStep.fresh))],
    ])


def cancel_keyboard() -> InlineKeyboardMarkup:
    return markup([
        [button(_("🗑 Yes, delete what I entered"), ComplaintGo(a=ComplaintStep.cancel_confirmed))],
        [button(_("⬅️ No, continue the complaint"), ComplaintGo(a=ComplaintStep.resume))],
    ], menu=False)


def kind_keyboard() -> InlineKeyboardMarkup:
    return markup([
        [button(_("👤 I, as an individual"), ComplaintGo(a=ComplaintStep.kind_individual))],
        [button(_("🏢 An organisation (legal entity)"), ComplaintGo(a=ComplaintStep.kind_legal_entity))],
        cancel_row(),
    ], menu=False)


def typed_keyboard(step: str) -> InlineKeyboardMarkup:
    """Under a question answered by typing: the quick answers it has, and Cancel."""
    rows: Rows = []
    if step == "patronymic":
        rows.append([button(_("I have no patronymic"), ComplaintGo(a=ComplaintStep.no_patronymic))])
    if step == "outgoing_date":
        rows.append([button(_("Today"), ComplaintGo(a=ComplaintStep.today))])
    if step == "office_id":
        rows.append([button(_("🗺 Choose the region"), ComplaintGo(a=ComplaintStep.regions))])
    rows.append(cancel_row())
    return markup(rows, menu=False)


def offices_keyboard(offices: Iterable[tuple[str, str]], *, regions: bool = True) -> InlineKeyboardMarkup:
    """`offices` as (id, label); one a row. Then the way to the region list, and Cancel."""
    rows: Rows = [[button(label, ComplaintOffice(o=office_id))] for office_id, label in offices]
    if regions:
        rows.append([button(_("🗺 Choose the region"), ComplaintGo(a=ComplaintStep.regions))])
    rows.append(cancel_row())
    return markup(rows, menu=False)


def regions_keyboard(departments: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    rows = [[button(label, ComplaintRegion(d=dept_id))] for dept_id, label in departments]
    rows.append([button(_("🔎 Type the place instead"), ComplaintGo(a=ComplaintStep.office_search))])
    rows.append(cancel_row())
    return markup(rows, menu=False)


def categories_keyboard(categories: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    rows = [[button(label, ComplaintCategory(c=cat_id))] for cat_id, label in categories]
    rows.append(cancel_row())
    return markup(rows, menu=False)


def review_keyboard(fields: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    edits = [button("✏️ " + label, ComplaintEdit(f=field)) for field, label in fields]
    return markup([
        *pairs(edits),
        [button(_("➡️ Continue"), ComplaintGo(a=ComplaintStep.consent))],
        cancel_row(),
    ], menu=False)


def consent_keyboard(draft_id: str) -> InlineKeyboardMarkup:
    return markup([
        [button(_("✅ I agree — file the complaint"), ComplaintSubmit(d=draft_id))],
        [button(_("⬅️ Back to the review"), ComplaintGo(a=ComplaintStep.review))],
        cancel_row(),
    ], menu=False)


def talon_keyboard(compact: str) -> InlineKeyboardMarkup:
    """Under the talon: each button sends its screen below, so the talon itself is never replaced;
    the first copies the number with one tap (Telegram's copy button, nothing is sent to the bot)."""
    copy = InlineKeyboardButton(text=_("📋 Copy the talon number"),
                                copy_text=CopyTextButton(text=talon.format_talon(compact)))
    return markup([[copy],
                   [button(_("📂 My complaints"), TalonGo(a=TalonButton.mine))],
                   [button(_("🔎 Open this complaint"), TalonGo(a=TalonButton.open, t=compact))],
                   [button(_("☰ Main menu"), TalonGo(a=TalonButton.menu))]], menu=False)


def mine_keyboard(complaints: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    """`complaints` as (talon, label): one a row."""
    rows = [[button(label, MyComplaint(t=t))] for t, label in complaints]
    rows.append([button(_("📝 File a complaint"), ComplaintGo(a=ComplaintStep.new))])
    return markup(rows)


def citizen_complaint_keyboard(compact: str) -> InlineKeyboardMarkup:
    return markup([
        [button(_("🖼 The talon as a picture"), MyComplaint(t=compact, a=MyComplaintView.image))],
        [button(_("📂 My complaints"), ComplaintGo(a=ComplaintStep.mine))],
    ])


def _staff_markup(builder: InlineKeyboardBuilder) -> InlineKeyboardMarkup:
    """One button a row (staff labels are long in Kazakh), then the way back to the menu."""
    builder.adjust(1)
    builder.row(back_to_menu_button())
    return builder.as_markup()


def staff_keyboard(compact: str, actions: Iterable[tuple[str, str]], version: int) -> InlineKeyboardMarkup:
    """`actions` as (action, label), already filtered to what this staff member may do now to the
    complaint at `version`."""
    builder = InlineKeyboardBuilder()
    for action, label in actions:
        builder.button(text=label, callback_data=StaffAct(t=compact, action=Action(action), v=version))
    builder.button(text=_("📋 Queue"), callback_data=StaffAct(t="-", action=Action.queue))
    return _staff_markup(builder)


def queue_keyboard(talons: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for compact, label in talons:
        builder.button(text=label, callback_data=StaffAct(t=compact, action=Action.open))
    return _staff_markup(builder)


def back_to_card(compact: str) -> InlineKeyboardButton:
    return button(_("⬅️ Back to the complaint"), StaffAct(t=compact, action=Action.open))


def close_keyboard(compact: str, version: int) -> InlineKeyboardMarkup:
    """Close asks first, and whether the complaint was justified (Appendix 3, indicator 4.1)."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✅ Justified — close"), callback_data=StaffAct(t=compact, action=Action.justified,
                                                                       v=version))
    builder.button(text=_("❎ Not justified — close"),
                   callback_data=StaffAct(t=compact, action=Action.unjustified, v=version))
    builder.add(back_to_card(compact))
    builder.adjust(1)
    return builder.as_markup()


def forward_keyboard(compact: str, version: int, places: Iterable[tuple[str, str]], *,
                     regions: bool = True) -> InlineKeyboardMarkup:
    """Where to forward: `places` as (office or body id, label), then the regions, and back."""
    builder = InlineKeyboardBuilder()
    for place_id, label in places:
        builder.button(text=label, callback_data=StaffForwardTo(t=compact, v=version, to=place_id))
    if regions:
        builder.button(text=_("🗺 Choose the region"), callback_data=StaffForwardRegion(t=compact, v=version))
    builder.add(back_to_card(compact))
    builder.adjust(1)
    return builder.as_markup()


def forward_regions_keyboard(compact: str, version: int,
                             departments: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for dept_id, label in departments:
        builder.button(text=label, callback_data=StaffForwardRegion(t=compact, v=version, d=dept_id))
    builder.add(back_to_card(compact))
    builder.adjust(1)
    return builder.as_markup()


def preview_keyboard(compact: str) -> InlineKeyboardMarkup:
    """Under the preview of a typed answer or forwarding note: nothing is sent before "Send"."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("📤 Send"), callback_data=StaffAct(t=compact, action=Action.send))
    builder.button(text=_("✏️ Edit"), callback_data=StaffAct(t=compact, action=Action.edit))
    builder.button(text=_("✖ Cancel"), callback_data=StaffAct(t=compact, action=Action.drop))
    builder.adjust(1, 2)
    return builder.as_markup()
