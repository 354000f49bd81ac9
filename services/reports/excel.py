"""The summary workbook: every proposal in SIPD-shaped columns, and a sheet per summary table.

Rows are streamed into services.reports.xlsx, which keeps one row in memory at a time, so
100,000 proposals never sit in memory together.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.i18n import N_, _, use_locale
from models.enums import Role, Status
from services.lifecycle import status_label
from services.reports.figures import Figures
from services.reports.priority import PriorityWeights, score_parts
from services.reports.scan import ProposalScan
from services.reports.statuses import (
    BIDANG_LABELS,
    BIDANG_ORDER,
    COUNTED,
    URGENCY_LABELS,
    bidang_label,
    urgency_label,
)
from services.reports.text import (
    duplicates_sheet_name,
    unmatched_sheet_name,
    waiting_sheet_name,
)
from services.reports.xlsx import SheetColumn, Workbook

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import tzinfo

    from core.config import Settings
    from services.matching.catalogue import CatalogueProgram
    from services.reports.figures import Counts
    from services.reports.priority import PriorityParts
    from services.reports.rows import ProposalRow
    from services.reports.xlsx import Sheet


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header (translated when written), width, and cell style."""

    header: str
    width: float
    style: str = "text"
    shared: bool = False


PROPOSAL_COLUMNS = (
    Column(N_("Tracking code"), 15),
    Column(N_("Date (local time)"), 17, "date"),
    Column(N_("Kecamatan"), 17, shared=True),
    Column(N_("Desa/kelurahan"), 20, shared=True),
    Column(N_("Bidang"), 16, shared=True),
    Column(N_("Proposal"), 45),
    Column(N_("Problem"), 45),
    Column(N_("Location"), 28),
    Column(N_("Coordinates"), 22),
    Column(N_("Volume"), 10, "number"),
    Column(N_("Unit"), 10, shared=True),
    Column(N_("Beneficiaries"), 13, "integer"),
    Column(N_("Beneficiary unit"), 12, shared=True),
    Column(N_("Estimated cost (Rp)"), 16, "integer"),
    Column(N_("Urgency"), 15, shared=True),
    Column(N_("RPJMD program code"), 14, shared=True),
    Column(N_("RPJMD program"), 40, shared=True),
    Column(N_("OPD"), 32, shared=True),
    Column(N_("Match score"), 10, "decimal"),
    Column(N_("Status"), 22, shared=True),
    Column(N_("Rank"), 9, "integer"),
    Column(N_("Supporters"), 11, "integer"),
    Column(N_("Priority score"), 11, "decimal"),
    Column(N_("Urgency points"), 11, "decimal"),
    Column(N_("Beneficiary points"), 11, "decimal"),
    Column(N_("Supporter points"), 11, "decimal"),
    Column(N_("Rank points"), 11, "decimal"),
    Column(N_("Program match points"), 11, "decimal"),
    Column(N_("Submitted as"), 12, shared=True),
    Column(N_("Proposer (with consent)"), 22),
)
UNMATCHED_COLUMNS = (
    Column(N_("Tracking code"), 15),
    Column(N_("Kecamatan"), 17, shared=True),
    Column(N_("Desa/kelurahan"), 20, shared=True),
    Column(N_("Bidang"), 16, shared=True),
    Column(N_("Proposal"), 45),
    Column(N_("Problem"), 45),
    Column(N_("Unconfirmed program code"), 16, shared=True),
    Column(N_("Match score"), 10, "decimal"),
    Column(N_("Status"), 22, shared=True),
)
ROLE_LABELS = {Role.WARGA: N_("Resident"), Role.LURAH: N_("Lurah / kepala desa")}


class SummaryBook:
    """The workbook being written; each sheet starts with its translated header row."""

    def __init__(self) -> None:
        self.book = Workbook()

    def sheet(self, name: str, columns: Sequence[Column], *, autofilter: bool = True) -> Sheet:
        """Add a sheet with its header row, frozen, with a filter over the table."""
        sheet = self.book.add_sheet(
            name,
            [SheetColumn(column.width, column.style, column.shared) for column in columns],
            autofilter=autofilter,
        )
        sheet.append([_(column.header) for column in columns], header=True)
        return sheet

    def finish(self) -> bytes:
        """Return the XLSX bytes (zipped into a temporary file, so they exist once in memory)."""
        with tempfile.TemporaryFile() as output:
            self.book.save(output)
            output.seek(0)
            return output.read()

    def discard(self) -> None:
        """Drop the temporary files, whether the book was finished or not."""
        self.book.discard()


