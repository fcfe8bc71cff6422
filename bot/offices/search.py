"""Find offices by what people type: a town, a district, a region, old or new names, any alphabet.

Every office is indexed under its settlement (kk, ru), its aliases (today's names, old names, other
spellings, new regions), the district its name is of ("Жамбыл ауданының ... бөлімі", "... Жамбылского
района": so a district name finds that district's office in every region, whatever its town is called)
and, weaker, the distinctive words of its name. Query and keys are folded to one Latin form
(bot.offices.text.fold), lose the type words ("қаласы", "г.", "ауданы", "район", "облысы", "области"
...), Russian adjective endings ("Аккольский" → "akkol") and spaces ("Усть-Каменогорск" =
"Устькаменогорск"). Whole names are compared, never a word inside a longer one, so "Kokshetau" does
not find Шет or Көксу.

A type word is not thrown away, though: it says what kind of place is meant. Each key is a place
(a settlement or a plain alias), a district or a region, by the type word its text carries. A query
without a type word prefers places, then districts, then regions; a query with one ("Целиноград
ауданы", "Туркестанская область") prefers keys of that kind, and the other kinds only turn up when
nothing of the asked kind matches (their penalty is just over BEST_MARGIN). Scores, 0–100, before
that penalty:
  100  an exact key,
   92  a key starting with the query, 90 a query whose first words are a key,
  ≤88  a fuzzy key match (typos), ≤80 a fuzzy match of a distinctive word of the office's name.
Results under MIN_SCORE or more than BEST_MARGIN below the best are dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from bot.offices.text import fold

SETTLEMENT_WORDS = frozenset(
    "kalasy kalasynyn kala k g gor gorod goroda city town auyly auyl selo s village kenti p pos poselok pgt"
    .split()
)
DISTRICT_WORDS = frozenset("audan audany audanynyn audannyn rayon rayona raion district".split())
REGION_WORDS = frozenset("oblysy oblysynyn oblys obl oblast oblasti oblasty region".split())
TYPE_WORDS = SETTLEMENT_WORDS | DISTRICT_WORDS | REGION_WORDS
PLACE, DISTRICT, REGION = "place", "district", "region"
# Russian adjectives made from place names ("Аккольский район") lose their ending: "akkol".
ADJECTIVE_ENDINGS = ("skogo", "skaya", "skiy", "skoe", "skoy", "skij", "skii", "skoi")
# Words that end the district's name when read backwards from "ауданының" in a Kazakh office name:
# "Жітіқара қаласының және Жітіқара ауданының", "Шымкент қаласы ... басқармасының Еңбекші ауданы".
_NAME_BOUNDARY = frozenset("zhane ishki ister baskarmasynyn".split()) | SETTLEMENT_WORDS
_NAMED_AFTER = "atyndagy"  # "Ғабит Мүсірепов атындағы аудан"
DISTRICT_NAME_WORDS = 3
FUZZY_PLACE_CUTOFF = 80
FUZZY_NAME_CUTOFF = 86
MIN_PREFIX = 3
MIN_WORD = 4
COMMON_WORD_OFFICES = 3  # a name word found in more offices' names than this is not searched
MIN_SCORE = 68.0
# Below this a hit is a near spelling of some other name ("Наурызбай" → Наурзум, 70.5), not a typo
# of the place ("Кокшетав", "Kapshagai", "Экибастус": 78.2 and up): a guess, never a result.
MATCH_SCORE = 78.0
BEST_MARGIN = 15.0  # results weaker than the best by more than this are noise ("Уральск" → Аральск)
OTHER_KIND = BEST_MARGIN + 1.0  # a kind other than the one the query names: only when nothing else
# Without a type word in the query a place beats a district of that name, a district a region.
UNNAMED_KIND = {PLACE: 0.0, DISTRICT: 2.0, REGION: 5.0}


def key(text: str) -> str:
    """The folded form without type words (kept if nothing else is left), Russian place adjectives
    cut to their stem."""
    words = fold(text).split()
    kept = [w for w in words if w not in TYPE_WORDS] or words
    return " ".join(_stem(w) for w in kept)


def kind_of(text: str) -> str | None:
    """The kind of place a text names by its first type word ("ауданы" → district), else None."""
    for word in fold(text).split():
        if word in DISTRICT_WORDS:
            return DISTRICT
        if word in REGION_WORDS:
            return REGION
        if word in SETTLEMENT_WORDS:
            return PLACE
    return None


def penalty(kind: str, wanted: str | None) -> float:
    if wanted is None:
        return UNNAMED_KIND[kind]
    return 0.0 if kind == wanted else OTHER_KIND


def district_names(name: str) -> list[str]:
    """The districts an office's name is of, as keys: "Жамбыл ауданының ішкі істер бөлімі" and
    "Отдел внутренних дел Жамбылского района" both give "zhambyl"; "Катон-Карагайского" stays whole."""
    words = [fold(w) for w in name.split()]
    found = []
    for i, word in enumerate(words):
        if word not in DISTRICT_WORDS:
            continue
        before = [w for w in words[:i] if w]
        if word.startswith("rayon"):  # Russian: the adjective right before "района"
            if before and (stem := key(before[-1])) != before[-1]:
                found.append(stem)
            continue
        if before and before[-1] == _NAMED_AFTER:
            before = before[:-1]
        district: list[str] = []
        for w in reversed(before[-DISTRICT_NAME_WORDS:]):
            if w in _NAME_BOUNDARY:
                break
            district.insert(0, w)
        if district:
            found.append(" ".join(district))
    return found


def _stem(word: str) -> str:
    for ending in ADJECTIVE_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)]
    return word


class OfficeIndex:
    """Keys and name words of a sequence of offices (anything with settlement/aliases/name)."""

    def __init__(self, offices: Iterable):
        self._offices = list(offices)
        # key → office index → the kinds it is indexed as
        self._places: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        words: dict[str, set[int]] = defaultdict(set)
        for i, office in enumerate(self._offices):
            for text in (*office.settlement.values(), *office.aliases):
                if k := compact(key(text)):
                    self._places[k][i].add(kind_of(text) or PLACE)
            for text in office.name.values():
                for district in district_names(text):
                    self._places[compact(district)][i].add(DISTRICT)
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
        wanted = kind_of(text)
        best: dict[int, float] = {}

        def hit(k: str, score: float) -> None:
            for i, kinds in self._places[k].items():
                s = score - min(penalty(kind, wanted) for kind in kinds)
                if s > best.get(i, 0.0):
                    best[i] = s

        for k in self._place_keys:
            if k == qc:
                hit(k, 100.0)
            elif len(qc) >= MIN_PREFIX and k.startswith(qc):
                hit(k, 92.0)
        for end in (j for j, ch in enumerate(q) if ch == " "):  # "Кокшетау, ул. Абая"
            if (k := compact(q[:end])) in self._places:
                hit(k, 90.0)
        for k, score, _ in process.extract(qc, self._place_keys, scorer=fuzz.ratio,
                                           score_cutoff=FUZZY_PLACE_CUTOFF, limit=None):
            hit(k, round(score * 0.88, 1))
        for word in q.split():
            for k, score, _ in process.extract(word, self._word_keys, scorer=fuzz.ratio,
                                               score_cutoff=FUZZY_NAME_CUTOFF, limit=None):
                for i in self._words[k]:
                    best[i] = max(best.get(i, 0.0), round(score * 0.80, 1))
        if not best:
            return {}
        floor = max(MIN_SCORE, max(best.values()) - BEST_MARGIN)
        return {self._offices[i]: s for i, s in best.items() if s >= floor}


def compact(k: str) -> str:
    """A key without spaces: "Усть-Каменогорск", "Устькаменогорск" and "Ust Kamenogorsk" meet."""
    return k.replace(" ", "")
