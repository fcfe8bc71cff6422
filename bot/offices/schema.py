"""The shape of data/offices.json as strict models, read through bot.strict_data's one-line errors.

The file is built by tools/build_offices.py but may be touched by hand; a typo in a key, a phone
that does not dial, or a point off the globe must stop loading with one line naming the office by its
id (`data/offices.json: offices[alm-06].phones_intl: unknown key 'reception'`), not a traceback from
deep inside the directory. Checks across records (regions' boxes, Appendix rows, department rows)
stay in bot.offices.check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints, ValidationError, model_validator

from bot import PROJECT_ROOT
from bot.strict_data import LocalText, NonEmpty, StrictModel, one_line, shaped

OfficeId = Annotated[str, StringConstraints(pattern=r"^[a-z]{3}-\d{2}[a-z]?$")]
RegionId = Annotated[str, StringConstraints(pattern=r"^[a-z]{3}$")]
PlaceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]


LocalNumber = Annotated[str, shaped(r"\d[\d-]*\d", "a local number of digits and dashes")]
E164 = Annotated[str, shaped(r"\+7\d{10}", "an E.164 number (+7 and 10 digits) or null")]
Host = Annotated[str, StringConstraints(pattern=r"^[^\s@]+$")]
Source = Annotated[str, StringConstraints(pattern=r"^(geonames:\d+|manual:\S.*)$")]
Latitude = Annotated[float, Field(ge=-90.0, le=90.0, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180.0, le=180.0, allow_inf_nan=False)]


class DirectoryError(ValueError):
    """The office directory file cannot be read; the message is one line naming the place."""


class Phones(StrictModel):
    secretariat: Annotated[list[LocalNumber], Field(min_length=1)]
    migration: Annotated[list[LocalNumber], Field(min_length=1)]


class PhonesIntl(StrictModel):
    """Each local number in E.164, or null where no source gives its area code."""

    secretariat: list[E164 | None]
    migration: list[E164 | None]


class Location(StrictModel):
    lat: Latitude
    lon: Longitude
    source: Source


class OfficeRow(StrictModel):
    id: OfficeId
    seed_row: NonEmpty
    department: OfficeId | None
    region_id: RegionId
    region: LocalText
    name: LocalText
    address: LocalText
    settlement: LocalText
    settlement_now: LocalText | None
    website: Host | None
    phones: Phones
    phones_intl: PhonesIntl
    location: Location
    aliases: list[NonEmpty]

    @model_validator(mode="after")
    def _intl_dials_the_local_number(self) -> OfficeRow:
        for kind in ("secretariat", "migration"):
            local, intl = getattr(self.phones, kind), getattr(self.phones_intl, kind)
            if len(intl) != len(local):
                raise ValueError(f"phones_intl.{kind} must list as many numbers as phones.{kind}")
            for number, e164 in zip(local, intl, strict=True):
                if e164 is not None and not e164.endswith(re.sub(r"\D", "", number)):
                    raise ValueError(f"phones_intl.{kind}: {e164} does not dial {number}")
        return self


class RegionRow(StrictModel):
    id: RegionId
    name: LocalText
    department: OfficeId
    bbox: Annotated[list[float], Field(min_length=4, max_length=4)]  # lat_min, lat_max, lon_min, lon_max


class Note(StrictModel):
    paragraph: NonEmpty
    kk: NonEmpty
    ru: NonEmpty


class NewPlaceRow(StrictModel):
    id: PlaceId
    name: LocalText
    where: LocalText
    formed: Annotated[int, Field(gt=2013)]  # after the Appendix's year
    aliases: list[NonEmpty]
    covered_by: list[OfficeId]
    offer: list[OfficeId]
    source: NonEmpty


class DirectoryFile(StrictModel):
    attribution: NonEmpty
    seed_rows: int
    split_rows: dict[str, list[OfficeId]]
    residence_note: Note
    abroad_note: Note
    regions: list[RegionRow]
    offices: list[OfficeRow]
    new_places: list[NewPlaceRow]


def _named(line: str, loc: tuple[Any, ...], data: Mapping[str, Any]) -> str:
    """`offices[5]…` becomes `offices[alm-06]…`: a maintainer looks an office up by its id."""
    if len(loc) < 2 or loc[0] not in ("offices", "regions", "new_places") or not isinstance(loc[1], int):
        return line
    rows = data.get(loc[0])
    row = rows[loc[1]] if isinstance(rows, list) and loc[1] < len(rows) else None
    ident = row.get("id") if isinstance(row, dict) else None
    index = f"{loc[0]}[{loc[1]}]"
    if not isinstance(ident, str) or not ident or not line.startswith(index):
        return line
    return f"{loc[0]}[{ident}]{line.removeprefix(index)}"


def shown(path: Path) -> str:
    """A data file's path as a maintainer types it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT.resolve()))
    except ValueError:
        return str(path)


def read_directory(data: Any, name: str) -> DirectoryFile:
    """Validate a parsed directory file; a problem raises DirectoryError: `name: place: what is wrong`."""
    if not isinstance(data, dict):
        raise DirectoryError(f"{name}: (top): expected a table")
    try:
        return DirectoryFile.model_validate(data)
    except ValidationError as exc:
        loc = tuple(exc.errors(include_url=False)[0]["loc"])
        raise DirectoryError(f"{name}: {_named(one_line(exc), loc, data)}") from None
