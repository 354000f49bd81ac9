"""Step: confirm the RPJMD program the proposal fits, or support a similar proposal instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import Keyboard
from core.i18n import _
from handlers.callbacks import button, unpack
from handlers.common import menu
from handlers.context import escape
from handlers.intake import flow
from handlers.intake.inputs import ask_for_button
from handlers.router import Step
from models.enums import Role

if TYPE_CHECKING:
    from handlers.context import Context

NAMESPACE = "prog"
SUPPORT_NAMESPACE = "dukung"


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
            rows.append(
                [
                    button(
                        _("👍 Support {code}").format(code=item["tracking_code"]),
                        SUPPORT_NAMESPACE,
                        str(item["id"]),
                    )
                ]
            )
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
    for number, option in enumerate(options[:3], start=1):
        lines.append(f"{number}. <b>{escape(option['name'])}</b>\n    {escape(option['opd'])}")
        rows.append(
            [button(_("✅ Program {number}").format(number=number), NAMESPACE, str(number))]
        )
    lines.append("")
    lines.append(_("Choose the program that fits best, or press “Don't know / other”."))
    rows.append([button(_("🤷 Don't know / other"), NAMESPACE, "0")])
    context.say("\n".join(lines), Keyboard.inline_rows(rows))


async def handle(context: Context) -> None:
    """Record the chosen program, or the support for an existing proposal."""
    namespace, value = unpack(context.event.text)
    if namespace == SUPPORT_NAMESPACE:
        await _support(context, value)
        return
    options = context.draft.get("match_options", [])
    if namespace != NAMESPACE or not value.isdigit() or int(value) > min(len(options), 3):
        await ask_for_button(context)
        return
    context.answer_callback()
    choice = int(value)
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


async def _support(context: Context, value: str) -> None:
    allowed = {
        str(item["id"]): item for item in context.draft.get("similar", []) if not item.get("own")
    }
    item = allowed.get(value)
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


STEP = Step(flow.step_name("program"), ask, handle, frozenset({NAMESPACE, SUPPORT_NAMESPACE}))
