"""The staff aggregate: members (surname and initials, §25), their role grants and scopes, and the
audit log's records of who changed them (read by a running bot to learn of CLI changes)."""

from __future__ import annotations

import json
from datetime import datetime

from bot.complaints.permissions import Grant, StaffMember
from bot.complaints.record import AuditEntry
from bot.storage import audit
from bot.storage.engine import PostgresEngine, SqliteEngine
from bot.storage.timestamps import parse_utc_text, utc_text


class Staff:
    def __init__(self, engine: SqliteEngine | PostgresEngine) -> None:
        self.engine = engine

    async def grant(
        self, user_id: int, role: str, scope: str, *, display_name: str | None, actor: str, at: datetime
    ) -> bool:
        """Grant a role (True if new). The display name is kept if None."""
        when = utc_text(at)
        async with self.engine.transaction() as tx:
            await tx.execute(
                "INSERT INTO staff_member (user_id, display_name, added_at) VALUES (?, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET display_name = "
                "COALESCE(?, staff_member.display_name)",
                (user_id, display_name or "", when, display_name),
            )
            added = await tx.execute(
                "INSERT INTO staff_grant (user_id, role, scope, added_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (user_id, role, scope, when),
            ) == 1
            if added:
                await audit.record(tx, when, actor, "staff_granted", None,
                                   {"user_id": user_id, "role": role, "scope": scope})
        return added

    async def revoke(
        self, user_id: int, *, role: str | None, scope: str | None, actor: str, at: datetime
    ) -> int:
        """Withdraw one grant, or all of a member's grants when role is None; returns how many."""
        when = utc_text(at)
        async with self.engine.transaction() as tx:
            if role is None:
                removed = await tx.execute("DELETE FROM staff_grant WHERE user_id = ?", (user_id,))
            else:
                removed = await tx.execute(
                    "DELETE FROM staff_grant WHERE user_id = ? AND role = ? AND scope = ?",
                    (user_id, role, scope or ""),
                )
            await tx.execute(
                "DELETE FROM staff_member WHERE user_id = ? "
                "AND NOT EXISTS (SELECT 1 FROM staff_grant WHERE staff_grant.user_id = staff_member.user_id)",
                (user_id,),
            )
            if removed:
                await audit.record(tx, when, actor, "staff_revoked", None,
                                   {"user_id": user_id, "role": role, "scope": scope, "count": removed})
        return removed

    async def grants(self, user_id: int) -> list[tuple[str, str]]:
        """(role, scope) pairs of one user: what every staff handler checks, on every update."""
        rows = await self.engine.fetch_all(
            "SELECT role, scope FROM staff_grant WHERE user_id = ? ORDER BY role, scope", (user_id,)
        )
        return [(row["role"], row["scope"]) for row in rows]

    async def covering(self, office_id: str, department_id: str | None) -> list[tuple[int, str, str]]:
        """(user id, role, scope) of the office's staff and its department's supervisors (not admins)."""
        rows = await self.engine.fetch_all(
            "SELECT user_id, role, scope FROM staff_grant WHERE (role = 'office_staff' AND scope = ?) "
            "OR (role = 'department_supervisor' AND scope = ?) ORDER BY user_id",
            (office_id, department_id or ""),
        )
        return [(row["user_id"], row["role"], row["scope"]) for row in rows]

    async def changes(self, after: int = 0) -> tuple[int, list[int]]:
        """Users whose grants changed (granted or revoked) after audit record `after`, and the newest
        record's id: how a running bot learns of `python -m bot staff add/remove` run beside it."""
        rows = await self.engine.fetch_all(
            "SELECT id, detail FROM audit_log "
            "WHERE id > ? AND action IN ('staff_granted', 'staff_revoked') ORDER BY id",
            (after,),
        )
        users = (json.loads(row["detail"]).get("user_id") for row in rows)
        changed = list(dict.fromkeys(int(user) for user in users if user is not None))
        return (rows[-1]["id"] if rows else after), changed

    async def member(self, user_id: int) -> StaffMember | None:
        found = await self._members("WHERE user_id = ?", (user_id,))
        return found[0] if found else None

    async def members(self) -> list[StaffMember]:
        """Every staff member with their grants."""
        return await self._members("", ())

    async def _members(self, where: str, params: tuple[int, ...]) -> list[StaffMember]:
        members = await self.engine.fetch_all(
            f"SELECT user_id, display_name, added_at FROM staff_member {where} ORDER BY user_id", params
        )
        grants = await self.engine.fetch_all(
            f"SELECT user_id, role, scope FROM staff_grant {where} ORDER BY user_id, role, scope", params
        )
        return [
            StaffMember(user_id=int(m["user_id"]), display_name=m["display_name"],
                        added_at=parse_utc_text(m["added_at"]),
                        grants=tuple(Grant(g["role"], g["scope"]) for g in grants
                                     if g["user_id"] == m["user_id"]))
            for m in members
        ]

    async def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        """The newest audit records (complaints and staff changes)."""
        rows = await self.engine.fetch_all(
            "SELECT at, actor, action, complaint_id, detail FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [audit.entry(row) for row in rows]
