"""Only bot/storage speaks to a database driver: every other module works through its repositories."""

import ast
from pathlib import Path

from bot import PROJECT_ROOT

DRIVERS = {"sqlite3", "aiosqlite", "asyncpg"}


def test_no_module_outside_storage_imports_a_driver():
    offenders = []
    for package in ("bot", "handlers"):
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            if Path("bot/storage") in path.relative_to(PROJECT_ROOT).parents:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                offenders += [f"{path.relative_to(PROJECT_ROOT)}: {n}" for n in names
                              if n.split(".")[0] in DRIVERS]
    assert offenders == []

