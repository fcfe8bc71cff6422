"""The ruleset: the service standard as data (data/ruleset/*.toml), loaded once into frozen dataclasses.

The rules live in data files so that a lawyer can read them and a maintainer can add a later ruleset
by adding a file, without touching code. Reading is strict (bot.rules.schema); the types are in
bot.rules.model and re-exported here, so callers import everything from this module.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot import DATA_DIR, clock
from bot.rules.model import (
    LOCALES,
    WEEKDAYS,
    ApplicantRule,
    DaySchedule,
    Document,
    FeeRule,
    Ground,
    Hours,
    LegalBasis,
    Note,
    Option,
    OutcomeRule,
    Question,
    Ruleset,
    RulesetError,
    Terms,
    Text,
    Wording,
)
from bot.rules.schema import SCHEMA_VERSION, load_ruleset_file, parse_ruleset

__all__ = [
    "LOCALES",
    "RULESET_DIR",
    "SCHEMA_VERSION",
    "WEEKDAYS",
    "ApplicantRule",
    "DaySchedule",
    "Document",
    "FeeRule",
    "Ground",
    "Hours",
    "LegalBasis",
    "Note",
    "Option",
    "OutcomeRule",
    "Question",
    "Ruleset",
    "RulesetError",
    "Terms",
    "Text",
    "Wording",
    "list_rulesets",
    "load_ruleset",
    "load_ruleset_file",
    "parse_ruleset",
]

RULESET_DIR = DATA_DIR / "ruleset"


@lru_cache(maxsize=8)
def _all(directory: Path) -> dict[str, Ruleset]:
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise RulesetError(f"no ruleset files in {directory}")
    rulesets = [load_ruleset_file(p) for p in files]
    return {r.id: r for r in sorted(rulesets, key=lambda r: r.valid_from)}


def list_rulesets(directory: Path | None = None) -> list[Ruleset]:
    """Every ruleset in the folder, oldest first."""
    return list(_all(directory or RULESET_DIR).values())


def load_ruleset(ruleset_id: str | None = None, *, directory: Path | None = None) -> Ruleset:
    """A ruleset by id; without an id, the default: the latest one that has started by today.

    All files are loaded (and checked) together, once; later calls come from the cache.
    """
    rulesets = _all(directory or RULESET_DIR)
    if ruleset_id is not None:
        if ruleset_id not in rulesets:
            raise RulesetError(f"unknown ruleset {ruleset_id!r}; known: {', '.join(rulesets)}")
        return rulesets[ruleset_id]
    started = [r for r in rulesets.values() if r.valid_from <= clock.today()]
    return started[-1] if started else next(iter(rulesets.values()))
