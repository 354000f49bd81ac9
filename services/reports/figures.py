"""The numbers of the summary counted in SQL, and the figures they become with the scan."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_
from sqlmodel import col, select

from models.calendar import Stage
from models.enums import Bidang, RegionLevel, Status
from models.proposals import Proposal, StatusChange, Supporter
from models.regions import Region
from services.matching.catalogue import CatalogueProgram, load_catalogue, merge_imported
from services.matching.loading import list_imported_programs
from services.reports.duplicates import DuplicateGroup
from services.reports.priority import PriorityParts
from services.reports.statuses import BIDANG_ORDER, COUNTED, SUBMITTED

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from sqlalchemy import Subquery
    from sqlalchemy.sql.elements import ColumnElement
    from sqlmodel.ext.asyncio.session import AsyncSession

    from services.reports.window import Window

STREAM_BATCH = 2000
VILLAGE_LEVELS = (RegionLevel.DESA, RegionLevel.KELURAHAN)


@dataclass(frozen=True, slots=True)
class NewCounts:
    """What happened inside the window."""

    submitted: int
    supported: int
    verified: int
    returned: int
    rejected: int
    merged: int


@dataclass(frozen=True, slots=True)
class KecamatanCounts:
    """Counted proposals of one kecamatan per bidang."""

    code: str
    name: str
    by_bidang: dict[Bidang, int]

    @property
    def total(self) -> int:
        """Return the proposals of the kecamatan in every bidang."""
        return sum(self.by_bidang.values())


@dataclass(frozen=True, slots=True)
class Priority:
    """One of the top open proposals of a kecamatan in a bidang, with its score's parts."""

    place: int
    kecamatan_code: str
    bidang: Bidang
    tracking_code: str
    title: str
    desa_code: str
    supporters: int
    parts: PriorityParts


@dataclass(frozen=True, slots=True)
class ProgramCount:
    """Counted proposals mapped to one RPJMD program."""

    code: str
    name: str
    opd: str
    count: int


@dataclass(frozen=True, slots=True)
class OpdCount:
    """Counted proposals whose program an OPD owns."""

    opd: str
    count: int


@dataclass(frozen=True, slots=True)
class Village:
    """A desa or kelurahan, with the proposals still waiting for its lurah where that matters."""

    code: str
    name: str
    kecamatan_code: str
    waiting: int = 0


@dataclass(frozen=True, slots=True)
class Deadline:
    """The next closing date of the Musrenbang calendar."""

    stage: str
    closes_at: datetime


@dataclass(frozen=True)
class Counts:
    """The numbers counted in SQL, as of the end of the window."""

    window: Window
    total: int
    by_status: dict[Status, int]
    supporters: int
    new: NewCounts
    kecamatan: tuple[KecamatanCounts, ...]
    by_opd: tuple[OpdCount, ...]
    by_program: tuple[ProgramCount, ...]
    unmatched: int
    villages: tuple[Village, ...]
    silent_villages: tuple[Village, ...]
    waiting_villages: tuple[Village, ...]
    deadline: Deadline | None
    region_names: dict[str, str]

    @property
    def counted(self) -> int:
        """Return the proposals that still stand (not withdrawn, rejected or merged)."""
        return sum(row.total for row in self.kecamatan)


@dataclass(frozen=True)
class Figures(Counts):
    """Everything the message, the chart and the workbook's summary sheets show."""

    priorities: tuple[Priority, ...]
    duplicates: tuple[DuplicateGroup, ...]

    @classmethod
    def combine(
        cls,
        counts: Counts,
        *,
        priorities: tuple[Priority, ...],
        duplicates: tuple[DuplicateGroup, ...],
    ) -> Figures:
        """Return the counts with the priorities and duplicates found in the proposals."""
        values = {field.name: getattr(counts, field.name) for field in fields(Counts)}
        return cls(**values, priorities=priorities, duplicates=duplicates)


