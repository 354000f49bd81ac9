"""/koreksi KODE: Bappeda sets a proposal's RPJMD program with the intake's program buttons.

The correction is stored (as ``musrenbang correct`` does) and taught to the running
matcher at once, so the next similar proposal is matched to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import EventKind, Keyboard
from core.formatting import local_time
from core.i18n import N_, _
from handlers.common.fallback import stale_button
from handlers.context import escape
from handlers.review import keys
from handlers.review.actions import load, refuse
from handlers.router import Command, Step
from models.enums import Role
from models.proposals import Proposal, find_by_code
from services.access import Action, is_bappeda, may
from services.tracking_code import format_code, normalize_code

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router

SEARCH_STEP = "koreksi.search"
STATE_KEY = "koreksi"
IDLE = "idle"
SHOWN = 3
MAX_SEARCH = 200


def _allowed(context: Context, proposal: Proposal) -> bool:
    return may(
        context.user, Action.CORRECT_MATCH, proposal, admin_ids=context.settings.bappeda_admin_ids
    )


def _evidence_text(proposal: Proposal) -> str:
    return " ".join(part for part in (proposal.title, proposal.problem) if part)


async def correct_command(context: Context) -> None:
    """Open the correction of the proposal whose code follows the command."""
    if not is_bappeda(context.user, context.settings.bappeda_admin_ids):
        context.say(_("/koreksi is for Bappeda admins."))
        return
    typed = context.event.text.strip()
    if not typed:
        year = local_time(context.now, context.settings.zone).year + 1
        example = format_code(prefix=context.settings.tracking_prefix, year=year, tail="7K3QX")
        context.say(
            _("Type /koreksi and the tracking code, for example /koreksi {code}.").format(
                code=example
            )
        )
        return
    code = normalize_code(typed, prefix=context.settings.tracking_prefix)
    proposal = await find_by_code(context.session, code) if code else None
    if proposal is None:
        context.say(
            _("There is no proposal with the code {code}. Please check it.").format(
                code=escape(typed[:40])
            )
        )
        return
    suggestion = await context.services.suggest_programs(_evidence_text(proposal))
    await _offer(
        context, proposal, [option.as_dict() for option in suggestion.options], edit=False
    )


async def _proposal_of(
    context: Context, pressed: keys.CorrectMatch | keys.CorrectPick | keys.CorrectClose | None
) -> Proposal | None:
    """Return the proposal a correction button names, answering the press otherwise."""
    if pressed is None:
        await stale_button(context)
        return None
    proposal = await load(context, pressed.proposal)
    if proposal is None or not _allowed(context, proposal):
        await refuse(context)
        return None
    context.answer_callback()
    return proposal


async def on_correct_button(context: Context) -> None:
    """Start a correction from the card."""
    proposal = await _proposal_of(context, context.pressed(keys.CorrectMatch))
    if proposal is None:
        return
    suggestion = await context.services.suggest_programs(_evidence_text(proposal))
    await _offer(context, proposal, [option.as_dict() for option in suggestion.options])


async def on_pick_button(context: Context) -> None:
    """Set the offered program the pressed button names."""
    pressed = context.pressed(keys.CorrectPick)
    proposal = await _proposal_of(context, pressed)
    if proposal is None or pressed is None:
        return
    state = context.screen(STATE_KEY)
    if state.get("id") != proposal.id:
        await _close(context)
        return
    options = state.get("options", [])
    if pressed.option > len(options):
        await _offer(context, proposal, options)
        return
    await _apply(context, proposal, options[pressed.option - 1])


async def on_close_button(context: Context) -> None:
    """Close the correction without changing the program."""
    if await _proposal_of(context, context.pressed(keys.CorrectClose)) is not None:
        await _close(context)


async def _close(context: Context) -> None:
    _leave(context)
    context.edit(_("Correction closed; the program was not changed."))


async def _offer(
    context: Context, proposal: Proposal, options: list[dict], *, edit: bool = True
) -> None:
    """Show the current program and the offered ones as the intake's buttons."""
    options = options[:SHOWN]
    matcher = await context.services.matcher()
    current = matcher.catalogue.programs.get(proposal.program_code or "")
    lines = [
        _("🔧 <b>Correct the program of {code}</b>").format(code=proposal.tracking_code),
        escape(proposal.title),
        _("Now: {program}").format(
            program=escape(f"{current.name} ({current.opd})") if current else _("no program")
        ),
        "",
    ]
    rows = []
    if options:
        lines.append(_("Programs that fit best:"))
    for number, option in enumerate(options, start=1):
        lines.append(f"{number}. <b>{escape(option['name'])}</b>\n    {escape(option['opd'])}")
        rows.append(
            [
                keys.CorrectPick(proposal=proposal.id or 0, option=number).button(
                    _("✅ Program {number}").format(number=number)
                )
            ]
        )
    lines.append("")
    lines.append(
        _(
            "Press the right program, or type other words or a program code (such as "
            "1.03.10) to search."
        )
    )
    rows.append([keys.CorrectClose(proposal=proposal.id or 0).button(_("✖ Cancel"))])
    earlier = context.screen(STATE_KEY).get("back", IDLE)
    back = earlier if context.step == SEARCH_STEP else context.step
    context.set_screen(STATE_KEY, {"id": proposal.id, "options": options, "back": back})
    context.go(SEARCH_STEP)
    text = "\n".join(lines)
    if edit:
        context.edit(text, Keyboard.inline_rows(rows))
    else:
        context.say(text, Keyboard.inline_rows(rows))


