"""Steps: kecamatan, then desa / kelurahan; buttons, or a typed name matched fuzzily."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from core.events import Button, EventKind, Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData, in_rows
from handlers.context import escape
from handlers.intake import flow
from handlers.intake.inputs import read_text
from handlers.router import Step
from models.enums import RegionLevel
from models.regions import Region, get_region, list_by_level, list_children, list_villages
from services.region_lookup import PlaceMatches, find_places

if TYPE_CHECKING:
    from handlers.context import Context
    from services.drafts import Draft

PAGE_SIZE = 8
MAX_NAME_LENGTH = 60
VILLAGE_LEVELS = {RegionLevel.DESA, RegionLevel.KELURAHAN}
RegionCode = Annotated[str, Field(pattern=r"^[0-9]{2}(\.[0-9]{2,4}){1,3}$")]


class PickPlace(CallbackData, prefix="kec"):
    """A kecamatan, or a desa found by its typed name, chosen at the kecamatan step."""

    code: RegionCode


class PickDesa(CallbackData, prefix="desa"):
    code: RegionCode


class DesaPage(CallbackData, prefix="desap"):
    page: int = Field(ge=0, le=99)


class OtherKecamatan(CallbackData, prefix="desak"):
    """Go back from the desa buttons to choose another kecamatan."""


class NotTheseKecamatan(CallbackData, prefix="bukank"):
    """None of the places offered at the kecamatan step."""


class NotTheseDesa(CallbackData, prefix="bukand"):
    """None of the places offered at the desa step."""


def _number_typed(context: Context) -> bool:
    """Answer a bare number typed for a place ("3", "12"); return True when it was one."""
    event = context.event
    typed = event.text.strip() if event.kind is EventKind.TEXT else ""
    if not typed.isdigit():
        return False
    context.say(
        _(
            "“{typed}” is a number, not a place name. Please press a button or type the name."
        ).format(typed=escape(typed[:10]))
    )
    return True


async def _not_these(context: Context) -> bool:
    """Handle "none of these" under offered places; return True when it was pressed."""
    if context.pressed(NotTheseKecamatan) is None and context.pressed(NotTheseDesa) is None:
        return False
    context.answer_callback()
    context.edit(_("All right, none of these. Please type the name again or press a button."))
    await context.ask_current_step()
    return True


async def ask_kecamatan(context: Context) -> None:
    """Ask for the kecamatan with a button each."""
    kecamatan = await list_by_level(context.session, RegionLevel.KECAMATAN)
    buttons = [PickPlace(code=item.code).button(item.name) for item in kecamatan]
    context.say(
        _(
            "In which kecamatan is the location of your proposal? Press a button, or type "
            "the name of the kecamatan or of your desa."
        ),
        Keyboard.inline_rows(in_rows(buttons)),
    )


async def handle_kecamatan(context: Context) -> None:
    """Take a kecamatan button, or a typed kecamatan or desa name."""
    pressed = context.pressed(PickPlace)
    if pressed is not None:
        context.answer_callback()
        await _choose(context, await get_region(context.session, pressed.code))
        return
    if await _not_these(context):
        return
    if _number_typed(context):
        await ask_kecamatan(context)
        return
    typed = await read_text(context, max_length=MAX_NAME_LENGTH, min_length=3)
    if typed is None:
        return
    kecamatan = await list_by_level(context.session, RegionLevel.KECAMATAN)
    villages = await list_villages(context.session)
    await _resolve_typed(context, typed, find_places(typed, [*kecamatan, *villages]))


async def _choose(context: Context, region: Region | None) -> None:
    """Take a chosen kecamatan or desa; anything else puts the step's question again."""
    if region is not None and region.level == RegionLevel.KECAMATAN:
        await _choose_kecamatan(context, region)
    elif region is not None and region.level in VILLAGE_LEVELS:
        await _choose_desa(context, region)
    else:
        await context.ask_current_step()


async def _choose_kecamatan(context: Context, region: Region) -> None:
    if context.draft.kecamatan_code != region.code:
        context.update_draft(kecamatan_code=region.code, desa_code=None, desa_page=0)
    context.say(_("Kecamatan: {name}").format(name=escape(region.name)))
    await flow.goto(context, "desa")


async def _choose_desa(context: Context, region: Region) -> None:
    context.update_draft(kecamatan_code=region.parent_code, desa_code=region.code)
    parent = await get_region(context.session, region.parent_code or "")
    context.say(
        _("Desa / kelurahan: {desa}, Kecamatan {kecamatan}").format(
            desa=escape(region.name), kecamatan=escape(parent.name if parent else "-")
        )
    )
    await flow.advance(context, "desa")


