"""Outbox rows for the people a change concerns; the text is rendered at send time.

Payloads hold codes and numbers only (plus the official's note), so each person reads the
message in their own language when it is sent. Kinds and their payloads:

- ``status_changed``: ``proposal_id``, ``code``, ``from``, ``to``, ``note``, ``by_role``,
  ``merged_into`` (tracking code or None), ``relation`` (``proposer`` or ``supporter``).
- ``role_replaced``: ``role``, ``region_code`` (the place the person no longer holds).
- ``invite_accepted``: ``invite_id``, ``role``, ``region_code``, ``user_id`` (who accepted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlmodel import select

from models.outbox import Outbox
from models.proposals import Proposal
from models.review import reachable_people

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from models.proposals import StatusChange

STATUS_CHANGED = "status_changed"
ROLE_REPLACED = "role_replaced"
INVITE_ACCEPTED = "invite_accepted"

PROPOSER = "proposer"
SUPPORTER = "supporter"


async def enqueue(
    session: AsyncSession,
    *,
    recipient_id: int,
    kind: str,
    payload: dict[str, Any],
    dedup_key: str,
    due_at: datetime,
) -> bool:
    """Add an outbox row unless one with `dedup_key` exists; return whether it was added."""
    existing = await session.exec(select(Outbox.id).where(Outbox.dedup_key == dedup_key))
    if existing.first() is not None:
        return False
    session.add(
        Outbox(
            recipient_id=recipient_id,
            kind=kind,
            payload=payload,
            dedup_key=dedup_key,
            due_at=due_at,
        )
    )
    return True


async def notify_status_change(
    session: AsyncSession, proposal: Proposal, change: StatusChange
) -> list[int]:
    """Tell the proposer and every supporter about `change`; return who will be told.

    Nobody is told about their own action; people who deleted their data (no longer
    stored) or blocked the bot (inactive) are left out. The dedup key is the change's id
    and the recipient's, so one change is told to each person once: telling it again
    breaks the outbox's unique key and rolls the transaction back.
    """
    merged_into = None
    if proposal.merged_into_id is not None:
        target = await session.get(Proposal, proposal.merged_into_id)
        merged_into = target.tracking_code if target is not None else None
    people = await reachable_people(
        session, proposal_id=proposal.id or 0, proposer_id=proposal.proposer_id
    )
    told = [person.telegram_id for person in people if person.telegram_id != change.changed_by]
    for recipient in told:
        relation = PROPOSER if recipient == proposal.proposer_id else SUPPORTER
        session.add(
            Outbox(
                recipient_id=recipient,
                kind=STATUS_CHANGED,
                payload={
                    "proposal_id": proposal.id,
                    "code": proposal.tracking_code,
                    "from": str(change.from_status) if change.from_status else None,
                    "to": str(change.to_status),
                    "note": change.note,
                    "by_role": str(change.changed_by_role) if change.changed_by_role else None,
                    "merged_into": merged_into,
                    "relation": relation,
                },
                dedup_key=f"status:{change.id}:{recipient}",
                due_at=change.created_at,
            )
        )
    return sorted(told)