async def ask_search(context: Context) -> None:
    """Remind what the search step waits for."""
    context.say(_("Type words or a program code to search, or press one of the program buttons."))


async def handle_search(context: Context) -> None:
    """Search the catalogue with what Bappeda typed."""
    state = context.screen(STATE_KEY)
    proposal = await context.session.get(Proposal, state.get("id") or 0)
    if proposal is None or not _allowed(context, proposal):
        _leave(context)
        await refuse(context)
        return
    if context.event.kind is not EventKind.TEXT or not context.event.text.strip():
        context.answer_callback()
        await ask_search(context)
        return
    typed = " ".join(context.event.text.split())[:MAX_SEARCH]
    matcher = await context.services.matcher()
    program = matcher.catalogue.programs.get(typed)
    if program is not None:
        options = [{"code": program.code, "name": program.name, "opd": program.opd, "score": 1.0}]
    else:
        suggestion = await context.services.suggest_programs(typed)
        options = [option.as_dict() for option in suggestion.options]
    if not options:
        context.say(_("No program fits “{typed}”. Try other words.").format(typed=escape(typed)))
        return
    await _offer(context, proposal, options, edit=False)


async def _apply(context: Context, proposal: Proposal, option: dict) -> None:
    proposal.program_code = option["code"]
    proposal.match_confirmed = True
    proposal.updated_at = context.now
    context.session.add(proposal)
    await context.services.matching.record_correction(
        context.session,
        text=_evidence_text(proposal),
        program_code=option["code"],
        proposal_id=proposal.id,
        corrected_by=context.user.telegram_id,
    )
    _leave(context)
    context.edit(
        _(
            "✅ {code} now belongs to the program <b>{name}</b>, {opd}. New proposals like it "
            "are matched to this program from now on."
        ).format(
            code=proposal.tracking_code, name=escape(option["name"]), opd=escape(option["opd"])
        )
    )


def _leave(context: Context) -> None:
    state = context.leave_screen(STATE_KEY)
    if context.step == SEARCH_STEP:
        context.go(state.get("back") or IDLE)


def register(router: Router) -> None:
    """Add /koreksi, its buttons and the search step."""
    router.add_command(
        Command(
            "koreksi",
            correct_command,
            describe=N_("Correct the RPJMD program of a proposal"),
            roles=frozenset({Role.BAPPEDA}),
        )
    )
    router.add_callback(keys.CorrectMatch, on_correct_button)
    router.add_callback(keys.CorrectPick, on_pick_button)
    router.add_callback(keys.CorrectClose, on_close_button)
    router.add_step(Step(SEARCH_STEP, ask_search, handle_search))
