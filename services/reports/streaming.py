"""Feed batches read on the event loop to a writer running in a worker thread.

The database is read asynchronously while a synchronous writer (the workbook) consumes
the rows in a thread, so the event loop stays free and at most QUEUED_BATCHES batches are
in memory at any time.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, Callable, Iterator

Row = TypeVar("Row")
Result = TypeVar("Result")

QUEUED_BATCHES = 4
PUT_WAIT_SECONDS = 0.01


class _End:
    """Marks the end of the batches; `failed` tells the writer to stop without finishing."""

    def __init__(self, *, failed: bool) -> None:
        self.failed = failed


class ProducerFailedError(RuntimeError):
    """The rows could not be read; the writer stopped."""


async def write_in_thread(
    batches: AsyncIterable[list[Row]], write: Callable[[Iterator[Row]], Result]
) -> Result:
    """Run `write(rows)` in a thread while the batches are read here; return its result."""
    channel: queue.Queue[list[Row] | _End] = queue.Queue(maxsize=QUEUED_BATCHES)

    def rows() -> Iterator[Row]:
        while True:
            item = channel.get()
            if isinstance(item, _End):
                if item.failed:
                    msg = "reading the rows failed"
                    raise ProducerFailedError(msg)
                return
            yield from item

    writer = asyncio.ensure_future(asyncio.to_thread(write, rows()))
    try:
        async for batch in batches:
            if not await _put(channel, batch, writer):
                break
    except BaseException:
        await _put(channel, _End(failed=True), writer)
        with contextlib.suppress(Exception):
            await writer
        raise
    await _put(channel, _End(failed=False), writer)
    return await writer


async def _put(
    channel: queue.Queue[list[Row] | _End], item: list[Row] | _End, writer: asyncio.Future
) -> bool:
    """Hand one item to the writer, waiting while its queue is full; False if it stopped."""
    while not writer.done():
        try:
            channel.put_nowait(item)
        except queue.Full:
            await asyncio.sleep(PUT_WAIT_SECONDS)
        else:
            return True
    return False
