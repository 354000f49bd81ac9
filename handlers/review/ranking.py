"""Ranking per bidang, by the lurah (verified proposals) and by the camat (the kecamatan's).

The person taps the proposals from most to least important; the order is kept in the
conversation until it is saved. Saving gives ranks 1, 2, …; proposals left out lose their
rank. A camat's ranking takes the ranked proposals up for discussion at the kecamatan.
"""

from __future__ import annotations

import copy
import logging
from typing import TYPE_CHECKING, Literal

from core.events import Button, Keyboard
from core.i18n import _
from handlers.common.fallback import stale_button
from handlers.context import escape
from handlers.intake.bidang import BIDANG
from handlers.review import keys
from handlers.review.card import short_title
from models.enums import Bidang, Role, Status
from models.proposals import count_supporters
from models.regions import region_names
from models.review import list_region_proposals
from services.access import KECAMATAN_STAGE, Action, may, may_review_desa, may_review_kecamatan
from services.lifecycle import StatusChangeError, change_status
from services.review import DESA_RANK, KECAMATAN_RANK, apply_ranking, by_priority

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router
    from models.proposals import Proposal

logger = logging.getLogger(__name__)

STATE_KEY = "ranking"
DESA_SCOPE: Literal["d"] = "d"
KECAMATAN_SCOPE: Literal["k"] = "k"


def start_button(scope: Literal["d", "k"], bidang: Bidang) -> Button:
    """Return the button that starts ranking one bidang."""
    return keys.RankStart(scope=scope, bidang=bidang).button(
        _("🏅 Rank {bidang}").format(bidang=BIDANG.label(str(bidang)))
    )


def _allowed(context: Context, scope: str, region: str | None) -> bool:
    if scope == DESA_SCOPE:
        return may_review_desa(context.user, region)
    return scope == KECAMATAN_SCOPE and may_review_kecamatan(context.user, region)


async def _eligible(context: Context, state: dict) -> list[Proposal]:
    """Return the proposals the ranking covers, in their current order."""
    bidang = Bidang(state["bidang"])
    if state["scope"] == DESA_SCOPE:
        found = await list_region_proposals(
            context.session,
            desa_code=state["region"],
            statuses=[Status.DIVERIFIKASI],
            bidang=bidang,
        )
        field = DESA_RANK
    else:
        found = await list_region_proposals(
            context.session,
            kecamatan_code=state["region"],
            statuses=KECAMATAN_STAGE,
            bidang=bidang,
        )
        field = KECAMATAN_RANK
    supporters = await count_supporters(context.session, [item.id or 0 for item in found])
    return by_priority(found, supporters, rank_field=field)


async def _screen(context: Context, state: dict, eligible: list[Proposal]) -> None:
    """Show the order so far and a button per proposal not chosen yet."""
    by_id = {item.id: item for item in eligible}
    chosen = [by_id[item] for item in state["order"] if item in by_id]
    names = await region_names(
        context.session, [state["region"], *(item.desa_code for item in eligible)]
    )
    lines = [
        _("🏅 <b>Ranking: {bidang}, {place}</b>").format(
            bidang=BIDANG.label(state["bidang"]),
            place=escape(names.get(state["region"], state["region"])),
        ),
        _(
            "Tap the proposals from the most to the least important, then press “Save”. "
            "Proposals you leave out get no rank."
        ),
        "",
    ]
    for number, item in enumerate(chosen, start=1):
        lines.append(f"{number}. <b>{item.tracking_code}</b> {escape(item.title)}")
    if not chosen:
        lines.append(_("(nothing chosen yet)"))
    rows = []
    for item in eligible:
        if item in chosen:
            continue
        label = f"{item.tracking_code} · {short_title(item)}"
        if state["scope"] == KECAMATAN_SCOPE:
            village = names.get(item.desa_code, item.desa_code)
            rank = f" #{item.desa_rank}" if item.desa_rank else ""
            label = f"{village}{rank} · {short_title(item)}"
        rows.append([keys.RankPick(proposal=item.id or 0).button(label)])
    rows.append(
        [
            keys.RankMove(move="undo").button(_("↩️ Undo")),
            keys.RankMove(move="reset").button(_("🔄 Start over")),
        ]
    )
    rows.append(
        [
            keys.RankMove(move="save").button(_("💾 Save")),
            keys.RankMove(move="stop").button(_("✖ Cancel")),
        ]
    )
    context.edit("\n".join(lines), Keyboard.inline_rows(rows))


