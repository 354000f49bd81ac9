"""The region queries."""

from models.db import session_scope
from models.regions import region_names
from tests.proposal_factories import DESA, add_regions


async def test_region_names_maps_codes_to_names(engine):
    async with session_scope(engine) as session:
        await add_regions(session)
        assert await region_names(session, [DESA, "99"]) == {DESA: "Talang Ulu"}
