"""The intake declared once: its fields in order, what each needs, how the preview shows it.

Adding a field is one row here, a step module that asks it, and its place in the draft
(`services.drafts.Draft`). The preview comes after the last row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from core.i18n import N_
from handlers.intake import (
    bidang,
    flow,
    location,
    photos,
    problem,
    program,
    quantity_steps,
    region,
    title,
    urgency,
)

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Step
    from services.drafts import Draft


@dataclass(frozen=True)
class IntakeField:
    """One row: the step asking it, whether the draft holds its answer, how the preview shows it.

    `answered` is true (truthy) once the draft holds the answer; `edit_label` (untranslated)
    puts a button for the field in the preview's editor.
    """

    step: Step[Context]
    answered: Callable[[Draft], object]
    summary: Callable[[Context, Draft], Awaitable[str]] | None = None
    edit_label: str | None = None

    @property
    def short(self) -> str:
        """Return the step's short name ("title")."""
        return flow.short_name(self.step.name) or self.step.name


FIELDS: tuple[IntakeField, ...] = (
    IntakeField(
        region.KECAMATAN_STEP, lambda d: d.kecamatan_code, region.summary, N_("Desa / kelurahan")
    ),
    IntakeField(region.DESA_STEP, lambda d: d.desa_code),
    IntakeField(bidang.STEP, lambda d: d.bidang, bidang.BIDANG.summary, N_("Field")),
    IntakeField(title.STEP, lambda d: d.title, title.summary, N_("Proposal")),
    IntakeField(program.STEP, lambda d: d.program_decided, program.summary),
    IntakeField(problem.STEP, lambda d: d.problem, problem.summary, N_("Problem")),
    IntakeField(
        location.STEP,
        lambda d: d.location_detail or d.latitude is not None,
        location.summary,
        N_("Location"),
    ),
    IntakeField(
        quantity_steps.VOLUME_STEP, lambda d: d.volume, quantity_steps.VOLUME.summary, N_("Volume")
    ),
    IntakeField(
        quantity_steps.BENEFICIARIES_STEP,
        lambda d: d.beneficiaries,
        quantity_steps.BENEFICIARIES.summary,
        N_("Beneficiaries"),
    ),
    IntakeField(urgency.STEP, lambda d: d.urgency, urgency.URGENCY.summary, N_("Urgency")),
    IntakeField(photos.STEP, lambda d: d.photos_done, photos.summary, N_("Photos")),
)


def linked_steps() -> list[Step[Context]]:
    """Return the fields' steps in order, each naming the one after it (the last: the preview)."""
    names = [field.step.name for field in FIELDS[1:]] + [flow.step_name(flow.PREVIEW)]
    return [replace(field.step, next=name) for field, name in zip(FIELDS, names, strict=True)]


def first_missing(draft: Draft) -> str | None:
    """Return the short name of the first field the draft lacks, or None when it is complete."""
    return next((field.short for field in FIELDS if not field.answered(draft)), None)


def editable() -> dict[str, str]:
    """Return the (untranslated) edit label of each field that can be changed, by short name."""
    return {field.short: field.edit_label for field in FIELDS if field.edit_label}
