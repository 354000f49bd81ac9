"""/status KODE: one proposal's status.

Its proposer sees the history; the officials of its place and Bappeda get the full card
with the actions their role allows (Bappeda: accommodated or not, correct the program).
"""

from __future__ import annotations

from textwrap import shorten
from typing import TYPE_CHECKING

from pydantic import Field

from core.events import EventKind, Keyboard
from core.formatting import format_datetime
from core.i18n import N_, _, ngettext
from handlers.callbacks import CallbackData
from handlers.common import idle, menu
from handlers.context import escape
from handlers.intake import flow
from handlers.review.card import show_card
from handlers.router import Command, Step
from models.enums import Role, Status
from models.proposals import (
    Proposal,
    count_supporters,
    find_by_code,
    list_user_proposals,
    status_history,
)
from models.regions import region_names
from services.access import Action, is_proposer, may
from services.lifecycle import change_status, status_label
from services.resubmission import draft_from_proposal
from services.submission import planning_year
from services.tracking_code import format_code, normalize_code

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router

IDLE = "idle"
CODE_STEP = "status.code"
EXAMPLE_TAIL = "7K3QX"
MAX_ECHO = 40
MAX_PICKS = 8
PICK_TITLE = 40


class StatusPick(CallbackData, prefix="statuspilih"):
    """One of the person's own proposals, picked to see its status."""

    proposal_id: int = Field(ge=1)


class CorrectProposal(CallbackData, prefix="koreksiusul"):
    """Correct one's own proposal before the lurah has verified it."""

    proposal_id: int = Field(ge=1)


class WithdrawProposal(CallbackData, prefix="tarikusul"):
    """Withdraw one's own proposal before the lurah has verified it (asked, then confirmed)."""

    proposal_id: int = Field(ge=1)
    confirmed: bool = False


async def status_command(context: Context, typed: str | None = None) -> None:
    """Show the status of the code given, or offer the person's own proposals to pick from."""
    if typed is None:
        typed = context.event.text.strip() if context.event.kind is EventKind.COMMAND else ""
    if typed:
        await look_up(context, typed)
        return
    if context.step in (IDLE, CODE_STEP):
        context.go(CODE_STEP)
        await ask_code(context)
        return
    context.say(_usage(context))
    await context.ask_current_step()


async def ask_code(context: Context) -> None:
    """Offer the person's own proposals as buttons, and ask for a code otherwise."""
    own = (await list_user_proposals(context.session, context.user.telegram_id))[:MAX_PICKS]
    if own:
        rows = [
            [
                StatusPick(proposal_id=proposal.id or 0).button(
                    f"{proposal.tracking_code} · {shorten(proposal.title, PICK_TITLE)}"
                )
            ]
            for proposal in own
        ]
        context.say(
            _(
                "Which proposal? Press one of yours, or send the tracking code of another, "
                "for example {example}. To stop, type /batal."
            ).format(example=_example(context)),
            Keyboard.inline_rows(rows),
        )
        return
    context.say(
        _(
            "Please send the tracking code of the proposal, for example {example}. You find "
            "it in the message you got after submitting, or in /usulansaya. To stop, type "
            "/batal."
        ).format(example=_example(context))
    )


async def on_pick_button(context: Context) -> None:
    """Show the status of the picked proposal of the person's own."""
    pressed = context.pressed(StatusPick)
    context.answer_callback()
    proposal = (
        await context.session.get(Proposal, pressed.proposal_id) if pressed is not None else None
    )
    if proposal is None or not is_proposer(context.user, proposal):
        await ask_code(context)
        return
    if context.step == CODE_STEP:
        context.go(IDLE)
    await _show_detail(context, proposal)


async def handle_code(context: Context) -> None:
    """Take the next text as the code."""
    if context.event.kind is not EventKind.TEXT or not context.event.text.strip():
        await ask_code(context)
        return
    await look_up(context, context.event.text)


async def look_up(context: Context, typed: str) -> None:
    """Find the proposal behind what was typed and show what this person may see."""
    code = normalize_code(typed, prefix=context.settings.tracking_prefix)
    if code is None and context.step == CODE_STEP:
        # Not a code at all: stop waiting for one, and take the message as said at idle.
        context.go(IDLE)
        if not await idle.answer_idle(context):
            context.say(_("That is not a tracking code.") + "\n" + _usage(context))
            await menu.show_menu(context)
        return
    if code is None:
        problem = _("“{typed}” is not a tracking code. A code looks like {example}.").format(
            typed=escape(typed.strip()[:MAX_ECHO]), example=_example(context)
        )
        await _try_again(context, problem)
        return
    proposal = await find_by_code(context.session, code)
    if proposal is None:
        problem = _(
            "There is no proposal with the code {code}. Please check the letters and numbers."
        ).format(code=code)
        await _try_again(context, problem)
        return
    if context.step == CODE_STEP:
        context.go(IDLE)
    admin_ids = context.settings.bappeda_admin_ids
    if is_proposer(context.user, proposal):
        await _show_detail(context, proposal)
    elif may(context.user, Action.VIEW_FULL, proposal, admin_ids=admin_ids):
        await show_card(context, proposal, edit=False)
    else:
        await _show_public(context, proposal)


async def _try_again(context: Context, problem: str) -> None:
    """Say what is wrong and how to send the code again."""
    if context.step in (IDLE, CODE_STEP):
        context.go(CODE_STEP)
        context.say(problem + "\n" + _("Send the code again, or type /batal to stop."))
        return
    context.say(problem + "\n" + _usage(context))
    await context.ask_current_step()


