"""Turn a finished draft into a Proposal with its tracking code and first status row."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import col, select

from models.enums import Role, Status
from models.proposals import Proposal, StatusChange
from models.tallies import SubmissionTally, get_tally
from services.lifecycle import verify_own_proposal
from services.tracking_code import new_tracking_code

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from sqlmodel.ext.asyncio.session import AsyncSession

    from models.calendar import Stage
    from models.users import User
    from services.drafts import Draft, Quantity


def planning_year(now: datetime, zone: ZoneInfo) -> int:
    """Return the RKPD year a Musrenbang held at `now` plans for (the following year)."""
    return now.astimezone(zone).year + 1


def limit_period(stage: Stage | None, now: datetime, zone: ZoneInfo) -> str:
    """Return the period the per-person limit counts in: the stage, or the calendar year."""
    return f"stage:{stage.id}" if stage is not None else f"year:{now.astimezone(zone).year}"


async def count_submitted(
    session: AsyncSession, *, user_id: int, stage: Stage | None, now: datetime, zone: ZoneInfo
) -> int:
    """Count the person's proposals in this stage (or this calendar year without a calendar).

    The tally kept at each submission counts too, so /hapusdata (which takes the person's id
    off their proposals) does not start the count again.
    """
    query = select(func.count()).select_from(Proposal).where(Proposal.proposer_id == user_id)
    if stage is not None:
        query = query.where(Proposal.stage_id == stage.id)
    else:
        local = now.astimezone(zone)
        start = datetime(local.year, 1, 1, tzinfo=zone)
        query = query.where(col(Proposal.created_at) >= start)
    counted = int((await session.exec(query)).one())
    tally = await get_tally(session, user_id, limit_period(stage, now, zone))
    return max(counted, tally.count if tally is not None else 0)


async def _count_in_tally(
    session: AsyncSession, user_id: int, stage: Stage | None, now: datetime, zone: ZoneInfo
) -> None:
    period = limit_period(stage, now, zone)
    tally = await get_tally(session, user_id, period)
    if tally is None:
        tally = SubmissionTally(user_id=user_id, period=period, count=0)
    tally.count += 1
    session.add(tally)


def _quantity(quantity: Quantity | None) -> tuple[float | None, str, str]:
    if quantity is None:
        return None, "", ""
    if quantity.unknown:
        return None, "", quantity.text
    return quantity.value, quantity.unit or "", quantity.text


def fill_from_draft(proposal: Proposal, draft: Draft) -> None:
    """Copy every answer of a complete draft onto the proposal."""
    volume, volume_unit, volume_text = _quantity(draft.volume)
    people, people_unit, people_text = _quantity(draft.beneficiaries)
    proposal.kecamatan_code = draft.kecamatan_code or proposal.kecamatan_code
    proposal.desa_code = draft.desa_code or proposal.desa_code
    proposal.bidang = draft.bidang or proposal.bidang
    proposal.title = draft.title or proposal.title
    proposal.urgency = draft.urgency or proposal.urgency
    proposal.location_detail = draft.location_detail or ""
    proposal.latitude, proposal.longitude = draft.latitude, draft.longitude
    proposal.problem = draft.problem or ""
    proposal.volume, proposal.volume_unit, proposal.volume_text = volume, volume_unit, volume_text
    proposal.beneficiaries = int(people) if people is not None else None
    proposal.beneficiaries_unit, proposal.beneficiaries_text = people_unit, people_text
    proposal.photo_file_ids = list(draft.photo_file_ids)
    proposal.program_code = draft.program_code
    proposal.match_score = draft.match_score
    proposal.match_alternatives = [o.model_dump(exclude_none=True) for o in draft.match_options]
    proposal.match_confident = draft.match_confident
    proposal.match_confirmed = draft.match_confirmed


async def create_proposal(
    session: AsyncSession,
    *,
    draft: Draft,
    user: User,
    stage: Stage | None,
    now: datetime,
    prefix: str,
    zone: ZoneInfo,
) -> Proposal:
    """Store the proposal exactly as entered, with status `diajukan` and its audit row.

    The draft must be complete (the intake checks it before sending).
    """
    proposal = Proposal(
        tracking_code=await new_tracking_code(
            session, prefix=prefix, year=planning_year(now, zone)
        ),
        proposer_id=user.telegram_id,
        submitted_as=Role.LURAH if user.role == Role.LURAH else Role.WARGA,
        kecamatan_code=draft.kecamatan_code,
        desa_code=draft.desa_code,
        bidang=draft.bidang,
        title=draft.title,
        urgency=draft.urgency,
        stage_id=stage.id if stage else None,
        status=Status.DIAJUKAN,
        created_at=now,
        updated_at=now,
    )
    fill_from_draft(proposal, draft)
    session.add(proposal)
    await session.flush()
    session.add(
        StatusChange(
            proposal_id=proposal.id,
            from_status=Status.DRAF,
            to_status=Status.DIAJUKAN,
            changed_by=user.telegram_id,
            changed_by_role=proposal.submitted_as,
            created_at=now,
        )
    )
    await _count_in_tally(session, user.telegram_id, stage, now, zone)
    await verify_own_proposal(session, proposal, user=user, now=now)
    return proposal
