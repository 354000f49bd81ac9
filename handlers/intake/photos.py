"""Step: up to three photos, optional; a photo or an image sent as a file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from core.events import Event, EventKind, Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.intake import flow
from handlers.router import Step

if TYPE_CHECKING:
    from handlers.context import Context
    from services.drafts import Draft

MAX_PHOTOS = 3
IMAGE_FILES = {"image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",), "image/webp": (".webp",)}


class PhotoAction(CallbackData, prefix="foto"):
    action: Literal["done", "clear"]


def _keyboard(count: int) -> Keyboard:
    label = _("Done ✅") if count else _("Skip, no photo ➡️")
    rows = [[PhotoAction(action="done").button(label)]]
    if count:
        rows.append([PhotoAction(action="clear").button(_("🗑 Remove the photos"))])
    return Keyboard.inline_rows(rows)


async def ask(context: Context) -> None:
    """Ask for photos of the current condition."""
    count = len(context.draft.photo_file_ids)
    if count:
        text = _("{count} of {limit} photos received. Send another, or press Done.").format(
            count=count, limit=MAX_PHOTOS
        )
    else:
        text = _(
            "Send up to {limit} photos of the current condition (optional). They help the "
            "committee understand the need."
        ).format(limit=MAX_PHOTOS)
    context.say(text, _keyboard(count))


async def handle(context: Context) -> None:
    """Add a photo, or finish the step."""
    event = context.event
    pressed = context.pressed(PhotoAction)
    if pressed is not None:
        context.answer_callback()
        if pressed.action == "clear":
            context.update_draft(photo_file_ids=[])
            await ask(context)
            return
        context.update_draft(photos_done=True)
        await flow.advance(context, "photos")
        return
    if (event.kind is EventKind.PHOTO or _is_image_file(event)) and event.file_id:
        await _add_photo(context, event.file_id)
        return
    if event.kind is EventKind.DOCUMENT:
        context.say(
            _(
                "Only photos or image files (JPG, PNG or WebP) can be attached. Please send "
                "a photo."
            )
        )
    else:
        context.say(_("Please send a photo, or press the button if you have none."))
    await ask(context)


async def _add_photo(context: Context, file_id: str) -> None:
    photos = context.draft.photo_file_ids
    if len(photos) >= MAX_PHOTOS:
        context.say(
            _("You already sent {limit} photos, the most that fit. Press Done.").format(
                limit=MAX_PHOTOS
            ),
            _keyboard(len(photos)),
        )
        return
    photos.append(file_id)
    context.update_draft(photo_file_ids=photos)
    if len(photos) >= MAX_PHOTOS:
        context.update_draft(photos_done=True)
        await flow.advance(context, "photos")
        return
    await ask(context)


def _is_image_file(event: Event) -> bool:
    """Return whether a document is a JPEG, PNG or WebP picture whose name says so too."""
    if event.kind is not EventKind.DOCUMENT or event.mime_type not in IMAGE_FILES:
        return False
    name = (event.file_name or "").lower()
    return not name or name.endswith(IMAGE_FILES[event.mime_type])


async def summary(_context: Context, draft: Draft) -> str:
    """Return the preview line of the photos."""
    return _("<b>Photos:</b> {count}").format(count=len(draft.photo_file_ids))


STEP = Step(flow.step_name("photos"), ask, handle, frozenset({PhotoAction}))
