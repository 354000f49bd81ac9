"""Who needs which reminder at a due slot, and the counts the message shows.

- `draft`: a person whose unfinished draft would go to the stage (before each close);
- `lurah`: a lurah whose desa has proposals not yet verified, or none at all (desa stages);
- `camat`: a camat whose kecamatan has verified proposals not yet ranked (kecamatan stages);
- `forum`: everyone who submitted or supported a proposal on the forum's agenda;
- `closed`: after the close, the people taking part: drafts that can no longer be sent,
  proposers of the stage, and the lurah or camat of its area.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_
from sqlmodel import col, select

from models.calendar import StageLevel, region_and_ancestors
from models.conversations import Conversation
from models.enums import Role, Status
from models.proposals import Proposal, Supporter
from models.users import User
from services.drafts import Draft
from services.reminders.slots import SlotKind

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from models.calendar import Stage
    from services.reminders.slots import Slot

# Somebody who touched the bot this recently knows about their draft.
DRAFT_IDLE = timedelta(hours=6)
# What a finished draft has, in the order the intake asks for it; any key is enough.
DRAFT_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("desa", ("desa_code",)),
    ("bidang", ("bidang",)),
    ("title", ("title",)),
    ("problem", ("problem",)),
    ("location", ("location_detail", "latitude")),
    ("volume", ("volume",)),
    ("beneficiaries", ("beneficiaries",)),
    ("urgency", ("urgency",)),
)
# The proposals each level's forum discusses.
AGENDA: dict[StageLevel, frozenset[Status]] = {
    StageLevel.DESA: frozenset({Status.DIAJUKAN, Status.DIVERIFIKASI}),
    StageLevel.KECAMATAN: frozenset({Status.DIVERIFIKASI, Status.DIBAHAS_KECAMATAN}),
    StageLevel.OPD: frozenset({Status.DIBAHAS_KECAMATAN, Status.DITERUSKAN_OPD}),
    StageLevel.KABUPATEN: frozenset({Status.DITERUSKAN_OPD}),
}
FORUM_CODES_SHOWN = 10


class Topic(StrEnum):
    """What part of a reminder is about."""

    DRAFT = "draft"
    LURAH = "lurah"
    CAMAT = "camat"
    FORUM = "forum"
    CLOSED = "closed"


@dataclass(frozen=True)
class Notice:
    """One thing to tell one person at one slot, with its facts (codes and numbers)."""

    person_id: int
    slot: Slot
    topic: Topic
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Draft:
    person_id: int
    region_code: str
    missing: list[str]


def _covers(stage: Stage, region_code: str) -> bool:
    return stage.region_code is None or stage.region_code in region_and_ancestors(region_code)


def missing_parts(draft: Draft) -> list[str]:
    """Return what the draft still lacks, as part names (`problem`, `volume`, …)."""
    return [
        name
        for name, keys in DRAFT_PARTS
        if not any(getattr(draft, key) is not None for key in keys)
    ]


async def find_notices(
    session: AsyncSession,
    *,
    stages: list[Stage],
    due: dict[int, list[Slot]],
    now: datetime,
    keep_days: int,
) -> list[Notice]:
    """Return every notice the due slots call for (before filtering who can be reached)."""
    by_id = {stage.id: stage for stage in stages}
    drafts = await _unfinished_drafts(session, now, keep_days)
    officials = await _officials(session)
    notices: list[Notice] = []
    for stage_id, slots in due.items():
        stage = by_id[stage_id]
        for slot in slots:
            if slot.kind is SlotKind.CLOSE:
                notices += _draft_notices(stage, slot, drafts, stages, now)
                notices += await _official_notices(session, stage, slot, officials)
            elif slot.kind is SlotKind.FORUM:
                notices += await _forum_notices(session, stage, slot)
            else:
                notices += await _closed_notices(session, stage, slot, officials)
                notices += _closed_drafts(stage, slot, drafts, stages, now)
    return notices


async def _unfinished_drafts(session: AsyncSession, now: datetime, keep_days: int) -> list[_Draft]:
    """Return the drafts the intake would still offer to continue, idle for a while."""
    result = await session.exec(
        select(Conversation).where(col(Conversation.updated_at) <= now - DRAFT_IDLE)
    )
    drafts = []
    for conversation in result.all():
        draft = Draft.load(conversation.draft or {})
        region = draft.desa_code or draft.kecamatan_code
        if not region or not draft.resume_step or draft.expired(now, keep_days):
            continue
        drafts.append(_Draft(conversation.user_id, region, missing_parts(draft)))
    return drafts


def _intake_stage(stages: list[Stage], region_code: str, now: datetime) -> Stage | None:
    """Return the stage a draft of `region_code` would be submitted in at `now`."""
    open_here = [
        stage
        for stage in stages
        if stage.opens_at <= now < stage.closes_at and _covers(stage, region_code)
    ]
    return min(open_here, key=lambda stage: (stage.closes_at, stage.id or 0), default=None)


def _draft_notices(
    stage: Stage, slot: Slot, drafts: list[_Draft], stages: list[Stage], now: datetime
) -> list[Notice]:
    notices = []
    for draft in drafts:
        intake = _intake_stage(stages, draft.region_code, now)
        if intake is not None and intake.id == stage.id:
            notices.append(Notice(draft.person_id, slot, Topic.DRAFT, {"missing": draft.missing}))
    return notices


def _closed_drafts(
    stage: Stage, slot: Slot, drafts: list[_Draft], stages: list[Stage], now: datetime
) -> list[Notice]:
    """Tell people whose draft the stage covered that it can no longer be sent."""
    return [
        Notice(draft.person_id, slot, Topic.CLOSED, {"region": draft.region_code})
        for draft in drafts
        if _covers(stage, draft.region_code)
        and _intake_stage(stages, draft.region_code, now) is None
    ]


async def _officials(session: AsyncSession) -> list[User]:
    result = await session.exec(
        select(User).where(
            col(User.role).in_([Role.LURAH, Role.CAMAT]), col(User.region_code).is_not(None)
        )
    )
    return list(result.all())


async def _official_notices(
    session: AsyncSession, stage: Stage, slot: Slot, officials: list[User]
) -> list[Notice]:
    if stage.level == StageLevel.DESA:
        return await _lurah_notices(session, stage, slot, officials)
    if stage.level == StageLevel.KECAMATAN:
        return await _camat_notices(session, stage, slot, officials)
    return []


async def _lurah_notices(
    session: AsyncSession, stage: Stage, slot: Slot, officials: list[User]
) -> list[Notice]:
    """Lurah whose desa has unverified proposals in the stage, or none yet."""
    rows = await session.exec(
        select(Proposal.desa_code, Proposal.status, func.count())
        .where(col(Proposal.stage_id) == stage.id)
        .group_by(col(Proposal.desa_code), col(Proposal.status))
    )
    totals: dict[str, int] = defaultdict(int)
    unverified: dict[str, int] = defaultdict(int)
    for desa_code, status, count in rows.all():
        totals[desa_code] += count
        if status == Status.DIAJUKAN:
            unverified[desa_code] += count
    notices = []
    for lurah in officials:
        desa = lurah.region_code or ""
        if lurah.role != Role.LURAH or not _covers(stage, desa):
            continue
        if unverified[desa] or not totals[desa]:
            facts = {"desa": desa, "unverified": unverified[desa], "total": totals[desa]}
            notices.append(Notice(lurah.telegram_id, slot, Topic.LURAH, facts))
    return notices


async def _camat_notices(
    session: AsyncSession, stage: Stage, slot: Slot, officials: list[User]
) -> list[Notice]:
    """Camat whose kecamatan has verified proposals that are not ranked yet."""
    rows = await session.exec(
        select(Proposal.kecamatan_code, func.count())
        .where(col(Proposal.status) == Status.DIVERIFIKASI, col(Proposal.kecamatan_rank).is_(None))
        .group_by(col(Proposal.kecamatan_code))
    )
    unranked = dict(rows.all())
    notices = []
    for camat in officials:
        kecamatan = camat.region_code or ""
        if camat.role != Role.CAMAT or not _covers(stage, kecamatan):
            continue
        if unranked.get(kecamatan):
            facts = {"kecamatan": kecamatan, "unranked": unranked[kecamatan]}
            notices.append(Notice(camat.telegram_id, slot, Topic.CAMAT, facts))
    return notices


def _in_scope(stage: Stage) -> list[Any]:
    if stage.region_code is None:
        return []
    return [
        or_(
            col(Proposal.desa_code) == stage.region_code,
            col(Proposal.kecamatan_code) == stage.region_code,
        )
    ]


async def _forum_notices(session: AsyncSession, stage: Stage, slot: Slot) -> list[Notice]:
    """Everyone who submitted or supported a proposal on the forum's agenda."""
    agenda = (
        select(Proposal.id, Proposal.tracking_code, Proposal.proposer_id)
        .where(col(Proposal.status).in_(AGENDA[StageLevel(stage.level)]), *_in_scope(stage))
        .order_by(col(Proposal.id))
    )
    proposals = (await session.exec(agenda)).all()
    codes_of: dict[int, list[str]] = defaultdict(list)
    code_by_id = {}
    for proposal_id, code, proposer_id in proposals:
        code_by_id[proposal_id] = code
        if proposer_id is not None:
            codes_of[proposer_id].append(code)
    if code_by_id:
        supporters = await session.exec(
            select(Supporter.user_id, Supporter.proposal_id).where(
                col(Supporter.proposal_id).in_(list(code_by_id)),
                col(Supporter.user_id).is_not(None),
            )
        )
        for user_id, proposal_id in supporters.all():
            if code_by_id[proposal_id] not in codes_of[user_id]:
                codes_of[user_id].append(code_by_id[proposal_id])
    return [
        Notice(
            person, slot, Topic.FORUM, {"codes": codes[:FORUM_CODES_SHOWN], "count": len(codes)}
        )
        for person, codes in codes_of.items()
    ]


async def _closed_notices(
    session: AsyncSession, stage: Stage, slot: Slot, officials: list[User]
) -> list[Notice]:
    """Proposers of the stage and the officials of its area, after it closed."""
    proposers = await session.exec(
        select(Proposal.proposer_id, Proposal.desa_code)
        .where(col(Proposal.stage_id) == stage.id, col(Proposal.proposer_id).is_not(None))
        .order_by(col(Proposal.id))
    )
    region_of: dict[int, str] = {}
    for proposer_id, desa_code in proposers.all():
        region_of.setdefault(proposer_id, desa_code)
    official_role = {StageLevel.DESA: Role.LURAH, StageLevel.KECAMATAN: Role.CAMAT}.get(
        StageLevel(stage.level)
    )
    for official in officials:
        region = official.region_code or ""
        if official.role == official_role and _covers(stage, region):
            region_of.setdefault(official.telegram_id, region)
    return [
        Notice(person, slot, Topic.CLOSED, {"region": region})
        for person, region in region_of.items()
    ]