async def on_start_button(context: Context) -> None:
    """Start ranking the bidang the button names."""
    pressed = context.pressed(keys.RankStart)
    if pressed is None:
        await stale_button(context)
        return
    await _start(context, pressed.scope, pressed.bidang)


async def on_pick_button(context: Context) -> None:
    """Put the pressed proposal next in the ranking."""
    pressed = context.pressed(keys.RankPick)
    if pressed is None:
        await stale_button(context)
        return
    await _change(context, "add", pressed.proposal)


async def on_move_button(context: Context) -> None:
    """Undo, start over, save or stop the ranking."""
    pressed = context.pressed(keys.RankMove)
    if pressed is None:
        await stale_button(context)
        return
    await _change(context, pressed.move, None)


async def _change(context: Context, verb: str, item: int | None) -> None:
    """Extend, undo, reset, save or stop the ranking kept on the screen."""
    state = copy.deepcopy(context.screen(STATE_KEY))
    if not state or not _allowed(context, state.get("scope", ""), state.get("region")):
        context.answer_callback(_("This ranking is closed. Start it again from the list."))
        _forget(context)
        return
    context.answer_callback()
    eligible = await _eligible(context, state)
    if verb == "add":
        if item in {proposal.id for proposal in eligible} and item not in state["order"]:
            state["order"].append(item)
    elif verb == "undo" and state["order"]:
        state["order"].pop()
    elif verb == "reset":
        state["order"] = []
    elif verb == "save":
        await _save(context, state, eligible)
        return
    elif verb == "stop":
        _forget(context)
        context.edit(_("Ranking closed; nothing was changed."))
        return
    context.set_screen(STATE_KEY, state)
    await _screen(context, state, eligible)


async def _start(context: Context, scope: str, bidang: Bidang) -> None:
    region = context.user.region_code
    if not _allowed(context, scope, region):
        context.answer_callback(_("This is not available to you."))
        return
    context.answer_callback()
    state = {"scope": scope, "region": region, "bidang": bidang.value, "order": []}
    eligible = await _eligible(context, state)
    field = DESA_RANK if scope == DESA_SCOPE else KECAMATAN_RANK
    state["order"] = [item.id for item in eligible if getattr(item, field) is not None]
    if not eligible:
        context.edit(
            _("There are no proposals to rank in {bidang} yet.").format(
                bidang=BIDANG.label(bidang)
            )
        )
        return
    context.set_screen(STATE_KEY, state)
    await _screen(context, state, eligible)


async def _save(context: Context, state: dict, eligible: list[Proposal]) -> None:
    field = DESA_RANK if state["scope"] == DESA_SCOPE else KECAMATAN_RANK
    ranked = apply_ranking(eligible, state["order"], rank_field=field)
    taken_up = 0
    if state["scope"] == KECAMATAN_SCOPE:
        for proposal in ranked:
            admin_ids = context.settings.bappeda_admin_ids
            if not may(context.user, Action.TAKE_UP, proposal, admin_ids=admin_ids):
                continue
            try:
                await change_status(
                    context.session,
                    proposal,
                    Status.DIBAHAS_KECAMATAN,
                    by=context.user.telegram_id,
                    by_role=Role.CAMAT,
                    note="",
                    now=context.now,
                )
            except StatusChangeError:
                logger.info("Proposal %s could not be taken up", proposal.id)
                continue
            taken_up += 1
    _forget(context)
    lines = [_("💾 <b>Saved: {bidang}</b>").format(bidang=BIDANG.label(state["bidang"]))]
    lines.extend(
        f"{number}. <b>{item.tracking_code}</b> {escape(item.title)}"
        for number, item in enumerate(ranked, start=1)
    )
    if not ranked:
        lines.append(_("No proposal has a rank now."))
    if taken_up:
        lines.append(
            _(
                "{count} proposals are now discussed at the kecamatan; their proposers are told."
            ).format(count=taken_up)
        )
    back = (
        keys.DesaList(shown="v", order="p", page=0).button(_("🔙 Village list"))
        if state["scope"] == DESA_SCOPE
        else keys.KecamatanList(bidang=state["bidang"], page=0).button(_("🔙 Kecamatan list"))
    )
    context.edit("\n".join(lines), Keyboard.inline_rows([[back]]))


def _forget(context: Context) -> None:
    context.leave_screen(STATE_KEY)


def register(router: Router) -> None:
    """Add the ranking buttons."""
    router.add_callback(keys.RankStart, on_start_button)
    router.add_callback(keys.RankPick, on_pick_button)
    router.add_callback(keys.RankMove, on_move_button)
