"""The bridge: updates stored before anything else, each chat applied by one worker in turn."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from bot.runtime.bridge import Bridge
from core.events import Event, EventKind, SendText
from services.notify.outbox import QueuedReply

DATABASE_DOWN = "database down"


def _event(update_id: int, chat_id: int = 555) -> Event:
    return Event(
        update_id=update_id, user_id=chat_id, chat_id=chat_id, kind=EventKind.TEXT, text="x"
    )


@dataclass
class _Applied:
    update_id: int
    chat_id: int
    replies: list[QueuedReply]


class _Core:
    """Keeps an inbox in memory; `drain` applies a chat's stored events in update order."""

    def __init__(self) -> None:
        self.inbox: dict[int, list[Event]] = {}
        self.gates: dict[int, asyncio.Event] = {}
        self.draining: set[int] = set()
        self.overlaps = 0

    async def receive(self, events: list[Event]) -> int:
        for event in events:
            self.inbox.setdefault(event.chat_id, []).append(event)
        return len(events)

    async def drain(self, chat_id: int) -> list[_Applied]:
        if chat_id in self.draining:
            self.overlaps += 1
        self.draining.add(chat_id)
        try:
            if chat_id in self.gates:
                await self.gates[chat_id].wait()
            pending = sorted(self.inbox.pop(chat_id, []), key=lambda event: event.update_id)
            return [
                _Applied(
                    event.update_id,
                    chat_id,
                    [
                        QueuedReply(
                            event.update_id, chat_id, SendText(chat_id, str(event.update_id)), True
                        )
                    ],
                )
                for event in pending
            ]
        finally:
            self.draining.discard(chat_id)

    async def pending_chats(self) -> list[int]:
        return sorted(self.inbox)


class _Sender:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_replies(self, queued: list[QueuedReply]) -> None:
        self.sent.extend(item.reply.text for item in queued)


async def test_bridge_answers_a_chats_updates_in_order_with_one_worker_at_a_time() -> None:
    core, sender = _Core(), _Sender()
    core.gates[555] = asyncio.Event()
    bridge = Bridge(core, sender)

    await bridge.accept([_event(1)])
    await asyncio.sleep(0)
    await bridge.accept([_event(3), _event(2)])
    core.gates[555].set()
    await bridge.finish()

    assert sender.sent == ["1", "2", "3"]
    assert core.overlaps == 0


async def test_bridge_lets_other_chats_go_while_one_chat_waits() -> None:
    core, sender = _Core(), _Sender()
    core.gates[555] = asyncio.Event()
    bridge = Bridge(core, sender)

    await bridge.accept([_event(1, chat_id=555), _event(2, chat_id=777)])
    for _ in range(5):
        await asyncio.sleep(0)
    assert sender.sent == ["2"]

    core.gates[555].set()
    await bridge.finish()
    assert sender.sent == ["2", "1"]


async def test_bridge_survives_a_failing_core_and_applies_later() -> None:
    class Broken(_Core):
        failures = 1

        async def drain(self, chat_id: int) -> list[_Applied]:
            if self.failures:
                self.failures -= 1
                raise RuntimeError(DATABASE_DOWN)
            return await super().drain(chat_id)

    core, sender = Broken(), _Sender()
    bridge = Bridge(core, sender)
    await bridge.accept([_event(1)])
    await bridge.finish()
    assert sender.sent == []

    assert await bridge.wake_pending() == 1
    await bridge.finish()
    assert sender.sent == ["1"]


async def test_bridge_refuses_nothing_it_could_not_store() -> None:
    class Down(_Core):
        async def receive(self, events: list[Event]) -> int:
            raise RuntimeError(DATABASE_DOWN)

    sender = _Sender()
    bridge = Bridge(Down(), sender)
    with pytest.raises(RuntimeError, match=DATABASE_DOWN):
        await bridge.accept([_event(1)])
    await bridge.finish()
    assert sender.sent == []
