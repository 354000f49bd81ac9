"""/desa: the lurah's village at a glance, and its proposals filtered, ordered and paged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import EventKind, Keyboard
from core.i18n import N_, _
from handlers.common.fallback import stale_button
from handlers.context import escape
from handlers.intake.bidang import BIDANG
from handlers.review import keys
from handlers.review.actions import refuse
from handlers.review.card import short_title
from handlers.review.deadline import deadline_line
from handlers.review.ranking import DESA_SCOPE, start_button
from handlers.router import Command
from models.enums import Bidang, Role, Status
from models.proposals import count_supporters
from models.regions import get_region
from models.review import count_by_status, list_region_proposals
from services.access import may_review_desa
from services.lifecycle import status_label
from services.review import DESA_RANK, by_priority

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router

PAGE_SIZE = 8
FILTERS: dict[str, tuple[str, frozenset[Status] | None]] = {
    "s": (N_("To check"), frozenset({Status.DIAJUKAN})),
    "v": (N_("Verified"), frozenset({Status.DIVERIFIKASI})),
    "k": (N_("Returned"), frozenset({Status.DIKEMBALIKAN})),
    "l": (
        N_("Kecamatan and later"),
        frozenset(
            {
                Status.DIBAHAS_KECAMATAN,
                Status.DITERUSKAN_OPD,
                Status.DIAKOMODIR,
                Status.TIDAK_DIAKOMODIR,
            }
        ),
    ),
    "t": (N_("Closed"), frozenset({Status.DITOLAK, Status.DIGABUNG, Status.DITARIK})),
    "a": (N_("All"), None),
}
ORDERS = {"n": N_("newest first"), "p": N_("priority first")}
DEFAULT_FILTER = "s"
DEFAULT_ORDER = "n"


async def desa_command(context: Context) -> None:
    """Show the village overview with the proposals still to check."""
    await show_desa(context, DEFAULT_FILTER, DEFAULT_ORDER, 0)


async def on_desa_button(context: Context) -> None:
    """Change the filter, order or page of the list."""
    pressed = context.pressed(keys.DesaList)
    if pressed is None:
        await stale_button(context)
        return
    context.answer_callback()
    await show_desa(context, pressed.shown, pressed.order, pressed.page)


async def show_desa(context: Context, chosen: str, order: str, page: int) -> None:
    """Send (or, from a button, edit) the overview and one page of the chosen list."""
    desa_code = context.user.region_code
    if context.user.role != Role.LURAH or not may_review_desa(context.user, desa_code):
        if context.event.kind is EventKind.CALLBACK:
            await refuse(context)
            return
        context.say(
            _(
                "/desa is for the lurah / kepala desa, registered with an invite from "
                "Bappeda. To follow your own proposals, type /usulansaya."
            )
        )
        return
    desa = await get_region(context.session, desa_code or "")
    counts = await count_by_status(context.session, desa_code=desa_code)
    _label, statuses = FILTERS[chosen]
    proposals = await list_region_proposals(
        context.session, desa_code=desa_code, statuses=statuses
    )
    if order == "p":
        supporters = await count_supporters(context.session, [item.id or 0 for item in proposals])
        proposals = by_priority(proposals, supporters, rank_field=DESA_RANK)
    pages = max(1, -(-len(proposals) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = proposals[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [
        _("🏘 <b>Desa {desa}</b>").format(desa=escape(desa.name if desa else desa_code or "")),
        _overview(counts),
        await deadline_line(context, level="desa"),
        "",
        _("<b>{filter}</b> ({count}), {order}, page {page} of {pages}:").format(
            filter=_(FILTERS[chosen][0]),
            count=len(proposals),
            order=_(ORDERS[order]),
            page=page + 1,
            pages=pages,
        ),
    ]
    for number, proposal in enumerate(shown, start=page * PAGE_SIZE + 1):
        rank = f" · 🏅{proposal.desa_rank}" if proposal.desa_rank else ""
        lines.append(
            f"{number}. <b>{proposal.tracking_code}</b> · {status_label(proposal.status)}{rank}\n"
            f"    {BIDANG.label(proposal.bidang)} · {escape(proposal.title)}"
        )
    if not shown:
        lines.append(_("No proposals here."))
    text = "\n".join(lines)
    keyboard = _keyboard(shown, chosen, order, page, pages, page_offset=page * PAGE_SIZE)
    if context.event.kind is EventKind.CALLBACK:
        context.edit(text, keyboard)
    else:
        context.say(text, keyboard)


def _overview(counts: dict[Status, int]) -> str:
    total = sum(counts.values())
    parts = [
        f"{status_label(status)}: {counts[status]}" for status in Status if counts.get(status)
    ]
    head = _("Proposals: {total}").format(total=total)
    return head + ("\n" + " · ".join(parts) if parts else "")


def _keyboard(
    shown: list, chosen: str, order: str, page: int, pages: int, *, page_offset: int
) -> Keyboard:
    rows = [
        [keys.OpenCard(proposal=proposal.id).button(f"{number}. {short_title(proposal)}")]
        for number, proposal in enumerate(shown, start=page_offset + 1)
    ]
    navigation = []
    if page > 0:
        previous = keys.DesaList(shown=chosen, order=order, page=page - 1)
        navigation.append(previous.button(_("◀️ Previous")))
    if page < pages - 1:
        following = keys.DesaList(shown=chosen, order=order, page=page + 1)
        navigation.append(following.button(_("Next ▶️")))
    if navigation:
        rows.append(navigation)
    others = [
        keys.DesaList(shown=key, order=order, page=0).button(_(label))
        for key, (label, _statuses) in FILTERS.items()
        if key != chosen
    ]
    rows.extend(others[index : index + 3] for index in range(0, len(others), 3))
    flipped = "p" if order == "n" else "n"
    rows.append(
        [
            keys.DesaList(shown=chosen, order=flipped, page=0).button(
                _("↕️ Order: {order}").format(order=_(ORDERS[flipped]))
            )
        ]
    )
    rows.extend([start_button(DESA_SCOPE, bidang)] for bidang in Bidang)
    return Keyboard.inline_rows(rows)


def register(router: Router) -> None:
    """Add /desa and its list buttons."""
    router.add_command(
        Command(
            "desa",
            desa_command,
            describe=N_("Your village's proposals: check, verify and rank them"),
            menu_label=N_("🏘 My village"),
            roles=frozenset({Role.LURAH}),
        )
    )
    router.add_callback(keys.DesaList, on_desa_button)
