"""data/complaints.toml is read strictly: every kind of mistake stops loading with one line naming the
file and the place, instead of a KeyError or a silently ignored key."""

import tomllib
from pathlib import Path

import pytest

from bot.complaints.terms import TERMS_FILE, TermsError, load_terms, parse_terms, read_terms


@pytest.fixture()
def raw() -> dict:
    return tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))


def test_the_shipped_file_reads_as_before(raw):
    terms = parse_terms(raw)
    assert terms == load_terms()
    assert terms.transitions[("answered", "in_review")] == frozenset({"department_supervisor", "admin"})
    assert terms.category("rude_service").short == {"kk": "Дөрекілік", "ru": "Грубость"}
    assert "көше" in terms.place_words and terms.limits["answer_max"] == 3000


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["answer_term"].update(dayz=15), "answer_term: unknown key 'dayz'"),
        (lambda r: r["limits"].pop("answer_max"), "limits: missing key 'answer_max'"),
        (lambda r: r.pop("transition"), "(top): missing key 'transition'"),
        (lambda r: r["answer_term"].update(days="15"), "answer_term.days: Input should be a valid integer"),
        (lambda r: r["limits"].update(text_min=0), "limits.text_min: Input should be greater than 0"),
        (
            lambda r: r["answer_term"].update(extended_days=10),
            "answer_term: extended_days (10) must not be below days (15)",
        ),
        (lambda r: r["category"][2].pop("ru"), "category[2]: missing key 'ru'"),
        (
            lambda r: r["category"][0]["short"].update(kk=" "),
            "category[0].short.kk: expected a non-empty string",
        ),
        (lambda r: r["status"][1].update(kk=""), "status[1].kk: expected a non-empty string"),
        (
            lambda r: r["category"][0].update(handled_by="committee"),
            "category[0].handled_by: Input should be 'office' or 'higher_management'",
        ),
        (lambda r: r["category"][1].update(ref="7.2"), "category[1].ref: String should match pattern"),
        (lambda r: r["category"][3].update(id="long_wait"), "category[3].id: duplicate id 'long_wait'"),
        (lambda r: r["status"][4].update(id="closed"), "status[4].id: duplicate id 'closed'"),
        (lambda r: r["status"][0].update(open="yes"), "status[0].open: Input should be a valid boolean"),
        (
            lambda r: r["transition"][2]["roles"].append("boss"),
            "transition[2].roles[3]: Input should be 'office_staff', 'department_supervisor' or 'admin'",
        ),
        (
            lambda r: r["transition"][0].update(roles=[]),
            "transition[0].roles: List should have at least 1 item",
        ),
        (lambda r: r["transition"][1].update(to="archived"), "transition[1].to: unknown status 'archived'"),
        (
            lambda r: r["transition"][3].update({"from": "draft"}),
            "transition[3].from: unknown status 'draft'",
        ),
        (
            lambda r: r["transition"].append(dict(r["transition"][0])),
            "transition[6]: a second transition from 'registered' to 'in_review'",
        ),
        (
            lambda r: r.update(status=[s for s in r["status"] if s["id"] != "forwarded"]),
            "status: missing the status 'forwarded' the bot uses",
        ),
        (
            lambda r: r.update(category=[c for c in r["category"] if c["id"] != "other"]),
            "category: missing the category 'other' the bot uses by default",
        ),
        (
            lambda r: r["address"].update(place_words=[]),
            "address.place_words: List should have at least 1 item",
        ),
    ],
)
def test_a_broken_file_stops_loading_with_one_line_naming_the_place(raw, mutate, message):
    mutate(raw)
    with pytest.raises(TermsError) as exc:
        parse_terms(raw)
    got = str(exc.value)
    assert got.startswith(f"complaints.toml: {message}"), got
    assert "\n" not in got


def test_unreadable_and_invalid_files(tmp_path: Path):
    with pytest.raises(TermsError, match=r"^complaints.toml: cannot read"):
        read_terms(tmp_path / "complaints.toml")
    broken = tmp_path / "complaints.toml"
    broken.write_text("[answer_term\n", encoding="utf-8")
    with pytest.raises(TermsError, match=r"^complaints.toml: not valid TOML"):
        read_terms(broken)
