"""/jadwal for Bappeda: the season's stages, each to open, change or delete (after asking)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import Keyboard
from core.i18n import _
from handlers.bappeda import schedule_form
from handlers.calendar.phrases import stage_block
from handlers.callbacks import CallbackData, Page, RecordId
from handlers.common.fallback import stale_button
from handlers.context import escape
from models.calendar import get_stage, list_stages
from services.access import is_bappeda
from services.calendar.stages import StageInUseError, count_stage_proposals, delete_stage

if TYPE_CHECKING:
    from handlers.context import Context, PressedT
    from handlers.router import Router
    from models.calendar import Stage

PAGE_SIZE = 6


class StageList(CallbackData, prefix="jl"):
    """A page of the calendar."""

    page: Page


class NewStage(CallbackData, prefix="jn"):
    """Add a stage."""


class StageButton(CallbackData):
    """The shape of the buttons about one stage."""

    stage: RecordId


class OpenStage(StageButton, prefix="js"):
    """Show one stage."""


class ChangeStage(StageButton, prefix="je"):
    """Change a stage."""


class DeleteStage(StageButton, prefix="jd"):
    """Ask before deleting a stage."""


class ConfirmDelete(StageButton, prefix="jdok"):
    """Delete a stage."""


async def show_list(context: Context, page: int = 0) -> None:
    """Show one page of the season's stages with a button for each and one to add a stage."""
    stages = await list_stages(context.session)
    pages = max(1, -(-len(stages) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = stages[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    if not stages:
        lines = [
            _(
                "📅 The Musrenbang calendar is empty. Add the first stage: the Musrenbang "
                "Desa/Kelurahan, each Musrenbang Kecamatan, the Forum OPD and the Musrenbang "
                "Kabupaten."
            )
        ]
    else:
        lines = [
            _("📅 <b>Musrenbang calendar</b>, page {page} of {pages}").format(
                page=page + 1, pages=pages
            )
        ]
    rows = []
    for number, stage in enumerate(shown, start=page * PAGE_SIZE + 1):
        block = await _block(context, stage)
        lines += ["", f"{number}. {block}"]
        rows.append([OpenStage(stage=stage.id or 0).button(f"{number}. {stage.name}")])
    paging = []
    if page > 0:
        paging.append(StageList(page=page - 1).button(_("◀️ Previous")))
    if page + 1 < pages:
        paging.append(StageList(page=page + 1).button(_("Next ▶️")))
    if paging:
        rows.append(paging)
    rows.append([NewStage().button(_("➕ Add a stage"))])
    context.edit("\n".join(lines), Keyboard.inline_rows(rows))


async def _block(context: Context, stage: Stage) -> str:
    return await stage_block(
        context.session,
        stage,
        now=context.now,
        settings=context.settings,
        locale=context.user.language,
    )


async def show_stage(context: Context, stage: Stage) -> None:
    """Show one stage with what can be done with it."""
    proposals = await count_stage_proposals(context.session, stage.id or 0)
    lines = [
        await _block(context, stage),
        _("Proposals submitted in this stage: {count}").format(count=proposals),
    ]
    keyboard = Keyboard.inline_rows(
        [
            [
                ChangeStage(stage=stage.id or 0).button(_("✏️ Change")),
                DeleteStage(stage=stage.id or 0).button(_("🗑 Delete")),
            ],
            [StageList(page=0).button(_("↩️ Back to the calendar"))],
        ]
    )
    context.edit("\n".join(lines), keyboard)


async def _ask_delete(context: Context, stage: Stage) -> None:
    context.edit(
        _(
            "Delete <b>{name}</b>? Reminders about it that have not been sent are withdrawn. "
            "This cannot be undone."
        ).format(name=escape(stage.name)),
        Keyboard.inline_rows(
            [
                [ConfirmDelete(stage=stage.id or 0).button(_("🗑 Yes, delete it"))],
                [OpenStage(stage=stage.id or 0).button(_("↩️ No, keep it"))],
            ]
        ),
    )


async def _delete(context: Context, stage: Stage) -> None:
    name = escape(stage.name)
    try:
        cancelled = await delete_stage(context.session, stage)
    except StageInUseError as error:
        context.edit(
            _(
                "<b>{name}</b> cannot be deleted: {count} proposals were submitted in it and "
                "must keep their stage. You can change its dates instead."
            ).format(name=name, count=error.proposals),
            Keyboard.inline_rows([[OpenStage(stage=stage.id or 0).button(_("↩️ Back"))]]),
        )
        return
    lead = _("🗑 <b>{name}</b> was deleted.").format(name=name)
    if cancelled:
        lead += " " + _("Reminders withdrawn: {count}.").format(count=cancelled)
    context.edit(lead)
    await show_list(context)


async def show_calendar(context: Context) -> None:
    """Show Bappeda the calendar, leaving a half-filled stage form behind."""
    schedule_form.clear(context)
    await show_list(context)


async def _planner_press(context: Context, kind: type[PressedT]) -> PressedT | None:
    """Return a press on the calendar's buttons by Bappeda, answering any other press."""
    pressed = context.pressed(kind)
    if pressed is None:
        await stale_button(context)
        return None
    if not is_bappeda(context.user, context.settings.bappeda_admin_ids):
        context.answer_callback(_("Only Bappeda can change the calendar."))
        return None
    context.answer_callback()
    return pressed


async def on_list_button(context: Context) -> None:
    """Show a page of the calendar."""
    pressed = await _planner_press(context, StageList)
    if pressed is not None:
        await show_list(context, pressed.page)


async def on_new_button(context: Context) -> None:
    """Start adding a stage."""
    if await _planner_press(context, NewStage) is not None:
        await schedule_form.start_add(context)


async def _pressed_stage(context: Context, kind: type[StageButton]) -> Stage | None:
    """Return the stage a button names, or say it is gone."""
    pressed = await _planner_press(context, kind)
    if pressed is None:
        return None
    stage = await get_stage(context.session, pressed.stage)
    if stage is None:
        context.edit(_("This stage no longer exists."))
        await show_list(context)
    return stage


async def on_open_button(context: Context) -> None:
    """Show one stage."""
    stage = await _pressed_stage(context, OpenStage)
    if stage is not None:
        await show_stage(context, stage)


async def on_change_button(context: Context) -> None:
    """Start changing a stage."""
    stage = await _pressed_stage(context, ChangeStage)
    if stage is not None:
        await schedule_form.start_change(context, stage)


async def on_delete_button(context: Context) -> None:
    """Ask before deleting a stage."""
    stage = await _pressed_stage(context, DeleteStage)
    if stage is not None:
        await _ask_delete(context, stage)


async def on_confirm_delete_button(context: Context) -> None:
    """Delete a stage."""
    stage = await _pressed_stage(context, ConfirmDelete)
    if stage is not None:
        await _delete(context, stage)


def register(router: Router) -> None:
    """Add the calendar's buttons."""
    router.add_callback(StageList, on_list_button)
    router.add_callback(NewStage, on_new_button)
    router.add_callback(OpenStage, on_open_button)
    router.add_callback(ChangeStage, on_change_button)
    router.add_callback(DeleteStage, on_delete_button)
    router.add_callback(ConfirmDelete, on_confirm_delete_button)