async def _show_public(context: Context, proposal: Proposal) -> None:
    """Show the part anyone with the code may see: title, desa and status."""
    names = await region_names(context.session, [proposal.desa_code])
    lines = [
        f"<b>{proposal.tracking_code}</b>",
        escape(proposal.title),
        f"📍 {escape(names.get(proposal.desa_code, proposal.desa_code))}",
        _("Status: <b>{status}</b>").format(status=status_label(proposal.status)),
        "",
        _(
            "This proposal was submitted by someone else, so only its title, desa and "
            "status are shown."
        ),
    ]
    context.say("\n".join(lines))


async def _show_detail(context: Context, proposal: Proposal) -> None:
    """Show the proposal with every status change, times in local time."""
    proposal_id = proposal.id or 0
    names = await region_names(context.session, [proposal.desa_code, proposal.kecamatan_code])
    supporters = (await count_supporters(context.session, [proposal_id]))[proposal_id]
    history = await status_history(context.session, proposal_id)
    place = ", ".join(
        escape(names.get(code, code)) for code in (proposal.desa_code, proposal.kecamatan_code)
    )
    lines = [
        f"<b>{proposal.tracking_code}</b>",
        escape(proposal.title),
        f"📍 {place}",
        _("Status: <b>{status}</b>").format(status=status_label(proposal.status)),
        "👥 "
        + ngettext("{count} supporter", "{count} supporters", supporters).format(count=supporters),
        "",
        _("<b>History</b>"),
    ]
    zone = context.settings.zone
    for change in history:
        lines.append(
            f"• {format_datetime(change.created_at, zone)}: {status_label(change.to_status)}"
        )
        if change.note:
            lines.append(f"  <i>{escape(change.note)}</i>")
    keyboard = None
    if proposal.status == Status.DIAJUKAN:
        lines.append("")
        lines.append(
            _(
                "Until your lurah / kepala desa has verified it, you can still correct or "
                "withdraw it."
            )
        )
        correct = CorrectProposal(proposal_id=proposal_id)
        withdraw = WithdrawProposal(proposal_id=proposal_id)
        keyboard = Keyboard.inline_rows(
            [
                [correct.button(_("✏️ Correct this proposal"))],
                [withdraw.button(_("🗑 Withdraw this proposal"))],
            ]
        )
    context.say("\n".join(lines), keyboard)


async def on_withdraw_button(context: Context) -> None:
    """Ask before withdrawing one's own proposal; withdraw it once confirmed."""
    pressed = context.pressed(WithdrawProposal)
    proposal = (
        await context.session.get(Proposal, pressed.proposal_id) if pressed is not None else None
    )
    context.answer_callback()
    if pressed is None or proposal is None or not is_proposer(context.user, proposal):
        context.say(_("This is not available to you."))
        return
    if proposal.status != Status.DIAJUKAN:
        context.edit(
            _("{code} is “{status}” now, so it can no longer be withdrawn.").format(
                code=proposal.tracking_code, status=status_label(proposal.status)
            )
        )
        return
    if not pressed.confirmed:
        context.say(
            _(
                "Withdraw <b>{code}</b> ({title})? It will not be discussed, and its "
                "supporters are told. This cannot be undone."
            ).format(code=proposal.tracking_code, title=escape(proposal.title)),
            Keyboard.inline_rows(
                [
                    [
                        WithdrawProposal(proposal_id=proposal.id or 0, confirmed=True).button(
                            _("🗑 Yes, withdraw it")
                        )
                    ]
                ]
            ),
        )
        return
    await change_status(
        context.session,
        proposal,
        Status.DITARIK,
        by=context.user.telegram_id,
        note="",
        now=context.now,
        by_role=Role(proposal.submitted_as),
    )
    context.edit(_("{code} is withdrawn.").format(code=proposal.tracking_code))


async def on_correct_button(context: Context) -> None:
    """Load one's own unverified proposal into the intake's preview to correct it."""
    pressed = context.pressed(CorrectProposal)
    proposal = (
        await context.session.get(Proposal, pressed.proposal_id) if pressed is not None else None
    )
    context.answer_callback()
    if proposal is None or not is_proposer(context.user, proposal):
        context.say(_("This is not available to you."))
        return
    if proposal.status != Status.DIAJUKAN:
        context.say(
            _("{code} is “{status}” now, so it can no longer be corrected.").format(
                code=proposal.tracking_code, status=status_label(proposal.status)
            )
        )
        return
    if context.draft.has_answers() and context.draft.correct_of != proposal.id:
        context.say(
            _(
                "You have an unfinished proposal. Send it or stop it with /batal first, then "
                "correct {code}."
            ).format(code=proposal.tracking_code)
        )
        return
    draft = draft_from_proposal(proposal)
    draft.resubmit_of, draft.correct_of = None, proposal.id
    context.save_draft(draft)
    context.say(_("Change what needs correcting, then press Send to save it."))
    await flow.goto(context, flow.PREVIEW)


def _example(context: Context) -> str:
    """Return an example code with this regency's prefix and this year."""
    year = planning_year(context.now, context.settings.zone)
    return format_code(prefix=context.settings.tracking_prefix, year=year, tail=EXAMPLE_TAIL)


def _usage(context: Context) -> str:
    """Return how to ask for a status in one command."""
    return _(
        "To check a proposal, type /status and its code, for example /status {example}."
    ).format(example=_example(context))


def register(router: Router) -> None:
    """Add /status and the step that waits for a code."""
    router.add_command(
        Command(
            "status",
            status_command,
            describe=N_("Check the status of a proposal by its code"),
            menu_label=N_("🔎 Check status"),
            needs_consent=False,
        )
    )
    router.add_callback(StatusPick, on_pick_button)
    router.add_callback(WithdrawProposal, on_withdraw_button)
    router.add_callback(CorrectProposal, on_correct_button)
    router.add_step(Step(CODE_STEP, ask=ask_code, handle=handle_code))
