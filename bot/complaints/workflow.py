"""Each complaint action as one use case: the change, its audit record and every notice it causes
are written in one transaction (by the complaint repository, bot.storage.complaints), so that a
crash leaves all of them or none. The use cases receive the storage as `Store`, what they need of it.

Filing a complaint stores the alerts to the staff in reach; every staff action (take, answer,
forward, recall, close, reopen, extend) stores the citizen's notice; forwarding and recalling also
alert the staff of the place the complaint moves to. Only the outbox (bot.telegram.outbox) talks to
Telegram about them afterwards, retrying until they arrive; the caller may ask it to try at once
(`Outcome.notice_keys`). A staff action is a compare-and-set on the revision the official saw, so
two presses at once are applied once.

Notices are rendered at commit time, in each recipient's language: the citizen's current one (their
language choice), else the language the complaint was filed in; an official's own. The words are the
caller's (`Notices`, gettext lives in the handlers): this module stays free of Telegram.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from bot import complaints as domain
from bot.complaints import forwarding
from bot.complaints.notice import OutboxNotice
from bot.complaints.permissions import StaffMember
from bot.complaints.record import Complaint

Row = Complaint
NoticesFor = Callable[[Row], Sequence[OutboxNotice]]


class ComplaintRows(Protocol):
    async def register(self, fields: Mapping[str, str | None], *, registered_at: datetime, due_date: date,
                       actor: str, department_id: str | None = ..., citizen_user_id: int | None = ...,
                       locale: str | None = ..., accepted_by: str | None = ...,
                       idempotency_key: str | None = ..., notices: NoticesFor | None = ...
                       ) -> tuple[Complaint, bool]: ...
    async def change(self, complaint_id: int, *, actor: str, at: datetime, action: str,
                     expected_version: int | None = ..., status: str | None = ..., note: str | None = ...,
                     notices: NoticesFor | None = ..., **changes: Any) -> Complaint | None: ...
    async def move(self, complaint_id: int, *, expected_version: int, actor: str, at: datetime, action: str,
                   office_id: str, department_id: str | None, status: str, assignee_user_id: int | None,
                   detail: Mapping[str, Any], notices: NoticesFor | None = ...) -> Complaint | None: ...
    async def by_id(self, complaint_id: int) -> Complaint | None: ...


class StaffRows(Protocol):
    async def covering(self, office_id: str, department_id: str | None) -> list[tuple[int, str, str]]: ...
    async def member(self, user_id: int) -> StaffMember | None: ...


class Languages(Protocol):
    async def get_locale(self, user_id: int) -> str | None: ...


class Store(Protocol):
    """The repositories the use cases work with (bot.storage.database.Database has them)."""

    @property
    def complaints(self) -> ComplaintRows: ...
    @property
    def staff(self) -> StaffRows: ...
    @property
    def dialogues(self) -> Languages: ...


class Notices(Protocol):
    """Renders the notices as outbox payloads ({"text": HTML, "reply_markup": JSON or absent})."""

    def staff_alert(self, row: Row, locale: str) -> dict[str, Any]:
        """A new complaint arrived, for an official whose grants reach it."""

    def citizen_notice(self, row: Row, action: str, locale: str, *, official: str | None,
                       note: str | None) -> dict[str, Any]:
        """What staff did (`action` as audited: taken, answered, …), for the citizen who filed it."""


@dataclass(frozen=True)
class Outcome:
    """The complaint as the use case left it; `applied` is False when nothing changed (a repeated
    filing finds the first one; a stale action finds the complaint changed by someone else)."""

    row: Complaint | None
    applied: bool
    notice_keys: tuple[str, ...] = field(default=())


# Staff actions, the audit record's name for each, and the status each leads to (bot.complaints.terms).
AUDIT_ACTIONS = {"take": "taken", "answer": "answered", "close": "closed", "reopen": "reopened",
                 "extend": "extended"}


def staff_alert_key(complaint_id: int, user_id: int) -> str:
    return f"complaint:{complaint_id}:new:{user_id}"


def citizen_notice_key(row: Row) -> str:
    """One notice per revision: a change is applied once, so it is told once."""
    return f"complaint:{row.id}:v{row.version}:citizen"


async def _staff_in_reach(db: Store, office_id: str, department_id: str | None, category: str,
                          default_locale: str) -> list[tuple[int, str]]:
    """(user id, language) of each official whose grants reach this complaint (§22 included)."""
    grants: dict[int, list[domain.Grant]] = {}
    for user_id, role, scope in await db.staff.covering(office_id, department_id):
        grants.setdefault(user_id, []).append(domain.Grant(role, scope))
    return [(user_id, await db.dialogues.get_locale(user_id) or default_locale)
            for user_id, theirs in grants.items()
            if domain.may_view(theirs, office_id, department_id, category)]


async def citizen_locale(db: Store, row: Row, default_locale: str) -> str:
    """The citizen's current language, else the complaint's, else the bot's default."""
    return await db.dialogues.get_locale(row.citizen_user_id) or row.locale or default_locale


