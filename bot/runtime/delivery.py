"""What a failed Bot API call means, and bot-wide calls retried a few times."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from core.events import Delivered, RetryAfter, Unreachable

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from core.events import SendOutcome

logger = logging.getLogger(__name__)

#: Loggers that print request URLs, which carry the bot token.
URL_LOGGERS = ("httpx", "httpcore", "aiohttp.access", "aiohttp.client")
#: Tries of a bot-wide call (the command menu, the webhook) before going on without it.
SETUP_ATTEMPTS = 4
SETUP_BACKOFF_SECONDS = 0.5


def quiet_url_loggers() -> None:
    """Raise HTTP client loggers to WARNING so tokens in request URLs never reach the log."""
    for name in URL_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


async def call_with_retries(
    call: Callable[[], Awaitable[object]],
    *,
    classify: Callable[[Exception], SendOutcome],
    what: str,
) -> bool:
    """Make a bot-wide call, waiting out 429 and network errors a few times; never raises."""
    for attempt in range(1, SETUP_ATTEMPTS + 1):
        try:
            await call()
        except Exception as error:  # classified below; start-up must go on
            outcome = classify(error)
        else:
            return True
        if isinstance(outcome, Delivered):
            return True
        if isinstance(outcome, RetryAfter):
            delay = outcome.seconds
        elif isinstance(outcome, Unreachable):
            delay = SETUP_BACKOFF_SECONDS * 2 ** (attempt - 1)
        else:
            logger.error("%s refused: %s", what, outcome)
            return False
        logger.warning("%s failed (%s); retry %s in %.1f s", what, outcome, attempt, delay)
        await asyncio.sleep(delay)
    logger.error("%s failed %s times; going on without it", what, SETUP_ATTEMPTS)
    return False
