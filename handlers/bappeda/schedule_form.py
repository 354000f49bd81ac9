"""Adding or changing a stage step by step: level, area, dates as typed, name, then a summary.

The half-filled stage lives in the conversation draft under its own key, beside any
proposal draft the planner may have, so neither is lost. Nothing is stored before "Save".
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from core.events import EventKind, Keyboard
from core.i18n import _
from handlers.calendar.phrases import area_name, level_label, stage_block, when
from handlers.callbacks import CallbackData, RegionCode, in_rows
from handlers.context import escape
from handlers.router import Step
from models.calendar import Stage, StageLevel, get_stage
from models.enums import RegionLevel
from models.regions import get_region, list_by_level, list_children
from services.calendar.dates import DateInputError, read_moment
from services.calendar.stages import (
    CLOSES_DEFAULT_TIME,
    FORUM_DEFAULT_TIME,
    MAX_NAME_LENGTH,
    OPENS_DEFAULT_TIME,
    StageFields,
    add_stage,
    change_stage,
    check_stage,
)
from services.region_lookup import find_places

if TYPE_CHECKING:
    from datetime import time

    from handlers.context import Context
    from handlers.router import Router

FORM_KEY = "stage_form"
IDLE = "idle"
PREFIX = "jadwal."
LEVEL_STEP, SCOPE_STEP = f"{PREFIX}level", f"{PREFIX}scope"
OPENS_STEP, CLOSES_STEP, FORUM_STEP = f"{PREFIX}opens", f"{PREFIX}closes", f"{PREFIX}forum"
NAME_STEP, CONFIRM_STEP = f"{PREFIX}name", f"{PREFIX}confirm"
# The fields a planner can change from the summary, and the step that asks each.
FIELD_STEPS = {
    "name": NAME_STEP,
    "area": LEVEL_STEP,
    "opens": OPENS_STEP,
    "closes": CLOSES_STEP,
    "forum": FORUM_STEP,
}
SCOPED_LEVELS = frozenset({StageLevel.DESA, StageLevel.KECAMATAN})


class PickLevel(CallbackData, prefix="jlevel"):
    """The stage's level."""

    level: StageLevel


class WholeRegency(CallbackData, prefix="jsall"):
    """The stage covers the whole regency."""


class ScopeKecamatan(CallbackData, prefix="jskec"):
    """A kecamatan: the area itself, or (for a desa stage) where to choose villages."""

    code: RegionCode


class ScopeArea(CallbackData, prefix="jsarea"):
    """The villages of a kecamatan, or one desa, for a desa stage."""

    code: RegionCode


class ScopeBack(CallbackData, prefix="jsback"):
    """Choose another kecamatan."""


class NoForumDate(CallbackData, prefix="jforum"):
    """The forum's date is not known yet."""


class TakeName(CallbackData, prefix="jname"):
    """Take the suggested name."""


class SummaryChoice(CallbackData, prefix="jsave"):
    """Save, choose a field to change, go back to the summary, or cancel."""

    choice: Literal["save", "fields", "summary", "cancel"]


class ChangeField(CallbackData, prefix="jfield"):
    """Change one field from the summary."""

    field: Literal["name", "area", "opens", "closes", "forum"]


def _form(context: Context) -> dict[str, Any]:
    return context.screen(FORM_KEY)


def _store(context: Context, **fields: Any) -> None:
    context.set_screen(FORM_KEY, {**_form(context), **fields})


def clear(context: Context) -> None:
    """Forget a half-filled stage and leave its steps."""
    context.leave_screen(FORM_KEY)
    if context.step.startswith(PREFIX):
        context.go(IDLE)


def _moment(form: dict[str, Any], key: str) -> datetime | None:
    value = form.get(key)
    return datetime.fromisoformat(value) if value else None


def _fields(form: dict[str, Any]) -> StageFields:
    return StageFields(
        name=form.get("name", ""),
        level=StageLevel(form["level"]),
        region_code=form.get("region_code"),
        opens_at=_moment(form, "opens_at"),  # type: ignore[arg-type]
        closes_at=_moment(form, "closes_at"),  # type: ignore[arg-type]
        forum_at=_moment(form, "forum_at"),
    )


