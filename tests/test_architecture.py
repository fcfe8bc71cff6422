"""The rules of the house (docs/architecture.md), checked on the source so that a shortcut fails here.

- The domain (`bot/rules`, `bot/offices`, `bot/complaints`, `bot/visits`) imports neither aiogram nor
  storage, Telegram plumbing, handlers, Redis or a database driver: it can be read, tested and reused
  without a bot.
- Only `bot/storage/` speaks SQL or imports a database driver, in bot/, handlers/, tools/ and bench/
  alike (the benchmark's bulk loads live in bot/storage/bulk.py). `bot/testing/` needs no exemption.
  `tests/` is not checked: tests open the database behind the repositories on purpose (what a purge
  really deleted, a row as an older migration left it) to see what the code under test did.
  Redis is not a driver in this sense: bot/app.py and bot/telegram/ name its client type, and the client
  itself is opened in bot/storage/redis_client.py.
- `bot/storage/` knows nothing of handlers or Telegram plumbing (aiogram only for the FSM storage
  contract it implements).
- `handlers/` are routers: they never import a database driver.
- Text becomes Telegram HTML in one place: `bot/telegram/markup.py` (and aiogram.utils.formatting, which
  escapes its plain str children). No other module of handlers/ or bot/telegram/ imports `html` to escape
  by hand, so no screen can forget to.
- No module of bot/, handlers/, tools/ or bench/ over 400 lines.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ("bot/rules", "bot/offices", "bot/complaints", "bot/visits")
CODE = ("bot", "handlers", "tools", "bench")
DB_DRIVERS = ("aiosqlite", "asyncpg", "sqlite3", "psycopg", "psycopg2")
SQL_EXEMPT = ("bot/storage/",)
# SQL as this project writes it (keywords in capitals), so that English text ("Select a region") is no match.
SQL = re.compile(r"\b(SELECT\s+(\S.*?\sFROM|\d)\b|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                 r"(CREATE|ALTER|DROP)\s+(TABLE|INDEX)|TRUNCATE\s+\w+|PRAGMA\s+\w+|BEGIN\s+IMMEDIATE|VACUUM)\b",
                 re.S)
MAX_LINES = 400
HTML_EXEMPT = ("bot/telegram/markup.py",)


def _modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _package(path: Path) -> list[str]:
    """The package a module belongs to, from its path (for relative imports)."""
    return list(path.relative_to(ROOT).parts[:-1]) if path.is_relative_to(ROOT) else []


def _imports(path: Path, package: list[str] | None = None) -> set[str]:
    """Every module and imported name, relative imports resolved, imports inside functions included."""
    package = _package(path) if package is None else package
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                module = ".".join([*base, module] if module else base)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _hits(names: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes))


def _sql_strings(path: Path) -> list[int]:
    return [node.lineno for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)]


@pytest.mark.parametrize("path", _modules(*DOMAIN), ids=_rel)
def test_the_domain_is_pure(path: Path) -> None:
    bad = _hits(_imports(path), ("aiogram", "bot.storage", "bot.telegram", "handlers", "bot.app", "bot.cli",
                                 "redis", *DB_DRIVERS))
    assert not bad, f"{_rel(path)} imports {bad}: the domain stays free of Telegram and storage"


@pytest.mark.parametrize("path", [p for p in _modules(*CODE) if not _rel(p).startswith(SQL_EXEMPT)],
                         ids=_rel)
def test_only_storage_speaks_sql(path: Path) -> None:
    drivers = _hits(_imports(path), DB_DRIVERS)
    assert not drivers, f"{_rel(path)} imports {drivers}: database drivers belong to bot/storage"
    lines = _sql_strings(path)
    assert not lines, f"{_rel(path)} holds SQL on lines {lines}: it belongs to bot/storage"


@pytest.mark.parametrize("path", _modules("bot/storage"), ids=_rel)
def test_storage_knows_no_handlers(path: Path) -> None:
    bad = _hits(_imports(path), ("handlers", "bot.telegram", "bot.app", "bot.cli"))
    assert not bad, f"{_rel(path)} imports {bad}: storage serves the layers above, never the reverse"


@pytest.mark.parametrize("path", _modules("handlers"), ids=_rel)
def test_handlers_use_no_driver(path: Path) -> None:
    bad = _hits(_imports(path), ("redis", *DB_DRIVERS))
    assert not bad, f"{_rel(path)} imports {bad}: handlers reach data through bot.storage's repositories"


@pytest.mark.parametrize("path", [p for p in _modules("handlers", "bot/telegram")
                                  if _rel(p) not in HTML_EXEMPT], ids=_rel)
def test_one_place_escapes_html(path: Path) -> None:
    bad = _hits(_imports(path), ("html",))
    assert not bad, (f"{_rel(path)} imports {bad}: compose the screen with aiogram.utils.formatting or "
                     "bot.telegram.markup, which escape text for Telegram's HTML")


LOADERS = ("load_directory", "load_ruleset", "load_terms", "load_scope")


def _handlers_reaching_module_caches(path: Path) -> list[str]:
    """The event handlers (async `on_*` functions) of a module that call a data file's loader."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.AsyncFunctionDef) and node.name.startswith("on_"):
            calls = {c.func.id if isinstance(c.func, ast.Name) else getattr(c.func, "attr", "")
                     for c in ast.walk(node) if isinstance(c, ast.Call)}
            found += [f"{node.name} calls {name}()" for name in sorted(calls & set(LOADERS))]
    return found


