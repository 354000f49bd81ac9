"""The matching service: one matcher per process, taught at once by Bappeda's corrections.

The intake asks `suggest()` with everything the person said so far: the title, the bidang they
chose, the problem once it is known, and whether their village is a desa or a kelurahan. The
answer says which programs to show (fewer than three when the rest are weak), whether the best
one can be trusted, whether the programs belong to another bidang than the one chosen, and,
when the message is not a kabupaten proposal, what it is instead (a `Verdict`).

A correction made in this process (`record_correction`) teaches the running matcher at once;
one stored by another process (the `musrenbang correct` command, another bot instance) is
learnt before the next suggestion.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from core.i18n import _
from models.db import session_scope
from models.enums import Bidang
from services.matching.authority import Verdict
from services.matching.catalogue import CorrectionEvidence
from services.matching.corrections import corrections_after, save_correction
from services.matching.loading import get_matcher, list_imported_programs, load_matcher

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.ext.asyncio import AsyncEngine
    from sqlmodel.ext.asyncio.session import AsyncSession

    from models.catalogue import MatchCorrection
    from models.enums import RegionLevel
    from services.matching.rank import Candidate, Matcher, MatchResult

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgramOption:
    """A program offered to the person, with its OPD and bidang."""

    code: str
    name: str
    opd: str
    bidang: str
    score: float

    @classmethod
    def of(cls, candidate: Candidate) -> ProgramOption:
        """Return the option for a ranked candidate."""
        return cls(
            code=candidate.code,
            name=candidate.name,
            opd=candidate.opd,
            bidang=candidate.bidang.value,
            score=round(candidate.score, 3),
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the option as JSON-ready data for the draft."""
        return asdict(self)