async def _goto(context: Context, step: str) -> None:
    context.go(step)
    if context.router is not None:
        await context.router.steps[step].ask(context)


async def _next(context: Context, step: str) -> None:
    """Go to `step` while adding; back to the summary when a field was being changed."""
    await _goto(context, CONFIRM_STEP if _form(context).get("editing") else step)


async def start_add(context: Context) -> None:
    """Begin a new stage."""
    clear(context)
    _store(context, mode="add")
    await _goto(context, LEVEL_STEP)


async def start_change(context: Context, stage: Stage) -> None:
    """Begin changing a stage: load its fields and ask which one to change."""
    clear(context)
    stored = {
        "name": stage.name,
        "level": str(stage.level),
        "region_code": stage.region_code,
        "opens_at": stage.opens_at.isoformat(),
        "closes_at": stage.closes_at.isoformat(),
        "forum_at": stage.forum_at.isoformat() if stage.forum_at else None,
    }
    _store(context, mode="change", editing=True, stage_id=stage.id, original=stored, **stored)
    context.go(CONFIRM_STEP)
    _ask_field(
        context, _("What do you want to change in <b>{name}</b>?").format(name=escape(stage.name))
    )


def _ask_field(context: Context, question: str) -> None:
    labels = {
        "name": _("Name"),
        "area": _("Stage and area"),
        "opens": _("Opening"),
        "closes": _("Closing"),
        "forum": _("Forum"),
    }
    buttons = [
        ChangeField.model_validate({"field": field}).button(label)
        for field, label in labels.items()
    ]
    rows = in_rows(buttons)
    rows.append([SummaryChoice(choice="summary").button(_("↩️ Back to the summary"))])
    context.edit(question, Keyboard.inline_rows(rows))


async def _retry(context: Context, problem: str) -> None:
    """Say what is wrong, then ask the same question again; what was entered stays."""
    context.say(problem)
    await context.ask_current_step()


# --- level and area -------------------------------------------------------------------------


async def ask_level(context: Context) -> None:
    """Ask which stage of the season this is."""
    buttons = [[PickLevel(level=level).button(level_label(level))] for level in StageLevel]
    context.edit(
        _("Which stage is it? (Type /batal to stop; nothing is saved before the summary.)"),
        Keyboard.inline_rows(buttons),
    )


async def handle_level(context: Context) -> None:
    """Take the level; a desa or kecamatan stage needs its area next."""
    pressed = context.pressed(PickLevel)
    if pressed is None:
        await _retry(context, _("Please choose the stage with one of the buttons."))
        return
    level = pressed.level
    context.answer_callback()
    _store(context, level=level.value, region_code=None)
    if level in SCOPED_LEVELS:
        await _goto(context, SCOPE_STEP)
        return
    if not _form(context).get("editing"):
        context.edit(_("Stage: {level}").format(level=level_label(level)))
    await _next(context, OPENS_STEP)


async def ask_scope(context: Context) -> None:
    """Ask which area the stage covers: the whole regency or a kecamatan (then maybe a desa)."""
    form = _form(context)
    kecamatan_code = form.get("kecamatan")
    if kecamatan_code and form.get("level") == StageLevel.DESA:
        kecamatan = await get_region(context.session, kecamatan_code)
        villages = await list_children(context.session, kecamatan_code)
        rows = [
            [
                ScopeArea(code=kecamatan_code).button(
                    _("All villages of {kecamatan}").format(
                        kecamatan=kecamatan.name if kecamatan else kecamatan_code
                    )
                )
            ]
        ]
        buttons = [ScopeArea(code=village.code).button(village.name) for village in villages]
        rows += in_rows(buttons)
        rows.append([ScopeBack().button(_("↩️ Other kecamatan"))])
        context.edit(_("Which villages hold it?"), Keyboard.inline_rows(rows))
        return
    kecamatan_list = await list_by_level(context.session, RegionLevel.KECAMATAN)
    buttons = [ScopeKecamatan(code=region.code).button(region.name) for region in kecamatan_list]
    rows = [[WholeRegency().button(_("🌐 The whole regency"))]]
    rows += in_rows(buttons)
    context.edit(
        _("Which area does it cover? Choose, or type the name of a kecamatan or desa."),
        Keyboard.inline_rows(rows),
    )


