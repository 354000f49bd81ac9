"""/jadwal for Bappeda: the season's stages, each to open, change or delete (after asking)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import Keyboard
from core.i18n import _
from handlers.bappeda import schedule_form
from handlers.calendar.phrases import stage_block
from handlers.callbacks import button, unpack
from handlers.context import escape
from models.calendar import get_stage, list_stages
from models.enums import Role
from services.calendar.stages import StageInUseError, count_stage_proposals, delete_stage

if TYPE_CHECKING:
    from handlers.context import Context
    from models.calendar import Stage

NAMESPACE = "jadwal"
PAGE_SIZE = 6


def is_bappeda(context: Context) -> bool:
    """Return whether the person plans for Bappeda (by role or as a configured admin)."""
    user = context.user
    return user.role == Role.BAPPEDA or user.telegram_id in context.settings.bappeda_admin_ids


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
        rows.append([button(f"{number}. {stage.name}", NAMESPACE, f"stage.{stage.id}")])
    paging = []
    if page > 0:
        paging.append(button(_("◀️ Previous"), NAMESPACE, f"list.{page - 1}"))
    if page + 1 < pages:
        paging.append(button(_("Next ▶️"), NAMESPACE, f"list.{page + 1}"))
    if paging:
        rows.append(paging)
    rows.append([button(_("➕ Add a stage"), NAMESPACE, "new")])
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
                button(_("✏️ Change"), NAMESPACE, f"edit.{stage.id}"),
                button(_("🗑 Delete"), NAMESPACE, f"del.{stage.id}"),
            ],
            [button(_("↩️ Back to the calendar"), NAMESPACE, "list.0")],
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
                [button(_("🗑 Yes, delete it"), NAMESPACE, f"delok.{stage.id}")],
                [button(_("↩️ No, keep it"), NAMESPACE, f"stage.{stage.id}")],
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
            Keyboard.inline_rows([[button(_("↩️ Back"), NAMESPACE, f"stage.{stage.id}")]]),
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


async def on_button(context: Context) -> None:
    """Carry out a press on the calendar's buttons; only Bappeda may."""
    if not is_bappeda(context):
        context.answer_callback(_("Only Bappeda can change the calendar."))
        return
    context.answer_callback()
    _namespace, value = unpack(context.event.text)
    action, _dot, argument = value.partition(".")
    if action == "list":
        await show_list(context, int(argument) if argument.isdigit() else 0)
        return
    if action == "new":
        await schedule_form.start_add(context)
        return
    stage = await get_stage(context.session, int(argument)) if argument.isdigit() else None
    if stage is None:
        context.edit(_("This stage no longer exists."))
        await show_list(context)
        return
    if action == "edit":
        await schedule_form.start_change(context, stage)
    elif action == "del":
        await _ask_delete(context, stage)
    elif action == "delok":
        await _delete(context, stage)
    else:
        await show_stage(context, stage)
