"""Opening a proposal card and acting on it: verify, return, reject, merge, forward, results.

Every press is checked again with services.access against the person as stored now, so
hand-made button data and buttons left on the screen after a role was taken away change
nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from core.events import Button, EventKind, Keyboard, SendPhoto
from core.i18n import _
from handlers.common.fallback import stale_button
from handlers.context import escape
from handlers.review import keys
from handlers.review.card import short_title, show_card
from handlers.router import Step
from models.proposals import Proposal
from models.review import list_region_proposals
from services.access import BAPPEDA_ACTIONS, TARGET_STATUS, Action, may, role_of
from services.lifecycle import StatusChangeError, change_status, status_label
from services.review import ReviewError, merge_duplicate, order_merge_targets

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router

logger = logging.getLogger(__name__)

NOTE_STEP = "review.note"
NOTE_KEY = "review_note"
IDLE = "idle"
NOTE_MIN = 3
NOTE_MAX = 500
MERGE_PAGE = 6
#: Actions that need a note first; for ACCEPT the note may be skipped.
NOTED = frozenset({Action.RETURN, Action.REJECT, Action.DECLINE, Action.ACCEPT})
#: Actions done at once from the card.
IMMEDIATE = frozenset({Action.VERIFY, Action.TAKE_UP, Action.FORWARD})


async def refuse(context: Context) -> None:
    """Say that this button or command is not (or no longer) for this person."""
    context.answer_callback(_("This is not available to you."))
    context.say(
        _(
            "You cannot do this: it is for the officials of that place, or your role has "
            "changed. Type /menu to see what you can do."
        )
    )


async def load(context: Context, proposal_id: int) -> Proposal | None:
    """Return the proposal an id in button data points to."""
    return await context.session.get(Proposal, proposal_id)


def admins(context: Context) -> list[int]:
    """Return the Bappeda admin ids from the settings."""
    return context.settings.bappeda_admin_ids


async def _viewable(
    context: Context, kind: type[keys.OpenCard] | type[keys.ShowPhotos]
) -> Proposal | None:
    """Return the proposal a card button points to if the person may see it in full.

    Otherwise answer the press (stale button, or not for this person) and return None.
    """
    pressed = context.pressed(kind)
    if pressed is None:
        await stale_button(context)
        return None
    proposal = await load(context, pressed.proposal)
    if proposal is None or not may(
        context.user, Action.VIEW_FULL, proposal, admin_ids=admins(context)
    ):
        await refuse(context)
        return None
    return proposal


async def on_open(context: Context) -> None:
    """Open the card of the proposal whose button was pressed."""
    proposal = await _viewable(context, keys.OpenCard)
    if proposal is None:
        return
    context.answer_callback()
    await show_card(context, proposal)


async def on_photos(context: Context) -> None:
    """Send the proposal's photos."""
    proposal = await _viewable(context, keys.ShowPhotos)
    if proposal is None:
        return
    context.answer_callback()
    for number, file_id in enumerate(proposal.photo_file_ids, start=1):
        context.replies.append(
            SendPhoto(
                context.chat_id,
                file_id=file_id,
                caption=f"{proposal.tracking_code} ({number}/{len(proposal.photo_file_ids)})",
            )
        )


async def on_action(context: Context) -> None:
    """Carry out, or start, the action a card button names."""
    pressed = context.pressed(keys.CardAction)
    if pressed is None:
        await stale_button(context)
        return
    action = pressed.action
    proposal = await load(context, pressed.proposal)
    if proposal is None:
        await refuse(context)
        return
    if not may(context.user, action, proposal, admin_ids=admins(context)):
        done = action in TARGET_STATUS and proposal.status == TARGET_STATUS[action]
        if done and may(context.user, Action.VIEW_FULL, proposal, admin_ids=admins(context)):
            context.answer_callback(_("Already done."))
            await show_card(context, proposal)
            return
        await refuse(context)
        return
    context.answer_callback()
    if action in IMMEDIATE:
        await move(context, proposal, action, note="")
    elif action is Action.MERGE:
        await show_merge_targets(context, proposal, page=0)
    elif action in NOTED:
        earlier = context.screen(NOTE_KEY).get("back", IDLE)
        back_to = earlier if context.step == NOTE_STEP else context.step
        context.set_screen(
            NOTE_KEY, {"action": keys.ACTION_CODES[action], "id": proposal.id, "back": back_to}
        )
        context.go(NOTE_STEP)
        await ask_note(context)


