"""The dialogue state of a staff member choosing where to forward, typing an answer or a forwarding
note, shared by the staff routers and the citizen's complaint screens: opening any of those screens
leaves the staff card, and a half-typed answer must then be forgotten so that a later message is never
taken for it.
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup

KEY = "staff_work"


class StaffWork(StatesGroup):
    """A staff member is choosing where to forward a complaint (typing finds an office), or typing the
    answer (or why it is forwarded), then looks at the preview: nothing is stored or sent before "Send"
    is pressed on it."""

    forward_target = State()
    typing = State()
    preview = State()


async def drop_pending(state: FSMContext) -> None:
    """Forget a pending answer or note; any other dialogue state is left alone."""
    if await state.get_state() in (StaffWork.forward_target.state, StaffWork.typing.state,
                                   StaffWork.preview.state):
        await state.set_state(None)
        await state.update_data({KEY: None})
