"""The proposal card officials open: every field, history, and the actions they may take.

The proposer's name is shown to the officials of the place (the forum needs it); phone
numbers and Telegram ids never are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import Keyboard
from core.formatting import format_datetime
from core.i18n import N_, _, ngettext
from handlers.context import escape
from handlers.intake.bidang import BIDANG
from handlers.intake.urgency import URGENCY
from handlers.review import keys
from models.enums import Role
from models.proposals import count_supporters, status_history
from models.regions import region_names
from models.users import get_user
from services.access import Action, allowed_actions, may_see_proposer_name, role_of
from services.lifecycle import status_label
from services.quantities import format_number

if TYPE_CHECKING:
    from datetime import datetime

    from handlers.context import Context
    from models.proposals import Proposal

ROLE_LABELS: dict[str, str] = {
    Role.WARGA.value: N_("resident"),
    Role.LURAH.value: N_("lurah"),
    Role.CAMAT.value: N_("camat"),
    Role.BAPPEDA.value: N_("Bappeda"),
}
ACTION_LABELS: dict[Action, str] = {
    Action.VERIFY: N_("✅ Verify"),
    Action.RETURN: N_("↩️ Return for fixing"),
    Action.REJECT: N_("❌ Reject"),
    Action.MERGE: N_("🔗 Mark as duplicate"),
    Action.TAKE_UP: N_("🗣 Discuss at the kecamatan"),
    Action.FORWARD: N_("📤 Forward to the Forum OPD"),
    Action.ACCEPT: N_("✅ Accommodated"),
    Action.DECLINE: N_("❌ Not accommodated"),
    Action.CORRECT_MATCH: N_("🔧 Correct the program"),
}
CARD_ACTIONS = tuple(ACTION_LABELS)
MAX_TITLE_IN_BUTTON = 28


def role_label(role: str | None) -> str:
    """Return a role as people read it."""
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else ""


def short_title(proposal: Proposal) -> str:
    """Return the title cut to fit a button."""
    title = proposal.title
    return title if len(title) <= MAX_TITLE_IN_BUTTON else title[: MAX_TITLE_IN_BUTTON - 1] + "…"


def format_moment(context: Context, moment: datetime) -> str:
    """Return a stored time as people read it, with the zone's abbreviation."""
    return format_datetime(moment, context.settings.zone)


def _quantity(value: float | None, unit: str, text: str) -> str:
    """Return a quantity as the proposer wrote it, or the stored number and unit."""
    if text:
        return escape(text)
    if value is None:
        return _("not known")
    return escape(f"{format_number(value)} {unit}".strip())


async def _proposer_line(context: Context, proposal: Proposal) -> str | None:
    admin_ids = context.settings.bappeda_admin_ids
    if not may_see_proposer_name(context.user, proposal, admin_ids=admin_ids):
        return None
    proposer = (
        await get_user(context.session, proposal.proposer_id)
        if proposal.proposer_id is not None
        else None
    )
    if proposer is None:
        name = _("(personal data deleted)")
    else:
        name = escape(proposer.name or _("(no name)"))
    return _("👤 Proposed by: {name} ({role})").format(
        name=name, role=role_label(proposal.submitted_as)
    )


async def _program_line(context: Context, proposal: Proposal) -> str:
    if not proposal.program_code:
        return _("📋 RPJMD program: not mapped yet")
    matcher = await context.services.matcher()
    program = matcher.catalogue.programs.get(proposal.program_code)
    name = f"{program.name} ({program.opd})" if program else proposal.program_code
    sure = _("confirmed") if proposal.match_confirmed else _("not confirmed; Bappeda checks it")
    return _("📋 RPJMD program: {program}, {sure}").format(program=escape(name), sure=sure)


