"""Step: the whole proposal at a glance, an edit button per field, then send."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from core.events import Keyboard
from core.i18n import N_, _
from handlers.callbacks import CallbackData, in_rows
from handlers.context import escape
from handlers.intake import flow, submit
from handlers.intake.bidang import BIDANG
from handlers.intake.inputs import ask_for_button
from handlers.intake.urgency import URGENCY
from handlers.router import Step
from models.enums import Role
from models.regions import get_region

if TYPE_CHECKING:
    from handlers.context import Context


class PreviewAction(CallbackData, prefix="prev"):
    """Send the proposal, open the editor, or show the preview again."""

    action: Literal["send", "edit", "show"]


class EditField(CallbackData, prefix="ubah"):
    """Change one field: the intake step that asks it."""

    step: str = Field(pattern=r"^[a-z_]{1,30}$")


EDITABLE = {
    "kecamatan": N_("Desa / kelurahan"),
    "bidang": N_("Field"),
    "title": N_("Proposal"),
    "problem": N_("Problem"),
    "location": N_("Location"),
    "volume": N_("Volume"),
    "beneficiaries": N_("Beneficiaries"),
    "urgency": N_("Urgency"),
    "photos": N_("Photos"),
}


def quantity_text(value: dict | None) -> str:
    """Return a stored quantity as the person wrote it, or 'not known'."""
    if not value or value.get("unknown"):
        return _("not known")
    return escape(value.get("display") or value.get("text") or "")


async def preview_text(context: Context) -> str:
    """Return the proposal as the person will see it before sending."""
    draft = context.draft
    desa = await get_region(context.session, draft.get("desa_code", ""))
    kecamatan = await get_region(context.session, draft.get("kecamatan_code", ""))
    program = next(
        (
            option
            for option in draft.get("match_options", [])
            if option["code"] == draft.get("program_code")
        ),
        None,
    )
    location = [escape(draft.get("location_detail", ""))] if draft.get("location_detail") else []
    if draft.get("latitude") is not None:
        location.append(_("📍 point on the map"))
    lines = [
        _("<b>Check your proposal</b>"),
        "",
        _("<b>Desa / kelurahan:</b> {desa}, Kecamatan {kecamatan}").format(
            desa=escape(desa.name if desa else "-"),
            kecamatan=escape(kecamatan.name if kecamatan else "-"),
        ),
        _("<b>Field:</b> {bidang}").format(bidang=BIDANG.label(draft.get("bidang", ""))),
        _("<b>Proposal:</b> {title}").format(title=escape(draft.get("title", ""))),
        _("<b>RPJMD program:</b> {program}").format(
            program=escape(f"{program['name']} ({program['opd']})")
            if program
            else _("not sure yet; Bappeda will check it")
        ),
        _("<b>Problem:</b> {problem}").format(problem=escape(draft.get("problem", ""))),
        _("<b>Location:</b> {location}").format(location=", ".join(location) or "-"),
        _("<b>Volume:</b> {volume}").format(volume=quantity_text(draft.get("volume"))),
        _("<b>Beneficiaries:</b> {beneficiaries}").format(
            beneficiaries=quantity_text(draft.get("beneficiaries"))
        ),
        _("<b>Urgency:</b> {urgency}").format(urgency=URGENCY.label(draft.get("urgency", ""))),
        _("<b>Photos:</b> {count}").format(count=len(draft.get("photo_file_ids", []))),
    ]
    return "\n".join(lines)


def _preview_keyboard() -> Keyboard:
    return Keyboard.inline_rows(
        [
            [PreviewAction(action="send").button(_("✅ Send proposal"))],
            [PreviewAction(action="edit").button(_("✏️ Change something"))],
        ]
    )


def _edit_keyboard() -> Keyboard:
    buttons = [EditField(step=step).button(_(label)) for step, label in EDITABLE.items()]
    rows = in_rows(buttons)
    rows.append([PreviewAction(action="show").button(_("↩️ Back to the preview"))])
    return Keyboard.inline_rows(rows)


async def ask(context: Context) -> None:
    """Show the preview with its buttons."""
    missing = submit.first_missing_step(context.draft)
    if missing is not None:
        await flow.goto(context, missing)
        return
    context.say(await preview_text(context), _preview_keyboard())


async def handle(context: Context) -> None:
    """Send the proposal, or open the editor of one field."""
    edit = context.pressed(EditField)
    if edit is not None and edit.step in EDITABLE:
        context.answer_callback()
        if edit.step == "kecamatan" and context.user.role == Role.LURAH:
            context.say(_("As lurah you submit for your own desa; it cannot be changed here."))
            await ask(context)
            return
        context.update_draft(**{flow.EDITING_KEY: True})
        await flow.goto(context, edit.step)
        return
    pressed = context.pressed(PreviewAction)
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


STEP = Step(flow.step_name("preview"), ask, handle, frozenset({PreviewAction, EditField}))
