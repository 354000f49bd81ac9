"""Proposal services: status labels and moves with their audit row, and lookups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, inspect, update
from sqlmodel import col, select

from core.i18n import N_, _
from models.enums import Role, Status
from models.outbox import Outbox
from models.proposals import Proposal, StatusChange, Supporter
from models.regions import Region
from services.status_notices import notify_status_change

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime, tzinfo

    from sqlmodel.ext.asyncio.session import AsyncSession

    from models.conversations import Conversation
    from models.users import User

STATUS_LABELS: dict[Status, str] = {
    Status.DRAF: N_("Draft"),
    Status.DIAJUKAN: N_("Submitted"),
    Status.DIVERIFIKASI: N_("Verified by the village"),
    Status.DIKEMBALIKAN: N_("Returned to the proposer"),
    Status.DITOLAK: N_("Rejected"),
    Status.DIBAHAS_KECAMATAN: N_("Discussed at the kecamatan"),
    Status.DITERUSKAN_OPD: N_("Forwarded to the agency (OPD)"),
    Status.DIAKOMODIR: N_("Accepted into the plan"),
    Status.TIDAK_DIAKOMODIR: N_("Not accepted into the plan"),
    Status.DITARIK: N_("Withdrawn by the proposer"),
    Status.DIGABUNG: N_("Merged with a similar proposal"),
}

# The moves DESIGN §4 allows; anything else needs `correction=True` (a Bappeda fix).
ALLOWED_MOVES: dict[Status, frozenset[Status]] = {
    Status.DRAF: frozenset({Status.DIAJUKAN, Status.DITARIK}),
    Status.DIAJUKAN: frozenset(
        {
            Status.DIVERIFIKASI,
            Status.DIKEMBALIKAN,
            Status.DITOLAK,
            Status.DITARIK,
            Status.DIGABUNG,
        }
    ),
    Status.DIKEMBALIKAN: frozenset({Status.DIAJUKAN, Status.DITARIK, Status.DITOLAK}),
    Status.DIVERIFIKASI: frozenset(
        {
            Status.DIBAHAS_KECAMATAN,
            Status.DIKEMBALIKAN,
            Status.DITOLAK,
            Status.DITARIK,
            Status.DIGABUNG,
        }
    ),
    Status.DIBAHAS_KECAMATAN: frozenset(
        {
            Status.DITERUSKAN_OPD,
            Status.DIKEMBALIKAN,
            Status.DITOLAK,
            Status.TIDAK_DIAKOMODIR,
            Status.DITARIK,
            Status.DIGABUNG,
        }
    ),
    Status.DITERUSKAN_OPD: frozenset(
        {Status.DIAKOMODIR, Status.TIDAK_DIAKOMODIR, Status.DIGABUNG}
    ),
    Status.DIAKOMODIR: frozenset(),
    Status.TIDAK_DIAKOMODIR: frozenset(),
    Status.DITOLAK: frozenset(),
    Status.DITARIK: frozenset(),
    Status.DIGABUNG: frozenset(),
}

# Statuses DESIGN §4 says come with a note for the proposer.
NOTE_REQUIRED = frozenset({Status.DIKEMBALIKAN, Status.DITOLAK})
# A proposal moved to one of these is no longer among the ranked ones of its desa or kecamatan.
LEAVES_THE_RANKING = frozenset(
    {Status.DIKEMBALIKAN, Status.DITOLAK, Status.DIGABUNG, Status.DITARIK}
)


class StatusChangeError(ValueError):
    """A status move that the Musrenbang process does not allow."""


@dataclass(frozen=True, slots=True)
class Anonymised:
    """How many records lost their link to a person who deleted their data."""

    proposals: int
    supports: int
    status_changes: int


def status_label(status: Status | str) -> str:
    """Return the status as residents read it, in the current locale."""
    return _(STATUS_LABELS[Status(status)])


def local_time(moment: datetime, zone: tzinfo) -> datetime:
    """Return a stored UTC time as people read it in `zone`."""
    return moment.astimezone(zone)


def can_move(from_status: Status, to_status: Status) -> bool:
    """Return whether the process allows moving from one status to the other."""
    return to_status in ALLOWED_MOVES[from_status]


async def change_status(
    session: AsyncSession,
    proposal: Proposal,
    to_status: Status,
    *,
    by: int | None,
    note: str,
    now: datetime,
    by_role: Role | None = None,
    correction: bool = False,
) -> StatusChange:
    """Move `proposal` to `to_status`: the one place a proposal's status changes.

    In the caller's transaction it writes the audit row (who, in which role, why) and the
    outbox rows that tell the proposer and every supporter (see services.status_notices),
    so a rolled-back change tells nobody. `by` is the Telegram id of whoever made the
    change (None for the system); `correction` lets Bappeda record a move outside the
    normal order (a forum held without the bot, a result corrected).

    Raises:
        StatusChangeError: the proposal is already there, the move is not allowed, or a
            return or rejection lacks a note. Nothing is written then.
    """
    from_status = Status(proposal.status)
    if from_status == to_status:
        msg = f"proposal {proposal.tracking_code} is already {to_status}"
        raise StatusChangeError(msg)
    if not correction and not can_move(from_status, to_status):
        msg = f"proposal {proposal.tracking_code} cannot move from {from_status} to {to_status}"
        raise StatusChangeError(msg)
    if to_status in NOTE_REQUIRED and not note.strip():
        msg = f"moving a proposal to {to_status} needs a note for the proposer"
        raise StatusChangeError(msg)
    if proposal.id is None:
        session.add(proposal)
        await session.flush()
    proposal.status = to_status
    proposal.updated_at = now
    if to_status in LEAVES_THE_RANKING:
        proposal.desa_rank = proposal.kecamatan_rank = None
    session.add(proposal)
    change = StatusChange(
        proposal_id=proposal.id,  # type: ignore[arg-type]
        from_status=from_status,
        to_status=to_status,
        changed_by=by,
        changed_by_role=by_role,
        note=note.strip(),
        created_at=now,
    )
    session.add(change)
    await session.flush()
    await notify_status_change(session, proposal, change)
    return change


async def verify_own_proposal(
    session: AsyncSession, proposal: Proposal, *, user: User, now: datetime
) -> StatusChange | None:
    """Verify at once a proposal a lurah submits for their own desa (the village meeting's).

    Returns the change, or None when the proposal is not the lurah's own.
    """
    if user.role != Role.LURAH or user.region_code != proposal.desa_code:
        return None
    return await change_status(
        session,
        proposal,
        Status.DIVERIFIKASI,
        by=user.telegram_id,
        by_role=Role.LURAH,
        note="",
        now=now,
    )


async def list_user_proposals(session: AsyncSession, user_id: int) -> list[Proposal]:
    """Return the proposals `user_id` submitted, newest first."""
    result = await session.exec(
        select(Proposal)
        .where(Proposal.proposer_id == user_id)
        .order_by(col(Proposal.created_at).desc(), col(Proposal.id).desc())
    )
    return list(result.all())


async def find_by_code(session: AsyncSession, code: str) -> Proposal | None:
    """Return the proposal with this canonical code (see tracking_code.normalize_code)."""
    result = await session.exec(select(Proposal).where(Proposal.tracking_code == code))
    return result.first()


async def status_history(session: AsyncSession, proposal_id: int) -> list[StatusChange]:
    """Return every status change of a proposal, oldest first."""
    result = await session.exec(
        select(StatusChange)
        .where(StatusChange.proposal_id == proposal_id)
        .order_by(col(StatusChange.created_at), col(StatusChange.id))
    )
    return list(result.all())


async def count_supporters(session: AsyncSession, proposal_ids: Iterable[int]) -> dict[int, int]:
    """Return the number of supporters per proposal id (0 for none)."""
    ids = list(proposal_ids)
    if not ids:
        return {}
    result = await session.exec(
        select(Supporter.proposal_id, func.count())
        .where(col(Supporter.proposal_id).in_(ids))
        .group_by(col(Supporter.proposal_id))
    )
    counts = dict.fromkeys(ids, 0)
    counts.update(dict(result.all()))
    return counts


async def region_names(session: AsyncSession, codes: Iterable[str]) -> dict[str, str]:
    """Return the name of each region code (codes without a region are left out)."""
    wanted = set(codes)
    if not wanted:
        return {}
    result = await session.exec(
        select(Region.code, Region.name).where(col(Region.code).in_(wanted))
    )
    return dict(result.all())


async def anonymise_person(session: AsyncSession, user_id: int) -> Anonymised:
    """Unlink a person from their proposals, supports and status changes; keep the rows."""
    proposals = await session.exec(  # type: ignore[call-overload]
        update(Proposal).where(col(Proposal.proposer_id) == user_id).values(proposer_id=None)
    )
    supports = await session.exec(  # type: ignore[call-overload]
        update(Supporter).where(col(Supporter.user_id) == user_id).values(user_id=None)
    )
    changes = await session.exec(  # type: ignore[call-overload]
        update(StatusChange).where(col(StatusChange.changed_by) == user_id).values(changed_by=None)
    )
    return Anonymised(
        proposals=proposals.rowcount, supports=supports.rowcount, status_changes=changes.rowcount
    )


async def forget_person(
    session: AsyncSession, *, user: User, conversation: Conversation
) -> Anonymised:
    """Delete the person, their chat state and unsent messages; unlink what stays."""
    kept = await anonymise_person(session, user.telegram_id)
    await session.exec(  # type: ignore[call-overload]
        delete(Outbox).where(
            col(Outbox.recipient_id) == user.telegram_id, col(Outbox.sent_at).is_(None)
        )
    )
    for row in (conversation, user):
        if inspect(row).persistent:
            await session.delete(row)
        elif row in session:
            session.expunge(row)
    return kept
