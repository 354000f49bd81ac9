"""Job leases: one run of a scheduled job per deployment, however many instances run."""

from datetime import datetime

from sqlalchemy import UniqueConstraint, delete, or_, update
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import timestamp_field
from models.db import dialect_insert


class JobLease(SQLModel, table=True):
    """Who runs (or ran) one planned run of a job; a lease past `expires_at` can be taken over."""

    __table_args__ = (UniqueConstraint("job", "run_key"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=60)
    run_key: str = Field(max_length=60)
    owner: str = Field(max_length=100)
    expires_at: datetime = timestamp_field()
    finished_at: datetime | None = timestamp_field(nullable=True)


async def take_lease(
    session: AsyncSession, *, job: str, run_key: str, owner: str, now: datetime, until: datetime
) -> bool:
    """Take the run's lease: a new run, or one whose owner let its lease expire unfinished.

    Commit right after: the lease must be visible to other instances before the work starts.
    """
    taken = await session.exec(
        update(JobLease)
        .where(
            col(JobLease.job) == job,
            col(JobLease.run_key) == run_key,
            col(JobLease.finished_at).is_(None),
            or_(col(JobLease.expires_at) < now, col(JobLease.owner) == owner),
        )
        .values(owner=owner, expires_at=until)
    )
    if taken.rowcount == 1:  # type: ignore[attr-defined]
        return True
    inserted = await session.exec(
        dialect_insert(session)(JobLease)
        .values(job=job, run_key=run_key, owner=owner, expires_at=until)
        .on_conflict_do_nothing(index_elements=["job", "run_key"])
        .returning(JobLease.id)  # type: ignore[arg-type]
    )
    return inserted.first() is not None


async def finish_lease(
    session: AsyncSession, *, job: str, run_key: str, owner: str, now: datetime
) -> bool:
    """Record the run as done; return False when the lease was lost to another instance."""
    result = await session.exec(
        update(JobLease)
        .where(
            col(JobLease.job) == job,
            col(JobLease.run_key) == run_key,
            col(JobLease.owner) == owner,
        )
        .values(finished_at=now)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def run_finished(session: AsyncSession, *, job: str, run_key: str) -> bool:
    """Tell whether that run of the job is done."""
    result = await session.exec(
        select(col(JobLease.finished_at)).where(
            col(JobLease.job) == job, col(JobLease.run_key) == run_key
        )
    )
    finished = result.first()
    return finished is not None


async def prune_leases(session: AsyncSession, *, before: datetime) -> int:
    """Forget finished runs older than `before`; return how many."""
    result = await session.exec(delete(JobLease).where(col(JobLease.finished_at) < before))
    return result.rowcount or 0  # type: ignore[attr-defined]
