"""Where a complaint may be forwarded, the hop the audit records, and who may recall it (§20–§22).

A complaint goes to another office of Appendix 1, to the department of its office, or (§22: rude
service goes to higher management) to a body that is not an office, such as the Migration Police
Committee: those are data (`[[forward_target]]` of data/complaints.toml). A forwarded complaint stays
open for its new place. Until that place takes it, the side that forwarded it (or an admin) may recall
it: it returns to the office, status and official it had. The hop is read back from the audit trail, so
the complaint row needs nothing beyond where it is now.

Pure domain: the targets are the terms' (bot.complaints.terms, `[[forward_target]]`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.complaints.permissions import Grant, covers
from bot.complaints.record import AuditEntry, Complaint
from bot.complaints.terms import ForwardTarget, load_terms


@dataclass(frozen=True)
class Place:
    """Where a complaint is: an office id (or a target id) and the department that oversees it."""

    office_id: str
    department_id: str | None


@dataclass(frozen=True)
class Hop:
    """One forwarding as audited: from where and in which status (and whose hands), to where."""

    source: Place
    target: Place
    status: str
    assignee_user_id: int | None

    def detail(self) -> dict[str, Any]:
        """The audit record's detail (`from`/`to` are the statuses, as for every change)."""
        return {"from": self.status, "to": "forwarded", "from_office": self.source.office_id,
                "from_department": self.source.department_id, "to_office": self.target.office_id,
                "to_department": self.target.department_id, "from_assignee": self.assignee_user_id}


def target(target_id: str) -> ForwardTarget | None:
    return next((t for t in load_terms().forward_targets if t.id == target_id), None)


def targets_for(category: str) -> list[ForwardTarget]:
    """The bodies beyond the offices that receive complaints of this category."""
    return [t for t in load_terms().forward_targets if t.receives(category)]


def destination(row: Complaint, to: str,
                department_of: Callable[[str], str | None]) -> Place | None:
    """Where forwarding complaint `row` to `to` puts it, or None when it may not go there: `to` is an
    office (`department_of` gives its department, None when there is no such office) or a target that
    receives this category, never the place where the complaint already is."""
    if to == row.office_id:
        return None
    body = target(to)
    if body is not None:
        return Place(body.id, None) if body.receives(row.category) else None
    department = department_of(to)
    return Place(to, department) if department is not None else None


def hop(row: Complaint, to: Place) -> Hop:
    return Hop(Place(row.office_id, row.department_id), to, row.status, row.assignee_user_id)


def last_hop(events: Sequence[AuditEntry]) -> Hop | None:
    """The forwarding the complaint is in now: the newest forward not yet recalled, if any."""
    for event in reversed(events):
        if event.action == "recalled":
            return None
        if event.action == "forwarded" and "to_office" in event.detail:
            d = event.detail
            source = Place(d["from_office"], d["from_department"])
            target_ = Place(d["to_office"], d["to_department"])
            return Hop(source, target_, d["from"], d.get("from_assignee"))
    return None


def may_recall(grants: Iterable[Grant], row: Complaint, last: Hop | None) -> bool:
    """Still forwarded (the new place has not taken it) and this member reaches where it came from."""
    if row.status != "forwarded" or last is None or last.target.office_id != row.office_id:
        return False
    return any(covers(g, last.source.office_id, last.source.department_id, row.category) for g in grants)
