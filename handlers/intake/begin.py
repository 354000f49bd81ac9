"""/usul: start a proposal, or continue the unfinished draft."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from core.events import Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.common import fallback, menu
from handlers.common.cancel import IDLE
from handlers.context import escape
from handlers.intake import flow
from handlers.intake.submit import limit_reached, say_intake_closed, say_limit_reached
from models.enums import Role
from models.regions import get_region
from services.drafts import Draft
from services.intake_window import current_window

if TYPE_CHECKING:
    from handlers.context import Context


class DraftChoice(CallbackData, prefix="draf"):
    choice: Literal["continue", "new"]


async def begin(context: Context) -> None:
    """Start the intake, offering to continue a draft that is still fresh."""
    context.answer_callback()
    window = await current_window(context.session, context.now, context.user.region_code)
    if not window.is_open:
        await say_intake_closed(context, window.upcoming)
        return
    limit = await limit_reached(context, window.stage)
    if limit is not None:
        say_limit_reached(context, limit, blocked_draft=False)
        await menu.show_menu(context)
        return
    draft = context.draft
    if draft.expired(context.now, context.settings.draft_keep_days):
        draft = Draft()
        context.save_draft(draft)
    if draft.has_answers() and draft.resume_step:
        title = draft.title or _("(no title yet)")
        context.say(
            _(
                "You have an unfinished proposal: <b>{title}</b>. Continue it or start over?"
            ).format(title=escape(title)),
            Keyboard.inline_rows(
                [
                    [DraftChoice(choice="continue").button(_("▶️ Continue the draft"))],
                    [DraftChoice(choice="new").button(_("🆕 Start over"))],
                ]
            ),
        )
        return
    await start_new(context)


async def start_new(context: Context) -> None:
    """Start a new draft with what was sent at idle for it; a lurah's desa is filled in."""
    user = context.user
    old = context.draft
    kept = Draft(
        title=old.chat_title,
        title_from_chat=old.chat_title is not None,
        photo_file_ids=old.chat_photos,
    )
    if user.role == Role.LURAH and user.region_code:
        desa = await get_region(context.session, user.region_code)
        if desa is not None and desa.parent_code:
            context.save_draft(
                kept.model_copy(
                    update={"kecamatan_code": desa.parent_code, "desa_code": desa.code}
                )
            )
            context.say(_("New proposal for {desa}.").format(desa=escape(desa.name)))
            await flow.goto(context, "bidang")
            return
    context.save_draft(kept)
    context.say(_("Let's write your proposal. It takes about five minutes."))
    await flow.goto(context, "kecamatan")


async def on_draft_button(context: Context) -> None:
    """Continue the draft or discard it."""
    pressed = context.pressed(DraftChoice)
    choice = pressed.choice if pressed else None
    draft = context.draft
    resumable = draft.has_answers() and draft.resume_step
    if choice == "continue" and resumable:
        context.answer_callback()
        context.edit(_("Let's continue where you stopped."))
        context.update_draft(saved_at=None)
        step = flow.short_name(draft.resume_step or "") or "kecamatan"
        await flow.goto(context, step)
        return
    if choice == "new" or (choice == "continue" and not resumable):
        context.answer_callback()
        context.edit(_("Starting a new proposal."))
        await start_new(context)
        return
    await fallback.stale_button(context)


async def on_next_button(context: Context) -> None:
    """Start the lurah's next proposal; from an old message mid-proposal it is ignored."""
    if context.step != IDLE:
        await fallback.stale_button(context)
        return
    await begin(context)
