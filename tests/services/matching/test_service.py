import json

import pytest

from core.i18n import use_locale
from models.db import create_engine_from_url
from models.enums import Bidang, RegionLevel
from services.matching.authority import VerdictKind
from services.matching.service import MatchingService, Suggestion


@pytest.fixture(name="service")
async def service_fixture(sqlite_url):
    engine = create_engine_from_url(sqlite_url)
    yield MatchingService(engine)
    await engine.dispose()


async def test_suggest_uses_everything_the_person_said(service):
    title_only = await service.suggest("usulan warga dusun dua")
    suggestion = await service.suggest(
        "usulan warga dusun dua",
        bidang=Bidang.INFRASTRUKTUR,
        problem="anak-anak menyeberang sungai pakai rakit karena jembatan hanyut",
        desa_level=RegionLevel.DESA,
    )
    assert not title_only.confident
    assert suggestion.best.code == "1.03.10"
    assert suggestion.best.opd
    assert suggestion.best.bidang == "infrastruktur"
    assert "river_crossing" in suggestion.problems
    assert suggestion.other_bidang is None


async def test_suggest_flags_a_bidang_the_programs_do_not_belong_to(service):
    suggestion = await service.suggest("jalan dusun rusak parah", bidang=Bidang.EKONOMI)
    assert suggestion.best.code == "1.03.10"
    assert suggestion.other_bidang is Bidang.INFRASTRUKTUR
    assert suggestion.as_dict()["other_bidang"] == "infrastruktur"


async def test_suggestion_is_stored_without_translated_text(service):
    suggestion = await service.suggest("kades kami korupsi dana desa")
    data = suggestion.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["verdict"] == {
        "kind": "complaint",
        "rule": "complaint_person",
        "accuses_head": True,
    }
    assert not data["confident"]
    with use_locale("id"):
        assert "inspektorat" in suggestion.note.lower()
    with use_locale("en"):
        assert "inspectorate" in suggestion.note.lower()


async def test_suggest_says_a_personal_request_is_not_a_proposal(service):
    suggestion = await service.suggest("tolong perbaiki atap rumah saya yang bocor")
    assert suggestion.verdict.kind is VerdictKind.PERSONAL
    assert not suggestion.confident
    assert suggestion.options  # what it resembles is still there for Bappeda


async def test_suggest_note_is_empty_when_confident(service):
    suggestion = await service.suggest("puskesmas pembantu untuk desa kami")
    assert suggestion.confident
    assert suggestion.note == ""
    assert len(suggestion.options) <= 3


async def test_suggestion_stored_in_the_draft_reads_back_the_same(service):
    for text in (
        "kades kami korupsi dana desa",
        "tolong bangun SMA di sini",
        "irigasi sawah jebol",
    ):
        suggestion = await service.suggest(text, bidang=Bidang.EKONOMI)
        stored = json.loads(json.dumps(suggestion.as_dict()))
        assert Suggestion.from_dict(stored) == suggestion
    own_house = await service.suggest("perbaiki atap rumah saya")
    read_back = Suggestion.from_dict(own_house.as_dict())
    with use_locale("id"):
        assert read_back.note == own_house.note
