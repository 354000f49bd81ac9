"""A whole season on a fake clock: who hears what, when, once, by day and never at night.

Bappeda sets the Musrenbang Kecamatan of Lebong Utara and Lebong Atas in the chat (and the
desa stages of both kecamatan from CSV), residents submit, support and leave drafts, a lurah
verifies, and the clock moves hour by hour from 24 January to 14 February 2027. Every hour
the planner runs (once, or twice at the same time as two instances would), then a stand-in
for the outbox sender renders what is due and marks it sent.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from handlers.calendar.notices import RENDERERS
from handlers.dispatch import Core
from models.db import create_engine_from_url, run_transaction, session_scope
from models.enums import Role, Status
from models.outbox import Outbox
from models.proposals import Proposal
from models.users import User, set_user_inactive
from services.calendar.season import import_season
from services.lifecycle import change_status
from services.reminders.planning import plan_reminders
from tests.scenarios import stories
from tests.scenarios.calendar_stories import bappeda_adds_a_kecamatan_stage, make_bappeda
from tests.scenarios.drivers import CoreDriver

pytestmark = pytest.mark.usefixtures("regions")

WIB = ZoneInfo("Asia/Jakarta")
START, END = datetime(2027, 1, 24, 0, 0, tzinfo=WIB), datetime(2027, 2, 14, 0, 0, tzinfo=WIB)
GANDUNG, TUNGGANG, SUKAU_KAYO = "17.07.01.2002", "17.07.01.2005", "17.07.02.2001"
PLANNER = 1
PROPOSER, SUPPORTER, DRAFT_UTARA, DRAFT_ATAS, OPTED_OUT, BLOCKED, PROPOSER_ATAS = range(101, 108)
LURAH_GANDUNG, LURAH_SUKAU_KAYO, LURAH_TUNGGANG, CAMAT_UTARA = 201, 202, 203, 301
DESA_STAGES = (
    "name,level,region_code,opens_wib,closes_wib,forum_wib\n"
    "Musrenbang Desa se-Lebong Utara 2027,desa,17.07.01,2027-01-25 08:00,2027-01-29 16:00,\n"
    "Musrenbang Desa se-Lebong Atas 2027,desa,17.07.02,2027-01-25 08:00,2027-02-02 16:00,\n"
)

# Day of January/February 2027 → who hears something that day (all at 08:00 WIB, except a
# draft started on the 26th: its owner is left alone for six hours and hears at 16:00).
EXPECTED: dict[int, list[tuple[str, int]]] = {
    DRAFT_UTARA: [
        ("01-26", 16),  # desa stage closes in 3 days
        ("01-28", 8),  # tomorrow
        ("01-29", 8),  # today
        ("01-30", 8),  # closed; the Musrenbang Kecamatan opens on 1 February
        ("02-02", 8),  # kecamatan stage closes in 3 days
        ("02-04", 8),
        ("02-05", 8),
        ("02-06", 8),  # closed
    ],
    DRAFT_ATAS: [
        ("01-26", 8),  # 7 days before the desa stage of Lebong Atas closes
        ("01-30", 8),
        ("02-01", 8),
        ("02-02", 8),
        ("02-03", 8),  # closed
        ("02-06", 8),  # Musrenbang Kecamatan Lebong Atas: 3 days left
        ("02-08", 8),
        ("02-09", 8),
        ("02-10", 8),  # closed
    ],
    PROPOSER: [("01-30", 8), ("02-07", 8)],  # desa stage closed; forum tomorrow
    SUPPORTER: [("02-07", 8)],  # forum tomorrow
    PROPOSER_ATAS: [("02-03", 8)],  # desa stage closed (not verified: not on the forum agenda)
    LURAH_GANDUNG: [("01-26", 8), ("01-30", 8)],  # 1 unverified; verified on the 27th; closed
    LURAH_TUNGGANG: [("01-26", 8), ("01-28", 8), ("01-29", 8), ("01-30", 8)],  # no proposal
    LURAH_SUKAU_KAYO: [("01-26", 8), ("01-30", 8), ("02-01", 8), ("02-02", 8), ("02-03", 8)],
    CAMAT_UTARA: [("02-02", 8), ("02-04", 8), ("02-05", 8), ("02-06", 8)],  # 1 unranked
}


class FakeClock:
    """The time the core and the planner see; the test moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Delivery:
    person: int
    at: datetime
    text: str


