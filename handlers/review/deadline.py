"""The line that tells an official how many days are left before their forum's deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.formatting import format_datetime, local_time
from core.i18n import _, ngettext
from handlers.context import escape
from models.review import next_deadline

if TYPE_CHECKING:
    from handlers.context import Context


async def deadline_line(context: Context, *, level: str) -> str:
    """Return "⏳ stage: deadline date (n days left)" for the next stage of `level`."""
    stage = await next_deadline(context.session, level=level, now=context.now)
    if stage is None:
        return _("⏳ No deadline for this stage in the Musrenbang calendar yet.")
    zone = context.settings.zone
    closes = local_time(stage.closes_at, zone)
    days = (closes.date() - local_time(context.now, zone).date()).days
    left = (
        _("closes today")
        if days <= 0
        else ngettext("{count} day left", "{count} days left", days).format(count=days)
    )
    return _("⏳ {stage}: deadline {date} ({left})").format(
        stage=escape(stage.name),
        date=format_datetime(stage.closes_at, zone),
        left=left,
    )
