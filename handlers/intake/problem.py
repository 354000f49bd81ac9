"""Step: the problem the proposal solves (free text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import _
from handlers.context import escape
from handlers.intake import flow, matching
from handlers.intake.inputs import read_text
from handlers.router import Step

if TYPE_CHECKING:
    from handlers.context import Context
    from services.drafts import Draft

MAX_LENGTH = 1000
MIN_LENGTH = 10


async def ask(context: Context) -> None:
    """Ask what problem the proposal solves."""
    context.say(
        _(
            "What problem does it solve, and who is affected? (at most {limit} characters)\n"
            "<i>Example: When it rains the road floods and children cannot get to school; "
            "about 80 families use it every day.</i>"
        ).format(limit=MAX_LENGTH)
    )


async def handle(context: Context) -> None:
    """Store the problem."""
    value = await read_text(context, max_length=MAX_LENGTH, min_length=MIN_LENGTH)
    if value is None:
        return
    context.update_draft(problem=value)
    await rerank(context)
    await flow.advance(context, "problem")


async def rerank(context: Context) -> None:
    """Match again with the problem; when the first match was not sure, keep the better ones.

    The better programs are offered at the preview; a confident one is taken as the program
    unless the person confirmed a program themselves.
    """
    draft = context.draft
    if not draft.title or draft.match_confident or draft.match_confirmed or draft.verdict_kind:
        return
    suggestion = await matching.suggest(context, draft)
    better = matching.options_of(suggestion)
    same = [o.code for o in better] == [o.code for o in draft.match_options]
    if not better or (same and not suggestion.confident):
        return
    fields: dict[str, object] = {"better_options": [] if same else better}
    if suggestion.confident:
        fields.update(
            program_code=better[0].code, match_score=better[0].score, match_confident=True
        )
    context.update_draft(**fields)


async def summary(_context: Context, draft: Draft) -> str:
    """Return the preview line of the problem."""
    return _("<b>Problem:</b> {problem}").format(problem=escape(draft.problem or ""))


STEP = Step(flow.step_name("problem"), ask, handle)