async def file(
    db: Store,
    fields: Mapping[str, str | None],
    *,
    now: datetime,
    department_id: str | None,
    actor: str,
    notices: Notices,
    default_locale: str,
    citizen_user_id: int | None = None,
    locale: str | None = None,
    accepted_by: str | None = None,
    idempotency_key: str | None = None,
) -> Outcome:
    """Register a validated complaint with its talon and alert the staff in reach, in one transaction.

    `accepted_by` is who accepted it at filing (the official who registered a posted complaint; None
    for the bot's registry): the talon's record, never changed afterwards.
    """
    staff = await _staff_in_reach(db, fields["office_id"] or "", department_id, fields["category"] or "",
                                  default_locale)
    keys: list[str] = []

    def alerts(row: Row) -> list[OutboxNotice]:
        out = [OutboxNotice(staff_alert_key(row.id, user_id), user_id, notices.staff_alert(row, lang))
               for user_id, lang in staff]
        keys.extend(n.dedupe_key for n in out)
        return out

    row, created = await db.complaints.register(
        fields, registered_at=now, due_date=domain.due_date(now), actor=actor, department_id=department_id,
        citizen_user_id=citizen_user_id, locale=locale, accepted_by=accepted_by,
        idempotency_key=idempotency_key, notices=alerts,
    )
    return Outcome(row, created, tuple(keys))


async def _change(db: Store, seen: Row, action: str, *, user_id: int, now: datetime, notices: Notices,
                  default_locale: str, note: str | None = None, **changes: Any) -> Outcome:
    """Apply one staff action to the revision `seen` and store the citizen's notice with it."""
    audited = AUDIT_ACTIONS[action]
    official = changes.get("assignee_name")
    lang = await citizen_locale(db, seen, default_locale) if seen.citizen_user_id is not None else None
    keys: list[str] = []

    def told(row: Row) -> list[OutboxNotice]:
        if lang is None:  # filed on paper or by e-mail: nobody to tell in the bot
            return []
        payload = notices.citizen_notice(row, audited, lang, official=official, note=note)
        keys.append(citizen_notice_key(row))
        return [OutboxNotice(keys[-1], row.citizen_user_id, payload)]

    new = await db.complaints.change(
        seen.id, expected_version=seen.version, actor=f"staff:{user_id}", at=now, action=audited,
        status=domain.ACTIONS[action], note=note, notices=told, **changes,
    )
    if new is None:
        return Outcome(await db.complaints.by_id(seen.id), False)
    return Outcome(new, True, tuple(keys))


async def take(db: Store, seen: Row, *, user_id: int, now: datetime, notices: Notices,
               default_locale: str) -> Outcome:
    """The official takes the complaint into review; the citizen hears who is in charge."""
    member = await db.staff.member(user_id)
    return await _change(db, seen, "take", user_id=user_id, now=now, notices=notices,
                         default_locale=default_locale, assignee_user_id=user_id,
                         assignee_name=(member.display_name if member else None) or None)


