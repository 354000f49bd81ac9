"""Asking the matching service with everything the person has said, and keeping its answer.

Only codes go into the draft (programs, the verdict's kind and rule, the other bidang): the
words shown are looked up and translated when shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.regions import get_region
from services.drafts import ProgramOption

if TYPE_CHECKING:
    from handlers.context import Context
    from services.drafts import Draft
    from services.matching.authority import Verdict
    from services.matching.service import Suggestion


async def suggest(context: Context, draft: Draft, *, with_problem: bool = True) -> Suggestion:
    """Return the matcher's answer for the draft's title, bidang, problem and village level."""
    desa = await get_region(context.session, draft.desa_code) if draft.desa_code else None
    return await context.services.matching.suggest(
        draft.title or "",
        bidang=draft.bidang,
        problem=draft.problem if with_problem else None,
        desa_level=desa.level if desa is not None else None,
    )


def options_of(suggestion: Suggestion) -> list[ProgramOption]:
    """Return the suggestion's programs as the draft stores them."""
    return [ProgramOption.model_validate(option.as_dict()) for option in suggestion.options]


def match_fields(suggestion: Suggestion) -> dict[str, object]:
    """Return the draft fields that hold a fresh match (the program is chosen again)."""
    verdict: Verdict | None = suggestion.verdict
    return {
        "match_options": options_of(suggestion),
        "match_confident": suggestion.confident,
        "match_rule": verdict.rule if verdict else None,
        "verdict_kind": verdict.kind.value if verdict else None,
        "accuses_head": verdict.accuses_head if verdict else False,
        "other_bidang": suggestion.other_bidang,
        "better_options": [],
        "program_code": None,
        "match_score": None,
        "match_confirmed": False,
        "program_decided": False,
    }