async def _resolve_typed(context: Context, typed: str, matches: PlaceMatches) -> None:
    """Act on a typed place name: choose it, offer the candidates, or say nothing matched."""
    if matches.best is not None:
        await _choose(context, matches.best)
        return
    if matches.candidates:
        in_desa_step = context.step == flow.step_name("desa")
        rows = [
            [_place_button(region, in_desa_step=in_desa_step)] for region in matches.candidates
        ]
        none = NotTheseDesa() if in_desa_step else NotTheseKecamatan()
        rows.append([none.button(_("✖ None of these"))])
        context.say(
            _("Which one do you mean by “{typed}”?").format(typed=escape(typed)),
            Keyboard.inline_rows(rows),
        )
        return
    context.say(
        _(
            "I could not find a place called “{typed}”. Please check the spelling or press a "
            "button."
        ).format(typed=escape(typed))
    )
    await context.ask_current_step()


def _place_button(region: Region, *, in_desa_step: bool) -> Button:
    """Return a button for a candidate place, of a kind the current step owns."""
    kind = PickDesa if in_desa_step else PickPlace
    if region.level == RegionLevel.KECAMATAN:
        return kind(code=region.code).button(_("Kecamatan {name}").format(name=region.name))
    return kind(code=region.code).button(region.name)


async def ask_desa(context: Context) -> None:
    """Ask for the desa / kelurahan with paged buttons."""
    draft = context.draft
    kecamatan = await get_region(context.session, draft.kecamatan_code or "")
    if kecamatan is None:
        await flow.goto(context, "kecamatan")
        return
    villages = await list_children(context.session, kecamatan.code)
    pages = max(1, -(-len(villages) // PAGE_SIZE))
    page = min(draft.desa_page, pages - 1)
    shown = villages[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = in_rows([PickDesa(code=item.code).button(item.name) for item in shown])
    navigation = []
    if page > 0:
        navigation.append(DesaPage(page=page - 1).button(_("⬅️ Previous")))
    if page < pages - 1:
        navigation.append(DesaPage(page=page + 1).button(_("Next ➡️")))
    if navigation:
        rows.append(navigation)
    rows.append([OtherKecamatan().button(_("🔙 Another kecamatan"))])
    text = _(
        "Which desa / kelurahan in Kecamatan {kecamatan}? Press a button, or type its name."
    ).format(kecamatan=escape(kecamatan.name))
    if pages > 1:
        text += "\n" + _("(page {page} of {pages})").format(page=page + 1, pages=pages)
    context.say(text, Keyboard.inline_rows(rows))


async def handle_desa(context: Context) -> None:
    """Take a desa button, a page button, or a typed desa name."""
    if context.pressed(OtherKecamatan) is not None:
        context.answer_callback()
        await flow.goto(context, "kecamatan")
        return
    page = context.pressed(DesaPage)
    if page is not None:
        context.answer_callback()
        context.update_draft(desa_page=page.page)
        context.edit(_("Turning the page…"))
        await ask_desa(context)
        return
    pressed = context.pressed(PickDesa)
    if pressed is not None:
        context.answer_callback()
        await _choose(context, await get_region(context.session, pressed.code))
        return
    if await _not_these(context):
        return
    if _number_typed(context):
        await ask_desa(context)
        return
    typed = await read_text(context, max_length=MAX_NAME_LENGTH, min_length=3)
    if typed is None:
        return
    local = await list_children(context.session, context.draft.kecamatan_code or "")
    matches = find_places(typed, local)
    if matches.best is None and not matches.candidates:
        matches = find_places(typed, await list_villages(context.session))
    await _resolve_typed(context, typed, matches)


async def summary(context: Context, draft: Draft) -> str:
    """Return the preview line of the desa and its kecamatan."""
    desa = await get_region(context.session, draft.desa_code or "")
    kecamatan = await get_region(context.session, draft.kecamatan_code or "")
    return _("<b>Desa / kelurahan:</b> {desa}, Kecamatan {kecamatan}").format(
        desa=escape(desa.name if desa else "-"),
        kecamatan=escape(kecamatan.name if kecamatan else "-"),
    )


KECAMATAN_STEP = Step(
    flow.step_name("kecamatan"),
    ask_kecamatan,
    handle_kecamatan,
    frozenset({PickPlace, NotTheseKecamatan}),
)
DESA_STEP = Step(
    flow.step_name("desa"),
    ask_desa,
    handle_desa,
    frozenset({PickDesa, DesaPage, OtherKecamatan, NotTheseDesa}),
)
