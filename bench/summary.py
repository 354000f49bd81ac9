"""Time the Bappeda summary (message + PNG + XLSX) on 1,000 to 100,000 generated proposals.

Run by hand: ``.venv/bin/python -m bench.summary [--sizes 1000 10000 100000]
[--postgres URL] [--markdown]``. For each database and size, the proposals are generated
into a fresh database by this process; the summary is then built in a fresh child process,
so its peak RSS (ru_maxrss) is the summary's alone, imports included.

The data is a realistic mix over every Lebong village (a few villages stay silent): bidang
55/25/20 %, statuses from submitted to accepted, supporters (most have none, a few many),
lurah ranks, beneficiaries, coordinates for some, and program matches (confident, confirmed
by the proposer, or none). Titles are built from everyday proposal phrases, places and sizes,
so some proposals of neighbouring villages look alike, as in real Musrenbang data.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text

from core.config import load_settings
from models.db import create_engine_from_url, session_scope, sync_url, upgrade
from models.enums import Bidang, Role, Status, Urgency
from models.proposals import Proposal, StatusChange, Supporter
from models.users import User
from services.importing.reference import ensure_reference_data
from services.reports.summary import build_summary

UNTIL = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # 07:00 WIB
SPREAD_DAYS = 60
CHUNK = 5_000
SEED = 20261129
SIZES = (1_000, 10_000, 100_000)
SILENT_SHARE = 0.05

BIDANG_WEIGHTS = {Bidang.INFRASTRUKTUR: 55, Bidang.EKONOMI: 25, Bidang.SOSIAL_BUDAYA: 20}
STATUS_WEIGHTS = {
    Status.DIAJUKAN: 38,
    Status.DIVERIFIKASI: 25,
    Status.DIKEMBALIKAN: 5,
    Status.DITOLAK: 4,
    Status.DIBAHAS_KECAMATAN: 10,
    Status.DITERUSKAN_OPD: 8,
    Status.DIAKOMODIR: 4,
    Status.TIDAK_DIAKOMODIR: 3,
    Status.DITARIK: 2,
    Status.DIGABUNG: 1,
}
URGENCY_WEIGHTS = {Urgency.SANGAT_MENDESAK: 30, Urgency.MENDESAK: 45, Urgency.BIASA: 25}
# (what, program) per bidang; the verbs and places below vary the wording.
SUBJECTS = {
    Bidang.INFRASTRUKTUR: [
        ("jalan usaha tani", "1.03.10"),
        ("jalan lingkungan", "1.03.10"),
        ("jembatan gantung", "1.03.10"),
        ("saluran irigasi", "1.03.02"),
        ("sumur bor air bersih", "1.03.03"),
        ("drainase", "1.03.05"),
        ("talud penahan tanah", "1.03.02"),
        ("lampu penerangan jalan", "1.03.10"),
        ("MCK umum", "1.04.04"),
        ("rumah tidak layak huni", "1.04.02"),
    ],
    Bidang.EKONOMI: [
        ("bibit kopi", "3.27.02"),
        ("alat pertanian", "3.27.02"),
        ("pupuk bersubsidi", "3.27.02"),
        ("pelatihan UMKM", "2.17.07"),
        ("kios pasar desa", "3.30.03"),
        ("kolam ikan air tawar", "3.25.03"),
        ("jalan produksi sawah", "3.27.03"),
        ("bibit durian", "3.27.02"),
    ],
    Bidang.SOSIAL_BUDAYA: [
        ("posyandu", "1.02.02"),
        ("PAUD", "1.01.02"),
        ("alat kesenian tradisional", "2.22.03"),
        ("sanggar tari adat", "2.22.03"),
        ("lapangan olahraga", "2.19.03"),
        ("beasiswa anak kurang mampu", "1.01.02"),
        ("bantuan lansia", "1.06.04"),
    ],
}
VERBS = ["Pembangunan", "Perbaikan", "Rehabilitasi", "Pengadaan", "Peningkatan", "Bantuan"]
PLACES = [
    "di RT {n}",
    "Dusun {roman}",
    "menuju kebun warga",
    "depan SD Negeri {n}",
    "dekat masjid",
    "di ujung desa",
    "sepanjang {n}00 meter",
    "untuk {n}0 KK",
    "",
]
PROBLEMS = [
    "Kondisi sekarang rusak parah dan sulit dilalui saat hujan.",
    "Warga harus menempuh jarak jauh untuk kebutuhan sehari-hari.",
    "Sudah diusulkan tahun lalu tetapi belum terealisasi.",
    "Hasil panen sulit diangkut ke pasar.",
    "Anak-anak dan lansia paling merasakan dampaknya 😔",
]
ROMAN = ["I", "II", "III", "IV", "V"]
NAMES = ["Siti", "Budi", "Rahmat", "Nurhayati", "Yusuf", "Dewi", "Ahmad", "Sri", "Joko", "Lina"]


def pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def title_of(rng: random.Random, bidang: Bidang) -> tuple[str, str]:
    subject, program = rng.choice(SUBJECTS[bidang])
    place = rng.choice(PLACES).format(n=rng.randint(1, 9), roman=rng.choice(ROMAN))
    return " ".join(part for part in (rng.choice(VERBS), subject, place) if part), program


def match_of(rng: random.Random, program: str) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.70:
        return {"program_code": program, "match_score": round(rng.uniform(0.5, 0.97), 3)}
    if roll < 0.80:
        return {
            "program_code": program,
            "match_score": round(rng.uniform(0.1, 0.49), 3),
            "match_confirmed": True,
        }
    return {"program_code": None, "match_score": None}


def villages_of(sync_engine: Any) -> list[tuple[str, str]]:
    with sync_engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT code, parent_code FROM region WHERE level IN ('desa', 'kelurahan') "
                "ORDER BY code"
            )
        ).all()
    return [(code, parent) for code, parent in rows]


def generate(url: str, size: int) -> dict[str, int]:
    """Fill a fresh database with `size` proposals, their history, supporters and people."""
    rng = random.Random(SEED)
    sync_engine = create_engine(sync_url(url))
    villages = villages_of(sync_engine)
    rng.shuffle(villages)
    heard = villages[int(len(villages) * SILENT_SHARE) :]
    village_weights = [rng.uniform(0.3, 3.0) for _ in heard]
    people = max(size // 3, 10)
    counts = {"proposals": 0, "supporters": 0, "status_changes": 0}
    with sync_engine.begin() as connection:
        connection.execute(
            insert(User),
            [
                {
                    "telegram_id": 500_000 + number,
                    "name": f"{rng.choice(NAMES)} {number}",
                    "role": Role.WARGA,
                    "language": "id",
                    "consent_at": UNTIL - timedelta(days=90) if rng.random() < 0.8 else None,
                    "active": True,
                    "created_at": UNTIL - timedelta(days=90),
                    "updated_at": UNTIL - timedelta(days=90),
                }
                for number in range(people)
            ],
        )
    for start in range(0, size, CHUNK):
        proposals, changes, supports = [], [], []
        for number in range(start, min(start + CHUNK, size)):
            desa, kecamatan = rng.choices(heard, weights=village_weights)[0]
            bidang = pick(rng, BIDANG_WEIGHTS)
            status = pick(rng, STATUS_WEIGHTS)
            title, program = title_of(rng, bidang)
            created = UNTIL - timedelta(seconds=rng.randint(1, SPREAD_DAYS * 86_400))
            people_helped = int(rng.lognormvariate(4.5, 1.2)) if rng.random() < 0.9 else None
            located = rng.random() < 0.4
            proposals.append(
                {
                    "id": number + 1,
                    "tracking_code": f"LBG-27-{number:06d}",
                    "proposer_id": 500_000 + rng.randrange(people),
                    "submitted_as": Role.LURAH if rng.random() < 0.2 else Role.WARGA,
                    "kecamatan_code": kecamatan,
                    "desa_code": desa,
                    "location_detail": f"RT {rng.randint(1, 12):02d}",
                    "latitude": -3.0 - rng.random() if located else None,
                    "longitude": 102.0 + rng.random() if located else None,
                    "bidang": bidang,
                    "title": title,
                    "problem": " ".join(rng.sample(PROBLEMS, rng.randint(1, 3))),
                    "volume": round(rng.uniform(1, 500), 1) if rng.random() < 0.7 else None,
                    "volume_unit": rng.choice(["meter", "unit", "paket", "km"]),
                    "volume_text": "",
                    "estimated_cost": rng.randrange(10, 2_000) * 1_000_000
                    if rng.random() < 0.3
                    else None,
                    "beneficiaries": people_helped,
                    "beneficiaries_unit": rng.choice(["jiwa", "KK"]),
                    "beneficiaries_text": "",
                    "urgency": pick(rng, URGENCY_WEIGHTS),
                    "photo_file_ids": [],
                    "match_alternatives": [],
                    "match_confirmed": False,
                    "status": status,
                    "desa_rank": rng.randint(1, 10) if rng.random() < 0.3 else None,
                    "created_at": created,
                    "updated_at": created,
                    **match_of(rng, program),
                }
            )
            changes.append(
                {
                    "proposal_id": number + 1,
                    "from_status": Status.DRAF,
                    "to_status": Status.DIAJUKAN,
                    "note": "",
                    "created_at": created,
                }
            )
            if status is not Status.DIAJUKAN:
                moved = created + (UNTIL - created) * rng.random()
                changes.append(
                    {
                        "proposal_id": number + 1,
                        "from_status": Status.DIAJUKAN,
                        "to_status": status,
                        "note": "",
                        "created_at": moved,
                    }
                )
            backers = 0 if rng.random() < 0.6 else min(int(rng.paretovariate(1.2)), 60)
            supports.extend(
                {
                    "proposal_id": number + 1,
                    "user_id": 500_000 + backer,
                    "created_at": created + (UNTIL - created) * rng.random(),
                }
                for backer in rng.sample(range(people), min(backers, people))
            )
        with sync_engine.begin() as connection:
            connection.execute(insert(Proposal), proposals)
            connection.execute(insert(StatusChange), changes)
            if supports:
                connection.execute(insert(Supporter), supports)
        counts["proposals"] += len(proposals)
        counts["status_changes"] += len(changes)
        counts["supporters"] += len(supports)
    with sync_engine.begin() as connection:
        if url.startswith("postgres"):
            connection.execute(text("ANALYZE"))
            connection.execute(
                text("SELECT setval('proposal_id_seq', (SELECT max(id) FROM proposal))")
            )
        else:
            connection.execute(text("ANALYZE"))
    sync_engine.dispose()
    return counts


def fresh_database(url: str) -> None:
    """Empty the database (PostgreSQL: schema public; SQLite: the file) and migrate it."""
    if url.startswith("postgres"):
        engine = create_engine(sync_url(url))
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    upgrade(url)
    asyncio.run(ensure_reference_data(load_settings(database_url=url)))


async def measure(url: str) -> dict[str, Any]:
    """Build the summary once and return its timings, sizes and this process's peak RSS."""
    settings = load_settings(database_url=url)
    engine = create_engine_from_url(url)
    cpu_before = time.process_time()
    started = time.perf_counter()
    try:
        async with session_scope(engine) as session:
            summary = await build_summary(session, until=UNTIL, settings=settings, locale="id")
    finally:
        await engine.dispose()
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu_before,
        "phases": summary.seconds,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "message_parts": len(summary.parts),
        "message_chars": sum(len(part) for part in summary.parts),
        "png_kib": len(summary.chart_png) / 1024,
        "xlsx_mib": len(summary.workbook_xlsx) / 1024 / 1024,
        "proposals": summary.figures.total,
        "duplicate_groups": len(summary.figures.duplicates),
        "unmatched": summary.figures.unmatched,
    }


