"""Administration subcommands of `musrenbang`: roles and program corrections."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from models.db import create_engine_from_url, session_scope, upgrade
from models.enums import RegionLevel, Role
from models.regions import get_region
from models.users import User

if TYPE_CHECKING:
    from core.config import Settings


def register(commands: argparse._SubParsersAction) -> None:
    """Add `role` and `correct` to the command line."""
    role = commands.add_parser("role", help="set a person's role (e.g. a lurah and their desa)")
    role.add_argument("telegram_id", type=int)
    role.add_argument("role", choices=[item.value for item in Role])
    role.add_argument("--desa", help="Kemendagri code of the desa/kelurahan (for lurah)")
    role.set_defaults(func=command_role)

    correct = commands.add_parser(
        "correct", help="map a proposal to a program by hand (teaches the matcher)"
    )
    correct.add_argument("tracking_code", help="e.g. LBG-27-7K3QX")
    correct.add_argument("program_code", help="e.g. 1.03.10")
    correct.add_argument("--by", type=int, help="Telegram id of the Bappeda analyst")
    correct.set_defaults(func=command_correct)


def command_role(args: argparse.Namespace, settings: Settings) -> int:
    """Give a person a role; a lurah needs their desa."""
    upgrade(settings.database_url)
    return asyncio.run(_set_role(settings, args.telegram_id, Role(args.role), args.desa))


async def _set_role(settings: Settings, telegram_id: int, role: Role, desa: str | None) -> int:
    engine = create_engine_from_url(settings.database_url)
    try:
        async with session_scope(engine) as session:
            region = await get_region(session, desa) if desa else None
            if role is Role.LURAH and (
                region is None or region.level not in {RegionLevel.DESA, RegionLevel.KELURAHAN}
            ):
                print("A lurah needs --desa with the code of a desa or kelurahan.")  # noqa: T201
                return 2
            user = await session.get(User, telegram_id)
            if user is None:
                user = User(telegram_id=telegram_id)
                session.add(user)
            user.role = role
            user.region_code = region.code if region else None
        print(f"User {telegram_id} is now {role.value}.")  # noqa: T201
        return 0
    finally:
        await engine.dispose()


def command_correct(args: argparse.Namespace, settings: Settings) -> int:
    """Set a proposal's program by hand and keep the mapping as evidence for later ones."""
    upgrade(settings.database_url)
    return asyncio.run(_correct(settings, args.tracking_code, args.program_code, args.by))


async def _correct(settings: Settings, typed_code: str, program_code: str, by: int | None) -> int:
    from services.lifecycle import find_by_code
    from services.matching.corrections import save_correction
    from services.matching.loading import get_matcher, list_imported_programs
    from services.tracking_code import normalize_code

    engine = create_engine_from_url(settings.database_url)
    try:
        async with session_scope(engine) as session:
            code = normalize_code(typed_code)
            proposal = await find_by_code(session, code) if code else None
            if proposal is None:
                print(f"No proposal has the tracking code {typed_code!r}.")  # noqa: T201
                return 2
            known = set(get_matcher(settings.catalogue_version).catalogue.programs)
            known |= {program.code for program in await list_imported_programs(session)}
            if program_code not in known:
                print(f"{program_code!r} is not a program of the catalogue.")  # noqa: T201
                return 2
            proposal.program_code = program_code
            proposal.match_confirmed = True
            text = " ".join(part for part in (proposal.title, proposal.problem) if part)
            await save_correction(
                session,
                text=text,
                program_code=program_code,
                proposal_id=proposal.id,
                corrected_by=by,
            )
        print(f"{proposal.tracking_code} is now mapped to {program_code}.")  # noqa: T201
        return 0
    finally:
        await engine.dispose()