async def move(context: Context, proposal: Proposal, action: Action, *, note: str) -> bool:
    """Move the proposal for `action` and show its card again; return whether it moved."""
    role = role_of(context.user, admins(context))
    try:
        await change_status(
            context.session,
            proposal,
            TARGET_STATUS[action],
            by=context.user.telegram_id,
            by_role=role,
            note=note,
            now=context.now,
            correction=action in BAPPEDA_ACTIONS,
        )
    except StatusChangeError:
        logger.info("Refused %s on proposal %s", action, proposal.id)
        await show_card(
            context, proposal, notice=_("This proposal cannot make that move now."), edit=False
        )
        return False
    notice = _(
        "Done: {code} is now “{status}”. The proposer and its supporters will be told."
    ).format(code=proposal.tracking_code, status=status_label(proposal.status))
    await show_card(
        context, proposal, notice=notice, edit=context.event.kind is EventKind.CALLBACK
    )
    return True


def _note_question(action: Action, code: str) -> str:
    if action is Action.RETURN:
        return _(
            "What should the proposer fix in {code}? Write a short note. They get it with a "
            "button to edit and send the proposal again."
        ).format(code=code)
    if action is Action.REJECT:
        return _(
            "Why is {code} rejected? Write the reason; the proposer and the supporters receive it."
        ).format(code=code)
    if action is Action.DECLINE:
        return _(
            "Why is {code} not accommodated? Write the reason; the proposer and the "
            "supporters receive it."
        ).format(code=code)
    return _(
        "{code} is accommodated. Add a note for the proposer (for example the program or "
        "the year), or press “Without a note”."
    ).format(code=code)


async def ask_note(context: Context) -> None:
    """Ask for the note or reason of the pending action."""
    pending = context.screen(NOTE_KEY)
    action = keys.ACTION_OF_CODE.get(pending.get("action", ""))
    proposal = await context.session.get(Proposal, pending.get("id") or 0)
    if action is None or proposal is None:
        await _leave_note_step(context, pending)
        return
    rows = []
    if action is Action.ACCEPT:
        rows.append([keys.NoteChoice(choice="skip").button(_("➡️ Without a note"))])
    rows.append([keys.NoteChoice(choice="cancel").button(_("✖ Cancel"))])
    context.say(_note_question(action, proposal.tracking_code), Keyboard.inline_rows(rows))


async def handle_note(context: Context) -> None:
    """Take the note (or the skip / cancel button) and carry out the action."""
    pending = context.screen(NOTE_KEY)
    action = keys.ACTION_OF_CODE.get(pending.get("action", ""))
    event = context.event
    if event.kind is EventKind.CALLBACK:
        pressed = context.pressed(keys.NoteChoice)
        stale = pressed is None
        context.answer_callback(_("This button is no longer active.") if stale else None)
        choice = None if pressed is None else pressed.choice
        if choice == "cancel" or action is None:
            context.edit(_("Cancelled; nothing was changed."))
            await _leave_note_step(context, pending)
            return
        if choice == "skip" and action is Action.ACCEPT:
            await _finish_note(context, pending, action, note="")
            return
        await ask_note(context)
        return
    if event.kind is not EventKind.TEXT:
        context.say(_("Please type the note as text."))
        await ask_note(context)
        return
    note = " ".join(event.text.split())
    if len(note) < NOTE_MIN or len(note) > NOTE_MAX:
        context.say(
            _("Please write between {low} and {high} characters.").format(
                low=NOTE_MIN, high=NOTE_MAX
            )
        )
        await ask_note(context)
        return
    if action is None:
        await _leave_note_step(context, pending)
        return
    await _finish_note(context, pending, action, note=note)


async def _finish_note(context: Context, pending: dict, action: Action, *, note: str) -> None:
    proposal = await context.session.get(Proposal, pending.get("id") or 0)
    await _leave_note_step(context, pending, ask_again=False)
    if proposal is None or not may(context.user, action, proposal, admin_ids=admins(context)):
        await refuse(context)
    else:
        await move(context, proposal, action, note=note)
    if context.step != IDLE:
        await context.ask_current_step()


async def _leave_note_step(context: Context, pending: dict, *, ask_again: bool = True) -> None:
    """Forget the pending note and go back to where the person was."""
    context.leave_screen(NOTE_KEY)
    context.go(pending.get("back") or IDLE)
    if ask_again and context.step != IDLE:
        await context.ask_current_step()


