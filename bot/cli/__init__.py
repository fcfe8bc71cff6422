"""The JSON command line: one module per command group, each exposing `register(subparsers)`.

Contract for every command: results as JSON on stdout; bad input exits 2 with one line on stderr
and nothing on stdout; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any

from bot.storage.engine import StorageError

# Each name is a module of bot.cli with `register(subparsers)`; its parsers set `func(args) -> int`.
COMMAND_MODULES: tuple[str, ...] = (
    "db", "run", "webhook", "complaints", "staff", "precheck", "fee", "hours", "offices", "indicators",
    "survey",
)


class UsageError(Exception):
    """Bad input from the caller: reported as one line on stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(f"{self.prog}: {message}")


def read_json(path: str) -> Any:
    """The JSON document in a file (`-`: standard input); unreadable or not JSON is a UsageError."""
    try:
        if path == "-":
            raw = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as fh:
                raw = fh.read()
        return json.loads(raw)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path} is not valid UTF-8 JSON: {exc}") from None


def emit(obj: Any) -> None:
    """Print one JSON document (UTF-8, not ASCII-escaped: Kazakh and Russian stay readable)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"bot.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(str(exc).splitlines()[0] if str(exc) else "bad input", file=sys.stderr)
        return 2
    except (StorageError, OSError) as exc:  # DATABASE_URL: a folder, no database, no access, no server
        print(f"cannot use the database DATABASE_URL names: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
