"""The draft of a proposal: the one place its fields exist, and how it is stored as JSON.

Only codes, ids and what the person typed are stored: anything shown in words (a status,
why a program does not fit, supporter counts) is looked up and translated when shown.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from models.enums import Bidang, Urgency

logger = logging.getLogger(__name__)


class Quantity(BaseModel):
    """A volume or beneficiaries answer: the figure read from `text`, or "not known"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float | None = None
    unit: str | None = None
    text: str = ""
    display: str = ""
    unknown: bool = False


class ProgramOption(BaseModel):
    """An RPJMD program offered for the proposal, as it was shown."""

    model_config = ConfigDict(extra="forbid", frozen=True, from_attributes=True)

    code: str
    name: str
    opd: str
    score: float
    bidang: str | None = None


class Draft(BaseModel):
    """Everything entered so far, and where the intake stands."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    kecamatan_code: str | None = None
    desa_code: str | None = None
    desa_page: int = 0
    bidang: Bidang | None = None
    title: str | None = None
    match_options: list[ProgramOption] = []
    match_confident: bool = False
    match_rule: str | None = None  # the verdict's rule when the text is not a proposal
    verdict_kind: str | None = None
    accuses_head: bool = False
    other_bidang: Bidang | None = None  # the options' bidang when none is of the chosen one
    better_options: list[ProgramOption] = []  # re-ranked with the problem, shown at the preview
    program_code: str | None = None
    match_score: float | None = None
    match_confirmed: bool = False
    program_decided: bool = False
    similar_ids: list[int] = []
    problem: str | None = None
    location_detail: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    volume: Quantity | None = None
    beneficiaries: Quantity | None = None
    urgency: Urgency | None = None
    photo_file_ids: list[str] = []
    photos_done: bool = False
    editing: bool = False
    resume_step: str | None = None
    # What was sent at idle before the proposal started: a message kept as the title and
    # photos kept for it; `title_from_chat` until the title step has matched that title.
    chat_title: str | None = None
    chat_photos: list[str] = []
    title_from_chat: bool = False
    resubmit_of: int | None = None  # the returned proposal this draft fixes
    correct_of: int | None = None  # the sent, not yet verified proposal this draft corrects
    # Half-done work on an official's screen (a note, a ranking, a form), by screen.
    screens: dict[str, dict[str, Any]] = {}
    saved_at: datetime | None = None

    @classmethod
    def load(cls, data: dict[str, Any]) -> Draft:
        """Read a stored draft; a field that cannot be read is dropped, the rest kept."""
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            unreadable = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
            logger.warning("Draft fields dropped as unreadable: %s", sorted(unreadable))
            return cls.model_validate({k: v for k, v in data.items() if k not in unreadable})

    def dump(self) -> dict[str, Any]:
        """Return the draft as JSON-ready data, without the fields left at their default."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def has_answers(self) -> bool:
        """Return whether the person entered anything yet."""
        return any((self.kecamatan_code, self.bidang, self.title))

    def expired(self, now: datetime, days: int) -> bool:
        """Return whether the draft was stopped more than `days` ago."""
        return self.saved_at is not None and now - self.saved_at > timedelta(days=days)
