"""The state fee of §8: a share of the MRP in force on the day of payment, read from data/mrp.toml.

The MRP table is dated data with a legal source per value (OpenFisca style): the code never holds a
number of the law. Two things the table knows that a naive lookup would get wrong: a rise that did not
apply to state duties (April 2022) is skipped, and a date past the last known year still gets the last
value but is flagged `stale`, never silently reused.

Sources and notes are `Text` ({kk, ru}): the bot shows them to the reader in the reader's language.
`FeeQuote.note` is a separate plain line for the command line (which facts the table flags), built
only from numbers and dates, so no Kazakh or Russian sentence lives in code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, PositiveInt, model_validator

from bot import DATA_DIR
from bot.rules.model import Text
from bot.rules.ruleset import Ruleset, load_ruleset
from bot.strict_data import LocalText, NonEmpty, StrictModel, load_toml_model, parse_model

MRP_FILE = DATA_DIR / "mrp.toml"


class MrpTableError(ValueError):
    """data/mrp.toml is malformed: one line naming the place."""


class FeeOutOfScope(ValueError):
    """The date is before the first MRP value this bot knows: no fee can be quoted."""


@dataclass(frozen=True)
class MrpValue:
    valid_from: date
    value: int
    source: Text
    note: Text | None
    applies_to_duties: bool


@dataclass(frozen=True)
class MrpTable:
    values: tuple[MrpValue, ...]
    known_through: date
    unit: str

    @property
    def first_day(self) -> date:
        return self.values[0].valid_from

    def for_duties(self) -> tuple[MrpValue, ...]:
        return tuple(v for v in self.values if v.applies_to_duties)


@dataclass(frozen=True)
class FeeQuote:
    """The fee on one payment day, with the MRP it comes from and that value's legal source.

    `notes` are the table's own remarks that bear on the day (the value's note, and those of any rise
    since that did not apply to duties), in both languages; `note` is the command line's plain summary.
    """

    date: date
    mrp_kzt: int
    fee_kzt: int
    source: Text
    valid_from: date
    stale: bool
    note: str | None
    notes: tuple[Text, ...]
    percent_of_mrp: int
    paragraph: str


class _MrpRow(StrictModel):
    valid_from: date = Field(alias="from")
    value: PositiveInt  # whole tenge
    source: LocalText  # every value needs its legal source
    note: LocalText | None = None
    applies_to_duties: bool = True


class _MrpFile(StrictModel):
    id: str = "mrp"
    unit: NonEmpty = "KZT"
    known_through: date
    description: str = ""
    values: Annotated[list[_MrpRow], Field(min_length=1)]

    @model_validator(mode="after")
    def _series(self) -> _MrpFile:
        """Dates increase, the table covers its last value, and the duty series has a start."""
        for i in range(1, len(self.values)):
            if self.values[i].valid_from <= self.values[i - 1].valid_from:
                raise ValueError(f"values[{i}].from: dates must increase")
        if self.known_through < self.values[-1].valid_from:
            raise ValueError("known_through: is before the last value")
        if not self.values[0].applies_to_duties:
            raise ValueError("values[0].applies_to_duties: the first value must apply to state duties")
        return self


def _text(text: LocalText | None) -> Text | None:
    return Text(kk=text.kk, ru=text.ru) if text is not None else None


def _table(raw: _MrpFile) -> MrpTable:
    values = tuple(MrpValue(v.valid_from, v.value, _text(v.source), _text(v.note), v.applies_to_duties)
                   for v in raw.values)
    return MrpTable(values, raw.known_through, raw.unit)


def parse_mrp_table(data: Mapping[str, Any], name: str = MRP_FILE.name) -> MrpTable:
    """A table from already parsed TOML; MrpTableError with one line naming `name` and the place."""
    return _table(parse_model(_MrpFile, data, name, MrpTableError))


@lru_cache(maxsize=4)
def load_mrp_table(path: Path = MRP_FILE) -> MrpTable:
    return _table(load_toml_model(_MrpFile, path, MrpTableError))


def fee_on(day: date, ruleset: Ruleset | None = None, *, table: MrpTable | None = None) -> FeeQuote:
    """The §8 fee for a payment on `day`: percent_of_mrp of the MRP that applies to state duties."""
    ruleset = ruleset or load_ruleset()
    table = table or load_mrp_table()
    if day < table.first_day:
        raise FeeOutOfScope(
            f"no MRP is known before {table.first_day.isoformat()}: {day.isoformat()} is out of scope"
        )
    duty = [v for v in table.for_duties() if v.valid_from <= day][-1]
    skipped = [v for v in table.values if not v.applies_to_duties and duty.valid_from < v.valid_from <= day]
    texts = tuple(v.note for v in (duty, *skipped) if v.note)
    notes = [
        f"MRP {v.value} from {v.valid_from.isoformat()} did not apply to state duties: {duty.value} stays."
        for v in skipped
    ]
    stale = day > table.known_through
    if stale:
        notes.append(
            f"The MRP table is known only through {table.known_through.isoformat()}: "
            f"{duty.value} is the last known value and may be out of date for {day.isoformat()}."
        )
    percent = ruleset.fee.percent_of_mrp
    fee = int((Decimal(duty.value) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return FeeQuote(
        date=day,
        mrp_kzt=duty.value,
        fee_kzt=fee,
        source=duty.source,
        valid_from=duty.valid_from,
        stale=stale,
        note=" ".join(notes) or None,
        notes=texts,
        percent_of_mrp=percent,
        paragraph=ruleset.fee.paragraph,
    )
