"""Russian names of Kazakhstan's days off: the `holidays` package has none (only kk, en_US and uk).

data/holidays_ru.toml maps the package's en_US names, and its labels for a holiday moved off a weekend,
a date not yet confirmed and a weekday swapped for a working Saturday, to Russian. A name the table
lacks gives None, so the bot says "a public holiday" rather than a name in the wrong language;
tests/test_holiday_names.py keeps the table complete for every year the bot covers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator

from bot import DATA_DIR
from bot.strict_data import NonEmpty, StrictModel, load_toml_model, parse_model

HOLIDAYS_RU_FILE = DATA_DIR / "holidays_ru.toml"
RU_DATE_FORMAT = "%d.%m.%Y"


class HolidayNamesError(ValueError):
    """data/holidays_ru.toml is malformed: one line naming the place."""


@dataclass(frozen=True)
class HolidayNames:
    names: Mapping[str, str]
    labels: tuple[tuple[re.Pattern[str], str], ...]
    substituted: re.Pattern[str]
    substituted_date_format: str
    substituted_ru: str

    def russian(self, english: str) -> str | None:
        """The Russian for one en_US name of the package, or None when the table does not know it."""
        if english in self.names:
            return self.names[english]
        if match := self.substituted.match(english):
            try:
                moved_from = datetime.strptime(match["inner"], self.substituted_date_format)
            except ValueError:
                return None
            return self.substituted_ru.format(date=moved_from.strftime(RU_DATE_FORMAT))
        for pattern, template in self.labels:
            if (match := pattern.match(english)) and match["inner"] in self.names:
                return template.format(name=self.names[match["inner"]])
        return None


def _label_pattern(label: str) -> re.Pattern[str]:
    if label.count("%s") != 1:
        raise ValueError(f"a label holds %s exactly once, got {label!r}")
    before, after = label.split("%s")
    return re.compile("^" + re.escape(before) + "(?P<inner>.+)" + re.escape(after) + "$")


def _template(text: str, field: str) -> str:
    try:
        text.format(**{field: "x"})
    except (KeyError, IndexError, ValueError):
        raise ValueError(f"only {{{field}}} may be filled in, got {text!r}") from None
    if "{" + field + "}" not in text:
        raise ValueError(f"must hold {{{field}}}")
    return text


class _Substituted(StrictModel):
    label: NonEmpty
    date_format: NonEmpty
    ru: NonEmpty

    @field_validator("label")
    @classmethod
    def _label(cls, label: str) -> str:
        _label_pattern(label)
        return label

    @field_validator("date_format")
    @classmethod
    def _format(cls, text: str) -> str:
        if "%" not in text:
            raise ValueError(f"expected a strptime format, got {text!r}")
        return text

    @field_validator("ru")
    @classmethod
    def _ru(cls, text: str) -> str:
        return _template(text, "date")


class _HolidaysFile(StrictModel):
    names: Annotated[dict[str, NonEmpty], Field(min_length=1)]  # the package's en_US name -> Russian
    labels: dict[str, NonEmpty]
    substituted: _Substituted

    @field_validator("labels")
    @classmethod
    def _labels(cls, labels: dict[str, str]) -> dict[str, str]:
        for label, ru in labels.items():
            try:
                _label_pattern(label)
                _template(ru, "name")
            except ValueError as exc:
                raise ValueError(f"{label!r}: {exc}") from None
        return labels


def _names(raw: _HolidaysFile) -> HolidayNames:
    return HolidayNames(
        names=dict(raw.names),
        labels=tuple((_label_pattern(label), ru) for label, ru in raw.labels.items()),
        substituted=_label_pattern(raw.substituted.label),
        substituted_date_format=raw.substituted.date_format,
        substituted_ru=raw.substituted.ru,
    )


def parse_holiday_names(data: Mapping[str, Any], name: str = HOLIDAYS_RU_FILE.name) -> HolidayNames:
    """The table from already parsed TOML; HolidayNamesError with one line naming `name` and the place."""
    return _names(parse_model(_HolidaysFile, data, name, HolidayNamesError))


@lru_cache(maxsize=4)
def load_holiday_names(path: Path = HOLIDAYS_RU_FILE) -> HolidayNames:
    return _names(load_toml_model(_HolidaysFile, path, HolidayNamesError))
