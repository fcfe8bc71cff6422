"""Parse Appendix 1 ("1-қосымша") of the seed into raw rows, exactly as the seed writes them.

The table is irregular (see FACTS.md): department numbers come as "1.", "10 .", "11)", "14", "16)",
so the number's shape cannot tell a department from a subordinate office; a department is the row
whose name ends in "Ішкі істер департаменті" (it is also the only kind with a website). One name is
split over two lines with a blank line between: a line with no number carries the first half.
Blank lines fall anywhere. Phones are kept as written, split on commas (one cell lacks its comma).
Everything else (settlement names, translations, points) is the builder's reviewed tables' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

START_MARK = "1-қосымша"
END_MARK = "2-қосымша"
_NUMBER = re.compile(r"^\s*(\d+)\s*[.)]?\s*$")
_DEPARTMENT = re.compile(r"Ішкі істер департаменті\s*$")
_SETTLEMENT = re.compile(r"^(?P<name>.+?)\s+(?P<kind>қаласы|ауылы|кенті)(?=[\s,]|$)")


@dataclass(frozen=True)
class SeedRow:
    """One row of Appendix 1; `sub` is None on a department row. `line` is 1-based in the seed."""

    dept: int
    sub: int | None
    name: str
    address: str
    website: str | None
    secretariat: tuple[str, ...]
    migration: tuple[str, ...]
    line: int

    @property
    def key(self) -> str:
        """The row's place in the Appendix, e.g. "2" for a department, "2.7" for its 7th office."""
        return str(self.dept) if self.sub is None else f"{self.dept}.{self.sub}"

    @property
    def settlement(self) -> tuple[str, str] | None:
        """(name, type word) at the start of the address, as written: ("Ақкөл", "қаласы")."""
        m = _SETTLEMENT.match(self.address)
        return (m["name"], m["kind"]) if m else None


def _phones(cell: str) -> tuple[str, ...]:
    return tuple(p for p in re.split(r"[,\s]+", cell.strip()) if p)


def _website(cell: str) -> str | None:
    # "www.dvdzko.kz, www.Sokolur@mail.ru": the second token is a mislabelled e-mail, not a site.
    sites = [t for t in re.split(r"[,\s]+", cell.strip()) if t and "@" not in t]
    return sites[0] if sites else None


def appendix_lines(text: str) -> list[tuple[int, str]]:
    """The lines between the "1-қосымша" and "2-қосымша" headings, with their 1-based numbers."""
    lines = text.splitlines()
    start = next(i for i, s in enumerate(lines) if s.strip() == START_MARK)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == END_MARK)
    return [(i + 1, lines[i]) for i in range(start + 1, end)]


def parse_appendix(text: str) -> list[SeedRow]:
    """Every row of Appendix 1 in order. Raises ValueError on a line it cannot place."""
    rows: list[SeedRow] = []
    dept = 0
    pending_name = ""
    for lineno, line in appendix_lines(text):
        if not line.strip() or "\t" not in line:
            continue  # blank lines and the quoted title lines around the heading
        cells = [c.strip() for c in line.split("\t")]
        cells += [""] * (6 - len(cells))
        number, name, address, site, secretariat, migration = cells[:6]
        if number.startswith("Р/с") or (number == "1" and name == "2"):
            continue  # the two header lines
        if not number:
            if address or secretariat:
                raise ValueError(f"line {lineno}: row without a number: {line!r}")
            pending_name = f"{pending_name} {name}".strip()
            continue
        m = _NUMBER.match(number)
        if not m:
            raise ValueError(f"line {lineno}: cannot read the row number {number!r}")
        name = f"{pending_name} {name}".strip()
        pending_name = ""
        is_department = bool(_DEPARTMENT.search(name))
        if is_department:
            dept += 1
            if int(m[1]) != dept:
                raise ValueError(f"line {lineno}: department {m[1]} out of order (expected {dept})")
            sub = None
        else:
            if dept == 0:
                raise ValueError(f"line {lineno}: office before any department")
            sub = int(m[1])
            expected = 1 + sum(1 for r in rows if r.dept == dept and r.sub is not None)
            if sub != expected:
                raise ValueError(f"line {lineno}: office {dept}.{sub} out of order (expected {expected})")
        rows.append(
            SeedRow(
                dept=dept,
                sub=sub,
                name=name.rstrip("."),
                address=address,
                website=_website(site),
                secretariat=_phones(secretariat),
                migration=_phones(migration),
                line=lineno,
            )
        )
    if pending_name:
        raise ValueError(f"a name fragment without its row: {pending_name!r}")
    return rows
