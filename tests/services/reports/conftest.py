"""A small hand-built database where every number of the summary is known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest

from core.config import Settings, load_settings
from models.calendar import Stage
from models.db import session_scope
from models.enums import Bidang, RegionLevel, Role, Status, Urgency
from models.proposals import Proposal, StatusChange, Supporter
from models.regions import Region
from models.users import User

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

DAY = date(2026, 11, 30)
UNTIL = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # 07:00 WIB
SINCE = datetime(2026, 11, 29, 0, 0, tzinfo=UTC)  # the day before, 07:00 WIB
UTARA, TOPOS = "17.07.01", "17.07.06"
TALANG_ULU, GANDUNG, KAMPUNG_JAWA, AJAI_SIANG = (
    "17.07.01.2007",
    "17.07.01.2002",
    "17.07.01.1004",
    "17.07.06.2001",
)
ROAD, ARTS, TRADE = "1.03.10", "2.22.03", "3.30.03"
PUPR = "Dinas Pekerjaan Umum, Penataan Ruang dan Perhubungan (PUPR-Hub)"
DISDIKBUD = "Dinas Pendidikan dan Kebudayaan (Disdikbud)"
DISPERINDAG = "Dinas Perindustrian, Perdagangan, Koperasi dan UKM (Disperindagkop UKM)"
LONG_TITLE = ("Rehabilitasi balai desa yang atapnya bocor 🏚️ " * 5)[:200]  # the longest allowed
LONG_PROBLEM = ("Atap bocor dan dinding retak, warga tidak bisa rapat saat hujan. " * 16)[:1000]
CONSENTED_NAME = "Siti Aminah"
PHONE = "081234567890"
CONSENTED_ID, UNCONSENTED_ID = 880011, 880022

_REGIONS = [
    ("17", "Bengkulu", RegionLevel.PROVINSI, None),
    ("17.07", "Kabupaten Lebong", RegionLevel.KABUPATEN, "17"),
    (UTARA, "Lebong Utara", RegionLevel.KECAMATAN, "17.07"),
    (TOPOS, "Topos", RegionLevel.KECAMATAN, "17.07"),
    (TALANG_ULU, "Talang Ulu", RegionLevel.DESA, UTARA),
    (GANDUNG, "Gandung", RegionLevel.DESA, UTARA),
    (KAMPUNG_JAWA, "Kampung Jawa", RegionLevel.KELURAHAN, UTARA),
    (AJAI_SIANG, "Ajai Siang", RegionLevel.DESA, TOPOS),
]


@dataclass(frozen=True)
class Known:
    """The tracking codes of the hand-built proposals."""

    best_road: str = "LBG-27-AAAA1"
    second_road: str = "LBG-27-AAAA2"
    coffee: str = "LBG-27-AAAA3"
    dance: str = "LBG-27-AAAA4"
    rejected_road: str = "LBG-27-AAAA5"
    merged_hall: str = "LBG-27-AAAA6"
    market: str = "LBG-27-AAAA7"
    tomorrow: str = "LBG-27-AAAA8"
    draft: str = "LBG-27-AAAA9"


def at(day: int, hour: int = 3) -> datetime:
    """Return a UTC moment in November 2026 (or 1 December for day 31)."""
    if day == 31:
        return datetime(2026, 12, 1, hour, tzinfo=UTC)
    return datetime(2026, 11, day, hour, tzinfo=UTC)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings with a beneficiary top of 999 people, so 9 and 99 people earn 1/3 and 2/3."""
    return load_settings(
        database_url=database_url, telegram_bot_token="", priority_full_beneficiaries=999
    )


@pytest.fixture
def known() -> Known:
    return Known()


