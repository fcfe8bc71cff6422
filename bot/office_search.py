"""Find offices by what people type: a town, a district, a region, old or new names, any alphabet.

Every office is indexed under its settlement (kk, ru), its aliases (today's names, old names, other
spellings, new regions) and, weaker, the distinctive words of its name. Query and keys are folded to
one Latin form (bot.office_text.fold), lose settlement- and district-type words ("қаласы", "г.",
"ауданы" ...), Russian adjective endings ("Аккольский" → "akkol") and spaces ("Усть-Каменогорск" =
"Устькаменогорск"). Whole names are compared, never a word inside a longer one, so "Kokshetau" does
not find Шет or Көксу. Scores, 0–100:
  100  an exact place key (98 if the key names a district, so the district's town ranks first),
   92  a place key starting with the query, 90 a query whose first words are a place key,
  ≤88  a fuzzy place match (typos), ≤80 a fuzzy match of a distinctive word of the office's name.
Results under MIN_SCORE or more than BEST_MARGIN below the best are dropped.
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
MIN_WORD = 4
COMMON_WORD_OFFICES = 3  # a name word found in more offices' names than this is not searched
MIN_SCORE = 68.0
BEST_MARGIN = 15.0  # results weaker than the best by more than this are noise ("Уральск" → Аральск)


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
    """Place keys and name words of a sequence of offices (anything with settlement/aliases/name)."""

    def __init__(self, offices: Iterable):
        self._offices = list(offices)
        self._places: dict[str, set[int]] = defaultdict(set)
        self._exact: dict[tuple[str, int], float] = {}
        words: dict[str, set[int]] = defaultdict(set)
        for i, office in enumerate(self._offices):
            for text in (*office.settlement.values(), *office.aliases):
                if k := compact(key(text)):
                    self._places[k].add(i)
                    score = 98.0 if DISTRICT_WORDS & set(fold(text).split()) else 100.0
                    self._exact[k, i] = max(score, self._exact.get((k, i), 0.0))
            for text in office.name.values():
                for word in key(text).split():
                    words[word].add(i)
        # Words shared by many names ("ishki", "ister", "otdel", a region's name) say nothing.
        self._words = {w: ids for w, ids in words.items()
                       if len(w) >= MIN_WORD and len(ids) <= COMMON_WORD_OFFICES}
        self._place_keys = list(self._places)
        self._word_keys = list(self._words)

    def scores(self, text: str) -> dict:
        """Office → best score for the query; empty for a blank query or no match. Only scores of
        at least MIN_SCORE and within BEST_MARGIN of the best one are kept."""
        q = key(text)
        qc = compact(q)
        if not qc:
            return {}
        best: dict[int, float] = {}

        def hit(indices: set[int], score: float) -> None:
            for i in indices:
                if score > best.get(i, 0.0):
                    best[i] = score

        for k, indices in self._places.items():
            if k == qc:
                for i in indices:
                    hit({i}, self._exact[k, i])
            elif len(qc) >= MIN_PREFIX and k.startswith(qc):
                hit(indices, 92.0)
        for end in (j for j, ch in enumerate(q) if ch == " "):  # "Кокшетау, ул. Абая"
            if (k := compact(q[:end])) in self._places:
                hit(self._places[k], 90.0)
        for k, score, _ in process.extract(qc, self._place_keys, scorer=fuzz.ratio,
                                           score_cutoff=FUZZY_PLACE_CUTOFF, limit=None):
            hit(self._places[k], round(score * 0.88, 1))
        for word in q.split():
            for k, score, _ in process.extract(word, self._word_keys, scorer=fuzz.ratio,
                                               score_cutoff=FUZZY_NAME_CUTOFF, limit=None):
                hit(self._words[k], round(score * 0.80, 1))
        if not best:
            return {}
        floor = max(MIN_SCORE, max(best.values()) - BEST_MARGIN)
        return {self._offices[i]: s for i, s in best.items() if s >= floor}


def compact(k: str) -> str:
    """A key without spaces: "Усть-Каменогорск", "Устькаменогорск" and "Ust Kamenogorsk" meet."""
    return k.replace(" ", "")
