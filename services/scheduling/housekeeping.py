"""Housekeeping jobs: forget what is no longer needed, so tables stay small."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from models.conversations import clear_stale_drafts
from models.inbox import prune_applied_updates
from models.leases import prune_leases
from models.outbox import prune_finished_rows

if TYPE_CHECKING:
    from services.scheduling.runs import JobRun

logger = logging.getLogger(__name__)

#: Finished job runs are remembered this long (catch-up looks back far less).
LEASES_KEPT = timedelta(days=30)


async def prune_inbox(run: JobRun) -> None:
    """Forget applied updates older than INBOX_KEEP_DAYS (Telegram never resends those)."""
    before = run.now - timedelta(days=run.settings.inbox_keep_days)
    count = await prune_applied_updates(run.session, before=before)
    logger.info("Pruned %s applied updates", count)


async def prune_outbox(run: JobRun) -> None:
    """Delete sent and dropped outbox rows older than OUTBOX_KEEP_DAYS; failed rows stay."""
    before = run.now - timedelta(days=run.settings.outbox_keep_days)
    count = await prune_finished_rows(run.session, before=before)
    logger.info("Pruned %s finished outbox rows", count)


async def clear_old_drafts(run: JobRun) -> None:
    """Drop drafts untouched for DRAFT_KEEP_DAYS (the person was told they are kept that long)."""
    before = run.now - timedelta(days=run.settings.draft_keep_days)
    count = await clear_stale_drafts(run.session, before=before, now=run.now)
    logger.info("Cleared %s drafts untouched since %s", count, before.date())


async def prune_job_runs(run: JobRun) -> None:
    """Forget finished job runs older than a month."""
    count = await prune_leases(run.session, before=run.now - LEASES_KEPT)
    logger.info("Pruned %s finished job runs", count)
