"""Administration subcommands of `musrenbang`: roles and program corrections."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.database import run_in_session
from models.db import upgrade
from models.enums import RegionLevel, Role
from models.proposals import find_by_code
from models.regions import get_region
from models.users import User
from services.matching.corrections import save_correction
from services.matching.loading import get_matcher, list_imported_programs
from services.tracking_code import normalize_code

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from sqlmodel.ext.asyncio.session import AsyncSession

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


def _apply(
    settings: Settings, work: Callable[[AsyncSession], Awaitable[str | None]], done: str
) -> int:
    """Run `work` on the upgraded database; print the problem it returns (exit 2) or `done`."""
    upgrade(settings.database_url)
    problem = run_in_session(settings.database_url, work)
    print(problem or done)  # noqa: T201
    return 2 if problem else 0


def command_role(args: argparse.Namespace, settings: Settings) -> int:
    """Give a person a role; a lurah needs their desa."""
    role = Role(args.role)

    async def set_role(session: AsyncSession) -> str | None:
        region = await get_region(session, args.desa) if args.desa else None
        if role is Role.LURAH and (
            region is None or region.level not in {RegionLevel.DESA, RegionLevel.KELURAHAN}
        ):
            return "A lurah needs --desa with the code of a desa or kelurahan."
        user = await session.get(User, args.telegram_id)
        if user is None:
            user = User(telegram_id=args.telegram_id)
            session.add(user)
        user.role = role
        user.region_code = region.code if region else None
        return None

    return _apply(settings, set_role, f"User {args.telegram_id} is now {role.value}.")


def command_correct(args: argparse.Namespace, settings: Settings) -> int:
    """Set a proposal's program by hand and keep the mapping as evidence for later ones."""
    code = normalize_code(args.tracking_code)

    async def correct(session: AsyncSession) -> str | None:
        proposal = await find_by_code(session, code) if code else None
        if proposal is None:
            return f"No proposal has the tracking code {args.tracking_code!r}."
        known = set(get_matcher(settings.catalogue_version).catalogue.programs)
        known |= {program.code for program in await list_imported_programs(session)}
        if args.program_code not in known:
            return f"{args.program_code!r} is not a program of the catalogue."
        proposal.program_code = args.program_code
        proposal.match_confirmed = True
        text = " ".join(part for part in (proposal.title, proposal.problem) if part)
        await save_correction(
            session,
            text=text,
            program_code=args.program_code,
            proposal_id=proposal.id,
            corrected_by=args.by,
        )
        return None

    return _apply(settings, correct, f"{code} is now mapped to {args.program_code}.")
