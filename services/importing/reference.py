"""Bundled reference data loaded into an empty database on first start (Lebong's regions)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlmodel import select

from models.regions import Region
from services.data import DATA_DIR
from services.importing.regions import store_regions, validate_regions
from services.importing.rows import read_table

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

logger = logging.getLogger(__name__)

REGIONS_FILE = DATA_DIR / "lebong_regions.csv"


async def load_bundled_regions(session: AsyncSession) -> int:
    """Store the bundled regions when the table is empty; return how many were added."""
    if (await session.exec(select(Region.code).limit(1))).first() is not None:
        return 0
    regions, errors = validate_regions(read_table(REGIONS_FILE))
    if errors:
        msg = f"bundled regions file is invalid: {errors[0]}"
        raise RuntimeError(msg)
    summary = await store_regions(session, regions)
    logger.info("Loaded %d bundled regions", summary.added)
    return summary.added
