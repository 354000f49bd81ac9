"""How long the officials' screens and the bulk status import take on a busy SQLite database.

Usage: python bench/officials.py [--villages 12] [--per-village 40] [--rounds 30]
                                 [--database-url postgresql://…/scratch]
Seeds one kecamatan (its villages from the bundled Lebong list) with proposals and supporters,
then times each screen through the core (p50/p95 per update) and one import of every
proposal's status (check and apply in one transaction).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.config import load_settings
from core.events import Event, EventKind
from handlers.dispatch import Core
from models.db import create_engine_from_url, session_scope, upgrade
from models.enums import Bidang, RegionLevel, Role, Status
from models.proposals import Proposal, StatusChange, Supporter
from models.regions import list_children
from models.users import User
from services.importing.reference import load_bundled_regions
from services.status_import import apply_status_import, plan_status_import, read_status_rows

KECAMATAN = "17.07.01"
LURAH, CAMAT, ADMIN = 9001, 9002, 9003
NOW = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)
STATUSES = [Status.DIAJUKAN, Status.DIVERIFIKASI, Status.DIBAHAS_KECAMATAN, Status.DITERUSKAN_OPD]


async def seed(engine, villages: int, per_village: int) -> tuple[str, list[int], list[str]]:
    async with session_scope(engine) as session:
        await load_bundled_regions(session)
        desa = [
            r for r in await list_children(session, KECAMATAN) if r.level != RegionLevel.KECAMATAN
        ]
        desa = desa[:villages]
        consent = NOW - timedelta(days=30)
        session.add(
            User(telegram_id=LURAH, role=Role.LURAH, region_code=desa[0].code, consent_at=consent)
        )
        session.add(
            User(telegram_id=CAMAT, role=Role.CAMAT, region_code=KECAMATAN, consent_at=consent)
        )
        session.add(User(telegram_id=ADMIN, role=Role.BAPPEDA, consent_at=consent))
        ids, codes = [], []
        number = 0
        for village in desa:
            for index in range(per_village):
                number += 1
                proposer = 100_000 + number
                session.add(User(telegram_id=proposer, name=f"Warga {number}", consent_at=consent))
                proposal = Proposal(
                    tracking_code=f"LBG-27-{number:05d}".replace("0", "A").replace("1", "B"),
                    proposer_id=proposer,
                    kecamatan_code=KECAMATAN,
                    desa_code=village.code,
                    bidang=list(Bidang)[index % 3],
                    title=f"Usulan nomor {number} untuk {village.name}",
                    problem="Masalah yang dijelaskan warga dengan cukup panjang.",
                    status=STATUSES[index % len(STATUSES)],
                    created_at=NOW - timedelta(hours=number),
                    updated_at=NOW,
                )
                session.add(proposal)
                await session.flush()
                session.add(
                    StatusChange(
                        proposal_id=proposal.id,
                        to_status=proposal.status,
                        created_at=proposal.created_at,
                    )
                )
                for supporter in range(index % 4):
                    session.add(
                        Supporter(
                            proposal_id=proposal.id, user_id=200_000 + number * 10 + supporter
                        )
                    )
                ids.append(proposal.id)
                codes.append(proposal.tracking_code)
        return desa[0].code, ids, codes


def event(
    chat_id: int, kind: EventKind, text: str, update_id: int, command: str | None = None
) -> Event:
    return Event(
        update_id=update_id,
        user_id=chat_id,
        chat_id=chat_id,
        kind=kind,
        text=text,
        command=command,
        callback_id="cb" if kind is EventKind.CALLBACK else None,
        message_id=1 if kind is EventKind.CALLBACK else None,
        language="id",
        first_name="Bench",
    )


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000
    return f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=12)
    parser.add_argument("--per-village", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument(
        "--database-url", help="an EMPTY scratch database (default: a temporary SQLite file)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = create_engine_from_url(url)
        settings = load_settings(database_url=url, flood_limit=10**9)
        core = Core(engine=engine, settings=settings, clock=lambda: NOW)
        _desa, ids, codes = await seed(engine, args.villages, args.per_village)
        await core.services.matcher()
        print(
            f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
            f"{len(ids)} proposals in {args.villages} villages"
        )
        update_ids = iter(range(1, 10**9))
        screens = {
            "/desa (overview + first page)": (LURAH, EventKind.COMMAND, "", "desa"),
            "desa list, priority first": (LURAH, EventKind.CALLBACK, "ds:a:p:0", None),
            "/kecamatan (overview)": (CAMAT, EventKind.COMMAND, "", "kecamatan"),
            "kecamatan bidang list": (CAMAT, EventKind.CALLBACK, "kc:infrastruktur:0", None),
            "proposal card": (LURAH, EventKind.CALLBACK, f"up:{ids[1]}", None),
        }
        for label, (chat_id, kind, text, command) in screens.items():
            samples = []
            for _round in range(args.rounds):
                start = time.perf_counter()
                await core.handle(event(chat_id, kind, text, next(update_ids), command))
                samples.append(time.perf_counter() - start)
            print(f"{label:32} {summary(samples)}")
        book = Workbook()
        book.active.append(["kode lacak", "status", "catatan"])
        for code in codes:
            book.active.append([code, "tidak diakomodasi", "Anggaran terbatas"])
        buffer = io.BytesIO()
        book.save(buffer)
        start = time.perf_counter()
        rows = read_status_rows(buffer.getvalue())
        async with session_scope(engine) as session:
            plan = await plan_status_import(session, rows, prefix="LBG")
            checked = time.perf_counter() - start
            applied = await apply_status_import(session, plan, by=ADMIN, now=NOW)
        total = time.perf_counter() - start
        print(
            f"status import of {len(rows)} rows: read+check {checked:.2f} s, "
            f"with apply {total:.2f} s ({applied} changes, {len(plan.errors)} errors)"
        )
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
