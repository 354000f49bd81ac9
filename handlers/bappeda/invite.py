"""/undang: Bappeda invites a lurah (for a desa), a camat (for a kecamatan) or another admin.

The place is chosen as in the intake: kecamatan buttons, paged desa buttons, or a typed
name matched fuzzily. The result is a deep link plus the token as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from core.events import Button, EventKind, Keyboard
from core.formatting import format_date, format_datetime
from core.i18n import N_, _
from handlers.callbacks import CallbackData, Page, RecordId, RegionCode, in_rows
from handlers.common import menu
from handlers.common.fallback import stale_button
from handlers.context import escape
from handlers.review.actions import refuse
from handlers.roles.accept import role_title
from handlers.router import Command, Step
from models.enums import RegionLevel, Role
from models.invites import Invite, list_open_invites
from models.regions import Region, get_region, list_by_level, list_children, list_villages
from services.access import may_invite
from services.invites import InviteRefusedError, create_invite, deep_link, revoke_invite
from services.region_lookup import find_places

if TYPE_CHECKING:
    from handlers.context import Context, PressedT
    from handlers.router import Router

KECAMATAN_STEP = "undang.kecamatan"
DESA_STEP = "undang.desa"
STATE_KEY = "undang"
IDLE = "idle"
PAGE_SIZE = 8
SHOWN_INVITES = 20
MAX_NAME = 60
VILLAGE_LEVELS = frozenset({RegionLevel.DESA, RegionLevel.KELURAHAN})
ROLE_CHOICES = {
    Role.LURAH.value: N_("👤 Lurah / kepala desa"),
    Role.CAMAT.value: N_("🏛 Camat"),
    Role.BAPPEDA.value: N_("🏢 Bappeda admin"),
}


class InviteRole(CallbackData, prefix="iv"):
    """Invite someone to this role."""

    role: Literal["lurah", "camat", "bappeda"]


class OpenInvites(CallbackData, prefix="ivl"):
    """List the invites not used yet."""


class RevokeInvite(CallbackData, prefix="ivr"):
    """Revoke an invite."""

    invite: RecordId


class AnotherInvite(CallbackData, prefix="ivn"):
    """Start another invite."""


class InviteKecamatan(CallbackData, prefix="uk"):
    """A kecamatan chosen at the kecamatan step."""

    code: RegionCode


class InviteTypedDesa(CallbackData, prefix="ukd"):
    """A desa found by its typed name at the kecamatan step."""

    code: RegionCode


class InviteDesa(CallbackData, prefix="uds"):
    """A desa chosen at the desa step."""

    code: RegionCode


class InviteDesaPage(CallbackData, prefix="udp"):
    """Another page of the desa buttons."""

    page: Page


class InviteOtherKecamatan(CallbackData, prefix="udk"):
    """Go back from the desa buttons to choose another kecamatan."""


def _allowed(context: Context) -> bool:
    return may_invite(context.user, context.settings.bappeda_admin_ids)


async def invite_command(context: Context) -> None:
    """Ask whom to invite."""
    if not _allowed(context):
        context.say(_("/undang is for Bappeda admins."))
        return
    rows = [
        [InviteRole.model_validate({"role": role}).button(_(label))]
        for role, label in ROLE_CHOICES.items()
    ]
    rows.append([OpenInvites().button(_("📋 Open invites"))])
    context.say(_("Whom do you want to invite?"), Keyboard.inline_rows(rows))


async def _menu_press(context: Context, kind: type[PressedT]) -> PressedT | None:
    """Return a pressed menu button for a Bappeda admin, answering any other press."""
    pressed = context.pressed(kind)
    if pressed is None:
        await stale_button(context)
        return None
    if not _allowed(context):
        await refuse(context)
        return None
    context.answer_callback()
    return pressed


async def on_role_button(context: Context) -> None:
    """Start an invite for the chosen role."""
    pressed = await _menu_press(context, InviteRole)
    if pressed is not None:
        await _choose_role(context, pressed.role)


async def on_open_button(context: Context) -> None:
    """List the open invites."""
    if await _menu_press(context, OpenInvites) is not None:
        await _show_open(context)


async def on_revoke_button(context: Context) -> None:
    """Revoke the invite the button names."""
    pressed = await _menu_press(context, RevokeInvite)
    if pressed is not None:
        await _revoke(context, pressed.invite)


async def on_another_button(context: Context) -> None:
    """Ask whom to invite next."""
    if await _menu_press(context, AnotherInvite) is not None:
        await invite_command(context)


async def _choose_role(context: Context, role: str) -> None:
    if role == Role.BAPPEDA:
        await _create(context, Role.BAPPEDA, None)
        return
    context.set_screen(STATE_KEY, {"role": role, "page": 0})
    context.go(KECAMATAN_STEP)
    await ask_kecamatan(context)


def _state(context: Context) -> dict:
    return context.screen(STATE_KEY)


async def ask_kecamatan(context: Context) -> None:
    """Ask for the kecamatan with a button each, or a typed name."""
    kecamatan = await list_by_level(context.session, RegionLevel.KECAMATAN)
    buttons = [InviteKecamatan(code=item.code).button(item.name) for item in kecamatan]
    question = (
        _("For which kecamatan is the camat? Press a button or type its name.")
        if _state(context).get("role") == Role.CAMAT
        else _(
            "In which kecamatan is the desa / kelurahan? Press a button, or type the name of "
            "the kecamatan or of the desa."
        )
    )
    context.say(question, Keyboard.inline_rows(in_rows(buttons)))


async def handle_kecamatan(context: Context) -> None:
    """Take a kecamatan (or typed desa) button, or a typed name."""
    if not _allowed(context):
        await _leave(context)
        await refuse(context)
        return
    pressed = context.pressed(InviteKecamatan) or context.pressed(InviteTypedDesa)
    if pressed is not None:
        context.answer_callback()
        await _choose_region(context, await get_region(context.session, pressed.code))
        return
    typed = await _typed(context)
    if typed is None:
        return
    regions = await list_by_level(context.session, RegionLevel.KECAMATAN)
    if _state(context).get("role") == Role.LURAH:
        regions = [*regions, *await list_villages(context.session)]
    matches = find_places(typed, regions)
    await _resolve(context, typed, matches.best, matches.candidates)


async def ask_desa(context: Context) -> None:
    """Ask for the desa / kelurahan with paged buttons."""
    state = _state(context)
    kecamatan = await get_region(context.session, state.get("kecamatan", ""))
    if kecamatan is None:
        context.go(KECAMATAN_STEP)
        await ask_kecamatan(context)
        return
    villages = await list_children(context.session, kecamatan.code)
    pages = max(1, -(-len(villages) // PAGE_SIZE))
    page = min(int(state.get("page") or 0), pages - 1)
    rows = in_rows(
        [
            InviteDesa(code=item.code).button(item.name)
            for item in villages[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        ]
    )
    navigation = []
    if page > 0:
        navigation.append(InviteDesaPage(page=page - 1).button(_("◀️ Previous")))
    if page < pages - 1:
        navigation.append(InviteDesaPage(page=page + 1).button(_("Next ▶️")))
    if navigation:
        rows.append(navigation)
    rows.append([InviteOtherKecamatan().button(_("🔙 Another kecamatan"))])
    context.say(
        _(
            "Which desa / kelurahan in Kecamatan {kecamatan}? Press a button or type its name."
        ).format(kecamatan=escape(kecamatan.name)),
        Keyboard.inline_rows(rows),
    )


async def handle_desa(context: Context) -> None:
    """Take a desa button, a page button, or a typed desa name."""
    if not _allowed(context):
        await _leave(context)
        await refuse(context)
        return
    state = _state(context)
    chosen, page = context.pressed(InviteDesa), context.pressed(InviteDesaPage)
    if context.pressed(InviteOtherKecamatan) is not None:
        context.answer_callback()
        context.go(KECAMATAN_STEP)
        await ask_kecamatan(context)
        return
    if page is not None:
        context.answer_callback()
        context.set_screen(STATE_KEY, {**state, "page": page.page})
        await ask_desa(context)
        return
    if chosen is not None:
        context.answer_callback()
        await _choose_region(context, await get_region(context.session, chosen.code))
        return
    typed = await _typed(context)
    if typed is None:
        return
    local = await list_children(context.session, state.get("kecamatan", ""))
    matches = find_places(typed, local)
    if matches.best is None and not matches.candidates:
        matches = find_places(typed, await list_villages(context.session))
    await _resolve(context, typed, matches.best, matches.candidates)


async def _typed(context: Context) -> str | None:
    """Return a typed place name, or ask again for anything else."""
    if context.event.kind is not EventKind.TEXT:
        context.answer_callback()
        context.say(_("Please press a button or type the name of the place."))
        await context.ask_current_step()
        return None
    typed = " ".join(context.event.text.split())
    if not 3 <= len(typed) <= MAX_NAME:
        context.say(_("Please type a place name of 3 to {limit} letters.").format(limit=MAX_NAME))
        await context.ask_current_step()
        return None
    return typed


async def _resolve(
    context: Context, typed: str, best: Region | None, candidates: list[Region]
) -> None:
    if best is not None:
        await _choose_region(context, best)
        return
    if candidates:
        in_desa_step = context.step == DESA_STEP
        rows = [
            [_candidate_button(region, in_desa_step=in_desa_step)]
            for region in candidates
            if not (in_desa_step and region.level == RegionLevel.KECAMATAN)
        ]
        context.say(
            _("Which one do you mean by “{typed}”?").format(typed=escape(typed)),
            Keyboard.inline_rows(rows),
        )
        return
    context.say(
        _(
            "I could not find a place called “{typed}”. Please check the spelling or press a "
            "button."
        ).format(typed=escape(typed))
    )
    await context.ask_current_step()


def _candidate_button(region: Region, *, in_desa_step: bool) -> Button:
    """Return a button for a typed place's candidate, of a kind the step owns."""
    if region.level == RegionLevel.KECAMATAN:
        return InviteKecamatan(code=region.code).button(
            _("Kecamatan {name}").format(name=region.name)
        )
    kind = InviteDesa if in_desa_step else InviteTypedDesa
    return kind(code=region.code).button(region.name)


