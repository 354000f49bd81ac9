"""Planning reminders: who gets what, once, merged into one message a day, never at night."""

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from core.config import load_settings
from models.calendar import (
    PlannedReminder,
    Stage,
    StageLevel,
    set_reminders_enabled,
)
from models.conversations import Conversation
from models.db import create_engine_from_url, run_transaction, session_scope
from models.enums import Role, Status
from models.outbox import Outbox
from models.users import User
from services.calendar.stages import StageFields, change_stage
from services.drafts import Draft
from services.reminders import planning
from services.reminders.audience import missing_parts
from services.reminders.planning import plan_reminders
from tests.proposal_factories import add_proposal, add_supporters

pytestmark = pytest.mark.usefixtures("regions")

WIB = ZoneInfo("Asia/Jakarta")
LEBONG_UTARA, GANDUNG, TALANG_ULU = "17.07.01", "17.07.01.2002", "17.07.01.2007"
RESIDENT, LURAH, CAMAT, SUPPORTER, LURAH_TALANG_ULU = 101, 201, 301, 102, 202


def wib(month, day, hour=8, minute=0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=WIB)


DRAFT = {
    "kecamatan_code": LEBONG_UTARA,
    "desa_code": GANDUNG,
    "bidang": "infrastruktur",
    "title": "Jalan usaha tani",
    "resume_step": "usul.problem",
}


async def add_stage(engine, *, level, region, opens, closes, forum=None, name=None) -> Stage:
    async with session_scope(engine) as session:
        stage = Stage(
            name=name or f"Musrenbang {level} {region}",
            level=level,
            region_code=region,
            opens_at=opens,
            closes_at=closes,
            forum_at=forum,
        )
        session.add(stage)
    return stage


async def add_person(engine, telegram_id, *, role=Role.WARGA, region=None, **fields) -> None:
    values = {"consent_at": wib(1, 2), "language": "id"} | fields
    async with session_scope(engine) as session:
        session.add(User(telegram_id=telegram_id, role=role, region_code=region, **values))


async def add_draft(engine, telegram_id, draft=None, *, touched=None) -> None:
    async with session_scope(engine) as session:
        session.add(
            Conversation(
                chat_id=telegram_id,
                user_id=telegram_id,
                draft=draft or DRAFT,
                updated_at=touched or wib(1, 20),
            )
        )


async def plan(engine, now, settings=None) -> int:
    """Plan as the scheduled job does: one transaction, retried when SQLite is busy."""
    chosen = settings or load_settings()
    return await run_transaction(
        engine, lambda session: plan_reminders(session, now=now, settings=chosen)
    )


async def messages(engine) -> list[Outbox]:
    async with session_scope(engine) as session:
        return list((await session.exec(select(Outbox).order_by(Outbox.id))).all())


def topics(message: Outbox) -> list[tuple[str, list[str]]]:
    return [
        (item["slot"], sorted(set(item) - {"stage", "slot", "kind"}))
        for item in message.payload["items"]
    ]


@pytest.fixture
async def utara(engine) -> Stage:
    return await add_stage(
        engine,
        level=StageLevel.KECAMATAN,
        region=LEBONG_UTARA,
        opens=wib(2, 1),
        closes=wib(2, 5, 16),
        forum=wib(2, 8, 9),
    )


async def test_resident_with_a_draft_gets_one_reminder_with_what_is_missing(engine, utara):
    await add_person(engine, RESIDENT)
    await add_draft(engine, RESIDENT)
    assert await plan(engine, wib(2, 2, 8, 5)) == 1
    [message] = await messages(engine)
    assert (message.recipient_id, message.kind, message.dedup_key) == (
        RESIDENT,
        "reminder",
        f"reminder:{RESIDENT}:2027-02-02",
    )
    assert message.due_at == wib(2, 2, 8, 5)
    [item] = message.payload["items"]
    assert item == {
        "stage": utara.id,
        "slot": "close-3:2027-02-05",
        "kind": "close",
        "draft": {"missing": ["problem", "location", "volume", "beneficiaries", "urgency"]},
    }