async def answer(db: Store, seen: Row, text: str, *, user_id: int, now: datetime, notices: Notices,
                 default_locale: str) -> Outcome:
    """The answer is stored and the citizen receives it."""
    return await _change(db, seen, "answer", user_id=user_id, now=now, notices=notices,
                         default_locale=default_locale, answer_text=text)


async def close(db: Store, seen: Row, *, justified: bool, user_id: int, now: datetime, notices: Notices,
                default_locale: str) -> Outcome:
    """Closed, with whether the complaint was justified (Appendix 3, indicator 4.1)."""
    return await _change(db, seen, "close", user_id=user_id, now=now, notices=notices,
                         default_locale=default_locale, justified=justified)


async def reopen(db: Store, seen: Row, *, user_id: int, now: datetime, notices: Notices,
                 default_locale: str) -> Outcome:
    return await _change(db, seen, "reopen", user_id=user_id, now=now, notices=notices,
                         default_locale=default_locale)


async def extend(db: Store, seen: Row, *, user_id: int, now: datetime, notices: Notices,
                 default_locale: str) -> Outcome:
    """The answer term is extended (information requested from other bodies), counted from filing."""
    due: date = domain.due_date(seen.registered_at, extended=True)
    return await _change(db, seen, "extend", user_id=user_id, now=now, notices=notices,
                         default_locale=default_locale, due_date=due)


async def _move(db: Store, seen: Row, action: str, place: forwarding.Place, status: str,
                assignee_user_id: int | None, detail: Mapping[str, Any], *, user_id: int, now: datetime,
                notices: Notices, default_locale: str, note: str | None) -> Outcome:
    """Forward or recall: the complaint moves to `place`; the citizen is told where it went, and the
    staff there (in their own languages) that it arrived, all in the transaction of the move."""
    lang = await citizen_locale(db, seen, default_locale) if seen.citizen_user_id is not None else None
    staff = await _staff_in_reach(db, place.office_id, place.department_id, seen.category, default_locale)
    keys: list[str] = []

    def told(row: Row) -> list[OutboxNotice]:
        out = [OutboxNotice(f"complaint:{row.id}:v{row.version}:staff:{uid}", uid,
                            notices.staff_alert(row, ulang)) for uid, ulang in staff if uid != user_id]
        if lang is not None:
            out.append(OutboxNotice(citizen_notice_key(row), row.citizen_user_id,
                                    notices.citizen_notice(row, action, lang, official=None, note=note)))
        keys.extend(n.dedupe_key for n in out)
        return out

    new = await db.complaints.move(
        seen.id, expected_version=seen.version, actor=f"staff:{user_id}", at=now, action=action,
        office_id=place.office_id, department_id=place.department_id, status=status,
        assignee_user_id=assignee_user_id, detail=detail, notices=told,
    )
    if new is None:
        return Outcome(await db.complaints.by_id(seen.id), False)
    return Outcome(new, True, tuple(keys))


async def forward(db: Store, seen: Row, to: forwarding.Place, note: str, *, user_id: int, now: datetime,
                  notices: Notices, default_locale: str) -> Outcome:
    """Forwarded to another office, the department or a body of data/complaints.toml: it leaves this
    queue for theirs, unassigned, with the hop audited; the citizen reads where and why."""
    hop = forwarding.hop(seen, to)
    return await _move(db, seen, "forwarded", to, "forwarded", None, {**hop.detail(), "note": note},
                       user_id=user_id, now=now, notices=notices, default_locale=default_locale, note=note)


async def recall(db: Store, seen: Row, hop: forwarding.Hop, *, user_id: int, now: datetime,
                 notices: Notices, default_locale: str) -> Outcome:
    """The forwarding side takes it back: the office, status and official it had before `hop`."""
    detail = {"from": seen.status, "to": hop.status, "from_office": seen.office_id,
              "from_department": seen.department_id, "to_office": hop.source.office_id,
              "to_department": hop.source.department_id}
    return await _move(db, seen, "recalled", hop.source, hop.status, hop.assignee_user_id, detail,
                       user_id=user_id, now=now, notices=notices, default_locale=default_locale, note=None)
