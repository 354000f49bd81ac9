"""Render the outbox's notifications at send time, in the recipient's language.

The outbox rows (written by services.status_notices and services.invites in the
transaction of the change) hold codes and numbers; the sender calls ``RENDERERS[kind]``
with the row's payload and the recipient, and delivers the replies it returns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from core.events import Keyboard, Reply, SendText, SetCommands
from core.i18n import N_, _, use_locale
from handlers.common.commands import command_menu
from handlers.context import escape
from handlers.roles.accept import role_title
from handlers.tracking.resubmit import resubmit_button
from models.enums import Role, Status
from models.proposals import Proposal
from models.users import get_user
from services.lifecycle import status_label
from services.status_notices import (
    INVITE_ACCEPTED,
    PROPOSER,
    ROLE_REPLACED,
    STATUS_CHANGED,
)

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from models.users import User

Renderer = Callable[..., Awaitable[list[Reply]]]

BY_ROLE: dict[str, str] = {
    Role.WARGA.value: N_("by the proposer"),
    Role.LURAH.value: N_("by the lurah / kepala desa"),
    Role.CAMAT.value: N_("by the camat"),
    Role.BAPPEDA.value: N_("by Bappeda"),
}


def _what_next(to_status: Status, *, proposer: bool) -> str:
    """Return what the new status means for the recipient and what happens next."""
    if to_status is Status.DIAJUKAN:
        return _("It was sent again and waits to be checked by the lurah / kepala desa.")
    if to_status is Status.DIVERIFIKASI:
        return _(
            "Next the village ranks its proposals and takes them to the Musrenbang Kecamatan."
        )
    if to_status is Status.DIKEMBALIKAN:
        if proposer:
            return _("Please fix what the note asks, then send it again with the button below.")
        return _("The proposer has been asked to fix it.")
    if to_status is Status.DITOLAK:
        return _("It does not go further. A new proposal can be submitted with /usul.")
    if to_status is Status.DIBAHAS_KECAMATAN:
        return _("It is now discussed at the Musrenbang Kecamatan.")
    if to_status is Status.DITERUSKAN_OPD:
        return _("It goes on to the Forum OPD, where the agency checks it against its programs.")
    if to_status is Status.DIAKOMODIR:
        return _("It is accommodated in the regency's plan. Thank you for taking part!")
    if to_status is Status.TIDAK_DIAKOMODIR:
        return _("It could not be accommodated this time; it may be proposed again next year.")
    return ""


async def render_status_changed(
    payload: dict[str, Any], *, session: AsyncSession, recipient: User
) -> list[Reply]:
    """Tell a proposer or supporter that their proposal moved, with the note and what's next."""
    with use_locale(recipient.language):
        proposer = payload.get("relation") == PROPOSER
        code = payload["code"]
        to_status = Status(payload["to"])
        proposal = await session.get(Proposal, payload.get("proposal_id") or 0)
        head = (
            _("📣 <b>News about your proposal {code}</b>")
            if proposer
            else _("📣 <b>News about {code}, a proposal you support</b>")
        ).format(code=code)
        lines = [head]
        if proposal is not None:
            lines.append(escape(proposal.title))
        status = _("New status: <b>{status}</b>").format(status=status_label(to_status))
        by_role = payload.get("by_role")
        if by_role in BY_ROLE:
            status += f" ({_(BY_ROLE[by_role])})"
        lines.extend(["", status])
        merged_into = payload.get("merged_into")
        if to_status is Status.DIGABUNG and merged_into:
            lines.append(
                _(
                    "It asks for the same as {target}, so the two were merged. Your support "
                    "now counts for {target}; follow it with /status {target}."
                ).format(target=merged_into)
            )
        elif payload.get("note"):
            lines.append(_("Note: <i>{note}</i>").format(note=escape(payload["note"])))
        next_step = _what_next(to_status, proposer=proposer)
        if next_step:
            lines.append(next_step)
        lines.append(_("Details: /status {code}").format(code=code))
        keyboard = None
        if proposer and to_status is Status.DIKEMBALIKAN and proposal is not None:
            keyboard = Keyboard.inline_rows([[resubmit_button(proposal.id or 0)]])
        return [SendText(recipient.telegram_id, "\n".join(lines), keyboard=keyboard)]


async def render_role_replaced(
    payload: dict[str, Any], *, session: AsyncSession, recipient: User
) -> list[Reply]:
    """Tell a former lurah or camat that someone new holds the role; reset their menu."""
    with use_locale(recipient.language):
        title = await role_title(session, payload["role"], payload.get("region_code"))
        text = _(
            "ℹ️ Bappeda has registered a new {role}, so this role has passed on from you. "
            "Thank you for your work! You can keep using the bot as a resident: /usul, "
            "/usulansaya, /status."
        ).format(role=title)
    commands = tuple(command_menu(recipient.language, Role.WARGA))
    return [
        SendText(recipient.telegram_id, text),
        SetCommands(recipient.telegram_id, commands),
    ]


async def render_invite_accepted(
    payload: dict[str, Any], *, session: AsyncSession, recipient: User
) -> list[Reply]:
    """Tell the Bappeda admin who made an invite that it was accepted."""
    with use_locale(recipient.language):
        title = await role_title(session, payload["role"], payload.get("region_code"))
        person = await get_user(session, payload.get("user_id") or 0)
        name = escape(person.name) if person is not None and person.name else _("Someone")
        text = _("✅ Invite #{id} was accepted: {name} is now {role}.").format(
            id=payload.get("invite_id"), name=name, role=title
        )
    return [SendText(recipient.telegram_id, text)]


RENDERERS: dict[str, Renderer] = {
    STATUS_CHANGED: render_status_changed,
    ROLE_REPLACED: render_role_replaced,
    INVITE_ACCEPTED: render_invite_accepted,
}
