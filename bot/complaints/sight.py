"""What one staff member may do with one stored complaint: see it, and which actions its card offers.

Pure: the grants, the complaint and its history in; the same answer for the card, the buttons and the
check before an action, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.complaints import forwarding
from bot.complaints.permissions import Grant, allowed_actions, may_view
from bot.complaints.record import AuditEntry, Complaint


@dataclass(frozen=True)
class Sight:
    visible: bool
    actions: tuple[str, ...]
    hop: forwarding.Hop | None  # the last forwarding, which its forwarding side may recall
    events: Sequence[AuditEntry]


def sight_of(grants: Sequence[Grant], row: Complaint, user_id: int, events: Sequence[AuditEntry]) -> Sight:
    """The actions of bot.complaints.terms, and the recall of a forwarding (bot.complaints.forwarding) to
    its forwarding side, who then still sees the complaint although it left their reach."""
    hop = forwarding.last_hop(events)
    actions = allowed_actions(grants, row, user_id)
    recall = forwarding.may_recall(grants, row, hop)
    if recall:
        actions += ("recall",)
    visible = may_view(grants, row.office_id, row.department_id, row.category) or recall
    return Sight(visible, actions, hop, events)
