"""Russian names of Kazakhstan's days off: the `holidays` package has none (only kk, en_US and uk).

data/holidays_ru.toml maps the package's en_US names, and its labels for a holiday moved off a weekend,
a date not yet confirmed and a weekday swapped for a working Saturday, to Russian. A name the table
lacks gives None, so the bot says "a public holiday" rather than a name in the wrong language;
tests/test_holiday_names.py keeps the table complete for every year the bot covers.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from bot import DATA_DIR

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


def _label_pattern(label: object, where: str) -> re.Pattern[str]:
    if not isinstance(label, str) or label.count("%s") != 1:
        raise HolidayNamesError(f"{where}: a label holds %s exactly once, got {label!r}")
    before, after = label.split("%s")
    return re.compile("^" + re.escape(before) + "(?P<inner>.+)" + re.escape(after) + "$")


def _template(text: object, field: str, where: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise HolidayNamesError(f"{where}: expected a non-empty string")
    try:
        text.format(**{field: "x"})
    except (KeyError, IndexError, ValueError):
        raise HolidayNamesError(f"{where}: only {{{field}}} may be filled in, got {text!r}") from None
    if "{" + field + "}" not in text:
        raise HolidayNamesError(f"{where}: must hold {{{field}}}")
    return text


def _parse(data: dict, name: str) -> HolidayNames:
    if set(data) != {"names", "labels", "substituted"}:
        raise HolidayNamesError(f"{name}: expected exactly the tables names, labels, substituted")
    names, labels, sub = data["names"], data["labels"], data["substituted"]
    if not isinstance(names, dict) or not names:
        raise HolidayNamesError(f"{name}: names must be a non-empty table")
    for english, russian in names.items():
        if not isinstance(russian, str) or not russian.strip():
            raise HolidayNamesError(f"{name}: names.{english!r}: expected a non-empty Russian name")
    if not isinstance(labels, dict):
        raise HolidayNamesError(f"{name}: labels must be a table")
    if not isinstance(sub, dict) or set(sub) != {"label", "date_format", "ru"}:
        raise HolidayNamesError(f"{name}: substituted needs label, date_format and ru only")
    if not isinstance(sub["date_format"], str) or "%" not in sub["date_format"]:
        raise HolidayNamesError(f"{name}: substituted.date_format: expected a strptime format")
    return HolidayNames(
        names=dict(names),
        labels=tuple(
            (_label_pattern(label, f"{name}: labels.{label!r}"),
             _template(ru, "name", f"{name}: labels.{label!r}"))
            for label, ru in labels.items()
        ),
        substituted=_label_pattern(sub["label"], f"{name}: substituted.label"),
        substituted_date_format=sub["date_format"],
        substituted_ru=_template(sub["ru"], "date", f"{name}: substituted.ru"),
    )


@lru_cache(maxsize=4)
def load_holiday_names(path: Path = HOLIDAYS_RU_FILE) -> HolidayNames:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise HolidayNamesError(f"{path.name}: cannot read: {exc}") from None
    return _parse(data, path.name)
