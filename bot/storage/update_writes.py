"""The dialogue writes of one update and its handled mark, sent to SQLite in one trip when it ends.

A trip to aiosqlite's thread costs ~0.15 ms here, far more than a small statement; an answer in the
pre-check wrote the dialogue's state, its data and the update's handled mark in three trips, which were
most of what a step waited for. While an update is handled, bot.telegram.dedupe opens `UpdateWrites`
(only when this process alone owns the SQLite file, so the FSM storage's memory is the truth for every
read in between); the FSM storage (bot.storage.fsm) adds its writes here instead of running them, and
the handled mark (bot.storage.updates) closes the list: all of it in one transaction, one trip.

So a crash leaves all of an update or none of it: one cut short is handled again from the dialogue as
it was before it, and a finished one is never recorded without its dialogue. A failed trip raises
StorageError as a single write did, after the storage has forgotten its memory of those dialogues
(read afresh next time). A write made after the list closed (a task the handler started) runs at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from bot.storage.engine import PostgresEngine, SqliteEngine

_current: ContextVar[UpdateWrites | None] = ContextVar("update_writes", default=None)


class UpdateWrites:
    def __init__(self, engine: SqliteEngine | PostgresEngine) -> None:
        self.engine = engine
        self.statements: list[tuple[str, Sequence[Any]]] = []
        self._forget: list[Callable[[], object]] = []
        self.open = True

    def add(self, sql: str, params: Sequence[Any], *, forget: Callable[[], object]) -> None:
        """A write for the end of the update; `forget` drops what memory holds of it, should it fail."""
        self.statements.append((sql, params))
        self._forget.append(forget)

    async def commit(self, sql: str, params: Sequence[Any]) -> None:
        """Close the list and run it with (sql, params) last, in one transaction."""
        self.open = False
        try:
            await self.engine.execute_all([*self.statements, (sql, params)])
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """The update did not finish: nothing of it is written, and memory forgets what it held."""
        self.open = False
        for forget in self._forget:
            forget()
        self.statements.clear()
        self._forget.clear()


def collecting() -> UpdateWrites | None:
    """The open list of the update being handled, if any."""
    writes = _current.get()
    return writes if writes is not None and writes.open else None


@contextlib.contextmanager
def collected_in(writes: UpdateWrites | None) -> Iterator[None]:
    """Within this block (an update's handling), dialogue writes go to `writes` (none: at once)."""
    token = _current.set(writes)
    try:
        yield
    finally:
        _current.reset(token)
