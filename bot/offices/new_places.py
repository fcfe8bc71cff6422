"""Places formed after Appendix 1 (2013): districts and towns users name today that the directory
cannot know (Наурызбай district of Almaty, 2014; Байқоңыр and Нұра of Astana; Қаратау and Тұран of
Shymkent). Without them the search would offer the nearest-looking name of some other place.

Each place says the offices that served its territory in 2013 where a source says so
(`covered_by`), and else the offices of its town to offer (`offer`), with the directory's note that
it predates the place. Pure domain: built by tools/build_offices.py into data/offices.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.offices.search import compact, key


@dataclass(frozen=True)
class NewPlace:
    id: str
    name: Mapping[str, str]
    where: Mapping[str, str]
    formed: int
    aliases: tuple[str, ...]
    covered_by: tuple[str, ...]
    offer: tuple[str, ...]
    source: str

    @property
    def covered(self) -> bool:
        """Whether a source names the 2013 offices that served the place."""
        return bool(self.covered_by)


class NewPlaceIndex:
    """Whole-name lookup only: a new place is named exactly (any alphabet, with or without its
    type word), never found by a near spelling, since a near spelling is how misrouting starts."""

    def __init__(self, places: Iterable[NewPlace]):
        self._by_key: dict[str, NewPlace] = {}
        for place in places:
            for text in (*place.name.values(), *place.aliases):
                if k := compact(key(text)):
                    self._by_key.setdefault(k, place)

    def find(self, text: str) -> NewPlace | None:
        return self._by_key.get(compact(key(text)))
