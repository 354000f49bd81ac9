"""The sender's limits: overall rate, per-chat spacing, 429 pauses, answers before bulk."""

from __future__ import annotations

import asyncio

from services.notify.limits import SendLimits


def limits(per_second: float = 1000.0, per_chat: float = 1000.0) -> SendLimits:
    return SendLimits(
        per_second=per_second, per_chat_per_second=per_chat, per_group_per_minute=60.0
    )


async def _elapsed(work) -> float:
    loop = asyncio.get_running_loop()
    started = loop.time()
    await work
    return loop.time() - started


async def _send(limits: SendLimits, chat_id: int, *, urgent: bool, log: list | None = None):
    async with limits.slot(chat_id, urgent=urgent):
        if log is not None:
            log.append("reply" if urgent else "bulk")


async def test_overall_rate_is_kept():
    bound = limits(per_second=50.0)

    seconds = await _elapsed(
        asyncio.gather(*(_send(bound, chat, urgent=False) for chat in range(1, 31)))
    )

    assert seconds >= (30 - 5) / 50 * 0.95


async def test_notifications_to_one_chat_are_spaced_but_a_burst_of_answers_is_not():
    bound = limits(per_chat=10.0)

    bulk = await _elapsed(asyncio.gather(*(_send(bound, 7, urgent=False) for _ in range(3))))
    answers = await _elapsed(asyncio.gather(*(_send(bound, 8, urgent=True) for _ in range(3))))

    assert bulk >= 0.19
    assert answers < 0.05


async def test_429_pauses_every_send():
    bound = limits()
    bound.pause(0.3)

    seconds = await _elapsed(_send(bound, 9, urgent=True))

    assert seconds >= 0.29


async def test_answers_to_people_typing_go_before_waiting_bulk_messages():
    bound = limits(per_second=20.0)
    log: list[str] = []
    bulk = [asyncio.create_task(_send(bound, chat, urgent=False, log=log)) for chat in range(10)]
    await asyncio.sleep(0.01)

    await _send(bound, 99, urgent=True, log=log)
    await asyncio.gather(*bulk)

    assert log.index("reply") <= 4
