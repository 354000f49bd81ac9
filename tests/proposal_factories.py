"""Regions and proposals inserted straight into the database for proposal tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from models.enums import Bidang, RegionLevel, Status
from models.proposals import Proposal, StatusChange, Supporter
from models.regions import Region

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

KECAMATAN = "17.07.01"
DESA = "17.07.01.2007"
OTHER_DESA = "17.07.01.2002"
SUBMITTED_AT = datetime(2024, 1, 15, 2, 30, tzinfo=UTC)  # 09:30 WIB

_REGIONS = [
    ("17", "Bengkulu", RegionLevel.PROVINSI, None),
    ("17.07", "Kabupaten Lebong", RegionLevel.KABUPATEN, "17"),
    (KECAMATAN, "Lebong Utara", RegionLevel.KECAMATAN, "17.07"),
    (DESA, "Talang Ulu", RegionLevel.DESA, KECAMATAN),
    (OTHER_DESA, "Gandung", RegionLevel.DESA, KECAMATAN),
]

_codes = itertools.count(1)


async def add_regions(session: AsyncSession) -> None:
    """Insert a province, kabupaten, one kecamatan and two desa."""
    for code, name, level, parent_code in _REGIONS:
        session.add(Region(code=code, name=name, level=level, parent_code=parent_code))
    await session.flush()


def next_code() -> str:
    """Return a tracking code no other test proposal has."""
    number = next(_codes)
    return f"LBG-24-{number:05d}".replace("0", "A").replace("1", "B")


async def add_proposal(session: AsyncSession, **fields: Any) -> Proposal:
    """Insert a submitted proposal in Talang Ulu with its first history row."""
    values: dict[str, Any] = {
        "tracking_code": next_code(),
        "kecamatan_code": KECAMATAN,
        "desa_code": DESA,
        "bidang": Bidang.INFRASTRUKTUR,
        "title": "Perbaikan jalan usaha tani",
        "problem": "Jalan rusak parah saat hujan",
        "status": Status.DIAJUKAN,
        "created_at": SUBMITTED_AT,
        "updated_at": SUBMITTED_AT,
    }
    values.update(fields)
    proposal = Proposal(**values)
    session.add(proposal)
    await session.flush()
    session.add(
        StatusChange(
            proposal_id=proposal.id,
            from_status=None,
            to_status=Status.DIAJUKAN,
            changed_by=proposal.proposer_id,
            created_at=proposal.created_at,
        )
    )
    await session.flush()
    return proposal


async def add_supporters(session: AsyncSession, proposal: Proposal, user_ids: list[int]) -> None:
    """Record each user as a supporter of `proposal`."""
    for user_id in user_ids:
        session.add(Supporter(proposal_id=proposal.id, user_id=user_id))
    await session.flush()
