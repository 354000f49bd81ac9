"""The intake stories driven straight through the core (SQLite and PostgreSQL)."""

import pytest

from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver

pytestmark = pytest.mark.usefixtures("regions")


async def test_resident_submits_a_complete_proposal(core, engine):
    await stories.resident_submits_a_complete_proposal(CoreDriver(core), engine)


async def test_resident_supports_a_similar_proposal_instead(core, engine):
    existing = await stories.resident_submits_a_complete_proposal(CoreDriver(core), engine)
    await stories.resident_supports_a_similar_proposal(
        CoreDriver(core, chat_id=777, first_name="Budi"), engine, existing
    )
