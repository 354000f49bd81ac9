"""Opening an invite (``/start TOKEN`` from the deep link): who invites whom, then confirm.

Accepting also records the consent to store the person's name, which the role needs; the
invite screen says so. A wrong, used, expired or revoked token changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from core.events import Keyboard
from core.formatting import format_datetime
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.common import consent, menu
from handlers.common.fallback import stale_button
from handlers.context import escape
from handlers.roles.menus import set_commands
from models.enums import Role
from models.regions import get_region
from models.roles import list_holders
from models.users import get_user
from services.invites import (
    InviteProblem,
    InviteRefusedError,
    accept_invite,
    find_invite,
    problem_of,
)

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from handlers.context import Context
    from handlers.router import Router
    from models.invites import Invite


class AcceptInvite(CallbackData, prefix="ia"):
    """Accept the invite with this token (URL-safe, see services.invites)."""

    token: str = Field(pattern=r"^[A-Za-z0-9_-]{16,48}$")


class NotNow(CallbackData, prefix="ian"):
    """Leave the invite for later."""


def problem_text(problem: InviteProblem, *, days: int) -> str:
    """Explain why an invite cannot be used and what to do."""
    if problem is InviteProblem.USED:
        return _(
            "This invite has already been used: each invite works once. If you need one, "
            "please ask Bappeda for a new invite."
        )
    if problem is InviteProblem.EXPIRED:
        return _(
            "This invite has expired (invites are valid for {days} days). Please ask Bappeda "
            "for a new one."
        ).format(days=days)
    if problem is InviteProblem.REVOKED:
        return _(
            "Bappeda has withdrawn this invite. If you think that is a mistake, please contact "
            "Bappeda."
        )
    return _(
        "This invite code is not valid. Please check that you opened the whole link, or ask "
        "Bappeda for a new invite."
    )


async def role_title(session: AsyncSession, role: str, region_code: str | None) -> str:
    """Return "lurah / kepala desa of Desa X, Kecamatan Y" and the like."""
    region = await get_region(session, region_code or "")
    parent = await get_region(session, region.parent_code or "") if region else None
    if role == Role.LURAH and region is not None:
        return _("lurah / kepala desa of {desa}, Kecamatan {kecamatan}").format(
            desa=escape(region.name), kecamatan=escape(parent.name if parent else "-")
        )
    if role == Role.CAMAT and region is not None:
        return _("camat of Kecamatan {kecamatan}").format(kecamatan=escape(region.name))
    return _("Bappeda admin")


def _what_it_allows(role: str) -> str:
    if role == Role.LURAH:
        return _(
            "As lurah you check, verify, return and rank the proposals of your village with "
            "/desa, and you enter the village meeting's proposals with /usul."
        )
    if role == Role.CAMAT:
        return _(
            "As camat you rank the villages' verified proposals and forward them to the Forum "
            "OPD with /kecamatan."
        )
    return _(
        "As Bappeda admin you invite officials (/undang), record results (/status), correct "
        "program matches (/koreksi) and update statuses from Excel (/impor)."
    )


def _next_step(role: str) -> str:
    if role == Role.LURAH:
        return _("Type /desa to see your village's proposals.")
    if role == Role.CAMAT:
        return _("Type /kecamatan to see the proposals of your kecamatan.")
    return _("Type /bantuan to see your commands.")


async def _inviter_name(context: Context, invite: Invite) -> str:
    inviter = await get_user(context.session, invite.created_by) if invite.created_by else None
    return escape(inviter.name) if inviter is not None and inviter.name else _("Bappeda")


async def open_invite(context: Context, token: str) -> None:
    """Show who invites the person to which role and place, and ask to confirm."""
    invite = await find_invite(context.session, token)
    problem = problem_of(invite, context.now)
    if problem is not None or invite is None:
        context.say(
            problem_text(problem or InviteProblem.UNKNOWN, days=context.settings.invite_days)
        )
        if consent.has_consent(context):
            await menu.show_menu(context)
        return
    role = str(invite.role)
    lines = [
        _("📨 <b>Invitation</b>"),
        _("{inviter} (Bappeda) invites you to join this bot as <b>{role}</b>.").format(
            inviter=await _inviter_name(context, invite),
            role=await role_title(context.session, role, invite.region_code),
        ),
        _what_it_allows(role),
    ]
    if role != Role.BAPPEDA:
        holders = await list_holders(context.session, Role(role), invite.region_code)
        if any(holder.telegram_id != context.user.telegram_id for holder in holders):
            lines.append(
                _(
                    "Someone holds this role for this place now; they are told, and keep "
                    "using the bot as a resident."
                )
            )
    if not consent.has_consent(context):
        lines.append(
            _(
                "Accepting also stores your Telegram name for the Musrenbang (Law No. 27 of "
                "2022 on Personal Data Protection); /hapusdata deletes it at any time."
            )
        )
    lines.append(
        _("The invite is valid until {date}. Do you accept?").format(
            date=format_datetime(invite.expires_at, context.settings.zone)
        )
    )
    context.say(
        "\n\n".join(lines),
        Keyboard.inline_rows(
            [
                [AcceptInvite(token=token.strip()).button(_("✅ Accept"))],
                [NotNow().button(_("✖ Not now"))],
            ]
        ),
    )


async def on_not_now_button(context: Context) -> None:
    """Leave the invite for later."""
    context.answer_callback()
    context.edit(_("All right, nothing was changed. You can open the invite link again later."))


async def on_accept_button(context: Context) -> None:
    """Accept the invite."""
    pressed = context.pressed(AcceptInvite)
    if pressed is None:
        await stale_button(context)
        return
    user = context.user
    try:
        acceptance = await accept_invite(
            context.session, token=pressed.token, user=user, now=context.now
        )
    except InviteRefusedError as refused:
        context.answer_callback()
        context.edit(problem_text(refused.problem, days=context.settings.invite_days))
        return
    if not consent.has_consent(context):
        user.consent_at = context.now
        user.consent_refused_at = None
        user.name = context.event.first_name or user.name
        user.username = context.event.username
    invite = acceptance.invite
    context.answer_callback(_("Welcome!"))
    context.edit(
        _("🎉 Welcome, {name}! You are now {role}.").format(
            name=escape(user.name or ""),
            role=await role_title(context.session, str(invite.role), invite.region_code),
        )
        + "\n\n"
        + _next_step(str(invite.role))
    )
    set_commands(context)
    await menu.show_menu(context)


def register(router: Router) -> None:
    """Add the invite buttons; they work before consent, which accepting records."""
    router.add_callback(AcceptInvite, on_accept_button, before_consent=True)
    router.add_callback(NotNow, on_not_now_button, before_consent=True)
