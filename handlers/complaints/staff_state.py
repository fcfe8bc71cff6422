"""The dialogue state of a staff member typing an answer or a forwarding note, shared by the staff
router and the citizen's complaint screens: opening any of those screens leaves the staff card, and
a half-typed answer must then be forgotten so that a later message is never taken for it.
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup

KEY = "staff_work"


class StaffWork(StatesGroup):
    """A staff member is typing the answer to a complaint (or where it was forwarded), then looks at
    the preview: nothing is stored or sent before "Send" is pressed on it."""

    typing = State()
    preview = State()


async def drop_pending(state: FSMContext) -> None:
    """Forget a pending answer or note; any other dialogue state is left alone."""
    if await state.get_state() in (StaffWork.typing.state, StaffWork.preview.state):
        await state.set_state(None)
        await state.update_data({KEY: None})
