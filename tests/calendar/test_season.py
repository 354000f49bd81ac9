"""A season from CSV: the example imports cleanly, twice is harmless, errors import nothing."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from models.calendar import Stage
from models.db import session_scope
from services.calendar.season import SeasonImportError, import_season
from services.data import DATA_DIR

pytestmark = pytest.mark.usefixtures("regions")

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
EXAMPLE = (DATA_DIR / "musrenbang_calendar_example.csv").read_text(encoding="utf-8")
HEADER = "name,level,region_code,opens_wib,closes_wib,forum_wib\n"


async def run_import(engine, text, settings):
    async with session_scope(engine) as session:
        return await import_season(session, text, now=NOW, zone=settings.zone)


async def stages(engine):
    async with session_scope(engine) as session:
        return list((await session.exec(select(Stage).order_by(Stage.id))).all())


async def test_example_season_imports_every_stage_in_wib(engine, settings):
    result = await run_import(engine, EXAMPLE, settings)
    assert (len(result.added), result.warnings) == (15, [])
    stored = await stages(engine)
    utara = next(stage for stage in stored if stage.region_code == "17.07.01")
    assert utara.level == "kecamatan"
    assert utara.closes_at == datetime(2027, 2, 5, 9, 0, tzinfo=UTC)  # 16:00 WIB
    assert utara.forum_at == datetime(2027, 2, 8, 2, 0, tzinfo=UTC)
    desa = stored[0]
    assert (desa.region_code, desa.forum_at) == (None, None)


async def test_importing_the_same_season_twice_changes_nothing(engine, settings):
    await run_import(engine, EXAMPLE, settings)
    again = await run_import(engine, EXAMPLE, settings)
    assert (len(again.added), len(again.changed), len(again.unchanged)) == (0, 0, 15)
    assert len(await stages(engine)) == 15


async def test_a_moved_row_changes_its_stage(engine, settings):
    await run_import(engine, EXAMPLE, settings)
    moved = EXAMPLE.replace(
        "2027-02-05 16:00,2027-02-08 09:00", "2027-02-06 16:00,2027-02-09 09:00"
    )
    result = await run_import(engine, moved, settings)
    assert [stage.name for stage in result.changed] == ["Musrenbang Kecamatan Lebong Utara 2027"]


async def test_semicolons_a_byte_order_mark_and_typed_dates_are_read(engine, settings):
    text = (
        "\ufeffname;level;region_code;opens_wib;closes_wib;forum_wib\n"
        "Musrenbang Desa Gandung;desa;17.07.01.2002;4 Jan 2027;29/1/2027 16.00;\n"
        "Musrenbang Kabupaten;Kabupaten;17.07;15 Maret 2027;19 Maret 2027;24-03-2027 09:00\n"
    )
    result = await run_import(engine, text, settings)
    gandung, kabupaten = result.added
    assert gandung.closes_at == datetime(2027, 1, 29, 9, 0, tzinfo=UTC)
    assert gandung.opens_at == datetime(2027, 1, 3, 17, 0, tzinfo=UTC)  # 00:00 WIB
    assert kabupaten.region_code is None
    assert kabupaten.closes_at == datetime(2027, 3, 19, 16, 59, tzinfo=UTC)  # 23:59 WIB


async def test_errors_are_reported_by_line_and_nothing_is_imported(engine, settings):
    text = HEADER + (
        "Musrenbang Desa 2027,desa,,2027-01-04 08:00,2027-01-29 16:00,\n"
        "Musrenbangcam Lebong Utara,kec,17.07.01,2027-02-01,2027-02-05,\n"
        "Musrenbangcam Lebong Atas,kecamatan,17.07.02,2027-02-01,31/2/2027,\n"
        "Musrenbangcam Amen,kecamatan,17.07.10,2027-02-10,2027-02-05,\n"
    )
    with pytest.raises(SeasonImportError) as raised:
        await run_import(engine, text, settings)
    assert [problem.line for problem in raised.value.problems] == [3, 4]
    assert raised.value.problems[1].message.startswith("closes_wib: ")
    assert await stages(engine) == []


async def test_a_check_error_after_parsing_also_imports_nothing(engine, settings):
    text = HEADER + (
        "Musrenbang Desa 2027,desa,,2027-01-04 08:00,2027-01-29 16:00,\n"
        "Musrenbangcam Amen,kecamatan,17.07.10,2027-02-10,2027-02-05,\n"
    )
    with pytest.raises(SeasonImportError) as raised:
        await run_import(engine, text, settings)
    assert [problem.line for problem in raised.value.problems] == [3]
    assert await stages(engine) == []


async def test_overlaps_are_warned_but_imported(engine, settings):
    text = HEADER + (
        "Musrenbang Desa 2027,desa,,2027-01-04,2027-01-29,\n"
        "Musrenbang Desa Gandung,desa,17.07.01.2002,2027-01-20,2027-02-02,\n"
    )
    result = await run_import(engine, text, settings)
    assert len(result.added) == 2
    assert [warning.line for warning in result.warnings] == [3]


@pytest.mark.parametrize(
    "text",
    ["name,opens_wib\nX,2027-01-01\n", HEADER, ""],
    ids=["missing columns", "no rows", "empty file"],
)
async def test_a_file_without_the_columns_or_rows_is_refused(engine, settings, text):
    with pytest.raises(SeasonImportError) as raised:
        await run_import(engine, text, settings)
    assert [problem.line for problem in raised.value.problems] == [1]
