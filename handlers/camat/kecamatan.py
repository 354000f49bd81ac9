"""/kecamatan: the camat's view of every village's verified proposals, per bidang.

Each bidang lists the proposals with each village's rank; the camat ranks them for the
kecamatan (which takes them up for discussion), opens one to return or reject it, and
forwards the chosen ones to the Forum OPD.
"""

from __future__ import annotations

import logging
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
from handlers.review.ranking import KECAMATAN_SCOPE, start_button
from handlers.router import Command
from models.enums import Bidang, Role, Status
from models.proposals import count_supporters
from models.regions import get_region, region_names
from models.review import count_by_bidang, list_region_proposals
from services.access import Action, may, may_review_kecamatan
from services.lifecycle import StatusChangeError, change_status, status_label
from services.review import KECAMATAN_RANK, by_priority

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router
    from models.proposals import Proposal

logger = logging.getLogger(__name__)

PAGE_SIZE = 8
SHOWN = (Status.DIVERIFIKASI, Status.DIBAHAS_KECAMATAN, Status.DITERUSKAN_OPD)


async def kecamatan_command(context: Context) -> None:
    """Show the kecamatan overview."""
    await show_home(context)


def _kecamatan_of(context: Context) -> str | None:
    code = context.user.region_code
    return code if may_review_kecamatan(context.user, code) else None


async def _not_camat(context: Context) -> None:
    if context.event.kind is EventKind.CALLBACK:
        await refuse(context)
        return
    context.say(
        _(
            "/kecamatan is for the camat, registered with an invite from Bappeda. To follow "
            "your own proposals, type /usulansaya."
        )
    )


async def show_home(context: Context) -> None:
    """Show how many proposals wait in each bidang, with a button per bidang."""
    code = _kecamatan_of(context)
    if code is None:
        await _not_camat(context)
        return
    kecamatan = await get_region(context.session, code)
    counts = await count_by_bidang(context.session, kecamatan_code=code, statuses=SHOWN)
    lines = [
        _("🏛 <b>Kecamatan {name}</b>").format(name=escape(kecamatan.name if kecamatan else code)),
        await deadline_line(context, level="kecamatan"),
        "",
    ]
    rows = []
    for bidang in Bidang:
        lines.append(
            f"{BIDANG.label(bidang)}: "
            + " · ".join(
                f"{status_label(status)} {counts.get((bidang, status), 0)}" for status in SHOWN
            )
        )
        total = sum(counts.get((bidang, status), 0) for status in SHOWN)
        listed = keys.KecamatanList(bidang=bidang, page=0)
        rows.append([listed.button(f"{BIDANG.label(bidang)} ({total})")])
    text = "\n".join(lines)
    if context.event.kind is EventKind.CALLBACK:
        context.edit(text, Keyboard.inline_rows(rows))
    else:
        context.say(text, Keyboard.inline_rows(rows))


async def _ordered(context: Context, code: str, bidang: Bidang) -> list[Proposal]:
    found = await list_region_proposals(
        context.session, kecamatan_code=code, statuses=SHOWN, bidang=bidang
    )
    supporters = await count_supporters(context.session, [item.id or 0 for item in found])
    by_village_rank = sorted(found, key=lambda item: (item.desa_rank is None, item.desa_rank or 0))
    return by_priority(by_village_rank, supporters, rank_field=KECAMATAN_RANK)


