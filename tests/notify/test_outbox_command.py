"""`musrenbang outbox`: the table per kind and state, and retrying failed messages."""

import asyncio

from sqlmodel import select

from bot.cli import main
from models.base import utcnow
from models.db import create_engine_from_url, session_scope
from models.outbox import Outbox


async def _seed(url: str) -> None:
    engine = create_engine_from_url(url)
    try:
        async with session_scope(engine) as session:
            for number, (kind, state) in enumerate(
                [
                    ("reply", "sent"),
                    ("reply", "sent"),
                    ("reminder", "failed"),
                    ("reminder", "queued"),
                ]
            ):
                session.add(
                    Outbox(
                        recipient_id=5,
                        kind=kind,
                        dedup_key=f"k{number}",
                        due_at=utcnow(),
                        next_attempt_at=utcnow(),
                        state=state,
                        last_error="Bad Gateway" if state == "failed" else "",
                    )
                )
    finally:
        await engine.dispose()


async def _states(url: str) -> list[str]:
    engine = create_engine_from_url(url)
    try:
        async with session_scope(engine) as session:
            return sorted(row.state for row in (await session.exec(select(Outbox))).all())
    finally:
        await engine.dispose()


def test_outbox_shows_queued_failed_and_sent_per_kind_and_retries_failed(
    tmp_path, monkeypatch, capsys
):
    url = f"sqlite:///{tmp_path / 'outbox.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    asyncio.run(_seed(url))
    capsys.readouterr()

    assert main(["outbox"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["kind", "queued", "failed", "sent", "dropped"]
    assert ["reminder", "1", "1", "0", "0"] in [line.split() for line in table]
    assert ["reply", "0", "0", "2", "0"] in [line.split() for line in table]
    assert table[-1].split() == ["total", "1", "1", "2", "0"]

    assert main(["outbox", "--retry-failed", "--kind", "reminder"]) == 0
    out = capsys.readouterr().out
    assert "Queued again: 1 failed message(s)." in out
    assert asyncio.run(_states(url)) == ["queued", "queued", "sent", "sent"]