@pytest.mark.parametrize("path", _modules("handlers"), ids=_rel)
def test_event_handlers_take_the_data_from_the_dispatcher(path: Path) -> None:
    """The ruleset, the directory and the terms reach a handler as Dispatcher data (its `ruleset`,
    `directory`, `terms` arguments), so a test or a second Dispatcher can give it others."""
    bad = _handlers_reaching_module_caches(path)
    assert not bad, f"{_rel(path)}: {bad}: take it as a handler argument (Dispatcher data)"


@pytest.mark.parametrize("path", _modules(*CODE), ids=_rel)
def test_modules_stay_short(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{_rel(path)} has {lines} lines (at most {MAX_LINES}): split it by concept"


PATH_IN_DOC = re.compile(r"`([\w.*-]+/[\w./*-]*)`")


def _doc_paths(text: str) -> list[str]:
    """The backticked paths of a page (`bot/app.py`, `data/surveys/*.toml`, `handlers/`)."""
    return PATH_IN_DOC.findall(text)


@pytest.mark.parametrize("page", ["docs/architecture.md", "DEVELOPERS.md"])
def test_the_pages_name_real_paths(page: str) -> None:
    """A path the layout pages name exists (a glob matches something): they follow the tree. A bare file
    name in a package's row of docs/architecture.md is looked up in the package that row names."""
    text = (ROOT / page).read_text(encoding="utf-8")
    missing = [p for p in _doc_paths(text) if not (any(ROOT.glob(p)) if "*" in p else (ROOT / p).exists())]
    for line in text.splitlines():
        row = re.match(r"\| `([\w/]+/)` \|", line)
        if row:
            missing += [f"{row[1]}{name}" for name in re.findall(r"`([\w/]+\.py)`", line)
                        if "/" not in name and not any((ROOT / row[1]).rglob(name))]
    assert len(_doc_paths(text)) > 10
    assert not missing, f"{page} names paths that do not exist: {missing}"


def test_the_rules_catch_a_shortcut(tmp_path: Path) -> None:
    """The checks themselves can fail: an aiogram import, a driver imported inside a function, a
    relative import of storage and a query are all found."""
    sample = tmp_path / "sample.py"
    sample.write_text("from aiogram import Bot\n"
                      "def f():\n    import asyncpg\n"
                      "Q = 'SELECT id FROM complaint'\n")
    names = _imports(sample)
    assert _hits(names, ("aiogram",)) == ["aiogram", "aiogram.Bot"]
    assert _hits(names, DB_DRIVERS) == ["asyncpg"]
    assert _sql_strings(sample) == [4]
    escaping = tmp_path / "escaping.py"
    escaping.write_text("from html import escape\nimport html\n")
    assert _hits(_imports(escaping), ("html",)) == ["html", "html.escape"]
    assert _package(ROOT / "bot" / "complaints" / "record.py") == ["bot", "complaints"]
    relative = tmp_path / "relative.py"
    relative.write_text("from ..storage import database\n")
    assert "bot.storage.database" in _imports(relative, package=["bot", "complaints"])
    assert all(SQL.search(q) for q in ("SELECT 1", "UPDATE outbox SET sent = TRUE", "PRAGMA user_version",
                                       "SELECT id\n  FROM complaint", "VACUUM (ANALYZE) complaint"))
    assert not any(SQL.search(t) for t in ("Select a region:", "Update the office data", "SELECTED"))
    assert _doc_paths("`bot/app.py`, `data/surveys/*.toml`, `python -m bot`, `handlers/`") == [
        "bot/app.py", "data/surveys/*.toml", "handlers/"]


def test_the_embedded_default_loads_no_server_driver(tmp_path: Path) -> None:
    """SQLite needs no server: the bot with its Dispatcher on SQLite never imports asyncpg or redis
    (they are imported when a postgresql:// or redis:// URL is opened), so it does not carry them."""
    import subprocess
    import sys

    code = ("import asyncio, sys\n"
            "from bot.app import build_dispatcher\n"
            "from bot.storage.database import Database\n"
            "from bot.testing.harness import harness_settings\n"
            "async def main():\n"
            f"    settings = harness_settings({str(tmp_path / 'bot.sqlite3')!r})\n"
            "    db = await Database.open(settings.database)\n"
            "    build_dispatcher(settings, db)\n"
            "    await db.close()\n"
            "asyncio.run(main())\n"
            "print(sorted(m for m in ('asyncpg', 'redis') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
