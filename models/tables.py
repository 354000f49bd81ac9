"""Import every table module so SQLModel.metadata knows them all (for Alembic)."""

from models import (
    calendar,
    catalogue,
    conversations,
    invites,
    outbox,
    proposals,
    regions,
    tallies,
    users,
)

__all__ = [
    "calendar",
    "catalogue",
    "conversations",
    "invites",
    "outbox",
    "proposals",
    "regions",
    "tallies",
    "users",
]