async def card_text(context: Context, proposal: Proposal) -> str:
    """Return the whole proposal as an official reads it."""
    proposal_id = proposal.id or 0
    names = await region_names(context.session, [proposal.desa_code, proposal.kecamatan_code])
    supporters = (await count_supporters(context.session, [proposal_id]))[proposal_id]
    place = _("{desa}, Kecamatan {kecamatan}").format(
        desa=escape(names.get(proposal.desa_code, proposal.desa_code)),
        kecamatan=escape(names.get(proposal.kecamatan_code, proposal.kecamatan_code)),
    )
    lines = [
        f"<b>{proposal.tracking_code}</b> · {status_label(proposal.status)}",
        f"<b>{escape(proposal.title)}</b>",
        f"📍 {place}",
    ]
    if proposal.location_detail:
        lines.append(f"    {escape(proposal.location_detail)}")
    if proposal.latitude is not None and proposal.longitude is not None:
        lines.append(
            f'    <a href="https://maps.google.com/?q={proposal.latitude},{proposal.longitude}">'
            + _("point on the map")
            + "</a>"
        )
    lines.append(f"{BIDANG.label(proposal.bidang)} · {URGENCY.label(proposal.urgency)}")
    proposer = await _proposer_line(context, proposal)
    if proposer:
        lines.append(proposer)
    if proposal.problem:
        lines.append(_("❓ Problem: {problem}").format(problem=escape(proposal.problem)))
    lines.append(
        _("📏 Volume: {volume} · 👥 Beneficiaries: {people}").format(
            volume=_quantity(proposal.volume, proposal.volume_unit, proposal.volume_text),
            people=_quantity(
                proposal.beneficiaries, proposal.beneficiaries_unit, proposal.beneficiaries_text
            ),
        )
    )
    if proposal.estimated_cost:
        lines.append(
            _("💰 Estimated cost: Rp {cost}").format(cost=format_number(proposal.estimated_cost))
        )
    lines.append(await _program_line(context, proposal))
    lines.append(
        "🤝 "
        + ngettext("{count} supporter", "{count} supporters", supporters).format(count=supporters)
    )
    if proposal.desa_rank is not None or proposal.kecamatan_rank is not None:
        lines.append(
            _("🏅 Village rank: {desa} · Kecamatan rank: {kecamatan}").format(
                desa=proposal.desa_rank or "-", kecamatan=proposal.kecamatan_rank or "-"
            )
        )
    if proposal.photo_file_ids:
        lines.append(_("🖼 Photos: {count}").format(count=len(proposal.photo_file_ids)))
    lines.extend(["", _("<b>History</b>")])
    for change in await status_history(context.session, proposal_id):
        by = role_label(change.changed_by_role)
        entry = f"• {format_moment(context, change.created_at)}: {status_label(change.to_status)}"
        lines.append(f"{entry} ({by})" if by else entry)
        if change.note:
            lines.append(f"  <i>{escape(change.note)}</i>")
    return "\n".join(lines)


def card_keyboard(context: Context, proposal: Proposal) -> Keyboard:
    """Return the actions the person may take now, the photos, and the way back."""
    proposal_id = proposal.id or 0
    actions = allowed_actions(
        context.user, proposal, CARD_ACTIONS, admin_ids=context.settings.bappeda_admin_ids
    )
    rows = [
        [keys.action_button(_(ACTION_LABELS[action]), action, proposal_id)] for action in actions
    ]
    if proposal.photo_file_ids:
        rows.append(
            [
                keys.ShowPhotos(proposal=proposal_id).button(
                    _("🖼 See the photos ({count})").format(count=len(proposal.photo_file_ids))
                )
            ]
        )
    role = role_of(context.user, context.settings.bappeda_admin_ids)
    if role is Role.LURAH:
        rows.append([keys.DesaList(shown="s", order="n", page=0).button(_("🔙 Village list"))])
    elif role is Role.CAMAT:
        back = keys.KecamatanList(bidang=proposal.bidang, page=0)
        rows.append([back.button(_("🔙 Kecamatan list"))])
    return Keyboard.inline_rows(rows)


async def show_card(
    context: Context, proposal: Proposal, *, notice: str | None = None, edit: bool = True
) -> None:
    """Show the card (editing the pressed message when `edit`), with an optional notice first."""
    text = await card_text(context, proposal)
    if notice:
        text = f"{notice}\n\n{text}"
    keyboard = card_keyboard(context, proposal)
    if edit:
        context.edit(text, keyboard)
    else:
        context.say(text, keyboard)
