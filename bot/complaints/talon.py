"""Talon numbers for complaints (§25, Appendix 4): short, read aloud safely, self-checking.

A talon looks like ``K4D-3C7-7``: six symbols and a check symbol from this 19-symbol alphabet::

    3 4 6 7 9 A C D E F H J K M P T W X Y

Why these symbols:
- Visual look-alikes are gone: 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V.
- The talon is read over the phone by people who read Latin letters the Cyrillic way. So every
  Latin letter whose Cyrillic twin *sounds* like another Latin letter keeps only one side: H stays
  (Cyrillic "эн") and N goes; P stays ("эр") and R goes; Y stays ("у") and U goes; C stays ("эс")
  and S is gone anyway.
- Ten of the letters (A C E H K M P T X Y) exist on a Kazakh or Russian keyboard as Cyrillic twins;
  `parse` maps them back, so a citizen need not switch the layout.
- 19 is prime, which the check character needs.

The check character is a pure system modulo 19 (the construction of ISO 7064's pure systems, with
weights 1..7 instead of powers of a radix): with symbol values v and weights w counted from the
right (the check character has weight 1), sum(w·v) ≡ 0 (mod 19). Every weight is non-zero and any
two differ by less than 19, so the sum changes under any single wrong character, any swap of two
characters (neighbours or not), and any twin error (aa → bb). Proved exhaustively in the tests.

The six data characters are not the sequence number itself but an affine bijection of it modulo
19⁶: distinct sequence numbers give distinct talons, while two talons issued one after another
differ in most places, so neighbours are not confused and the count of complaints is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "34679ACDEFHJKMPTWXY"
BASE = len(ALPHABET)  # 19, prime
DATA_LENGTH = 6
CAPACITY = BASE**DATA_LENGTH  # 47 045 881 talons before the format must grow
_MULTIPLIER = 20_160_127  # not a multiple of 19, hence invertible modulo 19**6
_OFFSET = 9_731_512
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}

# What a person may type instead of a talon symbol: lower case is folded first, then these.
_LOOKALIKES = {
    # Cyrillic twins of Latin letters (Kazakh and Russian keyboards).
    "А": "A", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "Р": "P", "Т": "T", "Х": "X",
    "У": "Y", "Ү": "Y", "Қ": "K", "Һ": "H", "Д": "D", "Ф": "F",
    # Cyrillic letters that look like digits.
    "З": "3", "Ч": "4",
}
_SEPARATORS = frozenset(" -‐‑‒–—_.·/\t№#")
_NEVER_USED = frozenset("0O1IL2Z5S8BGUVNRQ")


@dataclass(frozen=True)
class Malformation:
    """Why the text is malformed, for the caller to phrase (`length` or `character`).

    `detail` is the length counted without separators, or the first stray character as it was typed
    (a lower-case "l" is not reported as "L")."""

    reason: str
    detail: str


class TalonError(ValueError):
    """The typed text is not a valid talon number."""


class TalonMalformed(TalonError):
    """Wrong length or a character talons never contain; `problem` says which, for the caller to phrase."""

    def __init__(self, message: str, problem: Malformation) -> None:
        super().__init__(message)
        self.problem = problem


class TalonCheckFailed(TalonError):
    """Well formed, but the check character does not match: a character is mistyped."""


def check_character(data: str) -> str:
    """The check symbol for `data` (symbols of ALPHABET) so that the weighted sum is 0 mod 19."""
    total = sum(_VALUE[ch] * weight for weight, ch in enumerate(reversed(data), start=2))
    return ALPHABET[(-total) % BASE]


def is_valid(compact: str) -> bool:
    """Whether a compact talon (data + check, no separators) passes the check."""
    if not compact or any(ch not in _VALUE for ch in compact):
        return False
    return sum(_VALUE[ch] * w for w, ch in enumerate(reversed(compact), start=1)) % BASE == 0


def issue(sequence: int) -> str:
    """The compact talon for a sequence number (1, 2, …): unique for each, never repeating."""
    if not 1 <= sequence <= CAPACITY:
        raise ValueError(f"talon sequence {sequence} is outside 1..{CAPACITY}")
    value = (sequence * _MULTIPLIER + _OFFSET) % CAPACITY
    symbols = []
    for _ in range(DATA_LENGTH):
        value, digit = divmod(value, BASE)
        symbols.append(ALPHABET[digit])
    data = "".join(reversed(symbols))
    return data + check_character(data)


def format_talon(compact: str) -> str:
    """``K4D3C77`` → ``K4D-3C7-7``: groups of three are easier to read out and to copy."""
    return f"{compact[:3]}-{compact[3:6]}-{compact[6:]}"


def normalise(text: str) -> str:
    """Fold case, separators and Cyrillic look-alikes; the result may still be invalid."""
    out = []
    for ch in text.strip():
        if ch in _SEPARATORS:
            continue
        upper = ch.upper()
        out.append(_LOOKALIKES.get(upper, upper))
    return "".join(out)


def diagnose(text: str) -> Malformation | None:
    """Why `text` cannot be a talon at all, or None when it has the right shape.

    The length is judged first: "hello" is not a talon with a bad letter but not a talon at all.
    """
    typed = [ch for ch in text.strip() if ch not in _SEPARATORS]
    if len(typed) != DATA_LENGTH + 1:
        return Malformation("length", str(len(typed)))
    bad = [ch for ch in typed if normalise(ch) not in _VALUE]
    if bad:
        return Malformation("character", bad[0])
    return None


def parse(text: str) -> str:
    """The compact talon for what a person typed, or TalonMalformed / TalonCheckFailed."""
    problem = diagnose(text)
    if problem is not None:
        if problem.reason == "character":
            if normalise(problem.detail) in _NEVER_USED:
                raise TalonMalformed(f"character {problem.detail!r} is never used in talons: "
                                     "it is too easily mistaken for another", problem)
            raise TalonMalformed(f"character {problem.detail!r} is not used in talons", problem)
        raise TalonMalformed(f"a talon has {DATA_LENGTH + 1} characters, got {problem.detail}", problem)
    compact = normalise(text)
    if not is_valid(compact):
        raise TalonCheckFailed("the check character does not match: a character is mistyped")
    return compact