@pytest.fixture
async def hand_built(engine: AsyncEngine, known: Known) -> Known:
    """Two kecamatan, four villages, nine proposals; the numbers are listed in the tests."""
    async with session_scope(engine) as session:
        for code, name, level, parent in _REGIONS:
            session.add(Region(code=code, name=name, level=level, parent_code=parent))
        session.add(
            User(
                telegram_id=CONSENTED_ID,
                name=CONSENTED_NAME,
                phone=PHONE,
                consent_at=at(1),
            )
        )
        session.add(User(telegram_id=UNCONSENTED_ID, name="Budi Tanpa Izin", phone=PHONE))
        await session.flush()

        async def add(code: str, created: datetime, **fields: object) -> Proposal:
            values: dict[str, object] = {
                "tracking_code": code,
                "kecamatan_code": UTARA,
                "desa_code": TALANG_ULU,
                "bidang": Bidang.INFRASTRUKTUR,
                "title": "Perbaikan jalan usaha tani",
                "urgency": Urgency.BIASA,
                "status": Status.DIAJUKAN,
                "created_at": created,
                "updated_at": created,
            }
            values.update(fields)
            proposal = Proposal(**values)
            session.add(proposal)
            await session.flush()
            return proposal

        async def move(proposal: Proposal, to: Status, when: datetime) -> None:
            session.add(
                StatusChange(proposal_id=proposal.id, to_status=to, created_at=when, note="x")
            )

        best = await add(
            known.best_road,
            at(20, 2),  # 09:00 WIB
            proposer_id=CONSENTED_ID,
            urgency=Urgency.SANGAT_MENDESAK,
            beneficiaries=999,
            beneficiaries_unit="jiwa",
            desa_rank=1,
            program_code=ROAD,
            match_score=0.8,
            match_confident=True,
            status=Status.DIVERIFIKASI,
            problem="Jalan rusak parah saat hujan",
            location_detail="RT 02, depan SD",
            latitude=-3.1,
            longitude=102.2,
            volume=2.5,
            volume_unit="km",
            estimated_cost=750_000_000,
        )
        await move(best, Status.DIVERIFIKASI, at(21))
        for user in range(10):
            session.add(Supporter(proposal_id=best.id, user_id=9000 + user, created_at=at(15)))
        second = await add(
            known.second_road,
            at(29, 3),
            proposer_id=UNCONSENTED_ID,
            desa_code=GANDUNG,
            title="Perbaikan jalan usaha tani desa",
            urgency=Urgency.MENDESAK,
            beneficiaries=99,
            desa_rank=2,
            program_code=ROAD,
            match_score=0.3,
            match_confirmed=True,
        )
        for user in range(2):
            session.add(Supporter(proposal_id=second.id, user_id=9100 + user, created_at=at(29)))
        await add(
            known.coffee, at(10), bidang=Bidang.EKONOMI, title="Bantuan bibit kopi ☕ arabika"
        )
        dance = await add(
            known.dance,
            at(25),
            desa_code=KAMPUNG_JAWA,
            bidang=Bidang.SOSIAL_BUDAYA,
            title="Pelatihan tari adat 💃 untuk remaja",
            urgency=Urgency.SANGAT_MENDESAK,
            beneficiaries=9,
            program_code=ARTS,
            match_score=0.4,
            status=Status.DIKEMBALIKAN,
        )
        await move(dance, Status.DIKEMBALIKAN, at(29, 5))
        rejected = await add(
            known.rejected_road,
            at(28, 10),
            desa_code=GANDUNG,
            program_code=ROAD,
            match_score=0.9,
            match_confident=True,
            status=Status.DITOLAK,
        )
        await move(rejected, Status.DITOLAK, at(29, 6))
        merged = await add(
            known.merged_hall,
            at(5),
            title=LONG_TITLE,
            problem=LONG_PROBLEM,
            status=Status.DIGABUNG,
        )
        await move(merged, Status.DIGABUNG, at(29, 7))
        market = await add(
            known.market,
            at(1),
            desa_code=GANDUNG,
            bidang=Bidang.EKONOMI,
            title="Revitalisasi pasar desa",
            urgency=Urgency.MENDESAK,
            beneficiaries=999,
            desa_rank=1,
            program_code=TRADE,
            match_score=0.9,
            match_confident=True,
            status=Status.DIVERIFIKASI,
            submitted_as=Role.LURAH,
        )
        await move(market, Status.DIVERIFIKASI, at(29, 8))
        await add(known.tomorrow, at(30, 1), kecamatan_code=TOPOS, desa_code=AJAI_SIANG)
        await add(known.draft, at(3), status=Status.DRAF)
        session.add(
            Stage(
                name="Musrenbang Desa 2027",
                level="desa",
                opens_at=at(1),
                closes_at=datetime(2026, 12, 15, 16, 59, tzinfo=UTC),
            )
        )
        session.add(Stage(name="Pra-Musrenbang", level="desa", opens_at=at(1), closes_at=at(20)))
        session.add(
            Stage(
                name="Musrenbang Kecamatan 2027",
                level="kecamatan",
                opens_at=datetime(2027, 1, 5, tzinfo=UTC),
                closes_at=datetime(2027, 2, 1, tzinfo=UTC),
            )
        )
    return known
