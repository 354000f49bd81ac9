"""Slow down a chat that sends too many messages: still apply them, but stop answering each."""

from __future__ import annotations

from collections import deque
from enum import StrEnum

SWEEP_EVERY = 1000


class FloodVerdict(StrEnum):
    """What to do with the replies of one update."""

    ANSWER = "answer"
    WARN = "warn"
    QUIET = "quiet"


class FloodGuard:
    """Count each chat's updates in a sliding window, in this process."""

    def __init__(self, *, limit: int = 20, window_seconds: float = 10.0) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._seen: dict[int, deque[float]] = {}
        self._warned_until: dict[int, float] = {}
        self._checks = 0

    def check(self, chat_id: int, now: float) -> FloodVerdict:
        """Record one update of `chat_id` at `now` (monotonic seconds) and return the verdict."""
        self._checks += 1
        if self._checks % SWEEP_EVERY == 0:
            self._sweep(now)
        times = self._seen.setdefault(chat_id, deque())
        while times and now - times[0] >= self.window_seconds:
            times.popleft()
        times.append(now)
        if len(times) <= self.limit:
            return FloodVerdict.ANSWER
        if self._warned_until.get(chat_id, 0.0) > now:
            return FloodVerdict.QUIET
        self._warned_until[chat_id] = now + self.window_seconds
        return FloodVerdict.WARN

    def _sweep(self, now: float) -> None:
        """Forget chats with no update inside the window, so memory stays flat."""
        idle = [
            chat for chat, times in self._seen.items() if now - times[-1] >= self.window_seconds
        ]
        for chat_id in idle:
            self._seen.pop(chat_id, None)
            self._warned_until.pop(chat_id, None)
