"""The whole Musrenbang chain through the core (the same story runs through aiogram in e2e)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from core.config import load_settings
from handlers.dispatch import Core
from tests.scenarios.drivers import CoreDriver
from tests.scenarios.roles_stories import ADMIN, whole_chain

if TYPE_CHECKING:
    from core.events import Reply


@pytest.fixture
def chain_core(engine, settings, regions) -> Core:
    chain_settings = load_settings(
        database_url=settings.database_url,
        bappeda_admin_ids=str(ADMIN),
        bot_username="musrenbang_test_bot",
    )
    return Core(engine=engine, settings=chain_settings)


async def test_bappeda_lurah_camat_and_residents_work_a_whole_musrenbang(chain_core: Core):
    drivers: dict[int, CoreDriver] = {}

    def person(chat_id: int, name: str) -> CoreDriver:
        drivers[chat_id] = CoreDriver(chain_core, chat_id=chat_id, first_name=name)
        return drivers[chat_id]

    async def deliver(reply: Reply) -> None:
        driver = drivers.get(getattr(reply, "chat_id", 0))
        if driver is not None:
            driver.receive(reply)

    admin = person(ADMIN, "Bu Rina")
    await whole_chain(person, admin, chain_core.engine, deliver)
    assert "https://t.me/musrenbang_test_bot?start=" in admin.transcript()
