"""Step: confirm the RPJMD program the proposal fits, or support a similar proposal as well.

When the matcher says the text is not a kabupaten proposal (a complaint, a question, a personal
request, a campaign message, an advert, another level of government), the step says plainly
what it is and where it goes instead, and lets the person rewrite it or stop: such a text is
never sent on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from core.events import Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.common import menu
from handlers.context import escape
from handlers.intake import flow
from handlers.intake.bidang import BIDANG
from handlers.intake.inputs import ask_for_button
from handlers.intake.verdicts import where_it_goes
from handlers.router import Step
from handlers.tracking.my_proposals import WithdrawSupport
from services.lifecycle import status_label
from services.matching.authority import Verdict
from services.reports.statuses import BIDANG_LABELS
from services.support import SimilarProposal, describe_similar, support_proposal

if TYPE_CHECKING:
    from handlers.context import Context
    from services.drafts import Draft

SHOWN_PROGRAMS = 3


class ProgramChoice(CallbackData, prefix="prog"):
    """The number of the program shown (1 to 3), or 0 for "don't know / other"."""

    number: int = Field(ge=0, le=SHOWN_PROGRAMS)


class SupportChoice(CallbackData, prefix="dukung"):
    """Support a similar proposal: asks first."""

    proposal_id: int = Field(ge=1)


class SupportConfirm(CallbackData, prefix="dukungya"):
    """The answer to "support this proposal?"."""

    proposal_id: int = Field(ge=1)
    confirmed: bool


class ProgramAction(CallbackData, prefix="progact"):
    """Rewrite the proposal text, stop, or take the bidang the programs belong to."""

    action: Literal["rewrite", "stop", "bidang"]


def verdict_of(draft: Draft) -> Verdict | None:
    """Return the stored verdict of the draft's text, if it is not a proposal."""
    if not draft.verdict_kind or not draft.match_rule:
        return None
    return Verdict.from_dict(
        {"kind": draft.verdict_kind, "rule": draft.match_rule, "accuses_head": draft.accuses_head}
    )


async def ask(context: Context) -> None:
    """Show the matching programs (with OPD) and similar proposals in the same desa."""
    draft = context.draft
    verdict = verdict_of(draft)
    if verdict is not None:
        _show_verdict(context, verdict)
        return
    similar = await describe_similar(
        context.session, draft.similar_ids, user_id=context.user.telegram_id
    )
    if similar:
        _show_similar(context, similar)
    options = draft.match_options
    if options and draft.match_confident:
        lines = [_("This proposal matches these RPJMD programs:")]
    elif options:
        lines = [_("No program fits clearly yet. These come closest:")]
    else:
        lines = [
            _(
                "I could not find an RPJMD program that fits. You can continue: Bappeda will "
                "map the proposal by hand."
            )
        ]
    if draft.other_bidang is not None and draft.bidang is not None:
        lines.append(
            _(
                "<i>Note: these programs belong to the field {other}, not {chosen} that you "
                "chose.</i>"
            ).format(
                other=_(BIDANG_LABELS[draft.other_bidang]), chosen=_(BIDANG_LABELS[draft.bidang])
            )
        )
    rows = []
    for number, option in enumerate(options[:SHOWN_PROGRAMS], start=1):
        lines.append(f"{number}. <b>{escape(option.name)}</b>\n    {escape(option.opd)}")
        label = _("✅ Program {number}").format(number=number)
        rows.append([ProgramChoice(number=number).button(label)])
    lines.append("")
    lines.append(_("Choose the program that fits best, or press “Don't know / other”."))
    rows.append([ProgramChoice(number=0).button(_("🤷 Don't know / other"))])
    if draft.other_bidang is not None:
        label = _("🔁 Change the field to {other}").format(other=BIDANG.label(draft.other_bidang))
        rows.append([ProgramAction(action="bidang").button(label)])
    rows.append([ProgramAction(action="rewrite").button(_("✏️ Rewrite the proposal"))])
    context.say("\n".join(lines), Keyboard.inline_rows(rows))


def _show_verdict(context: Context, verdict: Verdict) -> None:
    """Say what the text is instead of a proposal, where it goes, and offer rewrite or stop."""
    text = "\n\n".join([where_it_goes(verdict), f"<i>{escape(verdict.reason)}</i>"])
    text += "\n\n" + _(
        "Nothing has been sent. If you do have a development proposal for your village, "
        "write it again as a proposal."
    )
    rows = [
        [ProgramAction(action="rewrite").button(_("✏️ Write it as a proposal"))],
        [ProgramAction(action="stop").button(_("⏹ Stop here"))],
    ]
    context.say(text, Keyboard.inline_rows(rows))


