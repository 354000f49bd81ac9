"""How long one reminder planning run takes for a busy regency (run by hand).

Usage: python bench/reminders_plan.py [--people 5000] [--proposals 10000] [--database URL]
Builds the example season, `people` residents with unfinished drafts spread over every desa,
`proposals` proposals (half verified, one supporter each), a lurah per desa and a camat per
kecamatan, then times the planner at a moment when every draft and lurah is due (first run
writes the messages, the rerun finds them planned) and at a quiet moment.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.config import load_settings
from models.conversations import Conversation
from models.db import create_engine_from_url, session_scope, upgrade
from models.enums import Bidang, RegionLevel, Role, Status
from models.proposals import Proposal, Supporter
from models.regions import list_by_level, list_villages
from models.users import User
from services.calendar.season import import_season
from services.data import DATA_DIR
from services.importing.reference import load_bundled_regions
from services.reminders.planning import plan_reminders

WIB = ZoneInfo("Asia/Jakarta")
SEASON = DATA_DIR / "musrenbang_calendar_example.csv"
DUE = datetime(2027, 1, 26, 8, 0, tzinfo=WIB)  # desa stage: 3 days left
QUIET = datetime(2027, 1, 26, 22, 0, tzinfo=WIB)


async def populate(url: str, people: int, proposals: int) -> None:
    engine = create_engine_from_url(url)
    settings = load_settings(database_url=url)
    consent = datetime(2027, 1, 5, tzinfo=UTC)
    async with session_scope(engine) as session:
        await load_bundled_regions(session)
        await import_season(
            session, SEASON.read_text(encoding="utf-8"), now=consent, zone=settings.zone
        )
        villages = await list_villages(session)
        for number, village in enumerate(villages):
            session.add(
                User(
                    telegram_id=500_000 + number,
                    role=Role.LURAH,
                    region_code=village.code,
                    consent_at=consent,
                )
            )
        for number, kecamatan in enumerate(await list_by_level(session, RegionLevel.KECAMATAN)):
            session.add(
                User(
                    telegram_id=600_000 + number,
                    role=Role.CAMAT,
                    region_code=kecamatan.code,
                    consent_at=consent,
                )
            )
        for number in range(people):
            village = villages[number % len(villages)]
            telegram_id = 1_000_000 + number
            session.add(User(telegram_id=telegram_id, consent_at=consent))
            session.add(
                Conversation(
                    chat_id=telegram_id,
                    user_id=telegram_id,
                    draft={
                        "kecamatan_code": village.parent_code,
                        "desa_code": village.code,
                        "bidang": "infrastruktur",
                        "resume_step": "usul.title",
                    },
                    updated_at=consent,
                )
            )
        await session.flush()
        for number in range(proposals):
            village = villages[number % len(villages)]
            proposal = Proposal(
                tracking_code=f"LBG-27-{number:05d}",
                proposer_id=1_000_000 + number % max(people, 1),
                kecamatan_code=village.parent_code,
                desa_code=village.code,
                bidang=Bidang.INFRASTRUKTUR,
                title="Perbaikan jalan",
                stage_id=1,
                status=Status.DIVERIFIKASI if number % 2 else Status.DIAJUKAN,
            )
            session.add(proposal)
            await session.flush()
            session.add(
                Supporter(
                    proposal_id=proposal.id, user_id=1_000_000 + (number + 1) % max(people, 1)
                )
            )
    await engine.dispose()


async def timed(url: str, now: datetime) -> tuple[float, int]:
    engine = create_engine_from_url(url)
    settings = load_settings(database_url=url)
    try:
        start = time.perf_counter()
        async with session_scope(engine) as session:
            written = await plan_reminders(session, now=now.astimezone(UTC), settings=settings)
        return time.perf_counter() - start, written
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--proposals", type=int, default=10000)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{folder}/bench.db"
        upgrade(url)
        asyncio.run(populate(url, args.people, args.proposals))
        print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
        print(f"{args.people} drafts, {args.proposals} proposals, {url.split(':')[0]}")
        for label, now in (("due, first run", DUE), ("due, rerun", DUE), ("quiet hours", QUIET)):
            seconds, written = asyncio.run(timed(url, now))
            print(f"{label:15s} {seconds * 1000:8.0f} ms  {written:6d} messages written")


if __name__ == "__main__":
    main()
