"""One way to run SQL on either backend, chosen by DATABASE_URL: SQLite (aiosqlite, one connection,
the embedded default) or PostgreSQL (an asyncpg pool, shared by several replicas).

The repositories write SQL once, with `?` placeholders, in the subset both speak; the PostgreSQL
engine rewrites the placeholders to `$1..$n` (cached). Driver errors leave this package only as
`StorageError`, so no other module needs to import a driver.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

from bot.config import POSTGRES_SCHEMES, database_path, redacted

# aiosqlite logs every statement with its parameters at DEBUG: names, addresses and complaint texts.
# Those must never reach a log, whatever level the operator chooses for the rest.
logging.getLogger("aiosqlite").setLevel(logging.INFO)

Row = dict[str, Any]
# What the drivers raise: leaves this package only as StorageError. Connection failures of a pool
# (refused, reset) are OSErrors. asyncpg is imported only when a PostgreSQL URL is opened: the embedded
# default does not carry the driver's few megabytes.
SQLITE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, ConnectionError)


def driver_errors() -> tuple[type[BaseException], ...]:
    asyncpg = sys.modules.get("asyncpg")
    if asyncpg is None:
        return SQLITE_ERRORS
    return (*SQLITE_ERRORS, asyncpg.PostgresError, asyncpg.InterfaceError)


class StorageError(Exception):
    """The database cannot be opened or refused a statement: one line for the operator."""


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """A driver's error as StorageError (its first line), the driver's own kept as the cause."""
    try:
        yield
    except Exception as exc:
        if isinstance(exc, driver_errors()):
            raise StorageError(_first_line(exc)) from exc
        raise


class Session(Protocol):
    """Statements on one connection: inside a transaction, or each on its own (autocommit)."""

    dialect: str

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...
    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...
    async def fetch_val(self, sql: str, params: Sequence[Any] = ()) -> Any: ...
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...
    async def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class Engine(Session, Protocol):
    """A session of its own plus transactions; `durable` asks for an fsync at commit where it is a choice."""

    def transaction(self, *, durable: bool = True) -> contextlib.AbstractAsyncContextManager[Session]: ...
    async def execute_all(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> None: ...
    async def close(self) -> None: ...


def _on_worker(conn: sqlite3.Connection, sql: str, params: Sequence[Any], fetch: str) -> Any:
    """One statement start to end on aiosqlite's thread: its rows (`fetch` "one"/"all") or its row count."""
    cur = conn.execute(sql, params)
    try:
        if fetch == "one":
            return cur.fetchone()
        if fetch == "all":
            return cur.fetchall()
        return cur.rowcount
    finally:
        cur.close()


