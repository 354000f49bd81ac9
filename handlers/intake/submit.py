"""Sending a finished draft: intake window, per-stage limit, tracking code, what comes next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from core.events import Keyboard
from core.formatting import format_datetime
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.common import menu
from handlers.context import escape
from handlers.intake import flow, spec
from handlers.tracking import resubmit
from models.enums import Role, Status
from models.proposals import Proposal
from services.drafts import Draft
from services.intake_window import current_window
from services.submission import count_submitted, create_proposal, fill_from_draft

if TYPE_CHECKING:
    from handlers.context import Context


class NextProposal(CallbackData, prefix="lagi"):
    """Start the lurah's next proposal for the same desa."""


async def submit(context: Context) -> None:
    """Store the proposal and tell the person its tracking code and what happens next."""
    draft = context.draft
    missing = spec.first_missing(draft)
    if missing is not None:
        await flow.goto(context, missing)
        return
    if draft.resubmit_of:
        await resubmit.send_returned_again(context)
        return
    if draft.correct_of:
        await _save_correction(context)
        return
    window = await current_window(context.session, context.now, draft.desa_code)
    if not window.is_open:
        await say_intake_closed(context, window.upcoming)
        return
    limit = await limit_reached(context, window.stage)
    if limit is not None:
        say_limit_reached(context, limit, blocked_draft=True)
        return
    proposal = await create_proposal(
        context.session,
        draft=draft,
        user=context.user,
        stage=window.stage,
        now=context.now,
        prefix=context.settings.tracking_prefix,
        zone=context.settings.zone,
    )
    context.edit(
        _(
            "✅ <b>Your proposal has been sent!</b>\n\n"
            "Tracking code: <b>{code}</b>\n"
            "{title}\n\n"
            "Keep this code. Check the status any time with /status {code}, or see all your "
            "proposals with /usulansaya."
        ).format(code=proposal.tracking_code, title=escape(proposal.title))
    )
    context.say(_next_steps(context, window.stage))
    context.go("idle")
    context.save_draft(Draft())
    if context.user.role == Role.LURAH:
        context.say(
            _("Do you have another proposal from the village deliberation?"),
            Keyboard.inline_rows([[NextProposal().button(_("➕ Next proposal for this desa"))]]),
        )
        return
    await menu.show_menu(context)


async def _save_correction(context: Context) -> None:
    """Save the corrected answers onto the proposal, while the lurah has not verified it."""
    draft = context.draft
    proposal = await context.session.get(Proposal, draft.correct_of or 0)
    context.go("idle")
    context.save_draft(Draft())
    if (
        proposal is None
        or proposal.proposer_id != context.user.telegram_id
        or proposal.status != Status.DIAJUKAN
    ):
        context.say(_("This proposal can no longer be corrected; nothing was changed."))
        await menu.show_menu(context)
        return
    fill_from_draft(proposal, draft)
    proposal.updated_at = context.now
    context.edit(
        _("✅ <b>{code}</b> is corrected: {title}").format(
            code=proposal.tracking_code, title=escape(proposal.title)
        )
    )
    await menu.show_menu(context)


class LimitAction(CallbackData, prefix="batasusul"):
    """What to do with a draft the per-stage limit blocks: support a similar one, or keep it."""

    action: Literal["support", "keep"]


def person_limit(context: Context) -> int:
    """Return how many proposals the person may send per stage (a lurah: a village's worth)."""
    settings = context.settings
    if context.user.role == Role.LURAH:
        return settings.max_proposals_per_stage_lurah
    return settings.max_proposals_per_stage


async def limit_reached(context: Context, stage: Any) -> int | None:
    """Return the person's limit when they have reached it in this stage, else None."""
    limit = person_limit(context)
    submitted = await count_submitted(
        context.session,
        user_id=context.user.telegram_id,
        stage=stage,
        now=context.now,
        zone=context.settings.zone,
    )
    return limit if submitted >= limit else None


def say_limit_reached(context: Context, limit: int, *, blocked_draft: bool) -> None:
    """Say the limit is reached; a blocked draft can be kept or turned into support."""
    text = _(
        "You have already sent {limit} proposals in this stage, the most allowed per person. "
        "You can still support proposals of others: when you describe a need, I show the "
        "similar ones."
    ).format(limit=limit)
    if not blocked_draft:
        context.say(text)
        return
    rows = []
    if context.draft.similar_ids:
        rows.append([LimitAction(action="support").button(_("👍 Support a similar proposal"))])
    rows.append([LimitAction(action="keep").button(_("⏸ Keep my draft"))])
    context.say(text + "\n\n" + _("Your draft is kept."), Keyboard.inline_rows(rows))


async def on_limit_button(context: Context) -> None:
    """Go to the similar proposals to support one, or stop keeping the draft."""
    pressed = context.pressed(LimitAction)
    context.answer_callback()
    if pressed is not None and pressed.action == "support" and context.draft.similar_ids:
        context.update_draft(editing=True)
        await flow.goto(context, "program")
        return
    context.update_draft(resume_step=context.step, saved_at=context.now)
    context.edit(
        _("Your draft is kept for {days} days; type /usul to see it again.").format(
            days=context.settings.draft_keep_days
        )
    )
    context.go("idle")
    await menu.show_menu(context)


def _next_steps(context: Context, stage: Any) -> str:
    if stage is not None and stage.forum_at is not None:
        return _(
            "What happens next: the proposals of {stage} are discussed at the forum on "
            "{date}. Your lurah / kepala desa checks your proposal first; I will tell you "
            "about every change of its status."
        ).format(
            stage=escape(stage.name), date=format_datetime(stage.forum_at, context.settings.zone)
        )
    return _(
        "What happens next: your lurah / kepala desa checks the proposal, then it is "
        "discussed at the Musrenbang Desa and the Musrenbang Kecamatan. I will tell you "
        "about every change of its status."
    )


async def say_intake_closed(context: Context, upcoming: Any) -> None:
    """Say that intake is closed, when it opens again if the calendar says, and about the draft."""
    parts = [_("Proposals cannot be submitted right now: the intake period is closed.")]
    if upcoming is not None:
        parts.append(
            _("The next stage, {stage}, opens on {date}.").format(
                stage=escape(upcoming.name),
                date=format_datetime(upcoming.opens_at, context.settings.zone),
            )
        )
    else:
        parts.append(_("The Musrenbang calendar has no next intake period yet; see /jadwal."))
    if context.draft.has_answers():
        parts.append(_("What you have written is kept as a draft."))
    context.say(" ".join(parts))
