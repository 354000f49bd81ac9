"""Step: confirm the RPJMD program the proposal fits, or support a similar proposal instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from core.events import Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.common import menu
from handlers.context import escape
from handlers.intake import flow
from handlers.intake.inputs import ask_for_button
from handlers.router import Step
from models.enums import Role

if TYPE_CHECKING:
    from handlers.context import Context

SHOWN_PROGRAMS = 3


class ProgramChoice(CallbackData, prefix="prog"):
    """The number of the program shown (1 to 3), or 0 for "don't know / other"."""

    number: int = Field(ge=0, le=SHOWN_PROGRAMS)


class SupportChoice(CallbackData, prefix="dukung"):
    """Support an existing proposal instead of writing a new one."""

    proposal_id: int = Field(ge=1)


async def ask(context: Context) -> None:
    """Show the matching programs (with OPD) and similar proposals in the same desa."""
    draft = context.draft
    options = draft.get("match_options", [])
    similar = draft.get("similar", [])
    if similar:
        lines = [_("There are already similar proposals in your desa:")]
        rows = []
        for item in similar:
            lines.append(
                _("• <b>{code}</b>: {title} ({supporters} supporters, {status})").format(
                    code=item["tracking_code"],
                    title=escape(item["title"]),
                    supporters=item["supporters"],
                    status=escape(item["status_label"]),
                )
                + (" " + _("(your own proposal)") if item.get("own") else "")
            )
            if item.get("own"):
                continue
            label = _("👍 Support {code}").format(code=item["tracking_code"])
            rows.append([SupportChoice(proposal_id=item["id"]).button(label)])
        lines.append("")
        lines.append(
            _(
                "Supporting one of them makes it stronger than a second, separate proposal. "
                "Or continue with your own proposal below."
            )
            if rows
            else _("You already proposed this. Continue below only if this is a different need.")
        )
        context.say("\n".join(lines), Keyboard.inline_rows(rows) if rows else None)
    rows = []
    if options and draft.get("match_confident"):
        lines = [_("This proposal matches these RPJMD programs:")]
    elif options:
        lines = [
            _(
                "I could not find an RPJMD program that clearly fits. Your proposal is still "
                "recorded, and Bappeda will map it by hand. Closest programs:"
            )
        ]
    else:
        lines = [
            _(
                "I could not find an RPJMD program that fits. Your proposal is still recorded, "
                "and Bappeda will map it by hand."
            )
        ]
    if draft.get("match_note"):
        lines.append(f"<i>{escape(draft['match_note'])}</i>")
    for number, option in enumerate(options[:SHOWN_PROGRAMS], start=1):
        lines.append(f"{number}. <b>{escape(option['name'])}</b>\n    {escape(option['opd'])}")
        label = _("✅ Program {number}").format(number=number)
        rows.append([ProgramChoice(number=number).button(label)])
    lines.append("")
    lines.append(_("Choose the program that fits best, or press “Don't know / other”."))
    rows.append([ProgramChoice(number=0).button(_("🤷 Don't know / other"))])
    context.say("\n".join(lines), Keyboard.inline_rows(rows))


async def handle(context: Context) -> None:
    """Record the chosen program, or the support for an existing proposal."""
    support = context.pressed(SupportChoice)
    if support is not None:
        await _support(context, support.proposal_id)
        return
    options = context.draft.get("match_options", [])
    pressed = context.pressed(ProgramChoice)
    if pressed is None or pressed.number > len(options):
        await ask_for_button(context)
        return
    context.answer_callback()
    choice = pressed.number
    if choice:
        option = options[choice - 1]
        context.update_draft(
            program_code=option["code"],
            match_score=option["score"],
            match_confirmed=True,
            program_decided=True,
        )
        context.edit(_("Program: {name}").format(name=escape(option["name"])))
    else:
        best = options[0] if options and context.draft.get("match_confident") else None
        context.update_draft(
            program_code=best["code"] if best else None,
            match_score=best["score"] if best else None,
            match_confirmed=False,
            program_decided=True,
        )
        context.edit(_("Program: not sure yet; Bappeda will check it."))
    await flow.advance(context, "program")


async def _support(context: Context, proposal_id: int) -> None:
    allowed = {
        item["id"]: item for item in context.draft.get("similar", []) if not item.get("own")
    }
    item = allowed.get(proposal_id)
    if item is None:
        await ask_for_button(context)
        return
    added = await context.services.support_proposal(
        context.session, proposal_id=item["id"], user_id=context.user.telegram_id, now=context.now
    )
    context.answer_callback()
    if added:
        text = _(
            "Thank you! Your support for <b>{code}</b> ({title}) is recorded. Follow it with "
            "/status {code}."
        )
    else:
        text = _("You already support <b>{code}</b> ({title}). Follow it with /status {code}.")
    context.edit(text.format(code=item["tracking_code"], title=escape(item["title"])))
    keep = {
        key: context.draft[key] for key in ("kecamatan_code", "desa_code") if key in context.draft
    }
    context.replace_draft(keep if context.user.role == Role.LURAH else {})
    context.go("idle")
    await menu.show_menu(context)


STEP = Step(flow.step_name("program"), ask, handle, frozenset({ProgramChoice, SupportChoice}))
