"""Proposal, its supporters and its status history, and their queries."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, String, UniqueConstraint, func
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import timestamp_field
from models.enums import Bidang, Role, Status, Urgency


class Proposal(SQLModel, table=True):
    """A development proposal (usulan), shaped like the SIPD usulan form."""

    id: int | None = Field(default=None, primary_key=True)
    tracking_code: str = Field(max_length=20, unique=True, index=True)
    proposer_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, index=True, nullable=True)
    )
    submitted_as: Role = Field(default=Role.WARGA, sa_type=String(20))
    kecamatan_code: str = Field(foreign_key="region.code", index=True)
    desa_code: str = Field(foreign_key="region.code", index=True)
    location_detail: str = Field(default="", max_length=300)
    latitude: float | None = None
    longitude: float | None = None
    bidang: Bidang = Field(sa_type=String(20), index=True)
    title: str = Field(max_length=200)
    problem: str = Field(default="", max_length=1000)
    volume: float | None = None
    volume_unit: str = Field(default="", max_length=30)
    volume_text: str = Field(default="", max_length=100)
    estimated_cost: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    beneficiaries: int | None = None
    beneficiaries_unit: str = Field(default="", max_length=30)
    beneficiaries_text: str = Field(default="", max_length=100)
    urgency: Urgency = Field(default=Urgency.BIASA, sa_type=String(20))
    photo_file_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    program_code: str | None = Field(default=None, max_length=40, index=True)
    match_score: float | None = None
    match_alternatives: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    match_confident: bool = Field(default=False)
    match_confirmed: bool = Field(default=False)
    stage_id: int | None = Field(default=None, foreign_key="stage.id", index=True)
    status: Status = Field(default=Status.DIAJUKAN, sa_type=String(20), index=True)
    desa_rank: int | None = None
    kecamatan_rank: int | None = None
    merged_into_id: int | None = Field(default=None, foreign_key="proposal.id")
    created_at: datetime = timestamp_field(index=True)
    updated_at: datetime = timestamp_field()


class Supporter(SQLModel, table=True):
    """A person who supports an existing proposal instead of submitting a duplicate."""

    __table_args__ = (UniqueConstraint("proposal_id", "user_id", name="uq_supporter_once"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    user_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: datetime = timestamp_field()


class StatusChange(SQLModel, table=True):
    """One move of a proposal's status: the audit trail and what the proposer is told."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    from_status: Status | None = Field(default=None, sa_type=String(20))
    to_status: Status = Field(sa_type=String(20))
    changed_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    changed_by_role: Role | None = Field(default=None, sa_type=String(20))
    note: str = Field(default="", max_length=1000)
    created_at: datetime = timestamp_field()


async def list_user_proposals(session: AsyncSession, user_id: int) -> list[Proposal]:
    """Return the proposals `user_id` submitted, newest first."""
    result = await session.exec(
        select(Proposal)
        .where(Proposal.proposer_id == user_id)
        .order_by(col(Proposal.created_at).desc(), col(Proposal.id).desc())
    )
    return list(result.all())


async def find_by_code(session: AsyncSession, code: str) -> Proposal | None:
    """Return the proposal with this canonical tracking code."""
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
