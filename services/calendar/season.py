"""A whole season from a CSV file: one stage per row, checked row by row, all or nothing.

Columns: `name`, `level` (desa, kecamatan, opd, kabupaten), `region_code` (empty for the
whole regency), `opens_wib`, `closes_wib`, `forum_wib` (optional); dates in any form
`services.calendar.dates` reads. A row whose name and area match a stored stage changes
that stage, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlmodel import col, select

from core.i18n import _
from models.calendar import Stage, StageLevel
from models.enums import RegionLevel
from models.regions import get_region
from services.calendar.dates import DateInputError, read_moment
from services.calendar.stages import (
    CLOSES_DEFAULT_TIME,
    FORUM_DEFAULT_TIME,
    OPENS_DEFAULT_TIME,
    StageFields,
    add_stage,
    change_stage,
    check_stage,
)

if TYPE_CHECKING:
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from sqlmodel.ext.asyncio.session import AsyncSession

REQUIRED_COLUMNS = ("name", "level", "opens_wib", "closes_wib")
OPTIONAL_COLUMNS = ("region_code", "forum_wib")
LEVEL_WORDS: dict[str, StageLevel] = {
    "desa": StageLevel.DESA,
    "kelurahan": StageLevel.DESA,
    "desa/kelurahan": StageLevel.DESA,
    "kecamatan": StageLevel.KECAMATAN,
    "opd": StageLevel.OPD,
    "forum opd": StageLevel.OPD,
    "perangkat daerah": StageLevel.OPD,
    "kabupaten": StageLevel.KABUPATEN,
}


@dataclass(frozen=True)
class RowNote:
    """Something about one line of the file (line 1 is the header)."""

    line: int
    message: str


@dataclass
class SeasonImport:
    """What an import did."""

    added: list[Stage] = field(default_factory=list)
    changed: list[Stage] = field(default_factory=list)
    unchanged: list[Stage] = field(default_factory=list)
    warnings: list[RowNote] = field(default_factory=list)
    cancelled_reminders: int = 0


class SeasonImportError(Exception):
    """The file has errors; nothing was imported."""

    def __init__(self, problems: list[RowNote]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class _RowError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def import_season(
    session: AsyncSession, text: str, *, now: datetime, zone: ZoneInfo
) -> SeasonImport:
    """Add or change one stage per row, in the caller's transaction.

    Raises:
        SeasonImportError: a row is wrong; the caller rolls the transaction back.
    """
    rows = _read_rows(text)
    problems: list[RowNote] = []
    parsed: list[tuple[int, StageFields]] = []
    for line, row in rows:
        try:
            parsed.append((line, await _row_fields(session, row, now=now, zone=zone)))
        except _RowError as error:
            problems.append(RowNote(line, error.message))
    if problems:
        raise SeasonImportError(problems)
    result = SeasonImport()
    for line, fields in parsed:
        await _apply_row(session, line, fields, now=now, result=result, problems=problems)
    if problems:
        raise SeasonImportError(problems)
    return result


async def _apply_row(
    session: AsyncSession,
    line: int,
    fields: StageFields,
    *,
    now: datetime,
    result: SeasonImport,
    problems: list[RowNote],
) -> None:
    existing = await _same_stage(session, fields)
    check = await check_stage(
        session, fields, now=now, stage_id=existing.id if existing is not None else None
    )
    problems.extend(RowNote(line, message) for message in check.errors)
    result.warnings.extend(RowNote(line, message) for message in check.warnings)
    if not check.ok:
        return
    if existing is None:
        result.added.append(await add_stage(session, fields))
    elif StageFields.of(existing) == fields:
        result.unchanged.append(existing)
    else:
        result.cancelled_reminders += await change_stage(session, existing, fields)
        result.changed.append(existing)


def _read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    text = text.removeprefix("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        expected = ", ".join((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS))
        raise SeasonImportError(
            [
                RowNote(
                    1,
                    _("The header lacks {missing}. The columns are: {expected}.").format(
                        missing=", ".join(missing), expected=expected
                    ),
                )
            ]
        )
    rows = []
    for row in reader:
        values = {
            (key or "").strip().lower(): (value or "").strip()
            for key, value in row.items()
            if isinstance(value, str)
        }
        if any(values.values()):
            rows.append((reader.line_num, values))
    if not rows:
        raise SeasonImportError([RowNote(1, _("The file has no stages below the header."))])
    return rows


async def _row_fields(
    session: AsyncSession, row: dict[str, str], *, now: datetime, zone: ZoneInfo
) -> StageFields:
    level = LEVEL_WORDS.get(row["level"].lower())
    if level is None:
        raise _RowError(
            _('Level "{level}" is unknown; use desa, kecamatan, opd or kabupaten.').format(
                level=row["level"]
            )
        )
    return StageFields(
        name=row["name"],
        level=level,
        region_code=await whole_regency_as_none(session, row.get("region_code", "")),
        opens_at=_moment(row, "opens_wib", now, zone, OPENS_DEFAULT_TIME),
        closes_at=_moment(row, "closes_wib", now, zone, CLOSES_DEFAULT_TIME),
        forum_at=(
            _moment(row, "forum_wib", now, zone, FORUM_DEFAULT_TIME)
            if row.get("forum_wib")
            else None
        ),
    )


def _moment(
    row: dict[str, str], column: str, now: datetime, zone: ZoneInfo, default: time
) -> datetime:
    try:
        return read_moment(row.get(column, ""), now=now, zone=zone, default_time=default)
    except DateInputError as error:
        message = f"{column}: {error.message()}"
        raise _RowError(message) from error


async def whole_regency_as_none(session: AsyncSession, region_code: str) -> str | None:
    """Return None for an empty code or the kabupaten's own code (the whole regency)."""
    code = region_code.strip()
    if not code:
        return None
    region = await get_region(session, code)
    if region is not None and region.level == RegionLevel.KABUPATEN:
        return None
    return code


async def _same_stage(session: AsyncSession, fields: StageFields) -> Stage | None:
    same_area = (
        col(Stage.region_code).is_(None)
        if fields.region_code is None
        else col(Stage.region_code) == fields.region_code
    )
    result = await session.exec(select(Stage).where(same_area))
    wanted = fields.name.strip().casefold()
    return next((stage for stage in result.all() if stage.name.casefold() == wanted), None)
