"""Shared fixtures: settings, a migrated database (SQLite; PostgreSQL when set), the core."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (every table on the metadata)
from core.config import Settings, load_settings
from handlers.dispatch import Core
from models.db import create_engine_from_url, sync_url, upgrade

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from sqlalchemy.ext.asyncio import AsyncEngine

# Scripted users type faster than people; the limit itself is tested in
# tests/handlers/intake/test_rules.py (test_flooding_chat_gets_one_slow_down_…).
FLOOD_LIMIT_IN_TESTS = 100_000
POSTGRES_URL_VARIABLE = "MUSRENBANG_TEST_POSTGRES_URL"
POSTGRES_SKIP_REASON = (
    f"PostgreSQL tests need {POSTGRES_URL_VARIABLE} "
    "(e.g. postgresql://postgres@127.0.0.1:5432/test); .ci/run sets it"
)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep a developer's .env and Telegram variables out of the tests."""
    monkeypatch.chdir(tmp_path)
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    monkeypatch.setenv("FLOOD_LIMIT", str(FLOOD_LIMIT_IN_TESTS))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate one SQLite file per test session; tests copy it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """Return a freshly migrated PostgreSQL database URL, or skip saying why."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(POSTGRES_SKIP_REASON)
    engine = create_engine(sync_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)
    return url


def _truncate_postgres(url: str) -> None:
    engine = create_engine(sync_url(url))
    names = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> str:
    """Return an empty migrated database: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        path = tmp_path / "musrenbang.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """Return an empty migrated SQLite database (for tests that need no PostgreSQL run)."""
    path = tmp_path / "musrenbang.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Return settings pointing at the test database."""
    return load_settings(database_url=database_url, telegram_bot_token="")


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """Return an async engine on the test database."""
    engine = create_engine_from_url(settings.database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def core(engine: AsyncEngine, settings: Settings) -> Core:
    """Return the core on the test database."""
    return Core(engine=engine, settings=settings)


@pytest.fixture
async def regions(engine: AsyncEngine) -> None:
    """Load Lebong's bundled regions, as the bot does on first start."""
    from models.db import session_scope
    from services.importing.reference import load_bundled_regions

    async with session_scope(engine) as session:
        await load_bundled_regions(session)
