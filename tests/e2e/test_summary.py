"""/ringkasan through the real runtimes: Bappeda receives text, chart and workbook."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook

from models.db import session_scope
from services.importing.reference import load_bundled_regions
from tests.e2e.runtimes import running_bot
from tests.proposal_factories import add_proposal

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from handlers.dispatch import Core
    from tests.e2e.fake_bot_api import FakeBotApi
    from tests.e2e.runtimes import Framework

pytest_plugins = ["tests.e2e.conftest_runtimes"]
pytestmark = pytest.mark.e2e

ADMIN, RESIDENT = 4242, 7002


@pytest.fixture(autouse=True)
async def _proposals(e2e_engine: AsyncEngine) -> None:
    async with session_scope(e2e_engine) as session:
        await load_bundled_regions(session)
        await add_proposal(session, title="Jembatan gantung ke kebun 🌉")


async def test_bappeda_admin_receives_the_summary_and_a_resident_is_refused(
    fake_api: FakeBotApi, e2e_core: Core, framework: Framework, sqlite_url: str
) -> None:
    async with running_bot(
        fake_api, e2e_core, framework, database_url=sqlite_url, bappeda_admin_ids=str(ADMIN)
    ):
        fake_api.push_text(ADMIN, "/ringkasan", first_name="Analis")
        await fake_api.wait_for(ADMIN, predicate=lambda message: "document" in message, timeout=30)
        fake_api.push_text(RESIDENT, "/ringkasan", first_name="Budi")
        [refusal] = await fake_api.wait_for(RESIDENT, text="hanya untuk petugas Bappeda")

    sent = [(call.method, call.params) for call in fake_api.sent(ADMIN)]
    methods = [method for method, _params in sent]
    assert methods[-2:] == ["sendPhoto", "sendDocument"]
    assert set(methods[:-2]) == {"sendMessage"}
    texts = "\n".join(params["text"] for method, params in sent if method == "sendMessage")
    assert "Ringkasan Musrenbang" in texts
    assert "Jembatan gantung ke kebun 🌉" in texts
    messages = fake_api.messages(ADMIN)
    photo, document = messages[-2], messages[-1]
    assert photo["caption"].startswith("Usulan per kecamatan, ")
    assert document["document"]["file_name"].startswith("ringkasan-musrenbang-")
    book = load_workbook(io.BytesIO(fake_api.file_content(document["document"]["file_id"])))
    assert book["Usulan"]["F2"].value == "Jembatan gantung ke kebun 🌉"
    assert "/usulansaya" in refusal["text"]
    assert [call.method for call in fake_api.sent(RESIDENT)] == ["sendMessage"]