async def show_merge_targets(context: Context, duplicate: Proposal, *, page: int) -> None:
    """List the proposals of the same desa the duplicate may join, most similar first."""
    candidates = order_merge_targets(
        duplicate, await list_region_proposals(context.session, desa_code=duplicate.desa_code)
    )
    if not candidates:
        context.edit(
            _("There is no other open proposal in this desa to merge {code} into.").format(
                code=duplicate.tracking_code
            ),
            Keyboard.inline_rows([[_back_to_card(duplicate)]]),
        )
        return
    pages = -(-len(candidates) // MERGE_PAGE)
    page = min(max(page, 0), pages - 1)
    shown = candidates[page * MERGE_PAGE : (page + 1) * MERGE_PAGE]
    duplicate_id = duplicate.id or 0
    rows = [
        [
            keys.MergeAsk(duplicate=duplicate_id, target=item.id or 0).button(
                f"{item.tracking_code} · {short_title(item)}"
            )
        ]
        for item in shown
    ]
    navigation = []
    if page > 0:
        previous = keys.MergeTargets(duplicate=duplicate_id, page=page - 1)
        navigation.append(previous.button(_("◀️ Previous")))
    if page < pages - 1:
        following = keys.MergeTargets(duplicate=duplicate_id, page=page + 1)
        navigation.append(following.button(_("Next ▶️")))
    if navigation:
        rows.append(navigation)
    rows.append([_back_to_card(duplicate)])
    context.edit(
        _(
            "<b>{code}</b>: {title}\n\nWhich proposal of the desa does it repeat? The most "
            "similar come first."
        ).format(code=duplicate.tracking_code, title=escape(duplicate.title)),
        Keyboard.inline_rows(rows),
    )


def _back_to_card(proposal: Proposal) -> Button:
    return keys.OpenCard(proposal=proposal.id or 0).button(_("🔙 Back"))


async def _merge_pair(
    context: Context, kind: type[keys.MergeAsk | keys.MergeDo]
) -> tuple[Proposal, Proposal] | None:
    """Return the duplicate and target a merge button names, when the person may merge them."""
    pressed = context.pressed(kind)
    if pressed is None:
        return None
    duplicate = await load(context, pressed.duplicate)
    target = await load(context, pressed.target)
    if duplicate is None or target is None or duplicate.id == target.id:
        return None
    if not may(context.user, Action.MERGE, duplicate, admin_ids=admins(context)):
        return None
    if not may(context.user, Action.VIEW_FULL, target, admin_ids=admins(context)):
        return None
    if target.desa_code != duplicate.desa_code:
        return None
    return duplicate, target


async def on_merge_list(context: Context) -> None:
    """Turn a page of merge candidates."""
    pressed = context.pressed(keys.MergeTargets)
    if pressed is None:
        await stale_button(context)
        return
    duplicate = await load(context, pressed.duplicate)
    if duplicate is None or not may(
        context.user, Action.MERGE, duplicate, admin_ids=admins(context)
    ):
        await refuse(context)
        return
    context.answer_callback()
    await show_merge_targets(context, duplicate, page=pressed.page)


async def on_merge_ask(context: Context) -> None:
    """Ask to confirm merging one proposal into another."""
    pair = await _merge_pair(context, keys.MergeAsk)
    if pair is None:
        await refuse(context)
        return
    duplicate, target = pair
    context.answer_callback()
    context.edit(
        _(
            "Merge <b>{duplicate}</b> ({duplicate_title}) into <b>{target}</b> "
            "({target_title})?\n\nIts proposer and supporters are told which proposal it "
            "joined, and their support moves there."
        ).format(
            duplicate=duplicate.tracking_code,
            duplicate_title=escape(duplicate.title),
            target=target.tracking_code,
            target_title=escape(target.title),
        ),
        Keyboard.inline_rows(
            [
                [
                    keys.MergeDo(duplicate=duplicate.id or 0, target=target.id or 0).button(
                        _("🔗 Yes, merge")
                    )
                ],
                [keys.OpenCard(proposal=duplicate.id or 0).button(_("↩️ No, go back"))],
            ]
        ),
    )


async def on_merge_do(context: Context) -> None:
    """Merge the duplicate into the chosen proposal and show the latter."""
    pair = await _merge_pair(context, keys.MergeDo)
    if pair is None:
        await refuse(context)
        return
    duplicate, target = pair
    context.answer_callback()
    try:
        moved = await merge_duplicate(
            context.session,
            duplicate,
            target,
            by=context.user.telegram_id,
            by_role=role_of(context.user, admins(context)),
            now=context.now,
        )
    except (ReviewError, StatusChangeError):
        logger.info("Refused merging %s into %s", duplicate.id, target.id)
        await show_card(context, duplicate, notice=_("These two proposals cannot be merged."))
        return
    notice = _("Done: {duplicate} is merged into {target}; {count} supporters moved over.").format(
        duplicate=duplicate.tracking_code, target=target.tracking_code, count=moved
    )
    await show_card(context, target, notice=notice)


def register(router: Router) -> None:
    """Add the card, its action buttons, the merge buttons and the note step."""
    router.add_callback(keys.OpenCard, on_open)
    router.add_callback(keys.ShowPhotos, on_photos)
    router.add_callback(keys.CardAction, on_action)
    router.add_callback(keys.MergeTargets, on_merge_list)
    router.add_callback(keys.MergeAsk, on_merge_ask)
    router.add_callback(keys.MergeDo, on_merge_do)
    router.add_step(
        Step(NOTE_STEP, ask=ask_note, handle=handle_note, buttons=frozenset({keys.NoteChoice}))
    )