async def _choose_region(context: Context, region: Region | None) -> None:
    """Go on with a chosen kecamatan or desa: ask for the desa, or make the invite."""
    role = _state(context).get("role")
    if region is None or role not in {Role.LURAH, Role.CAMAT}:
        await context.ask_current_step()
        return
    if region.level == RegionLevel.KECAMATAN and role == Role.CAMAT:
        await _create(context, Role.CAMAT, region.code)
    elif region.level == RegionLevel.KECAMATAN:
        context.set_screen(STATE_KEY, {"role": role, "kecamatan": region.code, "page": 0})
        context.go(DESA_STEP)
        await ask_desa(context)
    elif region.level in VILLAGE_LEVELS and role == Role.LURAH:
        await _create(context, Role.LURAH, region.code)
    else:
        await context.ask_current_step()


async def _create(context: Context, role: Role, region_code: str | None) -> None:
    invite, token = await create_invite(
        context.session,
        role=role,
        region_code=region_code,
        created_by=context.user.telegram_id,
        now=context.now,
        valid_days=context.settings.invite_days,
    )
    await _leave(context)
    lines = [
        _("✅ Invite #{id} for the <b>{role}</b> is ready.").format(
            id=invite.id, role=await role_title(context.session, role, region_code)
        ),
        _("Send it only to that person. It works once and is valid until {date}.").format(
            date=format_datetime(invite.expires_at, context.settings.zone)
        ),
        "",
    ]
    if context.bot_username:
        lines.append(deep_link(context.bot_username, token))
        lines.append("")
        lines.append(_("If the link does not open, they can send this message to the bot:"))
    else:
        lines.append(_("They send this message to the bot:"))
    lines.append(f"<code>/start {token}</code>")
    context.say(
        "\n".join(lines),
        Keyboard.inline_rows(
            [
                [RevokeInvite(invite=invite.id or 0).button(_("🚫 Revoke this invite"))],
                [AnotherInvite().button(_("➕ Another invite"))],
            ]
        ),
    )


