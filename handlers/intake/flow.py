"""Order of the intake steps, moving between them, and returning to the preview after an edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.context import Context

PREFIX = "usul."
ORDER = (
    "kecamatan",
    "desa",
    "bidang",
    "title",
    "program",
    "problem",
    "location",
    "volume",
    "beneficiaries",
    "urgency",
    "photos",
    "preview",
)
EDITING_KEY = "editing"
RESUME_KEY = "resume_step"


def step_name(short: str) -> str:
    """Return the stored step name of an intake step."""
    return f"{PREFIX}{short}"


def short_name(step: str) -> str | None:
    """Return the intake step's short name, or None for a step outside the intake."""
    return step.removeprefix(PREFIX) if step.startswith(PREFIX) else None


async def goto(context: Context, short: str) -> None:
    """Move to an intake step and ask its question."""
    name = step_name(short)
    context.go(name)
    context.update_draft(**{RESUME_KEY: name})
    if context.router is not None:
        await context.router.steps[name].ask(context)


async def advance(context: Context, current: str) -> None:
    """Go to the step after `current`, or back to the preview when a field was being edited."""
    if context.draft.get(EDITING_KEY):
        context.update_draft(**{EDITING_KEY: False})
        await goto(context, "preview")
        return
    position = ORDER.index(current) + 1
    await goto(context, ORDER[position])


def has_draft(draft: dict) -> bool:
    """Return whether the draft holds anything the person entered."""
    return any(key in draft for key in ("kecamatan_code", "bidang", "title"))
