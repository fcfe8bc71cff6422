"""Complaints (§20–§25): terms, validation, who may do what, talons, and the use cases.

Pure domain: no aiogram; the use cases reach storage only through the repository passed in. The
names below are the package's face for handlers and the command line (`from bot import complaints
as domain`); each lives in the module of its concept: `terms` (the data file and due dates),
`draft` (what a complaint must say), `permissions` (who may do what), `record` (a stored complaint
and its audit trail, presented).
"""

from bot.complaints.draft import (
    CHANNELS,
    KINDS,
    NAME_FIELDS,
    REQUIRED,
    TEXT_FIELDS,
    Draft,
    Problem,
    check_field,
    draft_from_mapping,
    looks_like_address,
    parse_outgoing_date,
    validate,
)
from bot.complaints.permissions import (
    ACTIONS,
    Grant,
    Reach,
    StaffMember,
    allowed_actions,
    covers,
    is_extended,
    may_transition,
    may_view,
    reach_of,
)
from bot.complaints.record import AuditEntry, Complaint, local_time, local_time_text, public_record
from bot.complaints.terms import (
    ROLES,
    Category,
    Status,
    Terms,
    TermsError,
    due_date,
    is_overdue,
    load_terms,
    retention_days,
)

__all__ = [
    "ACTIONS", "CHANNELS", "KINDS", "NAME_FIELDS", "REQUIRED", "ROLES", "TEXT_FIELDS",
    "AuditEntry", "Category", "Complaint", "Draft", "Grant", "Problem", "Reach", "StaffMember", "Status",
    "Terms", "TermsError",
    "allowed_actions", "check_field", "covers", "draft_from_mapping", "due_date", "is_extended",
    "is_overdue", "load_terms", "local_time", "local_time_text", "looks_like_address", "may_transition",
    "may_view", "parse_outgoing_date", "reach_of", "public_record", "retention_days", "validate",
]
