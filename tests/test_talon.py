"""Talon numbers: the check character catches every single error and every swap, proved exhaustively."""

import itertools
from math import gcd

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.complaints import talon
from bot.complaints.talon import ALPHABET, BASE, CAPACITY, DATA_LENGTH

sequences = st.integers(min_value=1, max_value=CAPACITY)


def test_alphabet_is_prime_sized_and_free_of_lookalikes():
    assert BASE == 19 and all(BASE % d for d in range(2, BASE))
    assert len(set(ALPHABET)) == BASE
    for confusable in "0O1IL2Z5S8BGUVNRQ":
        assert confusable not in ALPHABET


def test_every_single_error_and_every_swap_in_all_short_codes():
    """All 19³ three-symbol codes with their check: no substitution or swap of two symbols passes."""
    for data in itertools.product(ALPHABET, repeat=3):
        code = "".join(data) + talon.check_character("".join(data))
        assert talon.is_valid(code)
        for pos, ch in itertools.product(range(len(code)), ALPHABET):
            if ch != code[pos]:
                assert not talon.is_valid(code[:pos] + ch + code[pos + 1:]), (code, pos, ch)
        for i, j in itertools.combinations(range(len(code)), 2):
            if code[i] != code[j]:
                swapped = list(code)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                assert not talon.is_valid("".join(swapped)), (code, i, j)


def test_weights_of_full_length_talons_detect_everything():
    """The sum is linear, so detection depends only on weights: check every weight and difference."""
    weights = range(1, DATA_LENGTH + 2)
    for w in weights:
        assert all((w * d) % BASE for d in range(1, BASE))
    for a, b in itertools.combinations(weights, 2):
        assert all(((a - b) * d) % BASE for d in range(1, BASE))  # any swap
        assert all(((a + b) * d) % BASE for d in range(1, BASE))  # twin errors aa -> bb


@given(sequences, st.integers(0, DATA_LENGTH), st.integers(1, BASE - 1))
def test_single_substitution_is_caught(seq, pos, shift):
    code = talon.issue(seq)
    wrong = ALPHABET[(ALPHABET.index(code[pos]) + shift) % BASE]
    assert not talon.is_valid(code[:pos] + wrong + code[pos + 1:])
    with pytest.raises(talon.TalonCheckFailed):
        talon.parse(code[:pos] + wrong + code[pos + 1:])


@given(sequences, st.integers(0, DATA_LENGTH - 1))
def test_neighbour_swap_is_caught(seq, pos):
    code = talon.issue(seq)
    swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2:]
    assert talon.is_valid(code)
    assert swapped == code or not talon.is_valid(swapped)


def _sequence_of(code: str) -> int:
    value = 0
    for ch in code[:DATA_LENGTH]:
        value = value * BASE + ALPHABET.index(ch)
    return ((value - talon._OFFSET) * pow(talon._MULTIPLIER, -1, CAPACITY)) % CAPACITY


@given(sequences)
def test_issue_is_a_bijection(seq):
    assert gcd(talon._MULTIPLIER, CAPACITY) == 1
    code = talon.issue(seq)
    assert len(code) == DATA_LENGTH + 1 and talon.is_valid(code)
    assert _sequence_of(code) == seq % CAPACITY


def test_first_hundred_thousand_are_distinct_and_neighbours_differ():
    codes = [talon.issue(n) for n in range(1, 100_001)]
    assert len(set(codes)) == len(codes)
    assert all(sum(a != b for a, b in zip(x, y, strict=True)) >= 3 for x, y in itertools.pairwise(codes))


def test_sequence_outside_capacity_is_refused():
    for bad in (0, -1, CAPACITY + 1):
        with pytest.raises(ValueError):
            talon.issue(bad)


@given(sequences)
def test_format_and_parse_round_trip(seq):
    code = talon.issue(seq)
    shown = talon.format_talon(code)
    assert shown.count("-") == 2 and shown.replace("-", "") == code
    assert talon.parse(shown) == code
    assert talon.parse(" " + shown.lower().replace("-", " ") + " ") == code


def test_cyrillic_twins_typed_on_a_kazakh_keyboard_are_accepted():
    code = next(c for c in map(talon.issue, range(1, 5000)) if set(c) & set("KMXTPAEC") and "H" in c)
    cyr = code.translate(str.maketrans("ACEHKMPTXY", "АСЕНКМРТХУ"))
    assert cyr != code
    assert talon.parse(cyr) == code
    assert talon.parse(cyr.lower()) == code
    assert talon.parse("№ " + talon.format_talon(cyr)) == code


def test_malformed_is_told_apart_from_a_check_failure():
    code = talon.issue(42)
    with pytest.raises(talon.TalonMalformed, match="7 characters, got 6"):
        talon.parse(code[:-1])
    with pytest.raises(talon.TalonMalformed, match="'O'.*never"):
        talon.parse("O" + code[1:])
    with pytest.raises(talon.TalonMalformed, match="'Ж'"):
        talon.parse("Ж" + code[1:])
    with pytest.raises(talon.TalonMalformed):
        talon.parse("")
    assert talon.diagnose(code) is None
    assert talon.diagnose(code + "3").reason == "length"
    assert talon.diagnose("1" + code[1:]).reason == "character"
    assert talon.diagnose("hello") == talon.Malformation("length", "5")
    assert talon.diagnose("l" + code[1:]) == talon.Malformation("character", "l")
    wrong = code[:2] + ALPHABET[(ALPHABET.index(code[2]) + 1) % BASE] + code[3:]
    with pytest.raises(talon.TalonCheckFailed):
        talon.parse(wrong)