def _show_similar(context: Context, similar: list[SimilarProposal]) -> None:
    """List the similar proposals, with a support button for each the person may support."""
    lines = [_("There are already similar proposals in your desa:")]
    rows = []
    for item in similar:
        line = _("• <b>{code}</b>: {title} ({supporters} supporters, {status})").format(
            code=item.tracking_code,
            title=escape(item.title),
            supporters=item.supporters,
            status=status_label(item.status),
        )
        if item.own:
            line += " " + _("(your own proposal)")
        elif item.supported:
            line += " " + _("(you support it)")
        else:
            label = _("👍 Support {code}").format(code=item.tracking_code)
            rows.append([SupportChoice(proposal_id=item.id).button(label)])
        lines.append(line)
    lines.append("")
    if rows:
        lines.append(
            _(
                "Supporting one of them makes it stronger. Your own proposal is kept either "
                "way: you can support and still send yours."
            )
        )
    elif all(item.own for item in similar):
        lines.append(
            _("You already proposed this. Continue below only if this is a different need.")
        )
    else:
        lines.append(_("Continue below if you also want to send your own proposal."))
    context.say("\n".join(lines), Keyboard.inline_rows(rows) if rows else None)


async def handle(context: Context) -> None:
    """Record the chosen program, the support for an existing proposal, or another action."""
    if (support := context.pressed(SupportChoice)) is not None:
        await _ask_support(context, support.proposal_id)
        return
    if (confirm := context.pressed(SupportConfirm)) is not None:
        await _support(context, confirm)
        return
    if (action := context.pressed(ProgramAction)) is not None:
        await _act(context, action.action)
        return
    draft = context.draft
    options = draft.match_options
    pressed = context.pressed(ProgramChoice)
    if pressed is None or pressed.number > len(options) or verdict_of(draft) is not None:
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


async def _act(context: Context, action: str) -> None:
    """Rewrite the text, stop keeping the draft, or take the programs' bidang."""
    context.answer_callback()
    draft = context.draft
    if action == "rewrite":
        context.edit(_("All right, write the proposal again."))
        await flow.goto(context, "title")
    elif action == "stop":
        context.update_draft(resume_step=flow.step_name("title"), saved_at=context.now)
        context.edit(
            _("Stopped; nothing was sent. What you wrote is kept: type /usul to continue.")
        )
        context.go("idle")
        await menu.show_menu(context)
    elif draft.other_bidang is not None:
        other = draft.other_bidang
        context.edit(_("Field: {choice}").format(choice=BIDANG.label(other)))
        context.update_draft(bidang=other, other_bidang=None)
        await ask(context)
    else:
        await ask_for_button(context)


async def _similar_item(context: Context, proposal_id: int) -> SimilarProposal | None:
    similar = await describe_similar(
        context.session, context.draft.similar_ids, user_id=context.user.telegram_id
    )
    return next((item for item in similar if item.id == proposal_id and not item.own), None)


async def _ask_support(context: Context, proposal_id: int) -> None:
    """Ask before supporting; the person's own draft stays whatever they answer."""
    item = await _similar_item(context, proposal_id)
    if item is None:
        await ask_for_button(context)
        return
    context.answer_callback()
    context.say(
        _(
            "Support <b>{code}</b> ({title})? Your own draft is kept: after supporting you can "
            "still finish and send it."
        ).format(code=item.tracking_code, title=escape(item.title)),
        Keyboard.inline_rows(
            [
                [SupportConfirm(proposal_id=item.id, confirmed=True).button(_("👍 Yes, support"))],
                [SupportConfirm(proposal_id=item.id, confirmed=False).button(_("↩️ No"))],
            ]
        ),
    )


async def _support(context: Context, confirm: SupportConfirm) -> None:
    """Record the support (or not), keep the draft, and carry on with the program choice."""
    item = await _similar_item(context, confirm.proposal_id)
    if item is None:
        await ask_for_button(context)
        return
    context.answer_callback()
    if not confirm.confirmed:
        context.edit(_("Not supported. Let's continue with your proposal."))
        await ask(context)
        return
    added = await support_proposal(
        context.session, proposal_id=item.id, user_id=context.user.telegram_id, now=context.now
    )
    text = (
        _("Thank you! Your support for <b>{code}</b> ({title}) is recorded.")
        if added
        else _("You already support <b>{code}</b> ({title}).")
    )
    text += " " + _(
        "Follow it with /status {code}; /usulansaya lists it. Your own draft is kept: choose "
        "its program below to continue, or stop with /batal."
    )
    withdraw = WithdrawSupport(proposal_id=item.id).button(_("↩️ Withdraw my support"))
    context.edit(
        text.format(code=item.tracking_code, title=escape(item.title)),
        Keyboard.inline_rows([[withdraw]]),
    )
    await ask(context)


async def summary(_context: Context, draft: Draft) -> str:
    """Return the preview line of the chosen program."""
    program = next((o for o in draft.match_options if o.code == draft.program_code), None)
    if program is None:
        program = next((o for o in draft.better_options if o.code == draft.program_code), None)
    return _("<b>RPJMD program:</b> {program}").format(
        program=_("{name}, {opd}").format(name=escape(program.name), opd=escape(program.opd))
        if program
        else _("not sure yet; Bappeda will check it")
    )


STEP = Step(
    flow.step_name("program"),
    ask,
    handle,
    frozenset({ProgramChoice, SupportChoice, SupportConfirm, ProgramAction}),
)