async def _leave(context: Context) -> None:
    context.leave_screen(STATE_KEY)
    if context.step in {KECAMATAN_STEP, DESA_STEP}:
        context.go(IDLE)


async def _show_open(context: Context) -> None:
    invites = (await list_open_invites(context.session, context.now))[:SHOWN_INVITES]
    if not invites:
        context.edit(_("There are no open invites."))
        return
    lines = [_("<b>Open invites</b>")]
    rows = []
    for invite in invites:
        lines.append(
            _("#{id} {role}, valid until {date}").format(
                id=invite.id,
                role=await role_title(context.session, str(invite.role), invite.region_code),
                date=format_date(invite.expires_at, context.settings.zone),
            )
        )
        rows.append(
            [RevokeInvite(invite=invite.id or 0).button(_("🚫 Revoke #{id}").format(id=invite.id))]
        )
    context.edit("\n".join(lines), Keyboard.inline_rows(rows))


async def _revoke(context: Context, invite_id: int) -> None:
    try:
        invite: Invite = await revoke_invite(context.session, invite_id, now=context.now)
    except InviteRefusedError:
        context.say(_("This invite cannot be revoked: it was used or revoked already."))
        return
    context.say(_("🚫 Invite #{id} is revoked; its link no longer works.").format(id=invite.id))
    await menu.show_menu(context)


def register(router: Router) -> None:
    """Add /undang, its buttons and the place steps."""
    router.add_command(
        Command(
            "undang",
            invite_command,
            describe=N_("Invite a lurah, camat or Bappeda admin"),
            menu_label=N_("📨 Invite"),
            roles=frozenset({Role.BAPPEDA}),
        )
    )
    router.add_callback(InviteRole, on_role_button)
    router.add_callback(OpenInvites, on_open_button)
    router.add_callback(RevokeInvite, on_revoke_button)
    router.add_callback(AnotherInvite, on_another_button)
    router.add_step(
        Step(
            KECAMATAN_STEP,
            ask_kecamatan,
            handle_kecamatan,
            frozenset({InviteKecamatan, InviteTypedDesa}),
        )
    )
    router.add_step(
        Step(
            DESA_STEP,
            ask_desa,
            handle_desa,
            frozenset({InviteDesa, InviteDesaPage, InviteOtherKecamatan}),
        )
    )
