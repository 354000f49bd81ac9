"""`musrenbang invite`: make, list and revoke the invites that register lurah, camat and admins."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from models.base import utcnow
from models.db import create_engine_from_url, session_scope, upgrade
from models.enums import Role
from models.invites import list_open_invites
from services.invites import (
    InviteError,
    InviteRefusedError,
    create_invite,
    deep_link,
    revoke_invite,
)

if TYPE_CHECKING:
    import argparse

    from core.config import Settings

logger = logging.getLogger(__name__)

EXIT_REFUSED = 2


def register(commands: argparse._SubParsersAction) -> None:
    """Add `invite` to the command line."""
    invite = commands.add_parser(
        "invite", help="invite a lurah (--desa), a camat (--kecamatan) or a Bappeda admin"
    )
    target = invite.add_mutually_exclusive_group(required=True)
    target.add_argument("--desa", help="Kemendagri code of the desa/kelurahan (a lurah)")
    target.add_argument("--kecamatan", help="Kemendagri code of the kecamatan (a camat)")
    target.add_argument("--bappeda", action="store_true", help="another Bappeda admin")
    target.add_argument("--list", action="store_true", help="list the open invites")
    target.add_argument("--revoke", type=int, metavar="ID", help="revoke the invite with this id")
    invite.add_argument("--by", type=int, help="Telegram id of the admin who invites")
    invite.set_defaults(func=command_invite)


def command_invite(args: argparse.Namespace, settings: Settings) -> int:
    """Make, list or revoke an invite."""
    upgrade(settings.database_url)
    return asyncio.run(_invite(args, settings))


async def _invite(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_engine_from_url(settings.database_url)
    try:
        async with session_scope(engine) as session:
            now = utcnow()
            if args.list:
                for invite in await list_open_invites(session, now):
                    expires = invite.expires_at.astimezone(settings.zone)
                    print(  # noqa: T201
                        f"#{invite.id} {invite.role} {invite.region_code or '-'} "
                        f"until {expires:%Y-%m-%d %H:%M %Z}"
                    )
                return 0
            if args.revoke is not None:
                try:
                    await revoke_invite(session, args.revoke, now=now)
                except InviteRefusedError as refused:
                    print(f"Invite #{args.revoke} cannot be revoked: {refused.problem}.")  # noqa: T201
                    return EXIT_REFUSED
                print(f"Invite #{args.revoke} is revoked.")  # noqa: T201
                return 0
            role, region = (
                (Role.LURAH, args.desa)
                if args.desa
                else (Role.CAMAT, args.kecamatan)
                if args.kecamatan
                else (Role.BAPPEDA, None)
            )
            try:
                invite, token = await create_invite(
                    session,
                    role=role,
                    region_code=region,
                    created_by=args.by,
                    now=now,
                    valid_days=settings.invite_days,
                )
            except InviteError as error:
                print(f"No invite made: {error}.")  # noqa: T201
                return EXIT_REFUSED
        username = settings.bot_username or await _bot_username(settings)
        expires = invite.expires_at.astimezone(settings.zone)
        place = f" for {region}" if region else ""
        print(  # noqa: T201
            f"Invite #{invite.id}: {role.value}{place}, single use, "
            f"valid until {expires:%Y-%m-%d %H:%M %Z}."
        )
        if username:
            print(deep_link(username, token))  # noqa: T201
        print(f"Or send the bot: /start {token}")  # noqa: T201
        return 0
    finally:
        await engine.dispose()


async def _bot_username(settings: Settings) -> str | None:
    """Ask Telegram for the bot's username (getMe) when a token is set; None otherwise."""
    if not settings.telegram_bot_token:
        return None
    from aiogram.exceptions import TelegramAPIError, TelegramNetworkError

    from bot.runtime.aiogram_app import create_bot

    bot = create_bot(settings)
    try:
        return (await bot.me()).username
    except (TelegramAPIError, TelegramNetworkError):
        logger.warning("Could not ask Telegram for the bot's username")
        return None
    finally:
        await bot.session.close()
