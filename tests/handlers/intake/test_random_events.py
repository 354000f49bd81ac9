"""Random events at every intake step: no crash, always an answer, no entered field lost."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.config import load_settings
from core.events import EditText, Event, EventKind, SendText
from handlers.dispatch import Core
from handlers.intake import flow, spec
from handlers.registry import build_router
from models.base import utcnow
from models.conversations import Conversation
from models.db import create_engine_from_url, session_scope
from models.users import User
from services.drafts import Draft, ProgramOption, Quantity
from services.importing.reference import load_bundled_regions

FULL_DRAFT = Draft(
    kecamatan_code="17.07.01",
    desa_code="17.07.01.2002",
    bidang="infrastruktur",
    title="Pengaspalan jalan dusun 2",
    match_options=[
        ProgramOption(code="1.03.10", name="Penyelenggaraan Jalan", opd="Dinas PUPR", score=0.8)
    ],
    match_confident=True,
    program_code="1.03.10",
    match_score=0.8,
    match_confirmed=True,
    program_decided=True,
    problem="Jalan berlubang dan licin saat hujan",
    location_detail="RT 02 dekat masjid",
    latitude=-3.06,
    longitude=102.25,
    volume=Quantity(value=800, unit="m", text="800 m", display="800 m"),
    beneficiaries=Quantity(value=120, unit="kk", text="120 KK", display="120 KK"),
    urgency="mendesak",
    photo_file_ids=["photo-1"],
    photos_done=True,
)
STEPS = [field.short for field in spec.FIELDS] + [flow.PREVIEW]
ENTERED = (
    "kecamatan_code",
    "bidang",
    "title",
    "problem",
    "location_detail",
    "latitude",
    "volume",
    "beneficiaries",
    "urgency",
)
DISCARDING = {"batal:discard", "draf:new", "prev:send", "lagi", "hapusdata:yes"}
DISCARDING_NAMESPACES = {"dukung"}
APOLOGY = "ada gangguan di sistem kami"
ROUTER = build_router()
NAMESPACES = sorted(set(ROUTER.callbacks) | set(ROUTER.step_of_prefix))
COMMANDS = ["start", "bantuan", "batal", "usul", "status", "usulansaya", "menu", "terbang"]
_ids = itertools.count(1)


@st.composite
def events(draw, chat_id: int, shown: list[str]) -> Event:
    """Draw an event: any kind, any text, a shown button, or made-up button data."""
    kind = draw(st.sampled_from(list(EventKind)))
    base = {"update_id": next(_ids), "user_id": chat_id, "chat_id": chat_id, "kind": kind}
    if kind is EventKind.CALLBACK:
        made_up = st.builds(
            lambda namespace, value: f"{namespace}:{value}",
            st.sampled_from(NAMESPACES),
            st.text(max_size=20),
        )
        options = [st.sampled_from(shown), made_up] if shown else [made_up]
        data = draw(st.one_of(*options, st.text(max_size=64)))
        return Event(**base, text=data, callback_id=f"cb{base['update_id']}", message_id=1)
    if kind is EventKind.COMMAND:
        return Event(
            **base, command=draw(st.sampled_from(COMMANDS)), text=draw(st.text(max_size=30))
        )
    if kind is EventKind.LOCATION:
        return Event(
            **base,
            latitude=draw(st.floats(-100, 100, allow_nan=False)),
            longitude=draw(st.floats(-200, 200, allow_nan=False)),
        )
    if kind in {EventKind.PHOTO, EventKind.DOCUMENT}:
        mime = draw(st.sampled_from(["image/jpeg", "application/pdf", None]))
        return Event(**base, file_id=f"file-{base['update_id']}", mime_type=mime)
    return Event(**base, text=draw(st.text(max_size=2100)))


def present(value: object) -> bool:
    return value is not None and value not in ("", [], {})


def discards(event: Event) -> bool:
    namespace = event.text.partition(":")[0]
    return event.kind is EventKind.CALLBACK and (
        event.text in DISCARDING or namespace in DISCARDING_NAMESPACES
    )


@pytest.fixture
async def random_core(sqlite_url):
    engine = create_engine_from_url(sqlite_url)
    async with session_scope(engine) as session:
        await load_bundled_regions(session)
    yield Core(engine=engine, settings=load_settings(database_url=sqlite_url))
    await engine.dispose()


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(step=st.sampled_from(STEPS), data=st.data())
async def test_random_events_never_crash_always_answer_and_keep_entered_fields(
    random_core, step, data
):
    core = random_core
    chat_id = next(_ids) + 1_000_000
    async with session_scope(core.engine) as session:
        session.add(User(telegram_id=chat_id, consent_at=utcnow(), name="Uji"))
        session.add(
            Conversation(
                chat_id=chat_id,
                user_id=chat_id,
                step=flow.step_name(step),
                draft={**FULL_DRAFT.dump(), "resume_step": flow.step_name(step)},
            )
        )
    shown: list[str] = []
    for _ in range(data.draw(st.integers(1, 6))):
        async with session_scope(core.engine) as session:
            before = dict((await session.get(Conversation, chat_id)).draft)
        event = data.draw(events(chat_id, shown))
        replies = await core.handle(event)
        assert replies, event
        texts = [r.text for r in replies if isinstance(r, SendText | EditText)]
        assert all(text.strip() for text in texts)
        assert not any(APOLOGY in text for text in texts), (event, texts)
        shown = [
            button.data
            for reply in replies
            if isinstance(reply, SendText | EditText) and reply.keyboard
            for button in reply.keyboard.buttons()
            if button.data
        ] or shown
        async with session_scope(core.engine) as session:
            after = dict((await session.get(Conversation, chat_id)).draft)
        if discards(event) or not before:
            continue
        lost = [key for key in ENTERED if present(before.get(key)) and not present(after.get(key))]
        assert lost == [], (event, lost)
        if event.text.partition(":")[0] != "kec":
            assert after.get("desa_code") == before.get("desa_code") or after.get("desa_code")
