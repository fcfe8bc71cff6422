"""Which office and department a complaint or a staff grant names, through the office directory.

A department row of Appendix 1 is its own department (its `department` is None); every other office
belongs to the department that heads it. Supervisors' reach (bot.complaints.terms.covers) rests on this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bot.offices.directory import load_directory


class Directory(Protocol):
    def get(self, office_id: str) -> Any: ...


@dataclass(frozen=True)
class OfficeScope:
    directory: Directory

    def exists(self, office_id: str) -> bool:
        return self.directory.get(office_id) is not None

    def department_of(self, office_id: str | None) -> str | None:
        """The id of the department the office belongs to (itself for a department row)."""
        office = self.directory.get(office_id) if office_id else None
        if office is None:
            return None
        return office.department or office.id

    def is_department(self, department_id: str) -> bool:
        office = self.directory.get(department_id)
        return office is not None and office.department is None


def load_scope() -> OfficeScope:
    """The scope over the shipped directory (data/offices.json, cached by bot.offices.directory)."""
    return OfficeScope(load_directory())