async def person(core: Core, chat_id: int) -> CoreDriver:
    driver = CoreDriver(core, chat_id=chat_id, first_name=f"Warga {chat_id}")
    await stories.agree(driver)
    return driver


async def leave_a_draft(core: Core, chat_id: int, kecamatan: str, desa: str) -> CoreDriver:
    driver = await person(core, chat_id)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press(kecamatan, expect=stories.DESA_QUESTION)
    await driver.press(desa, expect=stories.BIDANG_QUESTION)
    await driver.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    return driver


async def add_official(engine, chat_id: int, role: Role, region: str) -> None:
    async with session_scope(engine) as session:
        session.add(User(telegram_id=chat_id, role=role, region_code=region))


async def set_up_the_calendar(core: Core, engine, settings) -> None:
    """24 January: Bappeda sets both kecamatan in the chat, the desa stages from CSV."""
    await make_bappeda(engine, PLANNER)
    planner = await person(core, PLANNER)
    await bappeda_adds_a_kecamatan_stage(planner, engine)
    await bappeda_adds_a_kecamatan_stage(
        planner,
        engine,
        kecamatan="Lebong Atas",
        opens="4 Feb 2027 08.00",
        closes="9/2/2027 16.00",
        forum="12-02-2027 09:00",
    )
    async with session_scope(engine) as session:
        await import_season(session, DESA_STAGES, now=core.clock(), zone=settings.zone)
    for chat_id, role, region in (
        (LURAH_GANDUNG, Role.LURAH, GANDUNG),
        (LURAH_SUKAU_KAYO, Role.LURAH, SUKAU_KAYO),
        (LURAH_TUNGGANG, Role.LURAH, TUNGGANG),
        (CAMAT_UTARA, Role.CAMAT, "17.07.01"),
    ):
        await add_official(engine, chat_id, role, region)
        await person(core, chat_id)


async def residents_take_part(core: Core, engine) -> None:
    """25 January: a proposal, its supporter, and a draft in Lebong Atas."""
    proposer = await person(core, PROPOSER)
    await stories.fill_until_preview(proposer, photo=False)
    await proposer.press("✅ Kirim usulan", expect=stories.SENT)
    existing = await stories.only_proposal(engine)
    supporter = CoreDriver(core, chat_id=SUPPORTER)
    await stories.resident_supports_a_similar_proposal(supporter, engine, existing)
    # Supporting keeps the supporter's own draft; this one does not want it.
    await supporter.send("/batal", expect="berhenti")
    await supporter.press("🗑 Berhenti dan hapus draf", expect="dihapus")
    await leave_a_draft(core, DRAFT_ATAS, "Lebong Atas", "Sukau Kayo")


async def more_drafts(core: Core) -> None:
    """26 January: a draft in Gandung, and two people who must hear nothing."""
    await leave_a_draft(core, DRAFT_UTARA, "Lebong Utara", "Gandung")
    opted_out = await leave_a_draft(core, OPTED_OUT, "Lebong Utara", "Gandung")
    await opted_out.send("/pengingat mati", expect="Pengingat <b>mati</b>")
    await leave_a_draft(core, BLOCKED, "Lebong Utara", "Gandung")
    async with session_scope(core.engine) as session:
        await set_user_inactive(session, BLOCKED)


async def lurah_verifies(core: Core, engine) -> None:
    """27 January: the lurah of Gandung verifies the proposal."""
    async with session_scope(engine) as session:
        proposal = (await session.exec(select(Proposal))).one()
        await change_status(
            session, proposal, Status.DIVERIFIKASI, by=LURAH_GANDUNG, note="", now=core.clock()
        )


async def proposal_in_lebong_atas(core: Core) -> None:
    """28 January: a resident of Sukau Kayo submits for the desa stage of Lebong Atas."""
    driver = await person(core, PROPOSER_ATAS)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Atas", expect=stories.DESA_QUESTION)
    await driver.press("Sukau Kayo", expect=stories.BIDANG_QUESTION)
    await stories.fill_from_bidang(
        driver, title="Lampu jalan tenaga surya di dusun 2", photo=False
    )
    await driver.press("✅ Kirim usulan", expect=stories.SENT)


