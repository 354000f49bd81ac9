"""Queries behind the lurah's and camat's views and the status notifications."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.calendar import Stage
from models.enums import Bidang, Status
from models.proposals import Proposal, Supporter
from models.users import User

LOOKUP_CHUNK = 500  # codes per IN (...) query, well under every database's parameter limit


async def list_region_proposals(
    session: AsyncSession,
    *,
    desa_code: str | None = None,
    kecamatan_code: str | None = None,
    statuses: Iterable[Status] | None = None,
    bidang: Bidang | None = None,
) -> list[Proposal]:
    """Return the proposals of a desa or a kecamatan, newest first, optionally filtered."""
    query = select(Proposal)
    if desa_code is not None:
        query = query.where(Proposal.desa_code == desa_code)
    if kecamatan_code is not None:
        query = query.where(Proposal.kecamatan_code == kecamatan_code)
    if statuses is not None:
        query = query.where(col(Proposal.status).in_(list(statuses)))
    if bidang is not None:
        query = query.where(Proposal.bidang == bidang)
    result = await session.exec(
        query.order_by(col(Proposal.created_at).desc(), col(Proposal.id).desc())
    )
    return list(result.all())


async def count_by_status(
    session: AsyncSession, *, desa_code: str | None = None, kecamatan_code: str | None = None
) -> dict[Status, int]:
    """Return how many proposals of a desa or kecamatan are in each status (absent: none)."""
    query = select(Proposal.status, func.count()).group_by(col(Proposal.status))
    if desa_code is not None:
        query = query.where(Proposal.desa_code == desa_code)
    if kecamatan_code is not None:
        query = query.where(Proposal.kecamatan_code == kecamatan_code)
    result = await session.exec(query)
    return {Status(status): int(count) for status, count in result.all()}


async def count_by_bidang(
    session: AsyncSession, *, kecamatan_code: str, statuses: Iterable[Status]
) -> dict[tuple[Bidang, Status], int]:
    """Return how many proposals of a kecamatan are in each bidang and status."""
    result = await session.exec(
        select(Proposal.bidang, Proposal.status, func.count())
        .where(
            Proposal.kecamatan_code == kecamatan_code,
            col(Proposal.status).in_(list(statuses)),
        )
        .group_by(col(Proposal.bidang), col(Proposal.status))
    )
    return {(Bidang(bidang), Status(status)): int(count) for bidang, status, count in result}


async def list_supporters(session: AsyncSession, proposal_id: int) -> list[Supporter]:
    """Return the support rows of a proposal, oldest first."""
    result = await session.exec(
        select(Supporter)
        .where(Supporter.proposal_id == proposal_id)
        .order_by(col(Supporter.created_at), col(Supporter.id))
    )
    return list(result.all())


async def reachable_people(
    session: AsyncSession, *, proposal_id: int, proposer_id: int | None
) -> list[User]:
    """Return the proposer and supporters still stored and active, by Telegram id.

    People who deleted their data are no longer stored (and unlinked); people who blocked
    the bot are inactive: both drop out.
    """
    supporters = select(Supporter.user_id).where(Supporter.proposal_id == proposal_id)
    result = await session.exec(
        select(User)
        .where(
            col(User.active).is_(True),
            or_(col(User.telegram_id).in_(supporters), User.telegram_id == proposer_id),
        )
        .order_by(col(User.telegram_id))
    )
    return list(result.all())


async def proposals_by_code(session: AsyncSession, codes: Iterable[str]) -> dict[str, Proposal]:
    """Return the proposals with these tracking codes, by code (unknown codes left out)."""
    wanted = sorted(set(codes))
    found: dict[str, Proposal] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        result = await session.exec(select(Proposal).where(col(Proposal.tracking_code).in_(chunk)))
        found.update((proposal.tracking_code, proposal) for proposal in result.all())
    return found


async def next_deadline(session: AsyncSession, *, level: str, now: datetime) -> Stage | None:
    """Return the stage of `level` whose deadline comes next."""
    result = await session.exec(
        select(Stage)
        .where(Stage.level == level, Stage.closes_at > now)
        .order_by(col(Stage.closes_at))
    )
    return result.first()