def _all_on_worker(conn: sqlite3.Connection, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """Statements in one transaction, on aiosqlite's thread (bot.storage.update_writes)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for sql, params in statements:
            conn.execute(sql, params).close()
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class _SqliteSession:
    """Each statement is one trip to aiosqlite's thread (`_on_worker`), not one per cursor call.

    aiosqlite's cursor makes a trip for execute, another for the fetch and another for close, and a trip
    (the hand-over to its thread and the wake-up of the loop) costs ~0.1 ms, far more than the statement
    itself; so the whole statement goes through aiosqlite's own queue (`Connection._execute`, which its
    cursor uses for each of those calls) as one function.
    """

    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def _run(self, sql: str, params: Sequence[Any], fetch: str) -> Any:
        with translated():
            return await self.conn._execute(_on_worker, self.conn._conn, sql, params, fetch)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row = await self._run(sql, params, "one")
        return dict(row) if row is not None else None

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return [dict(row) for row in await self._run(sql, params, "all")]

    async def fetch_val(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self._run(sql, params, "one")
        return None if row is None else row[0]

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return await self._run(sql, params, "count")

    async def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with translated():
            await self.conn.executemany(sql, rows)


class SqliteEngine(_SqliteSession):
    """One connection in WAL mode; writes one at a time on it (other processes wait on the file lock).

    Reads outside a transaction run at once; single writes and transactions take the lock, so a
    write never lands inside another coroutine's open transaction.
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path | None) -> None:
        super().__init__(conn)
        self.path = path
        self._tx_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> SqliteEngine:
        target = Path(path) if str(path) != ":memory:" else None
        try:
            if target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.is_dir():
                    raise StorageError(f"{target} is a folder, not a database file")
        except OSError as exc:
            raise StorageError(f"{target}: {exc.strerror or exc}") from None
        try:
            conn = await aiosqlite.connect(str(path), isolation_level=None)
        except sqlite3.Error as exc:
            await asyncio.sleep(0.05)  # aiosqlite stops its worker thread: let it finish while we run
            raise StorageError(f"{path}: {exc}") from None
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA busy_timeout=10000")  # first: other processes may hold the lock
            await conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL survives a crash of the process (dialogue state, handled updates); the writes
            # that must survive the machine too (complaints, staff, outbox) switch to FULL in transaction().
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:  # e.g. not a database: close, or its thread keeps the process alive
            await conn.close()
            raise StorageError(f"{path}: {exc}") from None
        return cls(conn, target)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self._tx_lock:  # never inside an open transaction of another coroutine
            return await super().execute(sql, params)

    @contextlib.asynccontextmanager
    async def transaction(self, *, durable: bool = True) -> AsyncIterator[Session]:
        """BEGIN IMMEDIATE … COMMIT under the lock; `durable`: synchronous=FULL, an fsync at COMMIT."""
        async with self._tx_lock:
            with translated():
                if durable:
                    await self.conn.execute("PRAGMA synchronous=FULL")
                try:
                    await self.conn.execute("BEGIN IMMEDIATE")
                    try:
                        yield _SqliteSession(self.conn)
                    except BaseException:
                        await self.conn.execute("ROLLBACK")
                        raise
                    await self.conn.execute("COMMIT")
                finally:
                    if durable:
                        await self.conn.execute("PRAGMA synchronous=NORMAL")

    async def execute_all(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Writes in one transaction and one trip to aiosqlite's thread (not fsynced: synchronous=NORMAL)."""
        async with self._tx_lock:
            with translated():
                await self.conn._execute(_all_on_worker, self.conn._conn, statements)

    async def close(self) -> None:
        await self.conn.close()


@lru_cache(maxsize=1024)
def to_numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1..$n` (our SQL has no `?` inside literals)."""
    count = 0

    def number(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"${count}"

    return re.sub(r"\?", number, sql)


def _rowcount(status: str) -> int:
    """The count at the end of a command tag ("UPDATE 3", "INSERT 0 1"); 0 when it has none."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class _PostgresSession:
    dialect = "postgresql"

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        with translated():
            row = await self.conn.fetchrow(to_numbered(sql), *params)
            return dict(row) if row is not None else None

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with translated():
            return [dict(row) for row in await self.conn.fetch(to_numbered(sql), *params)]

    async def fetch_val(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with translated():
            return await self.conn.fetchval(to_numbered(sql), *params)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with translated():
            return _rowcount(await self.conn.execute(to_numbered(sql), *params))

    async def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with translated():
            if rows:
                await self.conn.executemany(to_numbered(sql), rows)


class PostgresEngine:
    """A pool of connections; each statement outside a transaction takes one for itself."""

    dialect = "postgresql"

    def __init__(self, pool: Any, url: str) -> None:
        self.pool = pool
        self.url = url
        self.path: Path | None = None

    @classmethod
    async def open(cls, url: str, *, min_size: int = 1, max_size: int = 10) -> PostgresEngine:
        import asyncpg

        try:
            pool = await asyncpg.create_pool(url, min_size=min_size, max_size=max_size, timeout=10)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError, ValueError) as exc:
            raise StorageError(f"PostgreSQL at {redacted(url)} cannot be reached: {_first_line(exc)}"
                               ) from None
        return cls(pool, url)

    @contextlib.asynccontextmanager
    async def _session(self) -> AsyncIterator[_PostgresSession]:
        with translated():
            async with self.pool.acquire() as conn:
                yield _PostgresSession(conn)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        async with self._session() as session:
            return await session.fetch_one(sql, params)

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with self._session() as session:
            return await session.fetch_all(sql, params)

    async def fetch_val(self, sql: str, params: Sequence[Any] = ()) -> Any:
        async with self._session() as session:
            return await session.fetch_val(sql, params)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self._session() as session:
            return await session.execute(sql, params)

    async def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        async with self._session() as session:
            await session.execute_many(sql, rows)

    @contextlib.asynccontextmanager
    async def transaction(self, *, durable: bool = True) -> AsyncIterator[Session]:
        """A pooled connection's transaction (every commit is durable on PostgreSQL)."""
        with translated():
            async with self.pool.acquire() as conn, conn.transaction():
                yield _PostgresSession(conn)

    async def execute_all(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Writes in one transaction."""
        async with self.transaction() as tx:
            for sql, params in statements:
                await tx.execute(sql, params)

    async def close(self) -> None:
        await self.pool.close()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


async def open_engine(url: str | Path) -> SqliteEngine | PostgresEngine:
    """`sqlite:///path` (relative to the project, as bot.config reads it; `sqlite:////abs`), a bare
    path or `:memory:`, or `postgresql://user:pass@host:5432/db`."""
    text = str(url)
    if text.startswith(POSTGRES_SCHEMES):
        return await PostgresEngine.open(text)
    return await SqliteEngine.open(database_path(text) if text.startswith("sqlite:") else text)

