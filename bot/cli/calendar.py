"""`musrenbang deadline`: list, add, change and delete stages, or import a season from CSV.

Dates are typed as in the chat ("1 Feb 2027 08.00", "1/2/2027") and read in WIB; what is
wrong is said in Indonesian, like in the chat.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from core.i18n import _
from models.base import utcnow
from models.calendar import StageLevel, get_stage, list_stages
from models.db import create_engine_from_url, session_scope, upgrade
from models.regions import get_region
from services.calendar.dates import DateInputError, read_moment
from services.calendar.display import format_moment
from services.calendar.season import SeasonImportError, import_season, whole_regency_as_none
from services.calendar.stages import (
    CLOSES_DEFAULT_TIME,
    FORUM_DEFAULT_TIME,
    OPENS_DEFAULT_TIME,
    StageFields,
    StageInUseError,
    add_stage,
    change_stage,
    check_stage,
    delete_stage,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import datetime, time

    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from models.calendar import Stage

EXIT_REFUSED = 2
CLI_LOCALE = "id"


class _RefusedError(Exception):
    """The command cannot be carried out; the message says why (already printed parts aside)."""


def register(commands: argparse._SubParsersAction) -> None:
    """Add `deadline list|add|change|delete|import`."""
    deadline = commands.add_parser("deadline", help="the Musrenbang calendar (stages, deadlines)")
    actions = deadline.add_subparsers(dest="deadline_command", required=True)
    actions.add_parser("list", help="show every stage").set_defaults(func=command_list)

    add = actions.add_parser("add", help="add a stage")
    add.add_argument("name", help='e.g. "Musrenbang Kecamatan Lebong Utara 2027"')
    _stage_options(add, required=True)
    add.set_defaults(func=command_add)

    change = actions.add_parser("change", help="change a stage (unsent reminders are re-planned)")
    change.add_argument("stage_id", type=int, help="the number shown by `deadline list`")
    change.add_argument("--name")
    _stage_options(change, required=False)
    change.add_argument("--whole-regency", action="store_true", help="cover the whole regency")
    change.add_argument("--no-forum", action="store_true", help="remove the forum date")
    change.set_defaults(func=command_change)

    delete = actions.add_parser("delete", help="delete a stage nobody submitted in")
    delete.add_argument("stage_id", type=int)
    delete.add_argument("--yes", action="store_true", help="confirm the deletion")
    delete.set_defaults(func=command_delete)

    season = actions.add_parser("import", help="add or change a whole season from CSV")
    season.add_argument(
        "csv_file", type=Path, help="columns as services/data/musrenbang_calendar_example.csv"
    )
    season.set_defaults(func=command_import)


def _stage_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--level",
        choices=[level.value for level in StageLevel],
        default="desa" if required else None,
    )
    parser.add_argument("--region", help="kecamatan or desa code; leave out for the whole regency")
    parser.add_argument("--opens", required=required, help='e.g. "1 Feb 2027 08.00" (WIB)')
    parser.add_argument("--closes", required=required, help='e.g. "5 Feb 2027 16.00" (WIB)')
    parser.add_argument("--forum", help='e.g. "8 Feb 2027 09.00" (WIB)')


def _say(text: str) -> None:
    print(text)  # noqa: T201


def _run(settings: Settings, work: Callable[[AsyncSession], Awaitable[int]]) -> int:
    """Run `work` in one transaction; a refusal prints its reason and rolls back."""
    upgrade(settings.database_url)

    async def run() -> int:
        engine = create_engine_from_url(settings.database_url)
        try:
            async with session_scope(engine) as session:
                return await work(session)
        except _RefusedError as refusal:
            if str(refusal):
                print(str(refusal), file=sys.stderr)  # noqa: T201
            return EXIT_REFUSED
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _when(moment: datetime | None, settings: Settings) -> str:
    if moment is None:
        return _("not set yet")
    return format_moment(moment, zone=settings.zone, locale=CLI_LOCALE)


async def _describe(session: AsyncSession, stage: Stage, settings: Settings) -> str:
    region = await get_region(session, stage.region_code) if stage.region_code else None
    area = region.name if region is not None else _("the whole regency")
    return "\n".join(
        [
            f"#{stage.id} {stage.name} ({stage.level}, {area})",
            "  " + _("Opens: {when}").format(when=_when(stage.opens_at, settings)),
            "  " + _("Closes: {when}").format(when=_when(stage.closes_at, settings)),
            "  " + _("Forum: {when}").format(when=_when(stage.forum_at, settings)),
        ]
    )


def _moment(typed: str, option: str, default: time, settings: Settings) -> datetime:
    try:
        return read_moment(typed, now=utcnow(), zone=settings.zone, default_time=default)
    except DateInputError as error:
        message = f"{option}: {error.message()}"
        raise _RefusedError(message) from error


async def _save_checked(session: AsyncSession, fields: StageFields, stage: Stage | None) -> Stage:
    check = await check_stage(session, fields, now=utcnow(), stage_id=stage.id if stage else None)
    for warning in check.warnings:
        _say(_("Note: {warning}").format(warning=warning))
    if not check.ok:
        raise _RefusedError("\n".join([_("The stage was not saved:"), *check.errors]))
    if stage is None:
        return await add_stage(session, fields)
    cancelled = await change_stage(session, stage, fields)
    if cancelled:
        _say(
            _("Reminders withdrawn and planned again from the new dates: {count}").format(
                count=cancelled
            )
        )
    return stage


def command_list(_args: argparse.Namespace, settings: Settings) -> int:
    """Print every stage in the order they open."""

    async def work(session: AsyncSession) -> int:
        stages = await list_stages(session)
        if not stages:
            _say(
                _(
                    "The calendar is empty. Add stages with `musrenbang deadline add` or "
                    "import a season."
                )
            )
        for stage in stages:
            _say(await _describe(session, stage, settings))
        return 0

    return _run(settings, work)


def command_add(args: argparse.Namespace, settings: Settings) -> int:
    """Add one stage after checking it."""

    async def work(session: AsyncSession) -> int:
        fields = StageFields(
            name=args.name,
            level=StageLevel(args.level),
            region_code=await whole_regency_as_none(session, args.region or ""),
            opens_at=_moment(args.opens, "--opens", OPENS_DEFAULT_TIME, settings),
            closes_at=_moment(args.closes, "--closes", CLOSES_DEFAULT_TIME, settings),
            forum_at=(
                _moment(args.forum, "--forum", FORUM_DEFAULT_TIME, settings)
                if args.forum
                else None
            ),
        )
        stage = await _save_checked(session, fields, None)
        _say(_("Stage added:"))
        _say(await _describe(session, stage, settings))
        return 0

    return _run(settings, work)


def command_change(args: argparse.Namespace, settings: Settings) -> int:
    """Change the given fields of one stage."""

    async def work(session: AsyncSession) -> int:
        stage = await _existing(session, args.stage_id)
        fields = StageFields.of(stage)
        if args.name is not None:
            fields = replace(fields, name=args.name)
        if args.level is not None:
            fields = replace(fields, level=StageLevel(args.level))
        if args.whole_regency:
            fields = replace(fields, region_code=None)
        elif args.region is not None:
            fields = replace(fields, region_code=await whole_regency_as_none(session, args.region))
        if args.opens is not None:
            fields = replace(
                fields, opens_at=_moment(args.opens, "--opens", OPENS_DEFAULT_TIME, settings)
            )
        if args.closes is not None:
            fields = replace(
                fields, closes_at=_moment(args.closes, "--closes", CLOSES_DEFAULT_TIME, settings)
            )
        if args.no_forum:
            fields = replace(fields, forum_at=None)
        elif args.forum is not None:
            fields = replace(
                fields, forum_at=_moment(args.forum, "--forum", FORUM_DEFAULT_TIME, settings)
            )
        await _save_checked(session, fields, stage)
        _say(_("Stage changed:"))
        _say(await _describe(session, stage, settings))
        return 0

    return _run(settings, work)


def command_delete(args: argparse.Namespace, settings: Settings) -> int:
    """Delete one stage, only with --yes."""

    async def work(session: AsyncSession) -> int:
        stage = await _existing(session, args.stage_id)
        described = await _describe(session, stage, settings)
        if not args.yes:
            _say(described)
            raise _RefusedError(
                _("Nothing was deleted. To delete this stage, run the command again with --yes.")
            )
        try:
            cancelled = await delete_stage(session, stage)
        except StageInUseError as error:
            message = _(
                "The stage cannot be deleted: {count} proposals were submitted in it and "
                "must keep their stage. Change its dates instead."
            ).format(count=error.proposals)
            raise _RefusedError(message) from error
        _say(_("Stage deleted:"))
        _say(described)
        if cancelled:
            _say(_("Reminders withdrawn: {count}.").format(count=cancelled))
        return 0

    return _run(settings, work)


def command_import(args: argparse.Namespace, settings: Settings) -> int:
    """Add or change one stage per CSV row; nothing changes when a row is wrong."""
    try:
        text = args.csv_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        message = _("Cannot read {path}: {error}").format(path=args.csv_file, error=error)
        print(message, file=sys.stderr)  # noqa: T201
        return EXIT_REFUSED

    async def work(session: AsyncSession) -> int:
        try:
            result = await import_season(session, text, now=utcnow(), zone=settings.zone)
        except SeasonImportError as error:
            lines = [_("Nothing was imported. Please correct the file:")]
            lines += [
                _("Line {line}: {message}").format(line=problem.line, message=problem.message)
                for problem in error.problems
            ]
            raise _RefusedError("\n".join(lines)) from error
        for warning in result.warnings:
            _say(
                _("Note, line {line}: {message}").format(
                    line=warning.line, message=warning.message
                )
            )
        _say(
            _("Stages added: {added}, changed: {changed}, unchanged: {unchanged}.").format(
                added=len(result.added),
                changed=len(result.changed),
                unchanged=len(result.unchanged),
            )
        )
        if result.cancelled_reminders:
            _say(
                _("Reminders withdrawn and planned again from the new dates: {count}").format(
                    count=result.cancelled_reminders
                )
            )
        return 0

    return _run(settings, work)


async def _existing(session: AsyncSession, stage_id: int) -> Stage:
    stage = await get_stage(session, stage_id)
    if stage is None:
        raise _RefusedError(
            _("There is no stage #{number}. `musrenbang deadline list` shows them all.").format(
                number=stage_id
            )
        )
    return stage
