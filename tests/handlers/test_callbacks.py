"""Typed button data: packed within Telegram's limit, and forged or old data never crash."""

from typing import Literal

import pytest
from pydantic import Field

from core.events import AnswerCallback, EditText, SendText
from handlers.callbacks import CallbackData, Page, RecordId, RegionCode, in_rows, prefix_of
from models.conversations import Conversation
from models.db import session_scope
from tests.factories import press
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver

APOLOGY = "ada gangguan di sistem kami"


class Sample(CallbackData, prefix="sample"):
    page: int = Field(ge=0, le=9)
    mode: Literal["a", "b"] = "a"


class Free(CallbackData, prefix="free"):
    text: str


class Row(CallbackData, prefix="row"):
    id: RecordId
    page: Page
    code: RegionCode


def test_callback_data_round_trips_and_reads_only_what_pack_writes():
    assert Sample(page=3, mode="b").pack() == "sample:3:b"
    assert Sample.parse("sample:3:b") == Sample(page=3, mode="b")
    for forged in ["sample:²:a", "sample:3.0:a", "sample: 3:a", "sample:1_0:a", "sample:-1:a"]:
        assert Sample.parse(forged) is None, forged
    for other in ["sample:3", "sample:3:b:x", "other:3:b", "sample", ""]:
        assert Sample.parse(other) is None, other
    assert prefix_of("sample:3:b") == "sample"


def test_shared_fields_read_only_ids_pages_and_region_codes_the_database_can_hold():
    assert Row.parse("row:2147483647:999:17.07.01.2001") == Row(
        id=2**31 - 1, page=999, code="17.07.01.2001"
    )
    for forged in [
        "row:0:0:17.07",
        "row:-3:0:17.07",
        "row:2147483648:0:17.07",
        "row:٣:0:17.07",
        "row:007:0:17.07",
        "row:1:1000:17.07",
        "row:1:0:17",
        "row:1:0:../17.07",
    ]:
        assert Row.parse(forged) is None, forged


def test_callback_data_refuses_what_telegram_or_parse_would_reject():
    with pytest.raises(ValueError, match="64 bytes"):
        Free(text="x" * 60).pack()
    with pytest.raises(ValueError, match="contains"):
        Free(text="a:b").pack()
    with pytest.raises(ValueError, match="taken"):

        class Again(CallbackData, prefix="sample"):
            pass


def test_in_rows_lays_buttons_out_two_per_row():
    buttons = [Sample(page=page).button(str(page)) for page in range(5)]
    assert [[b.text for b in row] for row in in_rows(buttons)] == [["0", "1"], ["2", "3"], ["4"]]


def texts(replies) -> list[str]:
    return [reply.text for reply in replies if isinstance(reply, SendText | EditText)]


async def press_forged(driver: CoreDriver, data: str) -> list[str]:
    replies = await driver.core.handle(press(data, chat_id=driver.chat_id))
    assert any(isinstance(reply, AnswerCallback) for reply in replies), data
    said = texts(replies)
    assert said, data
    assert not any(APOLOGY in text for text in said), (data, said)
    return said


async def at_desa_step(core) -> CoreDriver:
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    return driver


@pytest.mark.usefixtures("regions")
async def test_unicode_digits_in_button_data_are_refused_not_crashing(core, engine):
    driver = await at_desa_step(core)
    said = await press_forged(driver, "desap:²")
    assert stories.DESA_QUESTION in said[-1]
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    for forged in ["prog:²", "prog:٣", "prog:9", "dukung:²"]:
        said = await press_forged(driver, forged)
        assert stories.PROGRAM_CHOICE in said[-1]
    said = await press_forged(driver, "usulansaya:²")
    assert "belum pernah mengajukan usulan" in said[0]
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, driver.chat_id)
    assert conversation.step == "usul.program"
    assert conversation.draft["title"] == stories.ROAD


@pytest.mark.usefixtures("regions")
async def test_buttons_from_before_typed_data_are_answered_gracefully(core):
    driver = await at_desa_step(core)
    for old in ["desa:p1", "desa:back", "kdesa:17.07.01.2002"]:
        said = await press_forged(driver, old)
        assert stories.DESA_QUESTION in said[-1], old
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    await driver.press("✅ Program 1", expect=stories.PROBLEM_QUESTION)
    await driver.send(stories.ROAD_PROBLEM, expect=stories.LOCATION_QUESTION)
    await driver.send("RT 02 dusun 2", expect=stories.VOLUME_QUESTION)
    said = await press_forged(driver, "vol:unknown")
    assert stories.VOLUME_QUESTION in said[-1]
    await press_forged(driver, "lagi:1")