def confident_clause() -> ColumnElement[bool]:
    """Return the SQL form of priority.is_confident_match."""
    return and_(
        col(Proposal.program_code).is_not(None),
        col(Proposal.program_code) != "",
        or_(col(Proposal.match_confirmed), col(Proposal.match_confident)),
    )


def supporter_counts() -> Subquery:
    """Return a subquery of supporters per proposal id."""
    return (
        select(Supporter.proposal_id, func.count().label("supporters"))
        .group_by(col(Supporter.proposal_id))
        .subquery()
    )


def _before(until: datetime, statuses: Iterable[Status]) -> ColumnElement[bool]:
    return and_(col(Proposal.created_at) < until, col(Proposal.status).in_(list(statuses)))


async def program_directory(session: AsyncSession, version: str) -> dict[str, CatalogueProgram]:
    """Return every program a proposal can carry: the nomenclature plus the regency's RPJMD."""
    nomenclature = await asyncio.to_thread(load_catalogue, version)
    return merge_imported(nomenclature, await list_imported_programs(session)).programs


async def count_by_status(session: AsyncSession, until: datetime) -> dict[Status, int]:
    """Return the submitted proposals per status."""
    rows = await session.exec(
        select(Proposal.status, func.count())
        .where(_before(until, SUBMITTED))
        .group_by(col(Proposal.status))
    )
    return {Status(status): int(count) for status, count in rows.all()}


async def count_supporters(session: AsyncSession, until: datetime) -> int:
    """Return the supports recorded so far."""
    query = select(func.count()).select_from(Supporter).where(col(Supporter.created_at) < until)
    return int((await session.exec(query)).one())


async def count_new(session: AsyncSession, window: Window) -> NewCounts:
    """Return the proposals, supports and status moves inside the window."""
    inside = (window.since, window.until)
    submitted = await session.exec(
        select(func.count())
        .select_from(Proposal)
        .where(col(Proposal.created_at) >= inside[0], col(Proposal.created_at) < inside[1])
        .where(col(Proposal.status) != Status.DRAF)
    )
    supported = await session.exec(
        select(func.count())
        .select_from(Supporter)
        .where(col(Supporter.created_at) >= inside[0], col(Supporter.created_at) < inside[1])
    )
    moves = await session.exec(
        select(StatusChange.to_status, func.count())
        .where(col(StatusChange.created_at) >= inside[0], col(StatusChange.created_at) < inside[1])
        .group_by(col(StatusChange.to_status))
    )
    by_status = {Status(status): int(count) for status, count in moves.all()}
    return NewCounts(
        submitted=int(submitted.one()),
        supported=int(supported.one()),
        verified=by_status.get(Status.DIVERIFIKASI, 0),
        returned=by_status.get(Status.DIKEMBALIKAN, 0),
        rejected=by_status.get(Status.DITOLAK, 0),
        merged=by_status.get(Status.DIGABUNG, 0),
    )


async def count_by_kecamatan(
    session: AsyncSession, until: datetime, kecamatan: list[Region]
) -> tuple[KecamatanCounts, ...]:
    """Return every kecamatan's counted proposals per bidang (zeros included)."""
    rows = await session.exec(
        select(Proposal.kecamatan_code, Proposal.bidang, func.count())
        .where(_before(until, COUNTED))
        .group_by(col(Proposal.kecamatan_code), col(Proposal.bidang))
    )
    counts: dict[str, dict[Bidang, int]] = defaultdict(dict)
    for code, bidang, count in rows.all():
        counts[code][Bidang(bidang)] = int(count)
    names = {region.code: region.name for region in kecamatan}
    codes = [region.code for region in kecamatan] + sorted(set(counts) - set(names))
    return tuple(
        KecamatanCounts(
            code=code,
            name=names.get(code, code),
            by_bidang={bidang: counts[code].get(bidang, 0) for bidang in BIDANG_ORDER},
        )
        for code in codes
    )