async def handle_scope(context: Context) -> None:
    """Take the area from a button or a typed place name."""
    form = _form(context)
    level = StageLevel(form["level"])
    if context.event.kind is EventKind.TEXT:
        await _typed_scope(context, level)
        return
    if context.event.kind is not EventKind.CALLBACK:
        await _retry(context, _("Please choose the area with a button or type its name."))
        return
    context.answer_callback()
    kecamatan, area = context.pressed(ScopeKecamatan), context.pressed(ScopeArea)
    if context.pressed(WholeRegency) is not None:
        await _choose_area(context, None)
    elif kecamatan is not None and level is StageLevel.DESA:
        _store(context, kecamatan=kecamatan.code)
        await ask_scope(context)
    elif kecamatan is not None or area is not None:
        await _choose_area(context, (kecamatan or area).code)
    else:
        _store(context, kecamatan=None)
        await ask_scope(context)


async def _typed_scope(context: Context, level: StageLevel) -> None:
    levels = [RegionLevel.KECAMATAN]
    if level is StageLevel.DESA:
        levels += [RegionLevel.DESA, RegionLevel.KELURAHAN]
    regions = [
        region
        for region_level in levels
        for region in await list_by_level(context.session, region_level)
    ]
    found = find_places(context.event.text, regions)
    if found.best is None:
        await _retry(
            context,
            _("I could not tell which area “{typed}” is. Please choose with a button.").format(
                typed=escape(context.event.text[:60])
            ),
        )
        return
    await _choose_area(context, found.best.code)


async def _choose_area(context: Context, region_code: str | None) -> None:
    _store(context, region_code=region_code, kecamatan=None)
    if not _form(context).get("editing"):
        area = await area_name(context.session, region_code)
        context.edit(_("Area: {area}").format(area=area))
    await _next(context, OPENS_STEP)


# --- dates ----------------------------------------------------------------------------------


def _current(context: Context, key: str) -> str:
    moment = _moment(_form(context), key)
    if moment is None or _form(context).get("mode") != "change":
        return ""
    return "\n" + _("Now: {when}").format(
        when=when(moment, context.settings, context.user.language)
    )


async def ask_opens(context: Context) -> None:
    """Ask when intake opens."""
    context.say(
        _(
            "When does intake open? Type the date and time in WIB, for example "
            "1 Feb 2027 08.00 or 1/2/2027. Without a time it opens at 00.00."
        )
        + _current(context, "opens_at")
    )


async def ask_closes(context: Context) -> None:
    """Ask when intake closes: the deadline."""
    context.say(
        _(
            "When does intake close (the deadline)? For example 5 Feb 2027 16.00. Without a "
            "time it closes at 23.59."
        )
        + _current(context, "closes_at")
    )


async def ask_forum(context: Context) -> None:
    """Ask when the forum meets, which may not be known yet."""
    context.say(
        _(
            "When is the forum (the deliberation)? For example 8 Feb 2027 09.00. Without a "
            "time it starts at 09.00."
        )
        + _current(context, "forum_at"),
        Keyboard.inline_rows([[NoForumDate().button(_("➡️ No forum date yet"))]]),
    )


async def _typed_moment(context: Context, default: time) -> datetime | None:
    """Read the typed date; say what is wrong and ask again when it cannot be read."""
    if context.event.kind is not EventKind.TEXT:
        await _retry(context, _("Please type the date, for example 15 Jan 2027 16.00."))
        return None
    try:
        return read_moment(
            context.event.text,
            now=context.now,
            zone=context.settings.zone,
            default_time=default,
        )
    except DateInputError as error:
        await _retry(context, error.message())
        return None


