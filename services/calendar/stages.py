"""Adding, changing and deleting stages, with the checks a planner needs in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import col, select

from core.i18n import _
from models.calendar import Stage, StageLevel, list_stages
from models.enums import RegionLevel
from models.proposals import Proposal
from models.regions import get_region
from services.reminders.cancelling import cancel_stage_reminders

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

MAX_NAME_LENGTH = 200
# The time of day a date typed without one means: intake opens at the start of the day and
# closes at its end; a forum starts in the morning.
OPENS_DEFAULT_TIME = time(0, 0)
CLOSES_DEFAULT_TIME = time(23, 59)
FORUM_DEFAULT_TIME = time(9, 0)
VILLAGE_LEVELS = frozenset({RegionLevel.DESA, RegionLevel.KELURAHAN})
# Which kinds of area a stage of each level may be limited to (None: the whole regency).
ALLOWED_SCOPES: dict[StageLevel, frozenset[RegionLevel]] = {
    StageLevel.DESA: frozenset({RegionLevel.KECAMATAN, *VILLAGE_LEVELS}),
    StageLevel.KECAMATAN: frozenset({RegionLevel.KECAMATAN}),
    StageLevel.OPD: frozenset(),
    StageLevel.KABUPATEN: frozenset(),
}


@dataclass(frozen=True)
class StageFields:
    """What a planner sets for a stage; `region_code` None means the whole regency."""

    name: str
    level: StageLevel
    region_code: str | None
    opens_at: datetime
    closes_at: datetime
    forum_at: datetime | None = None

    @classmethod
    def of(cls, stage: Stage) -> StageFields:
        """Return the fields of a stored stage."""
        return cls(
            name=stage.name,
            level=StageLevel(stage.level),
            region_code=stage.region_code,
            opens_at=stage.opens_at,
            closes_at=stage.closes_at,
            forum_at=stage.forum_at,
        )


@dataclass
class StageCheck:
    """What is wrong with a stage (it cannot be saved) and what deserves a second look."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return whether the stage can be saved."""
        return not self.errors


class StageInUseError(Exception):
    """The stage has proposals, so deleting it would lose which stage they belong to."""

    def __init__(self, proposals: int) -> None:
        super().__init__(f"stage has {proposals} proposals")
        self.proposals = proposals


async def check_stage(
    session: AsyncSession, fields: StageFields, *, now: datetime, stage_id: int | None = None
) -> StageCheck:
    """Check a stage before saving it; `stage_id` is the stage being changed, if any."""
    check = StageCheck()
    name = fields.name.strip()
    if not name:
        check.errors.append(_("The stage needs a name, for example Musrenbang Desa 2027."))
    elif len(name) > MAX_NAME_LENGTH:
        check.errors.append(
            _("The name is too long: at most {limit} characters.").format(limit=MAX_NAME_LENGTH)
        )
    if fields.closes_at <= fields.opens_at:
        check.errors.append(
            _("The closing time must be after the opening time. Please check both dates.")
        )
    if fields.forum_at is not None and fields.forum_at < fields.closes_at:
        check.errors.append(
            _(
                "The forum must be on or after the closing time: proposals are discussed "
                "after intake closes."
            )
        )
    scope_problem = await _scope_problem(session, fields)
    if scope_problem:
        check.errors.append(scope_problem)
    if fields.closes_at <= now:
        check.warnings.append(
            _("The closing time has already passed, so nobody can submit in this stage.")
        )
    for other in await overlapping_stages(session, fields, stage_id=stage_id):
        check.warnings.append(
            _(
                "Its intake period overlaps “{name}” for the same area. Where both cover a "
                "village, proposals go to the stage that closes first."
            ).format(name=other.name)
        )
    return check


async def _scope_problem(session: AsyncSession, fields: StageFields) -> str | None:
    if fields.region_code is None:
        return None
    region = await get_region(session, fields.region_code)
    if region is None:
        return _("There is no kecamatan or desa with the code {code}.").format(
            code=fields.region_code
        )
    if RegionLevel(region.level) in ALLOWED_SCOPES[fields.level]:
        return None
    if fields.level is StageLevel.KECAMATAN:
        return _(
            "A Musrenbang Kecamatan covers one kecamatan or the whole regency, not a single desa."
        )
    if fields.level is StageLevel.DESA:
        return _("Choose a kecamatan, a desa/kelurahan, or the whole regency.")
    return _("The Forum OPD and the Musrenbang Kabupaten cover the whole regency.")


def _scopes_meet(first: str | None, second: str | None) -> bool:
    """Return whether two areas share a village (the regency meets every area)."""
    if first is None or second is None:
        return True
    return first == second or first.startswith(f"{second}.") or second.startswith(f"{first}.")


async def overlapping_stages(
    session: AsyncSession, fields: StageFields, *, stage_id: int | None = None
) -> list[Stage]:
    """Return the other stages whose intake period and area meet this one's."""
    return [
        other
        for other in await list_stages(session)
        if other.id != stage_id
        and other.opens_at < fields.closes_at
        and fields.opens_at < other.closes_at
        and _scopes_meet(other.region_code, fields.region_code)
    ]


async def add_stage(session: AsyncSession, fields: StageFields) -> Stage:
    """Store a new stage (check it first with `check_stage`)."""
    stage = Stage(
        name=fields.name.strip(),
        level=fields.level,
        region_code=fields.region_code,
        opens_at=fields.opens_at,
        closes_at=fields.closes_at,
        forum_at=fields.forum_at,
    )
    session.add(stage)
    await session.flush()
    return stage


async def change_stage(session: AsyncSession, stage: Stage, fields: StageFields) -> int:
    """Store new fields and cancel the stage's unsent reminders; return how many were cancelled.

    The planner plans them again from the new dates on its next run.
    """
    stage.name = fields.name.strip()
    stage.level = fields.level
    stage.region_code = fields.region_code
    stage.opens_at = fields.opens_at
    stage.closes_at = fields.closes_at
    stage.forum_at = fields.forum_at
    session.add(stage)
    await session.flush()
    return await cancel_stage_reminders(session, stage.id)  # type: ignore[arg-type]


async def count_stage_proposals(session: AsyncSession, stage_id: int) -> int:
    """Return how many proposals were submitted in the stage."""
    result = await session.exec(
        select(func.count()).select_from(Proposal).where(col(Proposal.stage_id) == stage_id)
    )
    return int(result.one())


async def delete_stage(session: AsyncSession, stage: Stage) -> int:
    """Delete a stage nobody submitted in, cancelling its unsent reminders; return how many.

    Raises:
        StageInUseError: proposals belong to the stage.
    """
    proposals = await count_stage_proposals(session, stage.id)  # type: ignore[arg-type]
    if proposals:
        raise StageInUseError(proposals)
    cancelled = await cancel_stage_reminders(session, stage.id)  # type: ignore[arg-type]
    await session.delete(stage)
    await session.flush()
    return cancelled