async def count_by_program(
    session: AsyncSession, until: datetime, programs: dict[str, CatalogueProgram]
) -> tuple[tuple[ProgramCount, ...], tuple[OpdCount, ...]]:
    """Return the counted proposals per program and per OPD, most first."""
    rows = await session.exec(
        select(Proposal.program_code, func.count())
        .where(_before(until, COUNTED), col(Proposal.program_code).is_not(None))
        .group_by(col(Proposal.program_code))
    )
    by_program = []
    by_opd: dict[str, int] = defaultdict(int)
    for code, count in rows.all():
        if not code:
            continue
        program = programs.get(code)
        name, opd = (program.name, program.opd) if program else ("", "")
        by_program.append(ProgramCount(code=code, name=name, opd=opd, count=int(count)))
        by_opd[opd] += int(count)
    by_program.sort(key=lambda row: (-row.count, row.code))
    opds = sorted((OpdCount(opd, count) for opd, count in by_opd.items()), key=_most_first)
    return tuple(by_program), tuple(opds)


def _most_first(row: OpdCount) -> tuple[int, str]:
    return -row.count, row.opd


async def count_unmatched(session: AsyncSession, until: datetime) -> int:
    """Return the counted proposals without a confident program."""
    query = (
        select(func.count())
        .select_from(Proposal)
        .where(_before(until, COUNTED), ~confident_clause())
    )
    return int((await session.exec(query)).one())


async def list_villages(session: AsyncSession) -> list[Region]:
    """Return every desa and kelurahan by kecamatan and name."""
    rows = await session.exec(
        select(Region)
        .where(col(Region.level).in_(VILLAGE_LEVELS))
        .order_by(col(Region.parent_code), col(Region.name))
    )
    return list(rows.all())


async def villages_heard(session: AsyncSession, until: datetime) -> set[str]:
    """Return the villages with at least one submitted proposal."""
    rows = await session.exec(
        select(Proposal.desa_code).where(_before(until, SUBMITTED)).distinct()
    )
    return set(rows.all())


async def waiting_for_lurah(session: AsyncSession, until: datetime) -> dict[str, int]:
    """Return per village the proposals still waiting for the lurah's verification."""
    rows = await session.exec(
        select(Proposal.desa_code, func.count())
        .where(_before(until, (Status.DIAJUKAN,)))
        .group_by(col(Proposal.desa_code))
    )
    return {code: int(count) for code, count in rows.all()}


async def next_deadline(session: AsyncSession, until: datetime) -> Deadline | None:
    """Return the stage that closes next after `until`."""
    rows = await session.exec(
        select(Stage).where(col(Stage.closes_at) > until).order_by(col(Stage.closes_at)).limit(1)
    )
    stage = rows.first()
    return Deadline(stage.name, stage.closes_at) if stage else None


async def collect_counts(
    session: AsyncSession, *, window: Window, programs: dict[str, CatalogueProgram]
) -> Counts:
    """Count in SQL everything the summary shows, as of the end of `window`."""
    until = window.until
    kecamatan = list(
        (await session.exec(select(Region).where(Region.level == RegionLevel.KECAMATAN))).all()
    )
    kecamatan.sort(key=lambda region: region.code)
    villages = await list_villages(session)
    heard = await villages_heard(session, until)
    waiting = await waiting_for_lurah(session, until)
    village_rows = tuple(
        Village(region.code, region.name, region.parent_code or "", waiting.get(region.code, 0))
        for region in villages
    )
    by_program, by_opd = await count_by_program(session, until, programs)
    by_status = await count_by_status(session, until)
    return Counts(
        window=window,
        total=sum(by_status.values()),
        by_status=by_status,
        supporters=await count_supporters(session, until),
        new=await count_new(session, window),
        kecamatan=await count_by_kecamatan(session, until, kecamatan),
        by_opd=by_opd,
        by_program=by_program,
        unmatched=await count_unmatched(session, until),
        villages=village_rows,
        silent_villages=tuple(row for row in village_rows if row.code not in heard),
        waiting_villages=tuple(
            sorted(
                (row for row in village_rows if row.waiting),
                key=lambda row: (-row.waiting, row.name),
            )
        ),
        deadline=await next_deadline(session, until),
        region_names={region.code: region.name for region in (*kecamatan, *villages)},
    )