async def show_bidang(context: Context, bidang: Bidang, page: int) -> None:
    """List one bidang's proposals with village and kecamatan ranks."""
    code = _kecamatan_of(context)
    if code is None:
        await _not_camat(context)
        return
    proposals = await _ordered(context, code, bidang)
    names = await region_names(context.session, [item.desa_code for item in proposals])
    pages = max(1, -(-len(proposals) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = proposals[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [
        _("<b>{bidang}</b>: {count} proposals, page {page} of {pages}").format(
            bidang=BIDANG.label(bidang), count=len(proposals), page=page + 1, pages=pages
        ),
        _("🏅 = kecamatan rank, # = the village's rank"),
        "",
    ]
    for number, item in enumerate(shown, start=page * PAGE_SIZE + 1):
        rank = f"🏅{item.kecamatan_rank} · " if item.kecamatan_rank else ""
        village = escape(names.get(item.desa_code, item.desa_code))
        village_rank = f" #{item.desa_rank}" if item.desa_rank else ""
        lines.append(
            f"{number}. {rank}<b>{item.tracking_code}</b> · {village}{village_rank} · "
            f"{status_label(item.status)}\n    {escape(item.title)}"
        )
    if not shown:
        lines.append(_("No verified proposals from the villages yet."))
    rows = [
        [keys.OpenCard(proposal=item.id or 0).button(f"{number}. {short_title(item)}")]
        for number, item in enumerate(shown, start=page * PAGE_SIZE + 1)
    ]
    navigation = []
    if page > 0:
        previous = keys.KecamatanList(bidang=bidang, page=page - 1)
        navigation.append(previous.button(_("◀️ Previous")))
    if page < pages - 1:
        following = keys.KecamatanList(bidang=bidang, page=page + 1)
        navigation.append(following.button(_("Next ▶️")))
    if navigation:
        rows.append(navigation)
    if proposals:
        rows.append([start_button(KECAMATAN_SCOPE, bidang)])
    if _forwardable(context, proposals):
        rows.append(
            [
                keys.ForwardAll(step="ask", bidang=bidang).button(
                    _("📤 Forward the ranked ones to the Forum OPD")
                )
            ]
        )
    rows.append([keys.KecamatanHome().button(_("🔙 Kecamatan overview"))])
    context.edit("\n".join(lines), Keyboard.inline_rows(rows))


def _forwardable(context: Context, proposals: list[Proposal]) -> list[Proposal]:
    """Return the ranked proposals the camat may forward now, in rank order."""
    admin_ids = context.settings.bappeda_admin_ids
    ranked = [item for item in proposals if item.kecamatan_rank is not None]
    return [
        item
        for item in sorted(ranked, key=lambda item: item.kecamatan_rank or 0)
        if may(context.user, Action.FORWARD, item, admin_ids=admin_ids)
    ]


async def on_home_button(context: Context) -> None:
    """Show the overview."""
    context.answer_callback()
    await show_home(context)


async def on_bidang_button(context: Context) -> None:
    """Show a page of one bidang."""
    pressed = context.pressed(keys.KecamatanList)
    if pressed is None:
        await stale_button(context)
        return
    context.answer_callback()
    await show_bidang(context, pressed.bidang, pressed.page)


async def on_forward_button(context: Context) -> None:
    """Ask to forward every ranked proposal of a bidang, or do it after the confirmation."""
    pressed = context.pressed(keys.ForwardAll)
    if pressed is None:
        await stale_button(context)
        return
    code = _kecamatan_of(context)
    if code is None:
        await refuse(context)
        return
    context.answer_callback()
    bidang = pressed.bidang
    chosen = _forwardable(context, await _ordered(context, code, bidang))
    back = [keys.KecamatanList(bidang=bidang, page=0).button(_("🔙 Back to the list"))]
    if not chosen:
        context.edit(
            _("There is no ranked proposal left to forward."), Keyboard.inline_rows([back])
        )
        return
    if pressed.step == "ask":
        lines = [_("Forward these proposals to the Forum OPD? Their proposers are told.")]
        lines.extend(
            f"🏅{item.kecamatan_rank} <b>{item.tracking_code}</b> {escape(item.title)}"
            for item in chosen
        )
        context.edit(
            "\n".join(lines),
            Keyboard.inline_rows(
                [
                    [keys.ForwardAll(step="do", bidang=bidang).button(_("📤 Yes, forward them"))],
                    back,
                ]
            ),
        )
        return
    forwarded = 0
    for item in chosen:
        try:
            await change_status(
                context.session,
                item,
                Status.DITERUSKAN_OPD,
                by=context.user.telegram_id,
                by_role=Role.CAMAT,
                note="",
                now=context.now,
            )
        except StatusChangeError:
            logger.info("Proposal %s could not be forwarded", item.id)
            continue
        forwarded += 1
    context.edit(
        _(
            "📤 {count} proposals were forwarded to the Forum OPD; their proposers are told."
        ).format(count=forwarded),
        Keyboard.inline_rows([back]),
    )


def register(router: Router) -> None:
    """Add /kecamatan and its buttons."""
    router.add_command(
        Command(
            "kecamatan",
            kecamatan_command,
            describe=N_("The kecamatan's proposals: rank them and forward them to the OPD"),
            menu_label=N_("🏛 My kecamatan"),
            roles=frozenset({Role.CAMAT}),
        )
    )
    router.add_callback(keys.KecamatanHome, on_home_button)
    router.add_callback(keys.KecamatanList, on_bidang_button)
    router.add_callback(keys.ForwardAll, on_forward_button)
