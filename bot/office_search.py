"""Find offices by what people type: a town, a district, a region, old or new names, any alphabet.

Every office is indexed under its settlement (kk, ru), its aliases (today's names, old names, other
spellings, new regions) and, weaker, its full name. Query and keys are folded to one Latin form
(bot.office_text.fold), lose settlement- and district-type words ("қаласы", "г.", "ауданы" ...) and
Russian adjective endings ("Аккольский" → "akkol"). Scores, 0–100:
  100  an exact place key (98 if the key names a district, so the district's town ranks first),
   92  a place key starting with the query, 90 a query starting with a place key,
  ≤88  a fuzzy place match (typos), ≤80 a fuzzy match of the office's name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from bot.office_text import fold

SETTLEMENT_WORDS = frozenset(
    "kalasy kalasynyn kala g gor gorod city town auyly auyl selo s village kenti p pos poselok pgt".split()
)
DISTRICT_WORDS = frozenset("audany audanynyn rayon rayona raion district".split())
TYPE_WORDS = SETTLEMENT_WORDS | DISTRICT_WORDS
# Russian adjectives made from place names ("Аккольский район") lose their ending: "akkol".
ADJECTIVE_ENDINGS = ("skogo", "skaya", "skiy", "skoe", "skoy", "skij", "skii")
FUZZY_PLACE_CUTOFF = 80
FUZZY_NAME_CUTOFF = 86
MIN_PREFIX = 3


def key(text: str) -> str:
    """The folded form without settlement- and district-type words (kept if nothing else is left),
    Russian place adjectives cut to their stem."""
    words = fold(text).split()
    kept = [w for w in words if w not in TYPE_WORDS] or words
    return " ".join(_stem(w) for w in kept)


def _stem(word: str) -> str:
    for ending in ADJECTIVE_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)]
    return word


class OfficeIndex:
    """Place keys and name keys of a sequence of offices (anything with settlement/aliases/name)."""

    def __init__(self, offices: Iterable):
        self._offices = list(offices)
        self._places: dict[str, set[int]] = defaultdict(set)
        self._exact: dict[tuple[str, int], float] = {}
        self._names: dict[str, set[int]] = defaultdict(set)
        for i, office in enumerate(self._offices):
            for text in (*office.settlement.values(), *office.aliases):
                if k := key(text):
                    self._places[k].add(i)
                    score = 98.0 if DISTRICT_WORDS & set(fold(text).split()) else 100.0
                    self._exact[k, i] = max(score, self._exact.get((k, i), 0.0))
            for text in office.name.values():
                if k := key(text):
                    self._names[k].add(i)
        self._place_keys = list(self._places)
        self._name_keys = list(self._names)

    def scores(self, text: str) -> dict:
        """Office → best score for the query; empty for a blank query or no match."""
        q = key(text)
        if not q:
            return {}
        best: dict[int, float] = {}

        def hit(indices: set[int], score: float) -> None:
            for i in indices:
                if score > best.get(i, 0.0):
                    best[i] = score

        for k, indices in self._places.items():
            if k == q:
                for i in indices:
                    hit({i}, self._exact[k, i])
            elif len(q) >= MIN_PREFIX and k.startswith(q):
                hit(indices, 92.0)
            elif q.startswith(k + " "):
                hit(indices, 90.0)
        for k, score, _ in process.extract(q, self._place_keys, scorer=fuzz.WRatio,
                                           score_cutoff=FUZZY_PLACE_CUTOFF, limit=None):
            hit(self._places[k], round(score * 0.88, 1))
        for k, score, _ in process.extract(q, self._name_keys, scorer=fuzz.WRatio,
                                           score_cutoff=FUZZY_NAME_CUTOFF, limit=None):
            hit(self._names[k], round(score * 0.80, 1))
        return {self._offices[i]: s for i, s in best.items()}
