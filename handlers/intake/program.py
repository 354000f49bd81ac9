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
from services.drafts import Draft
from services.lifecycle import status_label
from services.matching.authority import load_rules
from services.support import SimilarProposal, describe_similar, support_proposal

if TYPE_CHECKING:
    from handlers.context import Context

SHOWN_PROGRAMS = 3


class ProgramChoice(CallbackData, prefix="prog"):
    """The number of the program shown (1 to 3), or 0 for "don't know / other"."""

    number: int = Field(ge=0, le=SHOWN_PROGRAMS)


class SupportChoice(CallbackData, prefix="dukung"):
    proposal_id: int = Field(ge=1)


async def ask(context: Context) -> None:
    """Show the matching programs (with OPD) and similar proposals in the same desa."""
    draft = context.draft
    similar = await describe_similar(
        context.session, draft.similar_ids, user_id=context.user.telegram_id
    )
    if similar:
        _show_similar(context, similar)
    options = draft.match_options
    if options and draft.match_confident:
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
    rule = load_rules().get(draft.match_rule or "")
    if rule is not None:
        lines.append(f"<i>{escape(rule.reason)}</i>")
    rows = []
    for number, option in enumerate(options[:SHOWN_PROGRAMS], start=1):
        lines.append(f"{number}. <b>{escape(option.name)}</b>\n    {escape(option.opd)}")
        label = _("✅ Program {number}").format(number=number)
        rows.append([ProgramChoice(number=number).button(label)])
    lines.append("")
    lines.append(_("Choose the program that fits best, or press “Don't know / other”."))
    rows.append([ProgramChoice(number=0).button(_("🤷 Don't know / other"))])
    context.say("\n".join(lines), Keyboard.inline_rows(rows))


def _show_similar(context: Context, similar: list[SimilarProposal]) -> None:
    """List the similar proposals, with a support button for each that is not the person's."""
    lines = [_("There are already similar proposals in your desa:")]
    rows = []
    for item in similar:
        lines.append(
            _("• <b>{code}</b>: {title} ({supporters} supporters, {status})").format(
                code=item.tracking_code,
                title=escape(item.title),
                supporters=item.supporters,
                status=status_label(item.status),
            )
            + (" " + _("(your own proposal)") if item.own else "")
        )
        if not item.own:
            label = _("👍 Support {code}").format(code=item.tracking_code)
            rows.append([SupportChoice(proposal_id=item.id).button(label)])
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


async def handle(context: Context) -> None:
    """Record the chosen program, or the support for an existing proposal."""
    support = context.pressed(SupportChoice)
    if support is not None:
        await _support(context, support.proposal_id)
        return
    draft = context.draft
    options = draft.match_options
    pressed = context.pressed(ProgramChoice)
    if pressed is None or pressed.number > len(options):
        await ask_for_button(context)
        return
    context.answer_callback()
    if pressed.number:
        chosen = options[pressed.number - 1]
        context.edit(_("Program: {name}").format(name=escape(chosen.name)))
    else:
        chosen = options[0] if options and draft.match_confident else None
        context.edit(_("Program: not sure yet; Bappeda will check it."))
    context.update_draft(
        program_code=chosen.code if chosen else None,
        match_score=chosen.score if chosen else None,
        match_confirmed=bool(pressed.number),
        program_decided=True,
    )
    await flow.advance(context, "program")


async def _support(context: Context, proposal_id: int) -> None:
    draft = context.draft
    similar = await describe_similar(
        context.session, draft.similar_ids, user_id=context.user.telegram_id
    )
    item = next((item for item in similar if item.id == proposal_id and not item.own), None)
    if item is None:
        await ask_for_button(context)
        return
    added = await support_proposal(
        context.session, proposal_id=item.id, user_id=context.user.telegram_id, now=context.now
    )
    context.answer_callback()
    if added:
        text = _(
            "Thank you! Your support for <b>{code}</b> ({title}) is recorded. Follow it with "
            "/status {code}."
        )
    else:
        text = _("You already support <b>{code}</b> ({title}). Follow it with /status {code}.")
    context.edit(text.format(code=item.tracking_code, title=escape(item.title)))
    context.save_draft(Draft())
    context.go("idle")
    await menu.show_menu(context)


async def summary(_context: Context, draft: Draft) -> str:
    """Return the preview line of the chosen program."""
    program = next((o for o in draft.match_options if o.code == draft.program_code), None)
    return _("<b>RPJMD program:</b> {program}").format(
        program=escape(f"{program.name} ({program.opd})")
        if program
        else _("not sure yet; Bappeda will check it")
    )


STEP = Step(flow.step_name("program"), ask, handle, frozenset({ProgramChoice, SupportChoice}))