async def handle_opens(context: Context) -> None:
    """Take the opening time."""
    moment = await _typed_moment(context, OPENS_DEFAULT_TIME)
    if moment is None:
        return
    _store(context, opens_at=moment.isoformat())
    await _next(context, CLOSES_STEP)


async def handle_closes(context: Context) -> None:
    """Take the closing time; it must come after the opening."""
    moment = await _typed_moment(context, CLOSES_DEFAULT_TIME)
    if moment is None:
        return
    opens = _moment(_form(context), "opens_at")
    if opens is not None and moment <= opens:
        await _retry(
            context,
            _(
                "Intake must close after it opens ({opens}). Please type the closing date again."
            ).format(opens=when(opens, context.settings, context.user.language)),
        )
        return
    _store(context, closes_at=moment.isoformat())
    await _next(context, FORUM_STEP)


async def handle_forum(context: Context) -> None:
    """Take the forum time, or none; the forum comes after intake closes."""
    if context.event.kind is EventKind.CALLBACK:
        context.answer_callback()
        _store(context, forum_at=None)
        await _next(context, NAME_STEP)
        return
    moment = await _typed_moment(context, FORUM_DEFAULT_TIME)
    if moment is None:
        return
    closes = _moment(_form(context), "closes_at")
    if closes is not None and moment < closes:
        await _retry(
            context,
            _(
                "The forum must be after intake closes ({closes}): proposals are discussed "
                "once they are all in. Please type the forum date again."
            ).format(closes=when(closes, context.settings, context.user.language)),
        )
        return
    _store(context, forum_at=moment.isoformat())
    await _next(context, NAME_STEP)


# --- name -----------------------------------------------------------------------------------


async def _suggested_name(context: Context) -> str:
    form = _form(context)
    level = StageLevel(form["level"])
    opens = _moment(form, "opens_at")
    year = opens.astimezone(context.settings.zone).year if opens else context.now.year
    if level is StageLevel.KABUPATEN:
        return f"Musrenbang {context.settings.regency_name} {year}"
    region = (
        await get_region(context.session, form["region_code"]) if form.get("region_code") else None
    )
    parts = [level_label(level), region.name if region else "", str(year)]
    return " ".join(part for part in parts if part)


async def ask_name(context: Context) -> None:
    """Ask for the stage's name, offering one built from its level, area and year."""
    suggestion = await _suggested_name(context)
    context.say(
        _("What is the stage called? Type the name, or take this one:"),
        Keyboard.inline_rows([[TakeName().button(f"✅ {suggestion}")]]),
    )


async def handle_name(context: Context) -> None:
    """Take the typed or suggested name."""
    if context.event.kind is EventKind.CALLBACK:
        context.answer_callback()
        name = await _suggested_name(context)
    elif context.event.kind is EventKind.TEXT:
        name = " ".join(context.event.text.split())
    else:
        await _retry(context, _("Please type the name of the stage."))
        return
    if not name or len(name) > MAX_NAME_LENGTH:
        await _retry(
            context,
            _("The name must have 1 to {limit} characters.").format(limit=MAX_NAME_LENGTH),
        )
        return
    _store(context, name=name)
    await _goto(context, CONFIRM_STEP)


# --- summary --------------------------------------------------------------------------------


