"""What needs every single proposal: the top priorities and the possible duplicates.

Both are gathered while the workbook's rows stream past, so the proposals are read once.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from models.enums import Bidang
from services.reports.duplicates import Candidate, DuplicateGroup, TitleKeys, find_duplicates
from services.reports.figures import Priority
from services.reports.statuses import BIDANG_ORDER, OPEN

if TYPE_CHECKING:
    from services.reports.priority import PriorityParts
    from services.reports.rows import ProposalRow

#: How many top proposals per kecamatan and bidang are kept (the workbook lists them all,
#: the message SUMMARY_TOP_PER_BIDANG of them).
PRIORITIES_KEPT = 10

_OPEN = {status.value for status in OPEN}


class ProposalScan:
    """Keeps the best open proposals per kecamatan and bidang, and the duplicate candidates."""

    def __init__(self, *, similarity: float) -> None:
        self.similarity = similarity
        self._seen = 0
        self._best: dict[tuple[str, str], list[tuple[float, float, int, Priority]]] = defaultdict(
            list
        )
        self._candidates: dict[tuple[str, str], list[Candidate]] = defaultdict(list)

    def add(self, row: ProposalRow, parts: PriorityParts) -> None:
        """Take one proposal into account (only open ones can be priorities or duplicates)."""
        if row.status not in _OPEN:
            return
        self._seen += 1
        # Higher score first; on a tie, the earlier proposal.
        key = (parts.total, -row.created_at.timestamp(), -self._seen)
        heap = self._best[(row.kecamatan_code, row.bidang)]
        if len(heap) < PRIORITIES_KEPT:
            heapq.heappush(heap, (*key, _priority(row, parts)))
        elif key > heap[0][:3]:
            heapq.heapreplace(heap, (*key, _priority(row, parts)))
        if row.program_code:
            self._candidates[(row.kecamatan_code, row.program_code)].append(
                Candidate(row.tracking_code, row.desa_code, row.title)
            )

    def priorities(self) -> tuple[Priority, ...]:
        """Return the kept proposals by kecamatan, then bidang, best first, with their place."""
        ranked = []
        for kecamatan, bidang in sorted(self._best, key=_kecamatan_then_bidang):
            heap = self._best[(kecamatan, bidang)]
            best_first = sorted(heap, key=lambda entry: entry[:3], reverse=True)
            ranked.extend(
                _with_place(entry[3], place) for place, entry in enumerate(best_first, start=1)
            )
        return tuple(ranked)

    def duplicates(self) -> tuple[DuplicateGroup, ...]:
        """Return groups of similar proposals of one program in several villages of a kecamatan."""
        keys = TitleKeys()
        found: list[DuplicateGroup] = []
        for (kecamatan, program), candidates in sorted(self._candidates.items()):
            found.extend(
                find_duplicates(
                    kecamatan, program, candidates, keys=keys, threshold=self.similarity
                )
            )
        found.sort(key=lambda group: (-group.villages, -len(group.members), group.kecamatan_code))
        return tuple(found)


def _kecamatan_then_bidang(key: tuple[str, str]) -> tuple[str, int]:
    kecamatan, bidang = key
    return kecamatan, BIDANG_ORDER.index(Bidang(bidang))


def _priority(row: ProposalRow, parts: PriorityParts) -> Priority:
    return Priority(
        place=0,
        kecamatan_code=row.kecamatan_code,
        bidang=Bidang(row.bidang),
        tracking_code=row.tracking_code,
        title=row.title,
        desa_code=row.desa_code,
        supporters=row.supporters,
        parts=parts,
    )


def _with_place(item: Priority, place: int) -> Priority:
    return replace(item, place=place)