async def send_due(engine, settings, now: datetime, sent: list[Delivery]) -> None:
    """Stand in for the outbox sender: render what is due, record it, mark it sent."""
    async with session_scope(engine) as session:
        due = await session.exec(
            select(Outbox)
            .where(col(Outbox.sent_at).is_(None), col(Outbox.due_at) <= now)
            .where(col(Outbox.kind).in_(RENDERERS))
            .order_by(col(Outbox.id))
        )
        for row in due.all():
            recipient = await session.get(User, row.recipient_id)
            replies = await RENDERERS[row.kind](
                row.payload, session=session, recipient=recipient, settings=settings
            )
            sent.extend(Delivery(row.recipient_id, now, reply.text) for reply in replies)
            row.sent_at = now


async def plan(engines, settings, now: datetime) -> None:
    async def run(engine) -> int:
        return await run_transaction(
            engine, lambda session: plan_reminders(session, now=now, settings=settings)
        )

    await asyncio.gather(*(run(engine) for engine in engines))


@pytest.mark.parametrize("instances", [1, 2], ids=["one planner", "two planners at once"])
async def test_a_season_of_reminders(engine, settings, instances):
    clock = FakeClock(START + timedelta(hours=10))
    core = Core(engine=engine, settings=settings, clock=clock)
    script = {
        datetime(2027, 1, 24, 10, tzinfo=WIB): lambda: set_up_the_calendar(core, engine, settings),
        datetime(2027, 1, 25, 10, tzinfo=WIB): lambda: residents_take_part(core, engine),
        datetime(2027, 1, 26, 10, tzinfo=WIB): lambda: more_drafts(core),
        datetime(2027, 1, 27, 11, tzinfo=WIB): lambda: lurah_verifies(core, engine),
        datetime(2027, 1, 28, 10, tzinfo=WIB): lambda: proposal_in_lebong_atas(core),
    }
    engines = [engine] + [
        create_engine_from_url(settings.database_url) for _ in range(1, instances)
    ]
    sent: list[Delivery] = []
    try:
        now = START
        while now < END:
            for moment in [moment for moment in script if moment <= now]:
                clock.now = moment
                await script.pop(moment)()
            clock.now = now
            await plan(engines, settings, now)
            await send_due(engine, settings, now, sent)
            now += timedelta(hours=1)
    finally:
        for extra in engines[1:]:
            await extra.dispose()

    heard = {
        who: [(f"{d.at:%m-%d}", d.at.hour) for d in sent if d.person == who]
        for who in {d.person for d in sent}
    }
    assert heard == EXPECTED
    days = [(d.person, d.at.date()) for d in sent]
    assert len(days) == len(set(days)), "somebody heard twice on one day"
    assert all(7 <= d.at.hour < 21 for d in sent), "somebody heard at night"

    said = {(d.person, f"{d.at:%m-%d}"): d.text for d in sent}
    assert "ditutup 3 hari lagi: Jumat, 29 Januari 2027, 16.00 WIB" in said[DRAFT_UTARA, "01-26"]
    assert "Yang belum diisi: apa yang diusulkan, masalah" in said[DRAFT_UTARA, "01-26"]
    assert (
        "Berikutnya: <b>Musrenbang Kecamatan Lebong Utara 2027</b> dibuka"
        in said[DRAFT_UTARA, "01-30"]
    )
    assert "🏘 Gandung: 1 dari 1 usulan menunggu verifikasi Anda" in said[LURAH_GANDUNG, "01-26"]
    assert "🏘 Tunggang belum punya usulan" in said[LURAH_TUNGGANG, "01-29"]
    assert "ditutup hari ini" in said[LURAH_TUNGGANG, "01-29"]
    assert "🏘 Sukau Kayo: 1 dari 1 usulan" in said[LURAH_SUKAU_KAYO, "01-30"]
    assert (
        "🏛 Lebong Utara: 1 usulan yang sudah diverifikasi belum diberi peringkat"
        in said[CAMAT_UTARA, "02-02"]
    )
    for who in (PROPOSER, SUPPORTER):
        assert "berlangsung besok, Senin, 8 Februari 2027, 09.00 WIB" in said[who, "02-07"]
    assert "/pengingat" in said[PROPOSER, "02-07"]
    async with session_scope(engine) as session:
        rows = (await session.exec(select(Outbox).where(Outbox.kind == "reminder"))).all()
    assert len(rows) == len(sent)
