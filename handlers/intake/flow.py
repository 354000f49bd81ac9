"""Moving between intake steps, and returning to the preview after an edit.

The order is declared in `spec`; each registered step knows the one after it (`Step.next`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.context import Context

PREFIX = "usul."
PREVIEW = "preview"


def step_name(short: str) -> str:
    """Return the stored step name of an intake step."""
    return f"{PREFIX}{short}"


def short_name(step: str) -> str | None:
    """Return the intake step's short name, or None for a step outside the intake."""
    return step.removeprefix(PREFIX) if step.startswith(PREFIX) else None


async def goto(context: Context, short: str) -> None:
    """Move to an intake step and ask its question."""
    await _enter(context, step_name(short))


async def advance(context: Context, current: str) -> None:
    """Go to the step after `current`, or back to the preview when a field was being edited."""
    if context.draft.editing:
        context.update_draft(editing=False)
        await goto(context, PREVIEW)
        return
    await _enter(context, context.router.steps[step_name(current)].next or step_name(PREVIEW))


async def _enter(context: Context, name: str) -> None:
    context.go(name)
    context.update_draft(resume_step=name)
    await context.router.steps[name].ask(context)
