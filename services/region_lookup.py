"""Typed place names → stored regions, preferring a kecamatan when a desa shares its name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from models.enums import RegionLevel
from services.matching.place_scoring import (
    UNAMBIGUOUS_SCORE,
    PlaceCandidate,
    alt_names_of,
    match_place,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from models.regions import Region

LEVEL_ORDER = {RegionLevel.KECAMATAN: 0, RegionLevel.KELURAHAN: 1, RegionLevel.DESA: 1}


@dataclass(frozen=True)
class PlaceMatches:
    """The region a typed name surely means, or the candidates to choose from."""

    best: Region | None = None
    candidates: list[Region] = field(default_factory=list)


def find_places(typed: str, regions: Sequence[Region]) -> PlaceMatches:
    """Match a typed name against regions.

    A kecamatan that fits perfectly wins over a desa of the same name ("pelabai" is both
    the old name of Kecamatan Tubei and a desa in it): the desa step then lists that desa.
    """
    ordered = sorted(regions, key=lambda region: LEVEL_ORDER.get(region.level, 2))
    by_code = {region.code: region for region in ordered}
    matches = match_place(
        typed,
        [
            PlaceCandidate(
                region.code, region.name, str(region.level), alt_names_of(region.alt_names)
            )
            for region in ordered
        ],
    )
    if not matches:
        return PlaceMatches()
    if matches[0].unambiguous:
        return PlaceMatches(best=by_code[matches[0].code])
    top = [match for match in matches if match.score == matches[0].score]
    kecamatan = [match for match in top if match.level == RegionLevel.KECAMATAN.value]
    if len(kecamatan) == 1 and kecamatan[0].score >= UNAMBIGUOUS_SCORE:
        return PlaceMatches(best=by_code[kecamatan[0].code])
    return PlaceMatches(candidates=[by_code[match.code] for match in matches])