async def test_rerun_restart_and_later_runs_of_the_same_slot_plan_nothing_more(engine, utara):
    await add_person(engine, RESIDENT)
    await add_draft(engine, RESIDENT)
    assert await plan(engine, wib(2, 2, 8)) == 1
    assert await plan(engine, wib(2, 2, 8)) == 0
    assert await plan(engine, wib(2, 3, 8)) == 0  # close-3 still due, but already planned
    assert len(await messages(engine)) == 1


async def test_nothing_is_planned_in_the_quiet_hours_nor_before_eight(engine, utara):
    await add_person(engine, RESIDENT)
    await add_draft(engine, RESIDENT)
    assert await plan(engine, wib(2, 2, 7, 59)) == 0
    assert await plan(engine, wib(2, 2, 21, 0)) == 0
    assert await plan(engine, wib(2, 3, 6, 30)) == 0
    assert await messages(engine) == []


@pytest.mark.parametrize(
    "person",
    [
        {"active": False},
        {"consent_at": None},
    ],
    ids=["blocked the bot", "never agreed to data storage"],
)
async def test_nobody_unreachable_gets_a_reminder(engine, utara, person):
    await add_person(engine, RESIDENT, **person)
    await add_draft(engine, RESIDENT)
    assert await plan(engine, wib(2, 2, 8)) == 0


async def test_nobody_who_turned_reminders_off_or_deleted_their_data_gets_one(engine, utara):
    await add_person(engine, RESIDENT)
    await add_draft(engine, RESIDENT)
    await add_draft(engine, SUPPORTER)  # deleted their data: no User row is left
    async with session_scope(engine) as session:
        await set_reminders_enabled(session, user_id=RESIDENT, enabled=False, now=wib(2, 1))
    assert await plan(engine, wib(2, 2, 8)) == 0


async def test_drafts_not_due_get_no_reminder(engine, utara):
    await add_person(engine, 1)
    await add_draft(engine, 1, {**DRAFT, "resume_step": None})  # a lurah's kept desa
    await add_person(engine, 2)
    stale = (wib(2, 2) - timedelta(days=load_settings().draft_keep_days + 1)).isoformat()
    await add_draft(engine, 2, {**DRAFT, "saved_at": stale})
    await add_person(engine, 3)
    await add_draft(engine, 3, touched=wib(2, 2, 7))  # busy with it an hour ago
    await add_person(engine, 4)
    await add_draft(
        engine, 4, {**DRAFT, "desa_code": "17.07.02.2001", "kecamatan_code": "17.07.02"}
    )
    assert await plan(engine, wib(2, 2, 8)) == 0


async def test_a_draft_touched_this_morning_is_reminded_in_the_afternoon(engine, utara):
    await add_person(engine, RESIDENT)
    await add_draft(engine, RESIDENT, touched=wib(2, 2, 7))
    assert await plan(engine, wib(2, 2, 8)) == 0
    assert await plan(engine, wib(2, 2, 13, 15)) == 1


async def test_lurah_hears_the_counts_of_unverified_proposals_or_that_there_are_none(engine):
    desa_stage = await add_stage(
        engine, level=StageLevel.DESA, region=None, opens=wib(1, 4), closes=wib(1, 29, 16)
    )
    await add_person(engine, LURAH, role=Role.LURAH, region=GANDUNG)
    await add_person(engine, LURAH_TALANG_ULU, role=Role.LURAH, region=TALANG_ULU)
    await add_person(engine, 203, role=Role.LURAH, region="17.07.01.2005")
    async with session_scope(engine) as session:
        for status in (Status.DIAJUKAN, Status.DIAJUKAN, Status.DIVERIFIKASI):
            await add_proposal(session, desa_code=GANDUNG, stage_id=desa_stage.id, status=status)
        await add_proposal(
            session, desa_code=TALANG_ULU, stage_id=desa_stage.id, status=Status.DIVERIFIKASI
        )
    assert await plan(engine, wib(1, 22, 9)) == 2
    by_person = {message.recipient_id: message for message in await messages(engine)}
    assert set(by_person) == {LURAH, 203}
    assert by_person[LURAH].payload["items"][0]["lurah"] == {
        "desa": GANDUNG,
        "unverified": 2,
        "total": 3,
    }
    assert by_person[203].payload["items"][0]["lurah"] == {
        "desa": "17.07.01.2005",
        "unverified": 0,
        "total": 0,
    }


