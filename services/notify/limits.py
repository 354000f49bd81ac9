"""Telegram's sending limits, kept by the sender: overall, per chat, per group, and 429 pauses."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from aiolimiter import AsyncLimiter

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

#: Forget idle per-chat limiters after this many acquisitions (memory stays flat).
SWEEP_EVERY = 2000
#: The overall limiter lets this share of a second's messages go at once (small bursts).
BURST_SHARE = 0.1


def is_group(chat_id: int) -> bool:
    """Tell whether a chat id is a group's or a channel's (they are negative)."""
    return chat_id < 0


class SendLimits:
    """Wait for a slot before each message; answers to people typing go before bulk messages.

    * overall: `per_second` messages per second for the whole bot (small bursts allowed);
      answers to people never wait for it but use it up first, so bulk messages wait;
    * per private chat: `per_chat_per_second`, for notifications (an answer to what a person
      just did is one burst of a few messages, which Telegram allows);
    * per group: `per_group_per_minute`;
    * a 429 pauses everything for its retry_after.
    """

    def __init__(
        self, *, per_second: float, per_chat_per_second: float, per_group_per_minute: float
    ) -> None:
        burst = max(1.0, per_second * BURST_SHARE)
        self._overall = AsyncLimiter(burst, burst / per_second)
        self._per_chat_period = 1.0 / per_chat_per_second
        self._per_group_period = 60.0 / per_group_per_minute
        self._chats: dict[int, AsyncLimiter] = {}
        self._acquired = 0
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """Stop every send for `seconds` (Telegram's retry_after)."""
        resume = asyncio.get_running_loop().time() + seconds
        self._paused_until = max(self._paused_until, resume)

    @property
    def paused_for(self) -> float:
        """Return the seconds left in a 429 pause (0 when not paused)."""
        return max(0.0, self._paused_until - asyncio.get_running_loop().time())

    @asynccontextmanager
    async def slot(
        self, chat_id: int, *, urgent: bool, counts: bool = True
    ) -> AsyncIterator[None]:
        """Wait for the right to send one message to `chat_id`.

        Args:
            chat_id: The recipient.
            urgent: An answer to a person's update: it never waits for the overall rate (so it
                goes before every waiting bulk message) and has no per-chat spacing.
            counts: False for calls that are not messages (answering a button press).
        """
        await self._wait_out_pause()
        if counts:
            await self._chat_limiter(chat_id, urgent=urgent)
            if urgent:
                await self._use_spare_capacity()
            else:
                await self._overall.acquire()
            await self._wait_out_pause()
        yield

    async def _use_spare_capacity(self) -> None:
        """Count an answer against the overall rate when there is room; it never waits for it.

        An answer to what a person just did goes out at once; bulk messages then find less
        room. (Answers beyond the rate risk a 429, which pauses everything for retry_after.)
        """
        if self._overall.has_capacity():
            await self._overall.acquire()  # there is room: this returns without waiting

    async def _wait_out_pause(self) -> None:
        # A 429 during the sleep can push the end further out, so look again after it.
        while (left := self.paused_for) > 0:  # noqa: ASYNC110
            await asyncio.sleep(left)

    async def _chat_limiter(self, chat_id: int, *, urgent: bool) -> None:
        if urgent and not is_group(chat_id):
            return
        limiter = self._chats.get(chat_id)
        if limiter is None:
            period = self._per_group_period if is_group(chat_id) else self._per_chat_period
            limiter = self._chats[chat_id] = AsyncLimiter(1, period)
        await limiter.acquire()
        self._acquired += 1
        if self._acquired % SWEEP_EVERY == 0:
            self._sweep()

    def _sweep(self) -> None:
        idle = [chat for chat, limiter in self._chats.items() if limiter.has_capacity(1.0)]
        for chat_id in idle:
            del self._chats[chat_id]
