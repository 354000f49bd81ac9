"""Reminder messages, written when they are sent, in the recipient's language.

`services.reminders.planning` stores codes and numbers in the outbox; the sender turns a
row into replies with `RENDERERS[row.kind](row.payload, session=…, recipient=…,
settings=…)`. Stages are read as they are now: a deleted one is left out, and a message
with nothing left to say (or for someone who turned reminders off) renders to nothing.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from core.events import Keyboard, SendText
from core.i18n import N_, _, ngettext, use_locale
from handlers.calendar.phrases import in_days, when
from handlers.context import escape
from handlers.intake.begin import DraftChoice
from models.calendar import get_stage, reminders_enabled, stages_covering
from models.conversations import Conversation
from models.regions import get_region
from services.drafts import Draft
from services.reminders.audience import Topic
from services.reminders.planning import KIND

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from core.events import Reply
    from models.calendar import Stage
    from models.users import User

MISSING_LABELS: dict[str, str] = {
    "desa": N_("the village"),
    "bidang": N_("the field"),
    "title": N_("what you propose"),
    "problem": N_("the problem it solves"),
    "location": N_("the location"),
    "volume": N_("the volume"),
    "beneficiaries": N_("who benefits"),
    "urgency": N_("how urgent it is"),
}


class _Writer:
    """What every paragraph needs: the session, the settings, the day and the locale."""

    def __init__(
        self, session: AsyncSession, settings: Settings, day: date, recipient: User
    ) -> None:
        self.session = session
        self.settings = settings
        self.day = day
        self.locale = recipient.language
        self.recipient = recipient

    def when(self, moment: Any) -> str:
        return when(moment, self.settings, self.locale)

    def in_days(self, moment: Any) -> str:
        return in_days((moment.astimezone(self.settings.zone).date() - self.day).days)

    async def place(self, code: str) -> str:
        region = await get_region(self.session, code)
        return escape(region.name if region is not None else code)


async def render_reminder(
    payload: dict[str, Any], *, session: AsyncSession, recipient: User, settings: Settings
) -> list[Reply]:
    """Return the day's reminder for `recipient`, or nothing when nothing is left to say."""
    if not recipient.active or not await reminders_enabled(session, recipient.telegram_id):
        return []
    writer = _Writer(session, settings, date.fromisoformat(payload["day"]), recipient)
    with use_locale(recipient.language):
        draft = await _resumable_draft(session, recipient.telegram_id)
        paragraphs: list[str] = []
        for item in payload.get("items", []):
            stage = await get_stage(session, item["stage"])
            if stage is None:
                continue
            for topic, write in _PARAGRAPHS.items():
                if topic.value not in item:
                    continue
                if topic is Topic.DRAFT and draft is None:
                    continue
                paragraphs.append(await write(writer, stage, item[topic.value], draft))
        if not paragraphs:
            return []
        text = "\n\n".join(
            [
                _("🔔 <b>Musrenbang reminder</b>"),
                *paragraphs,
                _("Do not want these reminders? Type /pengingat to turn them off."),
            ]
        )
        keyboard = None
        if draft is not None and any(Topic.DRAFT.value in item for item in payload["items"]):
            keyboard = Keyboard.inline_rows(
                [[DraftChoice(choice="continue").button(_("▶️ Continue the draft"))]]
            )
    return [SendText(recipient.telegram_id, text, keyboard)]


async def _resumable_draft(session: AsyncSession, person_id: int) -> Draft | None:
    """Return the person's draft while it is there to continue.

    The planner checked its age minutes ago; a draft sent or discarded since then drops its
    paragraph.
    """
    conversation = await session.get(Conversation, person_id)
    draft = Draft.load(conversation.draft or {}) if conversation is not None else Draft()
    if not draft.resume_step or not draft.kecamatan_code:
        return None
    return draft


async def _draft_paragraph(
    writer: _Writer, stage: Stage, facts: dict[str, Any], draft: Draft | None
) -> str:
    missing = [_(MISSING_LABELS[part]) for part in facts.get("missing", [])]
    title = draft.title if draft else None
    if title:
        lead = _("📝 Your proposal “{title}” is not finished yet.").format(title=escape(title))
    else:
        lead = _("📝 Your proposal draft is not finished yet.")
    if missing:
        lead += " " + _("Still missing: {parts}.").format(parts=", ".join(missing))
    else:
        lead += " " + _("It only needs to be checked and sent.")
    return (
        lead
        + " "
        + _("Intake for <b>{stage}</b> closes {when_days}: {when}.").format(
            stage=escape(stage.name),
            when_days=writer.in_days(stage.closes_at),
            when=writer.when(stage.closes_at),
        )
    )


