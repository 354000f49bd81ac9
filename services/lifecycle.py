"""A proposal's status: labels as residents read them, the allowed moves, and the move itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import N_, _
from models.enums import Role, Status
from models.proposals import Proposal, StatusChange
from services.status_notices import notify_status_change

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

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


def status_label(status: Status | str) -> str:
    """Return the status as residents read it, in the current locale."""
    return _(STATUS_LABELS[Status(status)])


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