class ProposalSheets:
    """Turns proposal rows into the main sheet and the sheet of unmatched proposals."""

    def __init__(
        self,
        book: SummaryBook,
        *,
        settings: Settings,
        programs: dict[str, CatalogueProgram],
        region_names: dict[str, str],
    ) -> None:
        self.main = book.sheet(_("Proposals"), PROPOSAL_COLUMNS)
        self.unmatched = book.sheet(unmatched_sheet_name(), UNMATCHED_COLUMNS)
        self.zone: tzinfo = settings.zone
        self.programs = programs
        self.names = region_names
        self.bidang = {bidang.value: bidang_label(bidang) for bidang in BIDANG_ORDER}
        self.urgency = {urgency.value: urgency_label(urgency) for urgency in URGENCY_LABELS}
        self.status = {status.value: status_label(status) for status in Status}
        self.roles = {role.value: _(label) for role, label in ROLE_LABELS.items()}
        self.counted = {status.value for status in COUNTED}

    def add(self, row: ProposalRow, parts: PriorityParts) -> None:
        """Write one proposal, and list it again when it still needs a program."""
        program = self.programs.get(row.program_code or "")
        kecamatan = self.names.get(row.kecamatan_code, row.kecamatan_code)
        desa = self.names.get(row.desa_code, row.desa_code)
        bidang = self.bidang.get(row.bidang, row.bidang)
        status = self.status.get(row.status, row.status)
        coordinates = (
            f"{row.latitude:.6f}, {row.longitude:.6f}"
            if row.latitude is not None and row.longitude is not None
            else None
        )
        self.main.append(
            (
                row.tracking_code,
                row.created_at.astimezone(self.zone).replace(tzinfo=None),
                kecamatan,
                desa,
                bidang,
                row.title,
                row.problem,
                row.location_detail,
                coordinates,
                row.volume if row.volume is not None else row.volume_text,
                row.volume_unit,
                row.beneficiaries if row.beneficiaries is not None else row.beneficiaries_text,
                row.beneficiaries_unit,
                row.estimated_cost,
                self.urgency.get(row.urgency, row.urgency),
                row.program_code,
                program.name if program else None,
                program.opd if program else None,
                row.match_score,
                status,
                row.rank,
                row.supporters,
                parts.total,
                parts.urgency,
                parts.beneficiaries,
                parts.supporters,
                parts.rank,
                parts.match,
                self.roles.get(row.submitted_as, row.submitted_as),
                row.proposer_name,
            )
        )
        if row.status in self.counted and not row.confident:
            self.unmatched.append(
                (
                    row.tracking_code,
                    kecamatan,
                    desa,
                    bidang,
                    row.title,
                    row.problem,
                    row.program_code,
                    row.match_score,
                    status,
                )
            )


def write_summary_sheets(book: SummaryBook, figures: Figures, settings: Settings) -> None:
    """Add a sheet for each summary table of the message."""
    names = figures.region_names
    table = book.sheet(
        _("Kecamatan x bidang"),
        (
            Column(N_("Kecamatan"), 20),
            *(Column(BIDANG_LABELS[bidang], 15, "integer") for bidang in BIDANG_ORDER),
            Column(N_("Total"), 12, "integer"),
        ),
    )
    for row in figures.kecamatan:
        table.append((row.name, *(row.by_bidang[bidang] for bidang in BIDANG_ORDER), row.total))

    priorities = book.sheet(
        _("Priorities"),
        (
            Column(N_("Kecamatan"), 17),
            Column(N_("Bidang"), 16),
            Column(N_("Place"), 8, "integer"),
            Column(N_("Tracking code"), 15),
            Column(N_("Desa/kelurahan"), 20),
            Column(N_("Proposal"), 45),
            Column(N_("Supporters"), 11, "integer"),
            Column(N_("Priority score"), 11, "decimal"),
            Column(N_("Urgency points"), 11, "decimal"),
            Column(N_("Beneficiary points"), 11, "decimal"),
            Column(N_("Supporter points"), 11, "decimal"),
            Column(N_("Rank points"), 11, "decimal"),
            Column(N_("Program match points"), 11, "decimal"),
        ),
    )
    for item in figures.priorities:
        parts = item.parts
        priorities.append(
            (
                names.get(item.kecamatan_code, item.kecamatan_code),
                bidang_label(item.bidang),
                item.place,
                item.tracking_code,
                names.get(item.desa_code, item.desa_code),
                item.title,
                item.supporters,
                parts.total,
                parts.urgency,
                parts.beneficiaries,
                parts.supporters,
                parts.rank,
                parts.match,
            )
        )

    opd = book.sheet(
        _("Per OPD"), (Column(N_("OPD"), 50), Column(N_("Number of proposals"), 14, "integer"))
    )
    for row in figures.by_opd:
        opd.append((row.opd or _("OPD unknown"), row.count))

    programs = book.sheet(
        _("Per program"),
        (
            Column(N_("RPJMD program code"), 14),
            Column(N_("RPJMD program"), 50),
            Column(N_("OPD"), 40),
            Column(N_("Number of proposals"), 14, "integer"),
        ),
    )
    for row in figures.by_program:
        programs.append((row.code, row.name, row.opd, row.count))

    duplicates = book.sheet(
        duplicates_sheet_name(),
        (
            Column(N_("Group"), 8, "integer"),
            Column(N_("Kecamatan"), 17),
            Column(N_("RPJMD program code"), 14),
            Column(N_("Tracking code"), 15),
            Column(N_("Desa/kelurahan"), 20),
            Column(N_("Proposal"), 50),
        ),
    )
    for number, group in enumerate(figures.duplicates, start=1):
        for member in group.members:
            duplicates.append(
                (
                    number,
                    names.get(group.kecamatan_code, group.kecamatan_code),
                    group.program_code,
                    member.tracking_code,
                    names.get(member.desa_code, member.desa_code),
                    member.title,
                )
            )

    village_columns = (
        Column(N_("Kecamatan"), 20),
        Column(N_("Desa/kelurahan"), 24),
        Column(N_("Region code"), 16),
    )
    silent = book.sheet(_("Without proposals"), village_columns)
    for village in figures.silent_villages:
        silent.append((names.get(village.kecamatan_code, ""), village.name, village.code))

    waiting = book.sheet(
        waiting_sheet_name(),
        (*village_columns, Column(N_("Proposals waiting for the lurah"), 16, "integer")),
    )
    for village in figures.waiting_villages:
        waiting.append(
            (names.get(village.kecamatan_code, ""), village.name, village.code, village.waiting)
        )

    _write_score_rules(book, settings)