async def test_camat_hears_how_many_verified_proposals_are_unranked(engine, utara):
    await add_person(engine, CAMAT, role=Role.CAMAT, region=LEBONG_UTARA)
    await add_person(engine, 302, role=Role.CAMAT, region="17.07.02")
    async with session_scope(engine) as session:
        await add_proposal(session, status=Status.DIVERIFIKASI)
        await add_proposal(session, status=Status.DIVERIFIKASI)
        await add_proposal(session, status=Status.DIVERIFIKASI, kecamatan_rank=1)
        await add_proposal(session, status=Status.DIAJUKAN)
    assert await plan(engine, wib(2, 4, 8)) == 1
    [message] = await messages(engine)
    assert message.recipient_id == CAMAT
    assert message.payload["items"][0]["camat"] == {"kecamatan": LEBONG_UTARA, "unranked": 2}


async def test_everyone_behind_a_proposal_on_the_agenda_hears_the_day_before_the_forum(
    engine, utara
):
    await add_person(engine, RESIDENT)
    await add_person(engine, SUPPORTER)
    await add_person(engine, 103)
    async with session_scope(engine) as session:
        on_agenda = await add_proposal(
            session, proposer_id=RESIDENT, status=Status.DIVERIFIKASI, tracking_code="LBG-27-AAAA1"
        )
        await add_supporters(session, on_agenda, [SUPPORTER, RESIDENT])
        await add_proposal(session, proposer_id=103, status=Status.DITOLAK)
        await add_proposal(session, proposer_id=None, status=Status.DIVERIFIKASI)
    assert await plan(engine, wib(2, 7, 8)) == 2
    by_person = {message.recipient_id: message for message in await messages(engine)}
    assert set(by_person) == {RESIDENT, SUPPORTER}
    assert by_person[SUPPORTER].payload["items"][0] == {
        "stage": utara.id,
        "slot": "forum-1:2027-02-08",
        "kind": "forum",
        "forum": {"codes": ["LBG-27-AAAA1"], "count": 1},
    }


async def test_after_the_close_proposers_and_drafts_hear_that_intake_closed(engine, utara):
    await add_person(engine, RESIDENT)
    await add_person(engine, SUPPORTER)
    await add_draft(engine, SUPPORTER)
    async with session_scope(engine) as session:
        await add_proposal(session, proposer_id=RESIDENT, stage_id=utara.id)
    assert await plan(engine, wib(2, 6, 8)) == 2
    for message in await messages(engine):
        assert topics(message) == [("closed:2027-02-05", ["closed"])]


async def test_several_reminders_for_one_person_make_one_message(engine, utara):
    desa_stage = await add_stage(
        engine, level=StageLevel.DESA, region=GANDUNG, opens=wib(1, 25), closes=wib(2, 3, 16)
    )
    await add_person(engine, LURAH, role=Role.LURAH, region=GANDUNG)
    await add_draft(engine, LURAH)
    assert await plan(engine, wib(2, 2, 8)) == 1
    [message] = await messages(engine)
    assert topics(message) == [("close-1:2027-02-03", ["draft", "lurah"])]
    assert message.payload["items"][0]["stage"] == desa_stage.id
    async with session_scope(engine) as session:
        planned = (await session.exec(select(PlannedReminder))).all()
    assert [(row.recipient_id, row.slot, row.outbox_id) for row in planned] == [
        (LURAH, "close-1:2027-02-03", message.id)
    ]


