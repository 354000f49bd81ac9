"""Stage checks, changes and deletion, and what they do to reminders not sent yet."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from models.calendar import PlannedReminder, Stage, StageLevel
from models.db import session_scope
from models.outbox import Outbox
from models.users import User
from services.calendar.stages import (
    StageFields,
    StageInUseError,
    add_stage,
    change_stage,
    check_stage,
    delete_stage,
)
from tests.proposal_factories import add_proposal

pytestmark = pytest.mark.usefixtures("regions")

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
LEBONG_UTARA, GANDUNG, LEBONG_ATAS = "17.07.01", "17.07.01.2002", "17.07.02"


def fields(**changes) -> StageFields:
    values = {
        "name": "Musrenbang Kecamatan Lebong Utara 2027",
        "level": StageLevel.KECAMATAN,
        "region_code": LEBONG_UTARA,
        "opens_at": datetime(2027, 2, 1, 1, 0, tzinfo=UTC),
        "closes_at": datetime(2027, 2, 5, 9, 0, tzinfo=UTC),
        "forum_at": datetime(2027, 2, 8, 2, 0, tzinfo=UTC),
    }
    values.update(changes)
    return StageFields(**values)


async def check(engine, stage_fields, stage_id=None):
    async with session_scope(engine) as session:
        return await check_stage(session, stage_fields, now=NOW, stage_id=stage_id)


async def stored(engine, stage_fields) -> Stage:
    async with session_scope(engine) as session:
        return await add_stage(session, stage_fields)


async def test_a_sound_stage_passes_without_remarks(engine):
    result = await check(engine, fields())
    assert (result.ok, result.errors, result.warnings) == (True, [], [])


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "  "},
        {"name": "x" * 201},
        {"closes_at": datetime(2027, 2, 1, 1, 0, tzinfo=UTC)},
        {"closes_at": datetime(2027, 1, 20, 1, 0, tzinfo=UTC)},
        {"forum_at": datetime(2027, 2, 4, 1, 0, tzinfo=UTC)},
        {"region_code": "99.99.99"},
        {"region_code": GANDUNG},
        {"level": StageLevel.OPD},
        {"level": StageLevel.KABUPATEN},
    ],
    ids=[
        "no name",
        "long name",
        "closes when it opens",
        "closes before it opens",
        "forum before the close",
        "unknown region",
        "kecamatan stage for one desa",
        "forum opd for one kecamatan",
        "kabupaten for one kecamatan",
    ],
)
async def test_check_refuses_a_stage_that_cannot_be(engine, changes):
    result = await check(engine, fields(**changes))
    assert not result.ok
    assert len(result.errors) == 1


async def test_check_allows_a_desa_stage_for_one_desa_or_one_kecamatan(engine):
    for region in (GANDUNG, LEBONG_UTARA, None):
        assert (await check(engine, fields(level=StageLevel.DESA, region_code=region))).ok


async def test_check_warns_when_the_close_has_passed(engine):
    result = await check(
        engine,
        fields(
            opens_at=NOW - timedelta(days=10),
            closes_at=NOW - timedelta(days=1),
            forum_at=None,
        ),
    )
    assert result.ok
    assert len(result.warnings) == 1


async def test_check_warns_about_an_overlapping_stage_for_the_same_area(engine):
    await stored(
        engine, fields(name="Musrenbang Desa 2027", level=StageLevel.DESA, region_code=None)
    )
    result = await check(engine, fields())
    assert result.ok
    assert ["Musrenbang Desa 2027" in warning for warning in result.warnings] == [True]


async def test_check_does_not_warn_about_another_kecamatan_or_itself(engine):
    other = await stored(engine, fields(name="Musrenbangcam Lebong Atas", region_code=LEBONG_ATAS))
    same = await stored(engine, fields())
    assert (await check(engine, fields(), stage_id=same.id)).warnings == []
    assert other.id is not None


async def add_planned(engine, stage: Stage, *, person: int, sent: bool, slot="close-3:2027-02-05"):
    async with session_scope(engine) as session:
        if await session.get(User, person) is None:
            session.add(User(telegram_id=person, consent_at=NOW))
            await session.flush()
        message = Outbox(
            recipient_id=person,
            kind="reminder",
            payload={"items": [{"stage": stage.id, "slot": slot}]},
            dedup_key=f"reminder:{person}:{slot}",
            due_at=NOW,
            sent_at=NOW if sent else None,
        )
        session.add(message)
        await session.flush()
        session.add(
            PlannedReminder(
                recipient_id=person, stage_id=stage.id, slot=slot, outbox_id=message.id
            )
        )


async def rows(engine, model):
    async with session_scope(engine) as session:
        return list((await session.exec(select(model))).all())


async def test_moving_a_stage_withdraws_its_unsent_reminders_and_keeps_sent_ones(engine):
    stage = await stored(engine, fields())
    await add_planned(engine, stage, person=11, sent=True, slot="close-7:2027-02-05")
    await add_planned(engine, stage, person=12, sent=False)
    async with session_scope(engine) as session:
        current = await session.get(Stage, stage.id)
        cancelled = await change_stage(
            session, current, fields(closes_at=datetime(2027, 2, 12, 9, 0, tzinfo=UTC))
        )
    assert cancelled == 1
    assert [(row.recipient_id, row.sent_at is not None) for row in await rows(engine, Outbox)] == [
        (11, True)
    ]
    assert [row.recipient_id for row in await rows(engine, PlannedReminder)] == [11]
    [changed] = await rows(engine, Stage)
    assert changed.closes_at == datetime(2027, 2, 12, 9, 0, tzinfo=UTC)


async def test_deleting_a_stage_withdraws_its_reminders(engine):
    stage = await stored(engine, fields())
    await add_planned(engine, stage, person=12, sent=False)
    async with session_scope(engine) as session:
        cancelled = await delete_stage(session, await session.get(Stage, stage.id))
    assert cancelled == 1
    assert await rows(engine, Stage) == []
    assert await rows(engine, Outbox) == []
    assert await rows(engine, PlannedReminder) == []


async def test_a_stage_with_proposals_cannot_be_deleted(engine):
    stage = await stored(engine, fields())
    async with session_scope(engine) as session:
        await add_proposal(session, stage_id=stage.id)
        await add_proposal(session, stage_id=stage.id)
    with pytest.raises(StageInUseError) as raised:
        async with session_scope(engine) as session:
            await delete_stage(session, await session.get(Stage, stage.id))
    assert raised.value.proposals == 2
    assert len(await rows(engine, Stage)) == 1