def _write_score_rules(book: SummaryBook, settings: Settings) -> None:
    """Explain the priority score with the weights in force."""
    weights = PriorityWeights.from_settings(settings)
    rules = book.sheet(
        _("Priority score"),
        (
            Column(N_("Part"), 24),
            Column(N_("How it is counted"), 80),
            Column(N_("Maximum points"), 14, "decimal"),
        ),
        autofilter=False,
    )
    rules.append(
        (
            _("Urgency"),
            _("Very urgent earns all points, urgent half, normal none."),
            weights.urgency,
        )
    )
    rules.append(
        (
            _("Beneficiaries"),
            _(
                "Grows with the number of people: every tenfold more people adds the same "
                "points; {count} people or more earn all points; unknown earns none."
            ).format(count=weights.full_beneficiaries),
            weights.beneficiaries,
        )
    )
    rules.append(
        (
            _("Supporters"),
            _("An equal share per supporter; {count} supporters or more earn all points.").format(
                count=weights.full_supporters
            ),
            weights.supporters,
        )
    )
    rules.append(
        (
            _("Rank"),
            _(
                "Rank 1 from the lurah or camat earns all points; each lower rank earns "
                "1/{count} of them less; below rank {count}, or unranked, earns none."
            ).format(count=weights.ranks_counted),
            weights.rank,
        )
    )
    rules.append(
        (
            _("Program match"),
            _(
                "All points when the RPJMD program is confident: the matcher was sure, or the "
                "proposer or Bappeda confirmed it."
            ),
            weights.match,
        )
    )
    rules.append((_("Total"), "", weights.maximum))


@dataclass(frozen=True)
class WrittenWorkbook:
    """The XLSX bytes and the figures completed while its rows went by."""

    content: bytes
    figures: Figures


def write_workbook(
    rows: Iterable[ProposalRow],
    *,
    counts: Counts,
    settings: Settings,
    locale: str,
    programs: dict[str, CatalogueProgram],
) -> WrittenWorkbook:
    """Write the proposals streamed from `rows`, then the summary tables.

    The same pass finds the top priorities and the possible duplicates, so the proposals
    are read once; they complete `counts` into the figures the message shows.
    """
    weights = PriorityWeights.from_settings(settings)
    scan = ProposalScan(similarity=settings.duplicate_similarity)
    with use_locale(locale):
        book = SummaryBook()
        try:
            sheets = ProposalSheets(
                book, settings=settings, programs=programs, region_names=counts.region_names
            )
            for row in rows:
                parts = score_parts(
                    weights,
                    urgency=row.urgency,
                    beneficiaries=row.beneficiaries,
                    supporters=row.supporters,
                    rank=row.rank,
                    confident=bool(row.confident),
                )
                sheets.add(row, parts)
                scan.add(row, parts)
            figures = Figures.combine(
                counts, priorities=scan.priorities(), duplicates=scan.duplicates()
            )
            write_summary_sheets(book, figures, settings)
            return WrittenWorkbook(book.finish(), figures)
        finally:
            book.discard()
