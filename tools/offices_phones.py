"""Give each office's phones their area code with libphonenumber's geocoding data (build time only).

Appendix 1 writes local numbers only ("4-17-98"), which no phone can dial from another town. The PyPI
package `phonenumbers` ships Google's geocoding data (Apache-2.0): national prefixes of Kazakhstan
("7102", "71031", "727") with the place they serve, in Russian, often a district ("Шетский р-н") and
partly Soviet-era ("Капчагай"). A town is matched to it by its Russian name, its Latin form and the
districts its offices are named after, among the prefixes of its region only (`area_codes` in
offices_regions.toml). A single match by the town's own name or its one district is taken; any other
case must be settled in tools/data/offices_phones.toml with a `review` note.

A Kazakh national number has 10 digits: area code + local number. So a local number of n digits takes
the code of 10 − n digits, which the matched prefix must hold (and the full number must start with the
prefix); otherwise the number stays without a code: a wrong code is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NATIONAL_DIGITS = 10
CODE_LENGTHS = (3, 4, 5)


@dataclass(frozen=True)
class Prefix:
    """A national prefix ("7102") and the place the geocoding data names for it."""

    digits: str
    ru: str
    en: str


@dataclass(frozen=True)
class CodeMatch:
    """How a town was matched: "town" (its own name), "district" (its office's district), or
    "ambiguous" / "none"; `prefixes` are the candidates."""

    kind: str
    prefixes: tuple[Prefix, ...]


def _norm(text: str) -> str:
    return re.sub(r"[^a-zа-я0-9]+", "", text.lower().replace("ё", "е"))


def load_prefixes() -> list[Prefix]:
    """Kazakhstan's prefixes (+7 7…) in the geocoding data shipped by `phonenumbers`."""
    from phonenumbers.geodata import GEOCODE_DATA  # build-time dependency only

    found = []
    for key, names in GEOCODE_DATA.items():
        # region-wide catch-alls ("Атырауская область") name no town
        if key.startswith("77") and "ru" in names and not names["ru"].endswith("область"):
            found.append(Prefix(key[1:], names["ru"], names.get("en", "")))
    return sorted(found, key=lambda p: p.digits)


def district_places(name_ru: str) -> list[str]:
    """The geocoding data's form of the districts an office's Russian name is of: "Отдел внутренних
    дел Курмангазинского района" → "Курмангазинский р-н"; "района Магжана Жумабаева" → "Магжана
    Жумабаева р-н"; "района имени Габита Мусрепова" → "Габита Мусрепова р-н"."""
    found = [f"{m[1]}ий р-н" for m in re.finditer(r"(\S+?)ого района", name_ru)]
    found += [f"{m[1]} р-н" for m in re.finditer(r"района (?:имени )?(\S+ \S+)$", name_ru)]
    return found


def match_town(town_names: list[str], districts: list[str], prefixes: list[Prefix]) -> CodeMatch:
    """The town's own name first (Russian, or the Latin form; a town may hold several prefixes,
    like Almaty's 7272/7273/7279), then its offices' districts (one prefix, else ambiguous)."""
    wanted = {_norm(n) for n in town_names if n}
    hits = tuple(p for p in prefixes
                 if wanted & ({_norm(part) for part in re.split(r"[/,]", p.ru)} | {_norm(p.en)}))
    if hits:
        return CodeMatch("town", hits)
    wanted_districts = {_norm(d) for d in districts}
    hits = tuple(p for p in prefixes if _norm(p.ru) in wanted_districts)
    if len(hits) == 1:
        return CodeMatch("district", hits)
    return CodeMatch("ambiguous" if hits else "none", hits)


def dial_any(local: str, prefixes: tuple[Prefix, ...]) -> tuple[str | None, set[str]]:
    """The number dialled with the one code the town's prefixes give it (Almaty's 7272/7273/7279
    all give 727 + seven digits), else None, with every distinct candidate (several = a conflict)."""
    found = {e for p in prefixes if (e := dial(local, p.digits))}
    return (next(iter(found)) if len(found) == 1 else None), found


def dial(local: str, prefix: str) -> str | None:
    """"+7" and the 10 digits, when the local number completes the prefix's code to 10 digits and
    starts with what the prefix holds beyond the code; else None."""
    digits = re.sub(r"\D", "", local)
    code_length = NATIONAL_DIGITS - len(digits)
    if code_length not in CODE_LENGTHS or len(prefix) < code_length:
        return None
    national = prefix[:code_length] + digits
    return f"+7{national}" if national.startswith(prefix) else None


def is_valid(e164: str) -> bool:
    """libphonenumber's own check of the full number (length and numbering plan of KZ)."""
    import phonenumbers  # build-time dependency only

    return phonenumbers.is_valid_number(phonenumbers.parse(e164))
