"""Fill untranslated entries of both catalogs from a JSON file {msgid: {"kk": ..., "ru": ...}}.

A plural entry (keyed by its singular msgid) takes a list of forms: two for kk, three for ru.

For a developer after `make catalogs`: `python tools/fill_catalogs.py new.json`. The catalogs are read
and written with Babel, the way `pybabel update` writes them, so nothing else in them moves. Entries
that already have a translation are left alone; a msgid not in a catalog is an error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"


def fill(translations: dict[str, dict[str, str]]) -> list[str]:
    missing: list[str] = []
    for lang in ("kk", "ru"):
        path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as fp:
            catalog = read_po(fp, locale=lang)
        for msgid, texts in translations.items():
            message = catalog.get(msgid)
            if message is None:
                missing.append(f"{lang}: {msgid!r}")
            elif not any(message.string if isinstance(message.string, tuple) else [message.string]):
                text = texts[lang]
                message.string = tuple(text) if isinstance(text, list) else text
        with path.open("wb") as fp:
            write_po(fp, catalog, width=76, ignore_obsolete=True)
    return missing


if __name__ == "__main__":
    problems = fill(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    for line in problems:
        print(f"not in the catalog: {line}", file=sys.stderr)
    raise SystemExit(2 if problems else 0)
