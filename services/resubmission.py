"""A returned proposal, fixed by its proposer and sent again: proposal → draft → proposal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.formatting import format_number
from models.enums import Role, Status
from services.drafts import Draft, ProgramOption, Quantity
from services.lifecycle import StatusChangeError, change_status, verify_own_proposal
from services.submission import fill_from_draft

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from models.proposals import Proposal, StatusChange
    from models.users import User

UPPER_UNITS = {"kk", "rt", "rw"}


def _quantity(value: float | None, unit: str, text: str) -> Quantity:
    """Return a stored quantity in the draft's shape, shown as the proposer wrote it."""
    if value is None:
        return Quantity(unknown=True, text=text)
    shown_unit = unit.upper() if unit in UPPER_UNITS else unit
    display = text or f"{format_number(value)} {shown_unit}".strip()
    return Quantity(value=value, unit=unit, text=text, display=display)


def draft_from_proposal(proposal: Proposal) -> Draft:
    """Return a complete intake draft holding the proposal, marked as its resubmission."""
    return Draft(
        resubmit_of=proposal.id,
        kecamatan_code=proposal.kecamatan_code,
        desa_code=proposal.desa_code,
        bidang=proposal.bidang,
        title=proposal.title,
        match_options=[ProgramOption.model_validate(o) for o in proposal.match_alternatives],
        match_confident=proposal.match_confident,
        program_code=proposal.program_code,
        match_score=proposal.match_score,
        match_confirmed=proposal.match_confirmed,
        program_decided=True,
        problem=proposal.problem,
        location_detail=proposal.location_detail,
        latitude=proposal.latitude,
        longitude=proposal.longitude,
        volume=_quantity(proposal.volume, proposal.volume_unit, proposal.volume_text),
        beneficiaries=_quantity(
            proposal.beneficiaries, proposal.beneficiaries_unit, proposal.beneficiaries_text
        ),
        urgency=proposal.urgency,
        photo_file_ids=list(proposal.photo_file_ids),
        photos_done=True,
    )


async def send_again(
    session: AsyncSession, proposal: Proposal, draft: Draft, *, user: User, now: datetime
) -> StatusChange:
    """Store the fixed fields and move the proposal from `dikembalikan` back to `diajukan`.

    A lurah's own proposal is verified again at once.

    Raises:
        StatusChangeError: the proposal is no longer returned.
    """
    if Status(proposal.status) != Status.DIKEMBALIKAN:
        msg = f"proposal {proposal.tracking_code} is {proposal.status}, not returned"
        raise StatusChangeError(msg)
    fill_from_draft(proposal, draft)
    role = Role.LURAH if user.role == Role.LURAH else Role.WARGA
    change = await change_status(
        session, proposal, Status.DIAJUKAN, by=user.telegram_id, by_role=role, note="", now=now
    )
    verified = await verify_own_proposal(session, proposal, user=user, now=now)
    return verified or change