@dataclass(frozen=True)
class Suggestion:
    """What the matcher makes of a proposal, for the intake to show.

    Attributes:
        options: the programs worth showing, best first (at most three, possibly none).
        confident: the first option can be trusted (right about 19 times in 20).
        confidence: the calibrated probability that the first option is right.
        verdict: set when the message is not a kabupaten proposal; its `kind` says what it is
            and `reason` why, `accuses_head` whether a complaint names the kepala desa/lurah.
        other_bidang: the bidang of the options when none is of the bidang the person chose.
        problems: keys of the problems the text describes (services/data/problem_needs.csv).
    """

    options: tuple[ProgramOption, ...]
    confident: bool
    confidence: float
    verdict: Verdict | None = None
    other_bidang: Bidang | None = None
    problems: tuple[str, ...] = ()

    @classmethod
    def of(cls, result: MatchResult) -> Suggestion:
        """Return the suggestion for a match result."""
        return cls(
            options=tuple(ProgramOption.of(candidate) for candidate in result.options),
            confident=result.confident,
            confidence=round(result.confidence, 3),
            verdict=result.verdict,
            other_bidang=result.other_bidang,
            problems=result.problems,
        )

    @property
    def best(self) -> ProgramOption | None:
        """Return the first option, if any."""
        return self.options[0] if self.options else None

    @property
    def note(self) -> str:
        """Return, in the current locale, why the match is not confident ("" when it is)."""
        if self.verdict is not None:
            return self.verdict.reason
        if self.confident:
            return ""
        return _("No program fits this proposal confidently yet; Bappeda will map it by hand.")

    def as_dict(self) -> dict[str, Any]:
        """Return the suggestion as JSON-ready data (no translated text) for the draft."""
        return {
            "options": [option.as_dict() for option in self.options],
            "confident": self.confident,
            "confidence": self.confidence,
            "verdict": self.verdict.as_dict() if self.verdict is not None else None,
            "other_bidang": self.other_bidang.value if self.other_bidang else None,
            "problems": list(self.problems),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Suggestion:
        """Return the suggestion stored by `as_dict` (its texts are translated when shown)."""
        return cls(
            options=tuple(ProgramOption(**option) for option in data["options"]),
            confident=bool(data["confident"]),
            confidence=float(data["confidence"]),
            verdict=Verdict.from_dict(data["verdict"]) if data.get("verdict") else None,
            other_bidang=Bidang(data["other_bidang"]) if data.get("other_bidang") else None,
            problems=tuple(data.get("problems", ())),
        )


class MatchingService:
    """The process's matcher, built once from the catalogue, imports and corrections.

    Without imports or corrections the process's shared matcher of the shipped catalogue is
    used (building one takes seconds); the first correction gives this service its own copy.
    """

    def __init__(self, engine: AsyncEngine, *, version: str = "2024") -> None:
        """Keep the engine; the matcher is built on first use (or by `matcher()` at start)."""
        self._engine = engine
        self._version = version
        self._matcher: Matcher | None = None
        self._shared = False
        self._building = asyncio.Lock()
        self._learning = asyncio.Lock()
        self._seen: set[int] = set()
        self._floor = 0

    async def matcher(self) -> Matcher:
        """Return the matcher, building it off the event loop the first time."""
        if self._matcher is None:
            async with self._building:
                if self._matcher is None:
                    self._matcher = await self._build()
        return self._matcher

    async def _build(self) -> Matcher:
        async with session_scope(self._engine) as session:
            imported = await list_imported_programs(session)
            stored = await corrections_after(session, 0)
        self._remember(correction_id for correction_id, _evidence in stored)
        if not imported and not stored:
            self._shared = True
            return await asyncio.to_thread(get_matcher, self._version)
        return await asyncio.to_thread(
            load_matcher,
            self._version,
            imported=imported,
            corrections=[evidence for _id, evidence in stored],
        )

    def _remember(self, ids: Iterable[int]) -> None:
        """Mark corrections as learnt; `_floor` is the id below which all are learnt."""
        self._seen.update(ids)
        while self._floor + 1 in self._seen:
            self._floor += 1
            self._seen.discard(self._floor)

    def _learnt(self, correction_id: int) -> bool:
        return correction_id <= self._floor or correction_id in self._seen

    async def suggest(
        self,
        title: str,
        *,
        bidang: Bidang | None = None,
        problem: str | None = None,
        desa_level: RegionLevel | None = None,
    ) -> Suggestion:
        """Return the programs to show for what the person said, and what to make of it.

        Args:
            title: what the person proposes.
            bidang: the bidang they chose, if any; its programs count a little more.
            problem: the problem they described, once known; it re-ranks.
            desa_level: whether their village is a desa or a kelurahan.
        """
        await self.matcher()
        await self.catch_up()
        result = (await self.matcher()).match(
            title, problem=problem, bidang=bidang, desa_level=desa_level
        )
        return Suggestion.of(result)

    async def catch_up(self) -> int:
        """Learn the corrections other processes stored since the last look; return how many.

        A look already under way is not waited for: the matcher keeps answering with what it
        knows, and the new index is swapped in when it is ready.
        """
        if self._learning.locked():
            return 0
        async with self._learning:
            async with session_scope(self._engine) as session:
                stored = await corrections_after(session, self._floor)
            new = [(cid, evidence) for cid, evidence in stored if not self._learnt(cid)]
            for correction_id, evidence in new:
                await self._teach(correction_id, evidence)
            return len(new)

    async def record_correction(
        self,
        session: AsyncSession,
        *,
        text: str,
        program_code: str,
        proposal_id: int | None = None,
        corrected_by: int | None = None,
    ) -> MatchCorrection:
        """Store Bappeda's choice of program for a text and teach the running matcher at once.

        The caller's transaction commits the row.
        """
        row = await save_correction(
            session,
            text=text,
            program_code=program_code,
            proposal_id=proposal_id,
            corrected_by=corrected_by,
        )
        await self.matcher()
        await self._teach(row.id or 0, CorrectionEvidence(text=text, program_code=program_code))
        return row

    async def _teach(self, correction_id: int, evidence: CorrectionEvidence) -> None:
        """Teach the matcher one correction; the process's shared matcher is copied first."""
        matcher = await self.matcher()
        if self._shared:
            matcher = matcher.copy()
        await asyncio.to_thread(matcher.add_correction, evidence)
        self._matcher, self._shared = matcher, False
        self._remember([correction_id])
        logger.info("matcher learnt correction %d (%s)", correction_id, evidence.program_code)
