"""/impor: Bappeda sends an XLSX or CSV file of statuses; a preview first, then one transaction.

Every row is checked; with any wrong row nothing is applied and the rows are named. The
changes are checked again when Bappeda confirms, and applied all together or not at all.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, Literal

from core.events import EventKind, FileUnavailableError, Keyboard
from core.i18n import N_, _
from handlers.callbacks import CallbackData
from handlers.context import escape
from handlers.review.actions import refuse
from handlers.router import Command, Step
from models.enums import Role
from services.access import is_bappeda
from services.importing.rows import ImportFileError
from services.lifecycle import StatusChangeError, status_label
from services.status_import import apply_status_import, plan_status_import, read_status_rows

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router
    from services.status_import import ImportPlan

logger = logging.getLogger(__name__)

FILE_STEP = "impor.file"
STATE_KEY = "impor"
IDLE = "idle"
SHOWN_ERRORS = 15


class ImportChoice(CallbackData, prefix="im"):
    """Apply the checked changes, or cancel the import."""

    choice: Literal["apply", "cancel"]


def _allowed(context: Context) -> bool:
    return is_bappeda(context.user, context.settings.bappeda_admin_ids)


async def import_command(context: Context) -> None:
    """Wait for the file."""
    if not _allowed(context):
        context.say(_("/impor is for Bappeda admins."))
        return
    context.go(FILE_STEP)
    await ask_file(context)


async def ask_file(context: Context) -> None:
    """Ask for the spreadsheet."""
    context.say(
        _(
            "Send the Excel (.xlsx) or CSV file as a document (📎). It needs the columns "
            "“kode lacak” and “status”, and may have “catatan” for a note to the proposer; "
            "the daily summary workbook works as it is. I check every row and show you what "
            "would change before anything is applied. To stop, type /batal."
        ),
        Keyboard.inline_rows([[ImportChoice(choice="cancel").button(_("✖ Cancel"))]]),
    )


async def handle_file(context: Context) -> None:
    """Check a sent file, or apply / cancel the checked one."""
    if not _allowed(context):
        _leave(context)
        await refuse(context)
        return
    event = context.event
    if event.kind is EventKind.CALLBACK:
        pressed = context.pressed(ImportChoice)
        context.answer_callback()
        if pressed is not None and pressed.choice == "apply" and context.screen(STATE_KEY):
            await _apply(context)
        else:
            _leave(context)
            context.edit(_("Import cancelled; nothing was changed."))
        return
    if event.kind is not EventKind.DOCUMENT or not event.file_id:
        context.say(_("Please send the file as a document (📎), not as text or a photo."))
        return
    if context.files is None:
        context.say(
            _(
                "Files cannot be received here. Use <code>musrenbang status-import FILE</code> "
                "on the server."
            )
        )
        return
    try:
        content = await context.files.download(event.file_id)
        rows = read_status_rows(content)
    except FileUnavailableError:
        context.say(_("I could not download the file. Please send it again."))
        return
    except ImportFileError as error:
        context.say(escape(str(error)))
        return
    plan = await plan_status_import(context.session, rows, prefix=context.settings.tracking_prefix)
    await _preview(context, plan, name=event.file_name or _("the file"), checked=len(rows))


async def _preview(context: Context, plan: ImportPlan, *, name: str, checked: int) -> None:
    lines = [
        _("📥 <b>{name}</b>: {rows} rows checked.").format(name=escape(name), rows=checked),
        _("• {count} changes").format(count=len(plan.changes)),
        _("• {count} already have that status").format(count=plan.unchanged),
        _("• {count} rows with errors").format(count=len({error.row for error in plan.errors})),
    ]
    by_status = Counter(change.to_status for change in plan.changes)
    lines.extend(f"    {status_label(status)}: {count}" for status, count in by_status.items())
    if not plan.ok:
        lines.extend(["", _("Nothing was applied. Fix these rows and send the file again:")])
        lines.extend(f"• {escape(str(error))}" for error in plan.errors[:SHOWN_ERRORS])
        if len(plan.errors) > SHOWN_ERRORS:
            lines.append(_("…and {count} more.").format(count=len(plan.errors) - SHOWN_ERRORS))
        context.say("\n".join(lines))
        return
    if not plan.changes:
        _leave(context)
        lines.extend(["", _("Nothing to change.")])
        context.say("\n".join(lines))
        return
    rows = [
        [change.row, change.code, change.to_status.value, change.note] for change in plan.changes
    ]
    seen = {change.code: change.from_status.value for change in plan.changes}
    context.set_screen(STATE_KEY, {"rows": rows, "from": seen})
    lines.extend(
        ["", _("Apply these changes? The proposers and supporters are told of each one.")]
    )
    context.say(
        "\n".join(lines),
        Keyboard.inline_rows(
            [
                [
                    ImportChoice(choice="apply").button(
                        _("✅ Apply {count} changes").format(count=len(plan.changes))
                    )
                ],
                [ImportChoice(choice="cancel").button(_("✖ Cancel"))],
            ]
        ),
    )


async def _apply(context: Context) -> None:
    """Check the confirmed changes again and apply them together, or none of them."""
    state = context.screen(STATE_KEY)
    stored = [tuple(row) for row in state["rows"]]
    plan = await plan_status_import(
        context.session, stored, prefix=context.settings.tracking_prefix
    )
    checked = {change.code: change.from_status.value for change in plan.changes}
    if not plan.ok or checked != state.get("from"):
        _leave(context)
        context.edit(
            _(
                "Some proposals changed since the file was checked, so nothing was applied. "
                "Please send the file again."
            )
        )
        return
    try:
        async with context.session.begin_nested():
            applied = await apply_status_import(
                context.session, plan, by=context.user.telegram_id, now=context.now
            )
    except StatusChangeError:
        logger.info("Status import rolled back")
        _leave(context)
        context.edit(_("Nothing was applied: a proposal changed meanwhile. Send the file again."))
        return
    _leave(context)
    context.edit(
        _("✅ {count} changes applied. The proposers and supporters are told.").format(
            count=applied
        )
    )


def _leave(context: Context) -> None:
    context.leave_screen(STATE_KEY)
    if context.step == FILE_STEP:
        context.go(IDLE)


def register(router: Router) -> None:
    """Add /impor and the step that waits for the file."""
    router.add_command(
        Command(
            "impor",
            import_command,
            describe=N_("Update statuses from an Excel or CSV file"),
            menu_label=N_("📥 Import statuses"),
            roles=frozenset({Role.BAPPEDA}),
        )
    )
    router.add_step(Step(FILE_STEP, ask_file, handle_file, frozenset({ImportChoice})))
