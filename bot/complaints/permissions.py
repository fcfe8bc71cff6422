"""Who may do what to a complaint: grants, the reach of each role (§22), the transitions of the terms.

Pure: the transitions and categories come from bot.complaints.terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.complaints.record import Complaint
from bot.complaints.terms import due_date, load_terms


@dataclass(frozen=True)
class Grant:
    """One role of a staff member: an office (office_staff), a department (supervisor) or all (admin)."""

    role: str
    scope: str = ""


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A staff member as stored: the name the citizen reads (surname and initials, §25) and the grants."""

    user_id: int
    display_name: str
    added_at: datetime
    grants: tuple[Grant, ...]


def covers(grant: Grant, office_id: str, department_id: str | None, category: str) -> bool:
    """Whether this grant reaches a complaint about `office_id` in `category`.

    §22: a complaint about rude service goes to higher management, so the office complained about
    neither sees nor works it; its department's supervisors and admins do.
    """
    if grant.role == "admin":
        return True
    if grant.role == "department_supervisor":
        return department_id is not None and grant.scope == department_id
    if grant.role == "office_staff":
        cat = load_terms().category(category)
        if cat is not None and cat.handled_by == "higher_management":
            return False
        return grant.scope == office_id
    return False


@dataclass(frozen=True)
class Reach:
    """Every complaint some grants reach, as one query asks for a whole queue: the rule of `covers`
    (office staff: their offices but not what §22 sends to higher management; supervisors: their
    departments; an admin: everything), so the database filters once and nothing is checked twice."""

    office_ids: tuple[str, ...] = ()
    hidden_categories: tuple[str, ...] = ()  # office staff do not see these (§22)
    department_ids: tuple[str, ...] = ()
    everything: bool = False


def reach_of(grants: Iterable[Grant]) -> Reach:
    grants = tuple(grants)
    return Reach(
        office_ids=tuple(g.scope for g in grants if g.role == "office_staff"),
        hidden_categories=tuple(c.id for c in load_terms().categories if c.handled_by == "higher_management"),
        department_ids=tuple(g.scope for g in grants if g.role == "department_supervisor"),
        everything=any(g.role == "admin" for g in grants),
    )


def may_view(grants: Iterable[Grant], office_id: str, department_id: str | None, category: str) -> bool:
    return any(covers(g, office_id, department_id, category) for g in grants)


def may_transition(
    grants: Iterable[Grant],
    office_id: str,
    department_id: str | None,
    category: str,
    current: str,
    target: str,
) -> bool:
    """Whether one of these grants allows moving this complaint from `current` to `target`."""
    roles = load_terms().transitions.get((current, target))
    if not roles:
        return False
    return any(g.role in roles and covers(g, office_id, department_id, category) for g in grants)


# Staff actions on a complaint and the status each leads to (None: the status stays).
ACTIONS = {"take": "in_review", "answer": "answered", "forward": "forwarded", "close": "closed",
           "reopen": "in_review", "extend": None}


def is_extended(row: Complaint) -> bool:
    """The answer term was extended (information requested from others, up to 30 days)."""
    return row.due_date > due_date(row.registered_at)


def allowed_actions(grants: Iterable[Grant], row: Complaint, user_id: int) -> tuple[str, ...]:
    """What this staff member may do to this stored complaint now, in the order buttons show them.

    A forwarded complaint is taken by its new place as a registered one is. An in-review complaint
    nobody has taken (it was reopened) may be taken by whoever may answer it; one a colleague has taken
    is not taken over by a stale button. Extending the term is allowed once, while in review, to
    whoever may answer it.
    """
    grants = tuple(grants)
    status = row.status

    def may(current: str, target: str) -> bool:
        where = (row.office_id, row.department_id, row.category)
        return may_transition(grants, *where, current, target)

    out = []
    if (status in ("registered", "forwarded") and may(status, "in_review")) or (
        status == "in_review" and row.assignee_user_id is None and may(status, "answered")
    ):
        out.append("take")
    if status == "in_review" and may(status, "answered"):
        out.append("answer")
        if not is_extended(row):
            out.append("extend")
    if may(status, "forwarded"):
        out.append("forward")
    if may(status, "closed"):
        out.append("close")
    if status == "answered" and may(status, "in_review"):
        out.append("reopen")
    return tuple(out)

