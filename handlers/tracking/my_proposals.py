"""/usulansaya: the person's own proposals, newest first, ten per page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from core.events import Keyboard
from core.formatting import format_date
from core.i18n import N_, _, ngettext
from handlers.callbacks import CallbackData
from handlers.common import menu
from handlers.context import escape
from handlers.router import Command
from models.proposals import count_supporters, list_user_proposals
from models.regions import region_names
from services.lifecycle import status_label
from services.support import supported_by, withdraw_support

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router
    from models.proposals import Proposal

PAGE_SIZE = 10


class ProposalsPage(CallbackData, prefix="usulansaya"):
    page: int = Field(ge=0, le=9999)


class WithdrawSupport(CallbackData, prefix="tarikdukung"):
    """Withdraw the person's support of a proposal."""

    proposal_id: int = Field(ge=1)


async def my_proposals(context: Context) -> None:
    """List the person's proposals, first page."""
    shown = await show_page(context, 0)
    if shown and context.step != "idle":
        await context.ask_current_step()


async def on_page_button(context: Context) -> None:
    """Show the page a paging button asks for."""
    pressed = context.pressed(ProposalsPage)
    context.answer_callback()
    await show_page(context, pressed.page if pressed else 0)


async def show_page(context: Context, page: int) -> bool:
    """Send (or, for a paging button, edit in place) one page; return False when empty."""
    proposals = await list_user_proposals(context.session, context.user.telegram_id)
    supported = await supported_by(context.session, context.user.telegram_id)
    if not proposals and supported:
        await _show_supported(context, supported)
        return True
    if not proposals:
        context.say(
            _(
                "You have not submitted any proposals yet. To propose something for your "
                "desa or kelurahan, type /usul or choose from the menu below."
            )
        )
        await menu.show_menu(context)
        return False
    pages = (len(proposals) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = proposals[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    if pages > 1:
        header = _("<b>Your proposals</b> ({total}), page {page} of {pages}:").format(
            total=len(proposals), page=page + 1, pages=pages
        )
    else:
        header = _("<b>Your proposals</b> ({total}):").format(total=len(proposals))
    entries = await _entries(context, shown)
    footer = _("To see the full history of a proposal, type /status and its code.")
    text = "\n\n".join([header, *entries, footer])
    keyboard = _paging_keyboard(page, pages)
    if context.pressed(ProposalsPage) is not None:
        context.edit(text, keyboard)
    else:
        context.say(text, keyboard)
    if page == 0 and supported and context.pressed(ProposalsPage) is None:
        await _show_supported(context, supported)
    return True


async def _show_supported(context: Context, proposals: list[Proposal]) -> None:
    """List the proposals the person supports ("didukung"), each with a withdraw button."""
    lines = [_("<b>Proposals you support</b> ({total}):").format(total=len(proposals))]
    rows = []
    for proposal in proposals:
        lines.append(
            _("<b>{code}</b> · supported · {status}\n{title}").format(
                code=proposal.tracking_code,
                status=status_label(proposal.status),
                title=escape(proposal.title),
            )
        )
        label = _("↩️ Withdraw support {code}").format(code=proposal.tracking_code)
        rows.append([WithdrawSupport(proposal_id=proposal.id or 0).button(label)])
    context.say("\n\n".join(lines), Keyboard.inline_rows(rows))


async def on_withdraw_button(context: Context) -> None:
    """Withdraw the support a button names; the step the person is in is asked again."""
    pressed = context.pressed(WithdrawSupport)
    context.answer_callback()
    removed = pressed is not None and await withdraw_support(
        context.session, proposal_id=pressed.proposal_id, user_id=context.user.telegram_id
    )
    if removed:
        context.edit(_("Your support is withdrawn. Nothing else has changed."))
    else:
        context.say(_("You do not support that proposal (any more)."))
    await context.ask_current_step()


async def _entries(context: Context, proposals: list[Proposal]) -> list[str]:
    """Return one block per proposal: code, status, title, desa, date, supporters."""
    ids = [proposal.id for proposal in proposals if proposal.id is not None]
    supporters = await count_supporters(context.session, ids)
    names = await region_names(context.session, {proposal.desa_code for proposal in proposals})
    zone = context.settings.zone
    entries = []
    for proposal in proposals:
        count = supporters.get(proposal.id or 0, 0)
        submitted = format_date(proposal.created_at, zone)
        desa = names.get(proposal.desa_code, proposal.desa_code)
        entries.append(
            f"<b>{proposal.tracking_code}</b> · {status_label(proposal.status)}\n"
            f"{escape(proposal.title)}\n"
            f"📍 {escape(desa)} · 📅 {submitted} · 👥 "
            + ngettext("{count} supporter", "{count} supporters", count).format(count=count)
        )
    return entries


def _paging_keyboard(page: int, pages: int) -> Keyboard | None:
    """Return previous / next buttons when there is more than one page."""
    if pages <= 1:
        return None
    row = []
    if page > 0:
        row.append(ProposalsPage(page=page - 1).button(_("◀️ Previous")))
    if page < pages - 1:
        row.append(ProposalsPage(page=page + 1).button(_("Next ▶️")))
    return Keyboard.inline_rows([row])


def register(router: Router) -> None:
    """Add /usulansaya (also /usulan_saya) and its paging buttons."""
    router.add_command(
        Command(
            "usulansaya",
            my_proposals,
            describe=N_("Your proposals and their status"),
            aliases=("usulan_saya",),
            menu_label=N_("📋 My proposals"),
        )
    )
    router.add_callback(ProposalsPage, on_page_button)
    router.add_callback(WithdrawSupport, on_withdraw_button)
