"""Import every table module so SQLModel.metadata knows them all (for Alembic)."""

from models import (
    calendar,
    catalogue,
    conversations,
    inbox,
    invites,
    leases,
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
    "inbox",
    "invites",
    "leases",
    "outbox",
    "proposals",
    "regions",
    "tallies",
    "users",
]