async def ask_confirm(context: Context) -> None:
    """Show the stage as it would be saved, its problems and warnings, and the choices."""
    form = _form(context)
    fields = _fields(form)
    check = await check_stage(
        context.session, fields, now=context.now, stage_id=form.get("stage_id")
    )
    locale = context.user.language
    heading = (
        _("<b>New stage</b>")
        if form.get("mode") == "add"
        else _("<b>Changed stage</b> (✏️ marks a change; not saved yet)")
    )
    forum = (
        when(fields.forum_at, context.settings, locale) if fields.forum_at else _("not set yet")
    )
    shown = [
        ("name", _("Name: {name}").format(name=escape(fields.name))),
        ("level", _("Stage: {level}").format(level=level_label(fields.level))),
        (
            "region_code",
            _("Area: {area}").format(area=await area_name(context.session, fields.region_code)),
        ),
        (
            "opens_at",
            _("Opens: {when}").format(when=when(fields.opens_at, context.settings, locale)),
        ),
        (
            "closes_at",
            _("Closes: {when}").format(when=when(fields.closes_at, context.settings, locale)),
        ),
        ("forum_at", _("Forum: {when}").format(when=forum)),
    ]
    original = form.get("original") or {}
    lines = [heading]
    lines += [
        f"✏️ {line}" if original and original.get(key) != form.get(key) else line
        for key, line in shown
    ]
    lines += [f"❌ {error}" for error in check.errors]
    lines += [f"⚠️ {warning}" for warning in check.warnings]
    rows = []
    if check.ok:
        rows.append([SummaryChoice(choice="save").button(_("✅ Save"))])
    else:
        lines.append(_("Please change what is marked ❌ before saving."))
    rows.append([SummaryChoice(choice="fields").button(_("✏️ Change a field"))])
    rows.append([SummaryChoice(choice="cancel").button(_("❌ Cancel, save nothing"))])
    context.edit("\n".join(lines), Keyboard.inline_rows(rows))


async def handle_confirm(context: Context) -> None:
    """Save, change a field, or cancel."""
    if context.event.kind is not EventKind.CALLBACK:
        await _retry(context, _("Please use the buttons below the summary."))
        return
    context.answer_callback()
    pressed, field = context.pressed(SummaryChoice), context.pressed(ChangeField)
    action = pressed.choice if pressed is not None else None
    if action == "save":
        await _save(context)
    elif action == "fields":
        _ask_field(context, _("What do you want to change?"))
    elif field is not None:
        _store(context, editing=True)
        await _goto(context, FIELD_STEPS[field.field])
    elif action == "cancel":
        clear(context)
        context.edit(_("Cancelled: nothing was saved."))
    else:
        await ask_confirm(context)


async def _save(context: Context) -> None:
    form = _form(context)
    fields = _fields(form)
    check = await check_stage(
        context.session, fields, now=context.now, stage_id=form.get("stage_id")
    )
    if not check.ok:
        await ask_confirm(context)
        return
    session = context.session
    if form.get("mode") == "add":
        stage = await add_stage(session, fields)
        lead = _("✅ Saved: the stage is in the calendar.")
    else:
        existing = await get_stage(session, form["stage_id"])
        if existing is None:
            clear(context)
            context.edit(_("This stage no longer exists."))
            return
        stage = existing
        cancelled = await change_stage(session, stage, fields)
        lead = _("✅ Saved: the stage is changed.")
        if cancelled:
            lead += " " + _(
                "{count} reminders not yet sent were withdrawn and are planned again from "
                "the new dates."
            ).format(count=cancelled)
    clear(context)
    block = await stage_block(
        session, stage, now=context.now, settings=context.settings, locale=context.user.language
    )
    context.edit("\n\n".join([lead, block, _("Type /jadwal to see the whole calendar.")]))


def register(router: Router) -> None:
    """Add the form's steps."""
    scope_kinds = {WholeRegency, ScopeKecamatan, ScopeArea, ScopeBack}
    for name, ask, handle, kinds in (
        (LEVEL_STEP, ask_level, handle_level, {PickLevel}),
        (SCOPE_STEP, ask_scope, handle_scope, scope_kinds),
        (OPENS_STEP, ask_opens, handle_opens, set()),
        (CLOSES_STEP, ask_closes, handle_closes, set()),
        (FORUM_STEP, ask_forum, handle_forum, {NoForumDate}),
        (NAME_STEP, ask_name, handle_name, {TakeName}),
        (CONFIRM_STEP, ask_confirm, handle_confirm, {SummaryChoice, ChangeField}),
    ):
        router.add_step(Step(name, ask, handle, buttons=frozenset(kinds)))
