"""Deliver Bot API calls within Telegram's limits: wait out 429, back off, 403 → inactive."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Loggers that print request URLs, which carry the bot token.
URL_LOGGERS = ("httpx", "httpcore", "aiohttp.access", "aiohttp.client")


class FailureKind(Enum):
    """What a failed Bot API call means for delivery."""

    RATE_LIMITED = "rate_limited"
    BLOCKED = "blocked"
    NETWORK = "network"
    REJECTED = "rejected"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Failure:
    """A classified error; `detail` is safe to log (never a URL or token)."""

    kind: FailureKind
    detail: str = ""
    retry_after: float = 0.0


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How long to keep trying before giving a call up."""

    network_attempts: int = 5
    first_backoff: float = 0.5
    max_backoff: float = 30.0
    rate_limit_attempts: int = 5


DEFAULT_POLICY = DeliveryPolicy()


def quiet_url_loggers() -> None:
    """Raise HTTP client loggers to WARNING so tokens in request URLs never reach the log."""
    for name in URL_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def backoff_delay(policy: DeliveryPolicy, attempt: int) -> float:
    """Return the wait before retry number `attempt` (1-based), doubling with some jitter."""
    delay = min(policy.first_backoff * 2 ** (attempt - 1), policy.max_backoff)
    return delay * random.uniform(0.75, 1.0)


async def deliver_with_policy(
    send: Callable[[], Awaitable[T]],
    *,
    classify: Callable[[Exception], Failure],
    on_blocked: Callable[[], Awaitable[None]] | None = None,
    what: str,
    chat_id: int | None = None,
    update_id: int | None = None,
    policy: DeliveryPolicy = DEFAULT_POLICY,
) -> T | None:
    """Run one Bot API call, retrying what can succeed later; return None when giving up.

    Never raises (except on cancellation): a failed delivery must not stop the update loop.

    Args:
        send: Makes the call; called again for each attempt.
        classify: Tells what an exception from `send` means.
        on_blocked: Called once when the person blocked the bot (bot-wide calls: None).
        what: The call's name for the log, e.g. ``"SendText"``.
        chat_id: The chat the call goes to, for the log (None for bot-wide calls).
        update_id: The update being answered, for the log (None for outbox sends).
        policy: Attempt limits and back-off.
    """
    network_failures = 0
    rate_limits = 0
    while True:
        try:
            return await send()
        except Exception as error:  # classified below; nothing may escape
            failure = classify(error)
            if failure.kind is FailureKind.UNKNOWN:
                logger.exception(
                    "%s to chat %s (update %s) failed unexpectedly; giving up",
                    what,
                    chat_id,
                    update_id,
                )
                return None
        if failure.kind is FailureKind.RATE_LIMITED:
            rate_limits += 1
            if rate_limits > policy.rate_limit_attempts:
                logger.error(
                    "%s to chat %s (update %s) still rate limited after %s waits; giving up",
                    what,
                    chat_id,
                    update_id,
                    policy.rate_limit_attempts,
                )
                return None
            logger.warning(
                "%s to chat %s (update %s) rate limited; retrying in %.1f s",
                what,
                chat_id,
                update_id,
                failure.retry_after,
            )
            await asyncio.sleep(failure.retry_after)
        elif failure.kind is FailureKind.NETWORK:
            network_failures += 1
            if network_failures >= policy.network_attempts:
                logger.error(
                    "%s to chat %s (update %s) failed %s times (%s); giving up",
                    what,
                    chat_id,
                    update_id,
                    network_failures,
                    failure.detail,
                )
                return None
            delay = backoff_delay(policy, network_failures)
            logger.warning(
                "%s to chat %s (update %s) hit a network error (%s); retry %s in %.1f s",
                what,
                chat_id,
                update_id,
                failure.detail,
                network_failures,
                delay,
            )
            await asyncio.sleep(delay)
        elif failure.kind is FailureKind.BLOCKED:
            logger.info(
                "Chat %s blocked the bot (update %s); %s dropped", chat_id, update_id, what
            )
            if on_blocked is not None:
                await _report_blocked(on_blocked, chat_id)
            return None
        else:
            logger.error(
                "%s to chat %s (update %s) rejected: %s", what, chat_id, update_id, failure.detail
            )
            return None


async def _report_blocked(on_blocked: Callable[[], Awaitable[None]], chat_id: int | None) -> None:
    try:
        await on_blocked()
    except Exception:
        logger.exception("Could not mark chat %s as blocked", chat_id)
