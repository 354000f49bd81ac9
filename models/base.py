"""Shared column helpers: timezone-aware UTC timestamps."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlmodel import Field


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def timestamp_field(*, nullable: bool = False, index: bool = False) -> datetime:
    """Declare a timezone-aware timestamp column defaulting to now (UTC)."""
    if nullable:
        return Field(default=None, sa_type=DateTime(timezone=True), nullable=True, index=index)
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), index=index)
