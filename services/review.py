"""What a lurah and a camat do beyond one status move: merge duplicates, rank, order lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.enums import Role, Status, Urgency
from models.proposals import Supporter
from models.review import list_supporters
from services.lifecycle import change_status
from services.matching.similar import ExistingProposal, find_similar

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from models.proposals import Proposal

URGENCY_ORDER = {Urgency.SANGAT_MENDESAK: 0, Urgency.MENDESAK: 1, Urgency.BIASA: 2}
#: Proposals still alive: a duplicate may be merged into one of these.
MERGE_TARGETS = frozenset(
    {
        Status.DIAJUKAN,
        Status.DIKEMBALIKAN,
        Status.DIVERIFIKASI,
        Status.DIBAHAS_KECAMATAN,
        Status.DITERUSKAN_OPD,
    }
)
DESA_RANK = "desa_rank"
KECAMATAN_RANK = "kecamatan_rank"


class ReviewError(ValueError):
    """A merge or ranking that does not make sense (another desa, a closed proposal…)."""


def by_priority(
    proposals: Sequence[Proposal], supporters: dict[int, int], *, rank_field: str
) -> list[Proposal]:
    """Order proposals as a forum would: ranked first by rank, then urgency, support, newest."""

    def key(proposal: Proposal) -> tuple[bool, int, int, int, float]:
        rank = getattr(proposal, rank_field)
        return (
            rank is None,
            rank or 0,
            URGENCY_ORDER.get(Urgency(proposal.urgency), len(URGENCY_ORDER)),
            -supporters.get(proposal.id or 0, 0),
            -proposal.created_at.timestamp(),
        )

    return sorted(proposals, key=key)


def order_merge_targets(duplicate: Proposal, candidates: Sequence[Proposal]) -> list[Proposal]:
    """Return the proposals a duplicate may join, the most similar first."""
    eligible = [
        proposal
        for proposal in candidates
        if proposal.id != duplicate.id
        and proposal.desa_code == duplicate.desa_code
        and Status(proposal.status) in MERGE_TARGETS
    ]
    existing = [
        ExistingProposal(
            id=proposal.id or 0,
            tracking_code=proposal.tracking_code,
            title=proposal.title,
            program_code=proposal.program_code,
        )
        for proposal in eligible
    ]
    similar = find_similar(
        duplicate.title, existing, program_code=duplicate.program_code, limit=len(existing)
    )
    first = [match.id for match in similar]
    return sorted(
        eligible,
        key=lambda proposal: first.index(proposal.id) if proposal.id in first else len(first),
    )


async def merge_duplicate(
    session: AsyncSession,
    duplicate: Proposal,
    target: Proposal,
    *,
    by: int,
    by_role: Role,
    now: datetime,
) -> int:
    """Merge `duplicate` into `target` of the same desa; return how many supporters moved.

    The duplicate's proposer and supporters are told (which proposal it joined) before
    their support moves over; the duplicate's proposer becomes a supporter of the target.

    Raises:
        ReviewError: the two are the same, in different desa, or the target is closed.
        StatusChangeError: the duplicate cannot be merged from its status.
    """
    if duplicate.id == target.id:
        msg = "a proposal cannot be merged into itself"
        raise ReviewError(msg)
    if duplicate.desa_code != target.desa_code:
        msg = "a duplicate is merged only into a proposal of the same desa"
        raise ReviewError(msg)
    if Status(target.status) not in MERGE_TARGETS:
        msg = f"{target.tracking_code} is closed ({target.status})"
        raise ReviewError(msg)
    duplicate.merged_into_id = target.id
    await change_status(
        session,
        duplicate,
        Status.DIGABUNG,
        by=by,
        by_role=by_role,
        note=target.tracking_code,
        now=now,
    )
    present = {row.user_id for row in await list_supporters(session, target.id or 0)}
    present.add(target.proposer_id)
    moved = 0
    for row in await list_supporters(session, duplicate.id or 0):
        if row.user_id is None or row.user_id in present:
            continue
        row.proposal_id = target.id or 0
        session.add(row)
        present.add(row.user_id)
        moved += 1
    if duplicate.proposer_id is not None and duplicate.proposer_id not in present:
        session.add(
            Supporter(proposal_id=target.id or 0, user_id=duplicate.proposer_id, created_at=now)
        )
        moved += 1
    await session.flush()
    return moved


def apply_ranking(
    scope: Sequence[Proposal], ordered_ids: Sequence[int], *, rank_field: str
) -> list[Proposal]:
    """Give the chosen proposals ranks 1, 2, … in order; the rest of `scope` lose theirs.

    Ids outside `scope` (a proposal that moved on meanwhile) are ignored. Returns the
    ranked proposals in rank order.
    """
    by_id = {proposal.id: proposal for proposal in scope}
    ranked = [by_id[item] for item in dict.fromkeys(ordered_ids) if item in by_id]
    for proposal in scope:
        setattr(proposal, rank_field, None)
    for number, proposal in enumerate(ranked, start=1):
        setattr(proposal, rank_field, number)
    return ranked