async def test_one_message_a_day_what_comes_later_waits_for_tomorrow(engine, utara):
    await add_person(engine, LURAH, role=Role.LURAH, region=GANDUNG)
    desa_stage = await add_stage(
        engine, level=StageLevel.DESA, region=None, opens=wib(1, 4), closes=wib(2, 5, 16)
    )
    assert await plan(engine, wib(2, 2, 8)) == 1  # the lurah: no proposal yet
    await add_draft(engine, LURAH, touched=wib(2, 2, 7))
    assert await plan(engine, wib(2, 2, 14)) == 0  # the draft waits: one message a day
    assert await plan(engine, wib(2, 3, 8)) == 1
    first, second = await messages(engine)
    assert topics(first) == [("close-3:2027-02-05", ["lurah"])]
    assert topics(second) == [("close-3:2027-02-05", ["draft"])]
    assert first.payload["items"][0]["stage"] == desa_stage.id
    assert second.payload["items"][0]["stage"] == utara.id


async def test_a_moved_stage_is_planned_again_from_its_new_dates(engine, utara):
    await add_person(engine, RESIDENT)
    await add_draft(engine, RESIDENT)
    assert await plan(engine, wib(2, 4, 8)) == 1
    async with session_scope(engine) as session:
        stage = await session.get(Stage, utara.id)
        moved = StageFields.of(stage)
        moved = StageFields(**{**moved.__dict__, "closes_at": wib(2, 10, 16)})
        assert await change_stage(session, stage, moved) == 1
    assert await messages(engine) == []
    assert await plan(engine, wib(2, 4, 9)) == 1
    [message] = await messages(engine)
    assert topics(message) == [("close-7:2027-02-10", ["draft"])]


def test_missing_parts_follow_the_intake_order():
    assert missing_parts(Draft()) == [
        "desa",
        "bidang",
        "title",
        "problem",
        "location",
        "volume",
        "beneficiaries",
        "urgency",
    ]
    assert missing_parts(Draft.load({**DRAFT, "latitude": -3.1, "problem": "x"})) == [
        "volume",
        "beneficiaries",
        "urgency",
    ]


async def test_two_planners_at_once_write_each_reminder_once(engine, settings, utara):
    for person in range(1000, 1040):
        await add_person(engine, person)
        await add_draft(engine, person)
    second_engine = create_engine_from_url(settings.database_url)
    try:

        async def run(on) -> int:
            return await plan(on, wib(2, 2, 8), settings)

        written = await asyncio.gather(run(engine), run(second_engine))
    finally:
        await second_engine.dispose()
    assert sum(written) == 40
    assert len(await messages(engine)) == 40


async def test_when_another_run_wrote_one_message_meanwhile_the_others_still_go_out(
    engine, utara, monkeypatch
):
    for person in (1, 2, 3):
        await add_person(engine, person)
        await add_draft(engine, person)
    async with session_scope(engine) as session:
        session.add(
            Outbox(
                recipient_id=2,
                kind="reminder",
                payload={"day": "2027-02-02", "items": []},
                dedup_key="reminder:2:2027-02-02",
                due_at=wib(2, 2, 8),
            )
        )

    async def nobody_yet(session, people, day):
        return set()  # as if the other run committed after this one looked

    monkeypatch.setattr(planning, "_with_message_on", nobody_yet)
    assert await plan(engine, wib(2, 2, 8)) == 2
    assert sorted(message.recipient_id for message in await messages(engine)) == [1, 2, 3]
    async with session_scope(engine) as session:
        planned = (await session.exec(select(PlannedReminder.recipient_id))).all()
    assert sorted(planned) == [1, 3]
