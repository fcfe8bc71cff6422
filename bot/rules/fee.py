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

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from bot import DATA_DIR
from bot.rules.model import LOCALES, Text
from bot.rules.ruleset import Ruleset, load_ruleset

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


_VALUE_KEYS = {"from", "value", "source", "note", "applies_to_duties"}


def _parse_table(data: dict, name: str) -> MrpTable:
    unknown = set(data) - {"id", "unit", "known_through", "description", "values"}
    if unknown:
        raise MrpTableError(f"{name}: unknown key {sorted(unknown)[0]!r}")
    known = data.get("known_through")
    if not isinstance(known, date) or not isinstance(data.get("values"), list) or not data["values"]:
        raise MrpTableError(f"{name}: needs known_through (a date) and a non-empty [[values]] list")
    values = []
    for i, raw in enumerate(data["values"]):
        where = f"{name}: values[{i}]"
        if not isinstance(raw, dict) or set(raw) - _VALUE_KEYS or not {"from", "value", "source"} <= set(raw):
            raise MrpTableError(f"{where}: needs from, value, source (optional note, applies_to_duties) only")
        start, value = raw["from"], raw["value"]
        if not isinstance(start, date) or hasattr(start, "hour"):
            raise MrpTableError(f"{where}.from: expected a date")
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise MrpTableError(f"{where}.value: expected a positive whole number of tenge")
        source = _text(raw["source"], f"{where}.source")
        note = _text(raw["note"], f"{where}.note") if "note" in raw else None
        duties = raw.get("applies_to_duties", True)
        if not isinstance(duties, bool):
            raise MrpTableError(f"{where}.applies_to_duties: expected true or false")
        if values and start <= values[-1].valid_from:
            raise MrpTableError(f"{where}.from: dates must increase")
        values.append(MrpValue(start, value, source, note, duties))
    if known < values[-1].valid_from:
        raise MrpTableError(f"{name}: known_through is before the last value")
    if not values[0].applies_to_duties:
        raise MrpTableError(f"{name}: the first value must apply to state duties")
    return MrpTable(tuple(values), known, str(data.get("unit", "KZT")))


def _text(raw: object, where: str) -> Text:
    """A {kk, ru} text: both languages, non-empty, nothing else (every value needs its legal source)."""
    if not isinstance(raw, dict) or set(raw) != set(LOCALES):
        raise MrpTableError(f"{where}: expected a table with kk and ru (every value needs its legal source)")
    if not all(isinstance(raw[k], str) and raw[k].strip() for k in LOCALES):
        raise MrpTableError(f"{where}: kk and ru must be non-empty strings")
    return Text(kk=raw["kk"], ru=raw["ru"])


@lru_cache(maxsize=4)
def load_mrp_table(path: Path = MRP_FILE) -> MrpTable:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MrpTableError(f"{path.name}: cannot read: {exc}") from None
    return _parse_table(data, path.name)


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
