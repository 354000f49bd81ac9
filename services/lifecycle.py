"""A proposal's status: labels as residents read them, the allowed moves, and the move itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import N_, _
from models.enums import Status
from models.proposals import Proposal, StatusChange

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

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
        {Status.DIBAHAS_KECAMATAN, Status.DIKEMBALIKAN, Status.DITARIK, Status.DIGABUNG}
    ),
    Status.DIBAHAS_KECAMATAN: frozenset(
        {Status.DITERUSKAN_OPD, Status.TIDAK_DIAKOMODIR, Status.DITARIK, Status.DIGABUNG}
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
    correction: bool = False,
) -> StatusChange:
    """Move `proposal` to `to_status` and write the audit row, in the caller's transaction.

    Every row written here is something the proposer must be told (DESIGN §4). The
    notification is not written yet: when the outbox exists, this function also adds the
    proposer's outbox row (dedup key from this change) in the same transaction, so
    callers never notify anyone themselves. `by` is the Telegram id of whoever made the
    change (None for the system); `correction` lets Bappeda undo a mistaken move outside
    the normal order.

    Raises:
        StatusChangeError: the move is not allowed, or a return or rejection lacks a note.
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
    session.add(proposal)
    change = StatusChange(
        proposal_id=proposal.id,  # type: ignore[arg-type]
        from_status=from_status,
        to_status=to_status,
        changed_by=by,
        note=note.strip(),
        created_at=now,
    )
    session.add(change)
    await session.flush()
    return change
