"""Receive updates by long polling or the webhook, storing each before Telegram moves on."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import TYPE_CHECKING, Any

from bot.runtime.webhook import build_webhook_app, serving, webhook_path

if TYPE_CHECKING:
    from bot.runtime.bridge import Bridge, TelegramClient
    from core.config import Settings

logger = logging.getLogger(__name__)

#: Seconds a getUpdates call waits for news.
POLL_TIMEOUT = 25
MAX_BACKOFF_SECONDS = 30.0


async def poll(
    client: TelegramClient, bridge: Bridge, *, wait_seconds: int = POLL_TIMEOUT
) -> None:
    """Long-poll until cancelled; the offset moves on only after a batch is stored.

    An update that cannot be read is skipped (logged), never allowed to stop polling.
    """
    await client.delete_webhook()
    offset: int | None = None
    failures = 0
    while True:
        try:
            raw_updates = await client.fetch_updates(offset, wait_seconds)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            failures += 1
            delay = _backoff(failures)
            logger.warning("getUpdates failed (%s); retry in %.1f s", type(error).__name__, delay)
            await asyncio.sleep(delay)
            continue
        failures = 0
        if not raw_updates:
            continue
        await _store_batch(client, bridge, raw_updates)
        offset = max(int(raw["update_id"]) for raw in raw_updates) + 1


async def _store_batch(
    client: TelegramClient, bridge: Bridge, raw_updates: list[dict[str, Any]]
) -> None:
    events = [event for raw in raw_updates if (event := client.parse(raw)) is not None]
    failures = 0
    while True:
        try:
            await bridge.accept(events)
        except asyncio.CancelledError:
            raise
        except Exception:
            failures += 1
            delay = _backoff(failures)
            logger.exception("Storing %s updates failed; retry in %.1f s", len(events), delay)
            await asyncio.sleep(delay)
        else:
            return


async def serve_webhook(client: TelegramClient, bridge: Bridge, settings: Settings) -> None:
    """Serve the webhook until cancelled; Telegram gets 200 only once the update is stored."""

    async def feed(raw: dict[str, Any]) -> None:
        event = client.parse(raw)
        if event is not None:
            await bridge.accept([event])

    app = build_webhook_app(
        path=webhook_path(settings.webhook_url), secret=settings.webhook_secret, feed=feed
    )
    async with serving(app, host=settings.webhook_host, port=settings.webhook_port):
        await client.set_webhook(settings.webhook_url, settings.webhook_secret)
        await asyncio.Event().wait()


def _backoff(failures: int) -> float:
    return min(0.5 * 2 ** (failures - 1), MAX_BACKOFF_SECONDS) * random.uniform(0.75, 1.0)
