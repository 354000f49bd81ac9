"""Edit and resend a returned proposal: from the notification's button back to the preview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import Button, Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData, RecordId
from handlers.common import menu
from handlers.common.fallback import stale_button
from handlers.context import escape
from handlers.intake import flow
from handlers.review.actions import refuse
from models.enums import Status
from models.proposals import Proposal, status_history
from services.access import Action, may
from services.drafts import Draft
from services.lifecycle import StatusChangeError, status_label
from services.resubmission import draft_from_proposal, send_again

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router


class Resubmit(CallbackData, prefix="ulang"):
    """Fix a returned proposal and send it again."""

    proposal: RecordId


class ReplaceDraft(CallbackData, prefix="ulangganti"):
    """Fix a returned proposal, replacing the unfinished draft."""

    proposal: RecordId


class KeepDraft(CallbackData, prefix="ulangtetap"):
    """Keep the unfinished draft instead."""


def resubmit_button(proposal_id: int) -> Button:
    """Return the "edit and resend" button of a returned proposal's notification."""
    return Resubmit(proposal=proposal_id).button(_("✏️ Fix and send again"))


async def on_keep_button(context: Context) -> None:
    """Keep the unfinished draft."""
    context.answer_callback()
    context.edit(_("All right, your unfinished proposal is kept."))


async def on_resubmit_button(context: Context) -> None:
    """Load the returned proposal into the draft and show its preview."""
    await _resubmit(context, context.pressed(Resubmit), replace=False)


async def on_replace_button(context: Context) -> None:
    """Load the returned proposal into the draft in place of the unfinished one."""
    await _resubmit(context, context.pressed(ReplaceDraft), replace=True)


async def _resubmit(
    context: Context, pressed: Resubmit | ReplaceDraft | None, *, replace: bool
) -> None:
    if pressed is None:
        await stale_button(context)
        return
    proposal = await context.session.get(Proposal, pressed.proposal)
    admin_ids = context.settings.bappeda_admin_ids
    if proposal is None or not may(context.user, Action.RESUBMIT, proposal, admin_ids=admin_ids):
        if proposal is not None and proposal.proposer_id == context.user.telegram_id:
            context.answer_callback()
            context.say(
                _("{code} is “{status}” now, so it cannot be sent again.").format(
                    code=proposal.tracking_code, status=status_label(proposal.status)
                )
            )
            return
        await refuse(context)
        return
    context.answer_callback()
    draft = context.draft
    other_draft = draft.has_answers() and draft.resubmit_of != proposal.id
    if other_draft and not replace:
        context.say(
            _(
                "You have an unfinished proposal: <b>{title}</b>. Fixing {code} replaces that "
                "draft. Continue?"
            ).format(title=escape(draft.title or "-"), code=proposal.tracking_code),
            Keyboard.inline_rows(
                [
                    [
                        ReplaceDraft(proposal=pressed.proposal).button(
                            _("✏️ Yes, fix {code}").format(code=proposal.tracking_code)
                        )
                    ],
                    [KeepDraft().button(_("↩️ No, keep my draft"))],
                ]
            ),
        )
        return
    notes = [
        change.note
        for change in await status_history(context.session, proposal.id or 0)
        if change.to_status == Status.DIKEMBALIKAN and change.note
    ]
    lead = _("Here is {code} again.").format(code=proposal.tracking_code)
    if notes:
        lead += " " + _("What to fix: <i>{note}</i>").format(note=escape(notes[-1]))
    context.say(lead + "\n" + _("Press “Change something” to fix it, then send it again."))
    context.save_draft(draft_from_proposal(proposal))
    await flow.goto(context, "preview")


async def send_returned_again(context: Context) -> None:
    """Send the fixed proposal again (called by the intake's send button)."""
    draft = context.draft
    proposal = await context.session.get(Proposal, draft.resubmit_of or 0)
    admin_ids = context.settings.bappeda_admin_ids
    if proposal is None or not may(context.user, Action.RESUBMIT, proposal, admin_ids=admin_ids):
        context.save_draft(Draft())
        context.go("idle")
        context.say(_("This proposal can no longer be sent again; nothing was changed."))
        await menu.show_menu(context)
        return
    try:
        await send_again(context.session, proposal, draft, user=context.user, now=context.now)
    except StatusChangeError:
        context.say(_("This proposal can no longer be sent again; nothing was changed."))
        return
    context.save_draft(Draft())
    context.go("idle")
    context.edit(
        _(
            "✅ <b>{code} was sent again.</b> It is checked once more; I will tell you about "
            "every change of its status."
        ).format(code=proposal.tracking_code)
    )
    await menu.show_menu(context)


def register(router: Router) -> None:
    """Add the "fix and send again" button."""
    router.add_callback(Resubmit, on_resubmit_button)
    router.add_callback(ReplaceDraft, on_replace_button)
    router.add_callback(KeepDraft, on_keep_button)