async def _lurah_paragraph(
    writer: _Writer, stage: Stage, facts: dict[str, Any], _draft: Draft | None
) -> str:
    desa = await writer.place(facts["desa"])
    closes = {
        "stage": escape(stage.name),
        "when_days": writer.in_days(stage.closes_at),
        "when": writer.when(stage.closes_at),
    }
    if not facts["total"]:
        return _(
            "🏘 {desa} has no proposal yet for <b>{stage}</b>. Intake closes {when_days}: "
            "{when}. Send the village's proposals with /usul."
        ).format(desa=desa, **closes)
    return ngettext(
        "🏘 {desa}: {count} of {total} proposals is waiting for your verification. Intake "
        "for <b>{stage}</b> closes {when_days}: {when}.",
        "🏘 {desa}: {count} of {total} proposals are waiting for your verification. Intake "
        "for <b>{stage}</b> closes {when_days}: {when}.",
        facts["unverified"],
    ).format(desa=desa, count=facts["unverified"], total=facts["total"], **closes)


async def _camat_paragraph(
    writer: _Writer, stage: Stage, facts: dict[str, Any], _draft: Draft | None
) -> str:
    return ngettext(
        "🏛 {kecamatan}: {count} verified proposal is not ranked yet. <b>{stage}</b> closes "
        "{when_days}: {when}.",
        "🏛 {kecamatan}: {count} verified proposals are not ranked yet. <b>{stage}</b> closes "
        "{when_days}: {when}.",
        facts["unranked"],
    ).format(
        kecamatan=await writer.place(facts["kecamatan"]),
        count=facts["unranked"],
        stage=escape(stage.name),
        when_days=writer.in_days(stage.closes_at),
        when=writer.when(stage.closes_at),
    )


async def _forum_paragraph(
    writer: _Writer, stage: Stage, facts: dict[str, Any], _draft: Draft | None
) -> str:
    codes = ", ".join(f"<b>{code}</b>" for code in facts["codes"])
    if facts["count"] > len(facts["codes"]):
        codes += ", …"
    forum = stage.forum_at or stage.closes_at
    return ngettext(
        "🗣 The forum of <b>{stage}</b> meets {when_days}, {when}. Your proposal {codes} is on "
        "its agenda.",
        "🗣 The forum of <b>{stage}</b> meets {when_days}, {when}. Your {count} proposals "
        "({codes}) are on its agenda.",
        facts["count"],
    ).format(
        stage=escape(stage.name),
        when_days=writer.in_days(forum),
        when=writer.when(forum),
        codes=codes,
        count=facts["count"],
    )


async def _closed_paragraph(
    writer: _Writer, stage: Stage, facts: dict[str, Any], _draft: Draft | None
) -> str:
    lines = [
        _("🔒 Intake for <b>{stage}</b> closed on {when}.").format(
            stage=escape(stage.name), when=writer.when(stage.closes_at)
        )
    ]
    if stage.forum_at is not None:
        lines.append(
            _("Its proposals are discussed at the forum {when_days}: {when}.").format(
                when_days=writer.in_days(stage.forum_at), when=writer.when(stage.forum_at)
            )
        )
    upcoming = [
        other
        for other in await stages_covering(writer.session, facts["region"])
        if other.id != stage.id and other.opens_at >= stage.closes_at
    ]
    if upcoming:
        following = upcoming[0]
        lines.append(
            _("Next: <b>{stage}</b> opens {when_days}: {when}.").format(
                stage=escape(following.name),
                when_days=writer.in_days(following.opens_at),
                when=writer.when(following.opens_at),
            )
        )
    else:
        lines.append(_("Bappeda will announce the next stage."))
    return " ".join(lines)


_PARAGRAPHS: dict[Topic, Callable[..., Awaitable[str]]] = {
    Topic.DRAFT: _draft_paragraph,
    Topic.LURAH: _lurah_paragraph,
    Topic.CAMAT: _camat_paragraph,
    Topic.FORUM: _forum_paragraph,
    Topic.CLOSED: _closed_paragraph,
}

RENDERERS = {KIND: render_reminder}
