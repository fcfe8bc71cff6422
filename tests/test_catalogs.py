"""Both catalogs are complete and safe: every msgid of the code, translated, no fuzzy, same placeholders."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.telegram.locale import LOCALES_DIR, ProjectI18n, compile_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = {"kk": 2, "ru": 3}  # plural forms each language needs
KEYWORDS = {"_": None, "__": None, "N_": None, "ngettext": (1, 2), "lazy_gettext": None,
            "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")


def load(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        return read_po(fp)


def ids(catalog: Catalog) -> set:
    return {m.id for m in catalog if m.id}


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return {locale: load(locale) for locale in LOCALES}


def test_both_catalogs_hold_the_same_msgids(catalogs):
    assert ids(catalogs["kk"]) == ids(catalogs["ru"])


@pytest.mark.parametrize("locale", LOCALES)
def test_every_entry_translated_and_none_fuzzy(catalogs, locale):
    untranslated, fuzzy = [], []
    for message in catalogs[locale]:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == [], f"{len(untranslated)} untranslated in {locale}"
    assert fuzzy == [], f"fuzzy in {locale}"


@pytest.mark.parametrize(("locale", "forms"), LOCALES.items())
def test_plural_entries_have_every_form(catalogs, locale, forms):
    assert catalogs[locale].num_plurals == forms
    for message in catalogs[locale]:
        if message.id and message.pluralizable:
            assert len(message.string) == forms and all(message.string), message.id


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(catalogs, locale):
    for message in catalogs[locale]:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(PLACEHOLDER.findall(s) for s in source))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= wanted, (message.id, string)
            if len(strings) == 1 and "{" in "".join(source):
                assert set(PLACEHOLDER.findall(string)) == wanted, (message.id, string)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_compiles(locale):
    assert len(compile_po(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po")) > 100


def test_every_msgid_in_the_code_is_in_the_catalogs(catalogs):
    method_map = [("bot/**.py", "python"), ("handlers/**.py", "python")]
    in_code = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        in_code.add(message if isinstance(message, str) else message[0])
    in_catalog = {m if isinstance(m, str) else m[0] for m in ids(catalogs["kk"])}
    missing = sorted(in_code - in_catalog)
    assert missing == [], f"run `make catalogs` and translate: {missing[:5]}"


def test_a_missing_stale_or_broken_mo_falls_back_to_the_po(tmp_path):
    folder = tmp_path / "kk" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "messages.po"
    po.write_bytes((LOCALES_DIR / "kk" / "LC_MESSAGES" / "messages.po").read_bytes())
    expected = load("kk").get("Main menu").string
    assert ProjectI18n(path=tmp_path).gettext("Main menu", locale="kk") == expected  # no .mo
    mo = folder / "messages.mo"
    mo.write_bytes(b"\xde\x12\x04\x95")  # truncated, as while `make catalogs` writes it
    assert ProjectI18n(path=tmp_path).gettext("Main menu", locale="kk") == expected
    mo.write_bytes(compile_po(po))
    os.utime(po, (mo.stat().st_mtime + 10, mo.stat().st_mtime + 10))
    po.write_bytes(po.read_bytes().replace(expected.encode(), "ЖАҢА".encode()))
    os.utime(po, (mo.stat().st_mtime + 10, mo.stat().st_mtime + 10))
    assert ProjectI18n(path=tmp_path).gettext("Main menu", locale="kk") == "ЖАҢА"  # .po is newer
