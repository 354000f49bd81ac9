"""Rows read on the event loop and written in a thread, in order, errors passed on."""

from __future__ import annotations

import threading

import pytest

from services.reports.streaming import ProducerFailedError, write_in_thread


async def batches(count: int, *, fail_after: int | None = None):
    for number in range(count):
        if fail_after is not None and number == fail_after:
            msg = "database went away"
            raise ConnectionError(msg)
        yield [number * 10 + item for item in range(10)]


async def test_write_in_thread_gives_the_writer_every_row_in_order():
    seen_in: list[str] = []

    def write(rows):
        seen_in.append(threading.current_thread().name)
        return list(rows)

    assert await write_in_thread(batches(50), write) == list(range(500))
    assert seen_in != [threading.current_thread().name]


async def test_write_in_thread_passes_on_the_writer_error():
    def write(rows):
        for row in rows:
            if row == 123:
                msg = "disk full"
                raise OSError(msg)

    with pytest.raises(OSError, match="disk full"):
        await write_in_thread(batches(50), write)


async def test_write_in_thread_stops_the_writer_when_reading_fails():
    stopped = threading.Event()

    def write(rows):
        try:
            return sum(rows)
        except ProducerFailedError:
            stopped.set()
            raise

    with pytest.raises(ConnectionError):
        await write_in_thread(batches(50, fail_after=7), write)
    assert stopped.is_set()
