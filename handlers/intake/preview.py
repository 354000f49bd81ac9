"""Step: the whole proposal at a glance, an edit button per field, then send."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from core.events import EventKind, Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData, in_rows
from handlers.context import escape
from handlers.intake import flow, spec, submit
from handlers.intake.choice import fold_label
from handlers.intake.inputs import ask_for_button
from handlers.intake.photos import MAX_PHOTOS
from handlers.router import Step
from models.enums import Role

if TYPE_CHECKING:
    from handlers.context import Context


class PreviewAction(CallbackData, prefix="prev"):
    action: Literal["send", "edit", "show"]


class BetterProgram(CallbackData, prefix="progbaru"):
    """One of the programs that fit better once the problem was known (1 to 3)."""

    number: int = Field(ge=1, le=3)


class EditField(CallbackData, prefix="ubah"):
    step: str = Field(pattern=r"^[a-z_]{1,30}$")


async def preview_text(context: Context) -> str:
    """Return the proposal as the person will see it before sending."""
    draft = context.draft
    lines = [_("<b>Check your proposal</b>"), ""]
    for field in spec.FIELDS:
        if field.summary is not None:
            lines.append(await field.summary(context, draft))
    return "\n".join(lines)


def _preview_keyboard() -> Keyboard:
    return Keyboard.inline_rows(
        [
            [PreviewAction(action="send").button(_("✅ Send proposal"))],
            [PreviewAction(action="edit").button(_("✏️ Change something"))],
        ]
    )


def _edit_keyboard() -> Keyboard:
    buttons = [EditField(step=step).button(_(label)) for step, label in spec.editable().items()]
    rows = in_rows(buttons)
    rows.append([PreviewAction(action="show").button(_("↩️ Back to the preview"))])
    return Keyboard.inline_rows(rows)


# Typed words that mean a preview button ("kirim", "ubah").
_TYPED_ACTIONS = {
    "kirim": "send",
    "kirim usulan": "send",
    "ya kirim": "send",
    "kirimkan": "send",
    "ubah": "edit",
    "ubah isian": "edit",
    "edit": "edit",
}


def _typed_action(context: Context) -> PreviewAction | None:
    """Return the preview button whose words were typed, if any."""
    event = context.event
    if event.kind is not EventKind.TEXT:
        return None
    typed = fold_label(event.text)
    action = _TYPED_ACTIONS.get(typed)
    if action is None and typed in {fold_label(_("✅ Send proposal"))}:
        action = "send"
    return PreviewAction(action=action) if action else None  # type: ignore[arg-type]


async def ask(context: Context) -> None:
    """Show the preview with its buttons."""
    missing = spec.first_missing(context.draft)
    if missing is not None:
        await flow.goto(context, missing)
        return
    context.say(await preview_text(context), _preview_keyboard())
    _offer_better(context)


def _offer_better(context: Context) -> None:
    """Offer the programs that fit better given the problem, unless a program was confirmed."""
    draft = context.draft
    if not draft.better_options or draft.match_confirmed:
        return
    lines = [_("With the problem you described, these programs may fit better:")]
    rows = []
    for number, option in enumerate(draft.better_options[:3], start=1):
        lines.append(f"{number}. <b>{escape(option.name)}</b>\n    {escape(option.opd)}")
        label = _("✅ Program {number}").format(number=number)
        rows.append([BetterProgram(number=number).button(label)])
    lines.append(_("Choose one, or send the proposal as it is."))
    context.say("\n".join(lines), Keyboard.inline_rows(rows))


async def _take_better(context: Context, number: int) -> None:
    draft = context.draft
    if number > len(draft.better_options) or draft.match_confirmed:
        await ask_for_button(context)
        return
    context.answer_callback()
    chosen = draft.better_options[number - 1]
    context.edit(_("Program: {name}").format(name=escape(chosen.name)))
    context.update_draft(
        match_options=draft.better_options,
        better_options=[],
        program_code=chosen.code,
        match_score=chosen.score,
        match_confirmed=True,
        program_decided=True,
    )
    await ask(context)


async def handle(context: Context) -> None:
    """Send the proposal, or open the editor of one field."""
    if context.event.kind is EventKind.PHOTO and len(context.draft.photo_file_ids) >= MAX_PHOTOS:
        context.say(
            _("At most {limit} photos fit in a proposal; I kept the first {limit}.").format(
                limit=MAX_PHOTOS
            )
        )
        return
    if (better := context.pressed(BetterProgram)) is not None:
        await _take_better(context, better.number)
        return
    if context.pressed(submit.LimitAction) is not None:
        await submit.on_limit_button(context)
        return
    edit = context.pressed(EditField)
    if edit is not None and edit.step in spec.editable():
        context.answer_callback()
        if edit.step == "kecamatan" and context.user.role == Role.LURAH:
            context.say(_("As lurah you submit for your own desa; it cannot be changed here."))
            await ask(context)
            return
        context.update_draft(editing=True)
        await flow.goto(context, edit.step)
        return
    pressed = context.pressed(PreviewAction) or _typed_action(context)
    if pressed is None:
        await ask_for_button(context)
        return
    context.answer_callback()
    if pressed.action == "send":
        await submit.submit(context)
    elif pressed.action == "edit":
        context.edit(
            await preview_text(context) + "\n\n" + _("Which part do you want to change?"),
            _edit_keyboard(),
        )
    else:
        await ask(context)


STEP = Step(
    flow.step_name(flow.PREVIEW),
    ask,
    handle,
    frozenset({PreviewAction, EditField, BetterProgram, submit.LimitAction}),
)
