"""`python -m bot staff add|remove|list|log`: who works complaints in the bot, over which offices, and
the audit log of what they did.

Roles: `office_staff` of one or more offices (`--office`), `department_supervisor` of a department
(`--department`, the department row's id in the office directory), `admin` of everything. The bot
reads these grants from the database on every staff action; nothing is cached in a session.
"""

from __future__ import annotations

from typing import Any

from bot import clock
from bot.cli import UsageError, emit
from bot.cli.opening import with_database
from bot.complaints import talon
from bot.complaints.permissions import StaffMember
from bot.complaints.record import local_time_text
from bot.complaints.terms import ROLES
from bot.offices.scope import load_scope
from bot.storage.database import Database


def register(sub) -> None:
    group = sub.add_parser("staff", help="staff who work complaints, with their roles and offices")
    cmds = group.add_subparsers(dest="staff_command", required=True)
    add = cmds.add_parser("add", help="grant a role to a Telegram user")
    _user_and_scope(add)
    add.add_argument("--name", help="surname and initials, shown to citizens as who handles it (§25)")
    add.set_defaults(func=_add)
    remove = cmds.add_parser("remove", help="withdraw one role, or every role without --role")
    _user_and_scope(remove, role_required=False)
    remove.set_defaults(func=_remove)
    listing = cmds.add_parser("list", help="every staff member with their roles")
    listing.set_defaults(func=_list)
    log = cmds.add_parser("log", help="the audit log, newest first: who did what to which complaint, when")
    log.add_argument("--limit", type=_user_id, default=100, help="how many records (default 100)")
    log.set_defaults(func=_log)


def _user_and_scope(parser, *, role_required: bool = True) -> None:
    parser.add_argument("user_id", type=_user_id, help="the Telegram user id")
    parser.add_argument("--role", choices=ROLES, required=role_required)
    parser.add_argument("--office", action="append", default=[], metavar="OFFICE_ID",
                        help="an office of office_staff (repeatable)")
    parser.add_argument("--department", metavar="DEPARTMENT_ID", help="the department of a supervisor")


# Telegram ids fit in 52 bits; SQLite's INTEGER holds 63.
_LARGEST_ID = 2**63 - 1


def _user_id(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= _LARGEST_ID:
        raise UsageError(f"expected a positive whole number up to {_LARGEST_ID}, got {text!r}")
    return int(text)


def _scopes(args) -> list[str]:
    """The scopes the role needs, each checked against the office directory."""
    scope = load_scope()
    if args.role == "admin":
        if args.office or args.department:
            raise UsageError("admin covers every office: give no --office or --department")
        return [""]
    if args.role == "department_supervisor":
        if args.office or not args.department:
            raise UsageError("department_supervisor needs exactly --department (no --office)")
        if not scope.is_department(args.department):
            raise UsageError(f"unknown department {args.department!r}")
        return [args.department]
    if args.department or not args.office:
        raise UsageError("office_staff needs --office (repeatable), no --department")
    for office_id in args.office:
        if not scope.exists(office_id):
            raise UsageError(f"unknown office {office_id!r}")
    return list(dict.fromkeys(args.office))



async def _member(db: Database, user_id: int) -> dict[str, Any]:
    member = await db.staff.member(user_id)
    return {
        "user_id": user_id,
        "display_name": member.display_name if member else None,
        "grants": _grants(member) if member else [],
    }


def _grants(member: StaffMember) -> list[dict[str, str]]:
    return [{"role": g.role, "scope": g.scope} for g in member.grants]


def _add(args) -> int:
    scopes = _scopes(args)
    name = " ".join((args.name or "").split()) or None

    async def work(db: Database) -> dict[str, Any]:
        added = 0
        for scope in scopes:
            added += await db.staff.grant(args.user_id, args.role, scope, display_name=name, actor="cli",
                                        at=clock.now())
        return {**await _member(db, args.user_id), "added": added}

    emit(with_database(work))
    return 0


def _remove(args) -> int:
    if args.role is None and (args.office or args.department):
        raise UsageError("give --role with --office or --department, or neither to remove every role")
    scopes = [None] if args.role is None else _scopes(args)

    async def work(db: Database) -> dict[str, Any]:
        removed = 0
        for scope in scopes:
            removed += await db.staff.revoke(args.user_id, role=args.role, scope=scope, actor="cli",
                                             at=clock.now())
        return {**await _member(db, args.user_id), "removed": removed}

    result = with_database(work)
    if result["removed"] == 0:
        raise UsageError(f"user {args.user_id} has no such role")
    emit(result)
    return 0


def _list(args) -> int:
    members = with_database(lambda db: db.staff.members())
    emit([{"user_id": m.user_id, "display_name": m.display_name, "grants": _grants(m)} for m in members])
    return 0


def _log(args) -> int:
    """Times in Almaty; staff changes and every complaint event (its talon shown, never its text)."""

    async def work(db: Database) -> list[dict[str, Any]]:
        records = await db.staff.audit_log(args.limit)
        talons = {}
        for record in records:
            cid = record.complaint_id
            if cid is not None and cid not in talons:
                row = await db.complaints.by_id(cid)
                talons[cid] = talon.format_talon(row.talon) if row else None
        return [{"at": local_time_text(r.at), "actor": r.actor, "action": r.action,
                 "talon": talons.get(r.complaint_id), "detail": r.detail} for r in records]

    emit(with_database(work))
    return 0
