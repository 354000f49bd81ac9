"""Send outbox rows within Telegram's limits: the fast path for replies, and the sender loop.

Every row is claimed before it is sent (replies by the transaction that wrote them, other rows
by `claim_due_rows`), so with several instances on one database each row goes out once; a row
whose claim runs out (its instance died) is taken over by any sender.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from core.events import (
    AnswerCallback,
    Blocked,
    Delivered,
    Rejected,
    RetryAfter,
    Unreachable,
)
from models.base import utcnow
from models.db import run_transaction, session_scope
from models.locks import lock_outbox_claims
from models.outbox import (
    claim_due_rows,
    drop_unsent_rows,
    mark_row_failed,
    mark_rows_sent,
    release_all_claims,
    release_rows,
)
from models.users import set_user_inactive
from services.notify.outbox import Priority

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncEngine
    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from core.events import Reply, SendOutcome, Transport
    from services.notify.limits import SendLimits
    from services.notify.outbox import QueuedReply
    from services.notify.render import Renderers

logger = logging.getLogger(__name__)

#: Rows claimed per round of the sender loop, at most; fewer when the limit would not let
#: them all start within the claim.
CLAIM_BATCH = 500
#: Beyond the longest send, a claim keeps this much time in hand before it runs out.
CLAIM_SPARE_SECONDS = 2.0


@dataclass(slots=True)
class _Row:
    """One row on its way: its id, recipient, how to build its replies, and tries so far."""

    row_id: int
    chat_id: int
    kind: str
    payload: dict
    priority: int
    attempts: int = 0
    replies: list[Reply] | None = None


@dataclass(slots=True)
class _Outcomes:
    """What a batch of sends ended in, written to the database together."""

    sent: list[tuple[int, int | None, int]] = field(default_factory=list)


class Sender:
    """Delivers outbox rows through a runtime's `Transport` and records each outcome."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        transport: Transport,
        renderers: Renderers,
        limits: SendLimits,
        settings: Settings,
        owner: str,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.transport = transport
        self.renderers = renderers
        self.limits = limits
        self.settings = settings
        self.owner = owner
        self.clock = clock
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(settings.sender_concurrency)
        self._sent: list[tuple[int, int | None, int]] = []
        self._marking = asyncio.Lock()

    def _send_window(self) -> float:
        """Return how long after claiming a send may still start (it ends before the claim)."""
        settings = self.settings
        return settings.outbox_claim_seconds - settings.send_timeout_seconds - CLAIM_SPARE_SECONDS

    def _claim_batch(self) -> int:
        """Return how many rows one round claims: what the overall limit sends in half a claim."""
        half = self.settings.send_per_second * self._send_window() / 2
        return max(10, min(CLAIM_BATCH, int(half)))

    def nudge(self) -> None:
        """Look for due rows now instead of at the next poll."""
        self._wake.set()

    # --- the fast path ----------------------------------------------------------------------

    async def send_replies(self, queued: list[QueuedReply]) -> None:
        """Send an update's replies right after its commit, in order; never raises.

        Rows this instance did not claim (an older row of the chat is still queued) are left
        to the sender loop, which keeps the chat's order.
        """
        mine = [item for item in queued if item.claimed]
        if len(mine) < len(queued):
            self.nudge()
        if not mine:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._send_window()
        rows = [
            _Row(item.row_id, item.chat_id, "reply", {}, int(Priority.REPLY), 0, [item.reply])
            for item in mine
        ]
        try:
            await self._send_in_order(rows, deadline=deadline)
        except Exception:
            logger.exception("Fast path failed; the sender will retry the rows")

    # --- the sender loop --------------------------------------------------------------------

    async def take_over_claims(self) -> int:
        """On SQLite (one instance by design) take over what a crashed run had claimed.

        On PostgreSQL other instances may be alive, so their claims are left to run out.
        """
        if self.engine.dialect.name != "sqlite":
            return 0

        async def release(session: AsyncSession) -> int:
            return await release_all_claims(session)

        count = await run_transaction(self.engine, release)
        if count:
            logger.info("Took over %s outbox rows left claimed by a stopped run", count)
        return count

    async def run(self) -> None:
        """Send due rows until cancelled: claimed in rounds, each chat in order."""
        logger.info("Outbox sender %s started", self.owner)
        while True:
            try:
                sent = await self.send_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Outbox round failed; trying again shortly")
                sent = 0
            if sent:
                continue
            self._wake.clear()
            try:
                async with asyncio.timeout(self.settings.sender_poll_seconds):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def send_due(self) -> int:
        """Claim the due rows and send them; return how many rows were claimed."""
        now = self.clock()
        until = now + timedelta(seconds=self.settings.outbox_claim_seconds)

        async def claim(session: AsyncSession) -> list[_Row]:
            await lock_outbox_claims(session)
            claimed = await claim_due_rows(
                session,
                owner=self.owner,
                now=now,
                until=until,
                limit=self._claim_batch(),
            )
            return [
                _Row(row.id, row.recipient_id, row.kind, row.payload, row.priority, row.attempts)
                for row in claimed
            ]

        rows = await run_transaction(self.engine, claim)
        if not rows:
            return 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._send_window()
        rows.sort(key=lambda row: row.chat_id)
        chats = [list(group) for _chat, group in groupby(rows, key=lambda row: row.chat_id)]
        chats.sort(key=lambda chat_rows: min(row.priority for row in chat_rows))
        tasks = [asyncio.create_task(self._send_chat(chat_rows, deadline)) for chat_rows in chats]
        await asyncio.gather(*tasks)
        return len(rows)

    async def _send_chat(self, rows: list[_Row], deadline: float) -> None:
        rows.sort(key=lambda row: row.row_id)
        async with self._slots:
            try:
                await self._send_in_order(rows, deadline=deadline)
            except Exception:
                logger.exception(
                    "Sending to chat %s failed; its rows will be retried", rows[0].chat_id
                )

    # --- one chat's rows --------------------------------------------------------------------

    async def _send_in_order(self, rows: list[_Row], *, deadline: float) -> None:
        """Send one chat's rows in order; stop at the first that must wait, releasing the rest."""
        loop = asyncio.get_running_loop()
        outcomes = _Outcomes()
        try:
            for index, row in enumerate(rows):
                if loop.time() > deadline:
                    await self._release(rows[index:], delay=0.0)
                    return
                go_on = await self._send_row(row, outcomes, rest=rows[index + 1 :])
                if not go_on:
                    return
        finally:
            if outcomes.sent:
                await self._record_sent(outcomes.sent)

    async def _send_row(self, row: _Row, outcomes: _Outcomes, *, rest: list[_Row]) -> bool:
        """Send one row; return whether the chat's next rows may follow now."""
        try:
            replies = row.replies if row.replies is not None else await self._render(row)
        except Exception as error:
            logger.exception("Outbox row %s (%s) could not be rendered", row.row_id, row.kind)
            await self._fail(row, f"render failed: {type(error).__name__}: {error}")
            return True
        message_id: int | None = None
        for reply in replies:
            outcome = await self._send_one(reply, row)
            match outcome:
                case Delivered():
                    message_id = outcome.message_id if outcome.message_id else message_id
                    continue
                case Blocked():
                    await self._blocked(row, outcome.reason)
                    return False
                case RetryAfter():
                    self.limits.pause(outcome.seconds)
                    logger.warning(
                        "Telegram asked to wait %.1f s; sending paused (row %s)",
                        outcome.seconds,
                        row.row_id,
                    )
                    await self._release([row, *rest], delay=outcome.seconds)
                    return False
                case Rejected():
                    logger.warning("Outbox row %s rejected: %s", row.row_id, outcome.reason)
                    await self._fail(row, outcome.reason)
                    return True
                case Unreachable():
                    await self._retry_later(row, rest, outcome.reason)
                    return False
        outcomes.sent.append((row.row_id, message_id, row.attempts + 1))
        return True

    async def _send_one(self, reply: Reply, row: _Row) -> SendOutcome:
        urgent = row.priority == Priority.REPLY
        counts = not isinstance(reply, AnswerCallback)
        async with self.limits.slot(row.chat_id, urgent=urgent, counts=counts):
            try:
                return await self.transport.send(reply)
            except Exception as error:  # a transport bug must not stop the chat for good
                logger.exception("Transport failed on outbox row %s", row.row_id)
                return Unreachable(type(error).__name__)

    async def _render(self, row: _Row) -> list[Reply]:
        async with session_scope(self.engine) as session:
            return await self.renderers.render(
                session,
                kind=row.kind,
                recipient_id=row.chat_id,
                payload=row.payload,
                settings=self.settings,
                now=self.clock(),
            )

    # --- recording outcomes -----------------------------------------------------------------

    async def _record_sent(self, sent: list[tuple[int, int | None, int]]) -> None:
        """Mark rows sent; returns once they are committed (several callers share a commit)."""
        self._sent.extend(sent)
        async with self._marking:
            if not self._sent:
                return  # a commit that started after our rows were added took them
            batch, self._sent = self._sent, []
            now = self.clock()

            async def record(session: AsyncSession) -> None:
                await mark_rows_sent(session, batch, now=now)

            await run_transaction(self.engine, record)

    async def _fail(self, row: _Row, reason: str) -> None:
        async def record(session: AsyncSession) -> None:
            await mark_row_failed(session, row.row_id, reason=reason)

        await run_transaction(self.engine, record)

    async def _blocked(self, row: _Row, reason: str) -> None:
        logger.info("Chat %s cannot be reached (%s); its queued rows dropped", row.chat_id, reason)

        async def record(session: AsyncSession) -> None:
            await set_user_inactive(session, row.chat_id)
            await drop_unsent_rows(session, row.chat_id, reason=reason or "blocked")

        await run_transaction(self.engine, record)

    async def _release(self, rows: list[_Row], *, delay: float) -> None:
        if not rows:
            return
        when = self.clock() + timedelta(seconds=delay)
        ids = [row.row_id for row in rows]

        async def record(session: AsyncSession) -> None:
            await release_rows(session, ids, next_attempt_at=when)

        await run_transaction(self.engine, record)
        self.nudge()

    async def _retry_later(self, row: _Row, rest: list[_Row], reason: str) -> None:
        """Back off after a network or server error; give the row up after too many tries."""
        attempts = row.attempts + 1
        if attempts >= self.settings.send_attempts:
            logger.error(
                "Outbox row %s failed %s times (%s); marked failed", row.row_id, attempts, reason
            )
            await self._fail(row, reason)
            await self._release(rest, delay=0.0)
            return
        delay = min(
            self.settings.send_first_backoff_seconds * 2 ** (attempts - 1),
            self.settings.send_max_backoff_seconds,
        ) * random.uniform(0.75, 1.0)
        logger.warning(
            "Outbox row %s to chat %s: %s; retry %s in %.1f s",
            row.row_id,
            row.chat_id,
            reason,
            attempts,
            delay,
        )
        when = self.clock() + timedelta(seconds=delay)
        ids = [item.row_id for item in rest]

        async def record(session: AsyncSession) -> None:
            await release_rows(
                session,
                [row.row_id],
                next_attempt_at=when,
                reason=reason,
                count_attempt=True,
            )
            await release_rows(session, ids, next_attempt_at=self.clock())

        await run_transaction(self.engine, record)
