"""A formatted date ends with its own stop ("25 ноября 2026 г.", "25 қараша 2026 ж."): no template may
put another period right after it, and a cited sentence carries one bracket of paragraphs, not two."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from handlers.precheck.render import cite

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DATE_PLACEHOLDER_THEN_STOP = re.compile(r"\{(date|start|end|since|until|day)\}\.")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_translation_puts_a_period_after_a_date(lang):
    with open(LOCALES / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    bad = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and any(DATE_PLACEHOLDER_THEN_STOP.search(s or "") for s in strings):
            bad.append(message.id)
    assert bad == []


@pytest.mark.parametrize(
    ("text", "paragraph", "expected"),
    [
        ("родитель, попечитель или опекун (§11).", "§6", "родитель, попечитель или опекун (§11, §6)."),
        ("сотқа жүгінуге құқығыңыз бар (§23)", "§16", "сотқа жүгінуге құқығыңыз бар (§23, §16)."),
        ("the office (§13).", "§13", "the office (§13)."),
        ("the office.", "§13", "the office (§13)."),
        ("a note (see below) here.", "§8", "a note (see below) here (§8)."),
    ],
)
def test_cite_keeps_one_bracket_of_paragraphs(text, paragraph, expected):
    assert cite(text, paragraph) == expected
