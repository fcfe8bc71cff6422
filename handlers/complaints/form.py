"""The complaint's draft in the FSM and its steps: which step comes next, and how a step is asked.

The draft lives in the FSM data under "complaint" (JSON: the draft id, the fields given so far and the
step awaiting an answer), so it survives a restart. The next step is always "the first field still
missing", which makes editing from the review screen and changing the kind of complainant the same
thing as answering. Shared by the handlers of the form (handlers.complaints.citizen).
"""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot import clock
from bot import complaints as domain
from bot.complaints.draft import next_step
from bot.formatting import pick
from bot.offices.directory import Directory, load_directory
from bot.telegram.screen import replace_or_send
from handlers.complaints import keyboards as kb
from handlers.complaints import render
from handlers.menu import send_menu

KEY = "complaint"


class Complain(StatesGroup):
    """While a complaint is being written, typed text answers its current step."""

    active = State()


async def load_draft(state: FSMContext) -> dict[str, Any] | None:
    draft = (await state.get_data()).get(KEY)
    return draft if isinstance(draft, dict) and isinstance(draft.get("fields"), dict) else None


async def save_draft(state: FSMContext, draft: dict[str, Any] | None) -> None:
    await state.update_data({KEY: draft})


async def show_screen(event: Message | CallbackQuery, text: str,
                      keyboard: InlineKeyboardMarkup | None) -> None:
    """A new message in answer to typing; the pressed message edited in answer to a button."""
    if isinstance(event, CallbackQuery):
        await replace_or_send(event, text, keyboard)
    else:
        await event.answer(text, reply_markup=keyboard)


async def show_step(event: Message | CallbackQuery, draft: dict[str, Any], step: str,
                    prefix: str = "") -> None:
    """Ask for `step` (or show the review), after an optional line such as why an answer was refused."""
    fields = draft["fields"]
    if step == "consent":  # the consent is given by a button only: asked again, it starts at the review
        step = "review"
    draft["step"] = step
    head = f"{prefix}\n\n" if prefix else ""
    if step == "kind":
        await show_screen(event, head + render.kind_prompt(), kb.kind_keyboard())
    elif step == "category":
        categories = [(c.id, pick(c.label)) for c in domain.load_terms().categories]
        await show_screen(event, head + render.category_prompt(), kb.categories_keyboard(categories))
    elif step == "review":
        office = load_directory().get(fields.get("office_id") or "")
        labels = [(f, str(render.FIELD_LABELS[f])) for f in render.review_fields(fields.get("kind"))]
        await show_screen(event, head + render.review_text(fields, office), kb.review_keyboard(labels))
    else:
        prompt = render.field_prompt(step, fields.get("kind"))
        await show_screen(event, head + prompt, kb.typed_keyboard(step))


async def advance(event: Message | CallbackQuery, state: FSMContext, draft: dict[str, Any],
                  prefix: str = "") -> None:
    step = next_step(draft["fields"])
    await show_step(event, draft, step, prefix)
    await state.set_state(Complain.active)
    await save_draft(state, draft)


def is_started(draft: dict[str, Any] | None) -> bool:
    """A draft holding something the citizen gave (beyond the channel, which the bot sets)."""
    return draft is not None and any(field != "channel" for field in draft["fields"])


async def answer_stale(callback: CallbackQuery, callback_answer: CallbackAnswer, state: FSMContext,
                 draft: dict[str, Any] | None) -> None:
    """A button of a finished or different step: say so, and show the current step, else the menu."""
    callback_answer.text = render.stale_text()
    if draft is not None:
        await show_step(callback, draft, draft.get("step") or next_step(draft["fields"]))
        await save_draft(state, draft)
    elif callback.message is not None:
        await send_menu(callback.message)


def problems_of(fields: dict[str, Any], directory: Directory) -> list[domain.Problem]:
    """What the draft still lacks or gets wrong (§24), first problem first."""
    draft = domain.Draft(**{k: fields.get(k) for k in domain.TEXT_FIELDS})
    return domain.validate(draft, lambda oid: directory.get(oid) is not None, clock.today())[1]