def measure_in_child(url: str) -> dict[str, Any]:
    """Run `measure` in a fresh interpreter so the peak RSS is the summary's own."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.summary", "--measure", url],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def row(backend: str, size: int, result: dict[str, Any]) -> str:
    phases = result["phases"]
    return (
        f"| {backend} | {size:,} | {result['seconds']:.2f} s | {result['cpu_seconds']:.2f} s | "
        f"{phases['counts']:.2f} / {phases['chart']:.2f} / {phases['workbook']:.2f} / "
        f"{phases['message']:.2f} | {result['peak_rss_mib']:.0f} MiB | "
        f"{result['message_parts']} ({result['message_chars']:,} chars) | "
        f"{result['xlsx_mib']:.1f} MiB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--postgres", help="a PostgreSQL URL this benchmark may wipe")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--markdown", action="store_true", help="print RESULTS.md rows")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(measure(args.measure))))
        return
    databases = [("SQLite", f"sqlite:///{tempfile.mkdtemp()}/summary-bench.db")]
    if args.postgres:
        databases.append(("PostgreSQL", args.postgres))
    print(
        f"# {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    rows = []
    for backend, url in databases:
        for size in args.sizes:
            fresh_database(url)
            started = time.perf_counter()
            counts = generate(url, size)
            print(
                f"{backend} {size}: generated {counts} in {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
            result = measure_in_child(url)
            print(f"{backend} {size}: {json.dumps(result)}", file=sys.stderr)
            rows.append(row(backend, size, result))
    if args.markdown:
        print(
            "| database | proposals | wall | CPU | counts / chart / workbook + scan / message (s) "
            "| peak RSS | message parts | XLSX |"
        )
        print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
