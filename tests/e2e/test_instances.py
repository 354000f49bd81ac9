"""Several `musrenbang run` processes: one PostgreSQL, one webhook, each chat's order kept."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import subprocess
import sys
import uuid
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import select

from models.conversations import Conversation
from models.db import create_engine_from_url, session_scope, sync_url
from models.inbox import InboxUpdate
from tests.e2e.processes import (
    ROOT,
    bot_environment,
    logs,
    round_robin_balancer,
    start_bot,
    stop_bot,
    webhook_url_on,
)
from tests.e2e.runtimes import free_port, serving_app

if TYPE_CHECKING:
    from pathlib import Path

    from tests.e2e.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.e2e

#: An odd number of chats, so each chat's updates alternate between the two instances.
CHATS = list(range(8601, 8608))
UPDATES_PER_CHAT = 6
COMMAND = re.compile(r"/(c\d+n\d)\b")


@pytest.fixture(name="postgres_database")
def fixture_postgres_database(database_url: str) -> str:
    """Return the migrated, empty PostgreSQL database (the SQLite run is skipped)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("several instances need PostgreSQL")
    return database_url


async def test_two_instances_behind_one_webhook_apply_each_chat_in_order(
    fake_api: FakeBotApi, tmp_path: Path, postgres_database: str
) -> None:
    """A chat's updates go alternately to two instances, each answered before the next."""
    ports = [free_port(), free_port()]
    counts = [0, 0]
    balancer_port = free_port()
    balancer = round_robin_balancer([webhook_url_on(port) for port in ports], counts)
    bots = []
    async with serving_app(balancer, port=balancer_port):
        for port, framework in zip(ports, ("aiogram", "ptb"), strict=True):
            environment = bot_environment(
                fake_api,
                database_url=postgres_database,
                framework=framework,
                webhook_url=webhook_url_on(balancer_port),
                listen_port=port,
            )
            bots.append(await start_bot(environment, tmp_path / framework))
        try:
            await fake_api.wait_until(lambda: len(fake_api.calls("setWebhook")) == 2, timeout=90)
            for number in range(1, UPDATES_PER_CHAT + 1):
                for chat in CHATS:
                    fake_api.push_text(chat, f"/c{chat}n{number}")
            expected = {
                chat: [f"c{chat}n{number}" for number in range(1, UPDATES_PER_CHAT + 1)]
                for chat in CHATS
            }

            def answered() -> bool:
                return all(_answered(fake_api, chat) == expected[chat] for chat in CHATS)

            with contextlib.suppress(AssertionError):
                await fake_api.wait_until(answered, timeout=120)
            await asyncio.sleep(0.5)
        finally:
            for bot in bots:
                await stop_bot(bot)
    wrong = {chat: _answered(fake_api, chat) for chat in CHATS}
    wrong = {chat: seen for chat, seen in wrong.items() if seen != expected[chat]}
    assert not wrong, (wrong, logs(tmp_path / "aiogram"), logs(tmp_path / "ptb"))
    assert min(counts) >= len(CHATS) * UPDATES_PER_CHAT // 2 - 1
    inbox, conversations = await _read(postgres_database)
    assert len(inbox) == len(CHATS) * UPDATES_PER_CHAT
    for chat in CHATS:
        rows = sorted((row for row in inbox if row.chat_id == chat), key=lambda r: r.update_id)
        applied = [row.applied_at for row in rows]
        assert None not in applied
        assert applied == sorted(applied)
        assert conversations[chat].last_update_id == rows[-1].update_id


def _answered(api: FakeBotApi, chat_id: int) -> list[str]:
    return [match for text in api.texts(chat_id) for match in COMMAND.findall(text)]


async def _read(url: str) -> tuple[list[InboxUpdate], dict[int, Conversation]]:
    engine = create_engine_from_url(url)
    try:
        async with session_scope(engine) as session:
            inbox = list((await session.exec(select(InboxUpdate))).all())
            conversations = {row.chat_id: row for row in await session.exec(select(Conversation))}
    finally:
        await engine.dispose()
    return inbox, conversations


def test_two_processes_upgrading_an_empty_postgresql_take_turns(postgres_database: str) -> None:
    name = f"musrenbang_upgrade_{uuid.uuid4().hex[:8]}"
    admin = create_engine(sync_url(postgres_database), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_database.rsplit("/", 1)[0] + f"/{name}"
    try:
        environment = {"DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", "db", "upgrade"],
                env={**os.environ, **environment},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        results = [(process.wait(timeout=120), process.stderr.read()) for process in processes]
        assert [code for code, _stderr in results] == [0, 0, 0], results
        engine = create_engine(sync_url(url))
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        engine.dispose()
        assert len(versions) == 1
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
