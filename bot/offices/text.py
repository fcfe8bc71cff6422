"""Fold Kazakh, Russian and Latin spellings of a place name into one comparable ASCII key.

People type "Қонаев", "Конаев", "Qonaev" or "Konaev" for the same town, "Шымкент" or "shymkent",
"Усть-Каменогорск" or "Ust-Kamenogorsk". Both alphabets are transliterated to a plain Latin form
and the Latin variants are folded (q→k, gh→g, j→zh, diacritics dropped) so that all of these meet.
The fold is deliberately lossy: it is for matching, never for display.
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "і": "i", "к": "k", "қ": "k", "л": "l", "м": "m",
    "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
# Latin letters of the Kazakh 2021 alphabet and common ad-hoc spellings, folded to the same keys.
_LATIN = {"ş": "sh", "ç": "ch", "ğ": "g", "ı": "y", "ñ": "n"}
_LATIN_FOLDS = (("dzh", "zh"), ("j", "zh"), ("q", "k"), ("gh", "g"), ("ng", "n"), ("w", "v"), ("x", "kh"))


def to_latin(text: str) -> str:
    """Transliterate Cyrillic (Kazakh and Russian) letters to Latin; other characters stay."""
    out = []
    for ch in text:
        low = ch.lower()
        lat = _CYRILLIC.get(low)
        if lat is None:
            out.append(ch)
        elif ch != low and lat:
            out.append(lat[0].upper() + lat[1:])
        else:
            out.append(lat)
    return "".join(out)


def fold(text: str) -> str:
    """The matching key: lower-case ASCII words separated by single spaces."""
    s = to_latin(text.lower())
    s = "".join(_LATIN.get(ch, ch) for ch in s)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    for old, new in _LATIN_FOLDS:
        s = s.replace(old, new)
    return " ".join(re.findall(r"[a-z0-9]+", s))
