"""Strict reading of a data file through a pydantic model, with the ruleset's one-line errors.

Data files are edited by hand: an unknown key is a typo that would silently drop a value, and a
missing kk or ru text would leave a reader without an answer. So models forbid extra keys, take no
type coercion, and a broken file stops loading with one line naming the file and the place inside it
(`questions[2].text.kk: missing key 'kk'`). The ruleset, the offices and every TOML file read so.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationError

from bot.rules.model import LOCALES

NonEmpty = Annotated[str, StringConstraints(pattern=r"\S")]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$")]

ModelT = TypeVar("ModelT", bound=BaseModel)


def shaped(pattern: str, expected: str) -> AfterValidator:
    """A pattern check that says what was expected, not the regular expression."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"expected {expected}, got {value!r}")
        return value
    return AfterValidator(check)


class StrictModel(BaseModel):
    """No unknown keys, no coercion ("5" is not 5), frozen once read."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class LocalText(StrictModel):
    """A text in both languages of the bot; read like the `{"kk": ..., "ru": ...}` tables elsewhere."""

    kk: NonEmpty
    ru: NonEmpty

    def __getitem__(self, locale: str) -> str:
        if locale not in LOCALES:
            raise KeyError(locale)
        return getattr(self, locale)

    def as_dict(self) -> dict[str, str]:
        return {"kk": self.kk, "ru": self.ru}


def place(loc: tuple[int | str, ...]) -> str:
    """('questions', 2, 'text') -> 'questions[2].text'; the top level is '(top)'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def one_line(error: ValidationError) -> str:
    """The first problem of a validation error as `place: what is wrong`."""
    first = error.errors(include_url=False)[0]
    loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and "[" in p))  # union branch tags
    kind, message = first["type"], first["msg"].removeprefix("Value error, ")
    if not loc:  # a whole-file check: its message starts with the place itself
        return message
    if kind == "missing":
        return f"{place(loc[:-1])}: missing key {loc[-1]!r}"
    if kind == "extra_forbidden":
        return f"{place(loc[:-1])}: unknown key {loc[-1]!r}"
    if kind == "model_type":  # a string or a list where a table of keys belongs
        return f"{place(loc)}: expected a table"
    if kind == "string_pattern_mismatch" and first.get("ctx", {}).get("pattern") == r"\S":
        return f"{place(loc)}: expected a non-empty string"
    return f"{place(loc)}: {message}"


def parse_model(model: type[ModelT], data: Mapping[str, Any], name: str, error: type[ValueError]) -> ModelT:
    """Validate parsed data; a problem raises `error` with one line: `name: place: what is wrong`."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise error(f"{name}: {one_line(exc)}") from None


def load_toml_model(model: type[ModelT], path: Path, error: type[ValueError]) -> ModelT:
    """Read and validate a TOML file; unreadable or invalid TOML is one line too."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise error(f"{path.name}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path.name}: not valid TOML: {exc}") from None
    return parse_model(model, data, path.name, error)
