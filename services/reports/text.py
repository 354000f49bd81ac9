"""The summary message in Telegram HTML: short sections a Bappeda analyst reads on a phone."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from core.i18n import _, ngettext
from models.enums import Bidang, Status
from services.lifecycle import status_label
from services.reports import formatting
from services.reports.priority import PriorityWeights
from services.reports.splitting import split_message
from services.reports.statuses import BIDANG_ORDER, bidang_label

if TYPE_CHECKING:
    from core.config import Settings
    from services.reports.duplicates import DuplicateGroup
    from services.reports.figures import Figures

BIDANG_ICONS = {Bidang.INFRASTRUKTUR: "🏗", Bidang.EKONOMI: "🌾", Bidang.SOSIAL_BUDAYA: "🤝"}
TITLE_CHARS = 60
NAME_CHARS = 70
LISTED_ROWS = 10
LISTED_GROUPS = 5
LISTED_IN_GROUP = 3


def unmatched_sheet_name() -> str:
    """Return the name of the workbook sheet of proposals without a confident program."""
    return _("No match")


def duplicates_sheet_name() -> str:
    """Return the name of the workbook sheet of possible duplicates."""
    return _("Possible duplicates")


def waiting_sheet_name() -> str:
    """Return the name of the workbook sheet of villages with unverified proposals."""
    return _("Unverified")


class MessageWriter:
    """Render the figures as sections of one message, in the current locale."""

    def __init__(self, figures: Figures, settings: Settings, locale: str) -> None:
        self.figures = figures
        self.settings = settings
        self.locale = locale
        self.zone = settings.zone

    def count(self, number: int) -> str:
        """Return a number as the locale writes it."""
        return formatting.count(number, self.locale)

    def sections(self) -> list[str]:
        """Return every section: the overview first, the long list of priorities last."""
        return [
            self.header(),
            self.totals(),
            self.news(),
            self.per_kecamatan(),
            self.per_opd(),
            self.unmatched(),
            self.duplicates(),
            self.equity(),
            self.priorities(),
        ]

    def header(self) -> str:
        """Return the title, the moment and the next deadline."""
        lines = [
            _("📊 <b>Musrenbang summary, {regency}</b>").format(
                regency=formatting.html_line(self.settings.regency_name, NAME_CHARS)
            ),
            formatting.day_and_time(self.figures.window.until, self.zone, self.locale),
            self.deadline(),
        ]
        return "\n".join(lines)

    def deadline(self) -> str:
        """Return how many days are left until the next stage closes."""
        deadline = self.figures.deadline
        if deadline is None:
            return _(
                "⏰ No deadline in the calendar yet (add one with <code>musrenbang "
                "deadline</code>)."
            )
        until = self.figures.window.until.astimezone(self.zone).date()
        closes = deadline.closes_at.astimezone(self.zone)
        days = (closes.date() - until).days
        values = {
            "stage": formatting.html_line(deadline.stage, NAME_CHARS),
            "date": formatting.day_and_time(deadline.closes_at, self.zone, self.locale),
            "days": days,
        }
        if days == 0:
            return _("⏰ <b>{stage}</b> closes <b>today</b>, {date}.").format(**values)
        return ngettext(
            "⏰ <b>{stage}</b> closes in <b>{days} day</b>, {date}.",
            "⏰ <b>{stage}</b> closes in <b>{days} days</b>, {date}.",
            days,
        ).format(**values)

    def totals(self) -> str:
        """Return the number of proposals per status and the supports."""
        figures = self.figures
        if not figures.total:
            return _("<b>No proposal has come in yet.</b>")
        heard = len(figures.villages) - len(figures.silent_villages)
        lines = [
            _("<b>Proposals: {total}</b> from {heard} of {villages} villages").format(
                total=self.count(figures.total),
                heard=self.count(heard),
                villages=self.count(len(figures.villages)),
            )
        ]
        lines.extend(
            f"• {status_label(status)}: {self.count(figures.by_status[status])}"
            for status in Status
            if figures.by_status.get(status)
        )
        lines.append(
            _("👍 Supports from residents: {count}").format(count=self.count(figures.supporters))
        )
        return "\n".join(lines)

    def news(self) -> str:
        """Return what happened since the previous summary."""
        new = self.figures.new
        since = formatting.day_and_time(self.figures.window.since, self.zone, self.locale)
        items = [
            (_("➕ New proposals: {count}"), new.submitted),
            (_("👍 New supports: {count}"), new.supported),
            (_("✅ Verified: {count}"), new.verified),
            (_("↩️ Returned: {count}"), new.returned),
            (_("⛔ Rejected: {count}"), new.rejected),
            (_("🔗 Merged: {count}"), new.merged),
        ]
        if not any(number for _text, number in items):
            return _("<b>Since {since}</b>: nothing new.").format(since=since)
        lines = [_("<b>New since {since}</b>").format(since=since)]
        lines.extend(text.format(count=self.count(number)) for text, number in items)
        return "\n".join(lines)

    def per_kecamatan(self) -> str:
        """Return the proposals of each kecamatan per bidang."""
        legend = " · ".join(
            f"{BIDANG_ICONS[bidang]} {bidang_label(bidang)}" for bidang in BIDANG_ORDER
        )
        lines = [_("<b>Per kecamatan</b> ({legend})").format(legend=legend)]
        for row in self.figures.kecamatan:
            name = formatting.html_line(row.name, NAME_CHARS)
            if not row.total:
                lines.append(_("• {kecamatan}: no proposal yet").format(kecamatan=name))
                continue
            split = " · ".join(
                f"{BIDANG_ICONS[bidang]} {self.count(row.by_bidang[bidang])}"
                for bidang in BIDANG_ORDER
            )
            lines.append(f"• {name}: <b>{self.count(row.total)}</b> ({split})")
        if not self.figures.kecamatan:
            lines.append(_("No kecamatan in the database yet."))
        return "\n".join(lines)

    def priorities(self) -> str:
        """Return the best-scored open proposals of each kecamatan in each bidang."""
        weights = PriorityWeights.from_settings(self.settings)
        shown = self.settings.summary_top_per_bidang
        by_place: dict[str, list[str]] = defaultdict(list)
        for item in self.figures.priorities:
            if item.place > shown:
                continue
            desa = self.figures.region_names.get(item.desa_code, item.desa_code)
            by_place[item.kecamatan_code].append(
                f"{BIDANG_ICONS[item.bidang]} <b>{formatting.count(item.parts.total, self.locale)}"
                f"</b> {formatting.html_line(item.title, TITLE_CHARS)} "
                f"({formatting.html_line(desa, NAME_CHARS)})"
            )
        blocks = [
            "\n".join(
                [
                    _("<b>Top priorities per kecamatan</b>"),
                    _(
                        "Score 0–{maximum}: urgency, beneficiaries, supporters, the rank given "
                        "by the lurah or camat, and a confident program match. Each part is in "
                        "the Excel file."
                    ).format(maximum=formatting.count(weights.maximum, self.locale)),
                ]
            )
        ]
        quiet = []
        for row in self.figures.kecamatan:
            name = formatting.html_line(row.name, NAME_CHARS)
            items = by_place.get(row.code)
            if items:
                blocks.append("\n".join([f"<b>{name}</b>", *items]))
            else:
                quiet.append(name)
        if quiet:
            blocks.append(_("No open proposal in: {kecamatan}").format(kecamatan=", ".join(quiet)))
        return "\n\n".join(blocks)

    def per_opd(self) -> str:
        """Return the OPDs and programs that will see the most proposals."""
        figures = self.figures
        if not figures.by_program:
            return _("<b>Per OPD</b>: no proposal has a program yet.")
        lines = [_("<b>OPDs with the most proposals</b>")]
        for number, row in enumerate(figures.by_opd[:LISTED_ROWS], start=1):
            opd = formatting.html_line(row.opd, NAME_CHARS) if row.opd else _("OPD unknown")
            lines.append(f"{number}. {opd}: <b>{self.count(row.count)}</b>")
        lines.extend(
            self._more(figures.by_opd, _("… and {count} more OPDs, together {proposals}"))
        )
        lines.append("")
        lines.append(_("<b>RPJMD programs with the most proposals</b>"))
        for number, row in enumerate(figures.by_program[:LISTED_ROWS], start=1):
            name = formatting.html_line(row.name, NAME_CHARS) if row.name else ""
            lines.append(
                f"{number}. {formatting.html_line(row.code, NAME_CHARS)} {name}: "
                f"<b>{self.count(row.count)}</b>"
            )
        lines.extend(
            self._more(figures.by_program, _("… and {count} more programs, together {proposals}"))
        )
        return "\n".join(lines)

    def _more(self, rows: tuple, template: str) -> list[str]:
        """Return one line counting the rows left out of the list, if any."""
        rest = rows[LISTED_ROWS:]
        if not rest:
            return []
        return [
            template.format(
                count=self.count(len(rest)), proposals=self.count(sum(row.count for row in rest))
            )
        ]

    def unmatched(self) -> str:
        """Return how many proposals Bappeda still has to map to a program by hand."""
        if not self.figures.unmatched:
            return _("🧭 Every proposal has a confident RPJMD program.")
        return "\n".join(
            [
                _("🧭 <b>Without a confident RPJMD program: {count}</b>").format(
                    count=self.count(self.figures.unmatched)
                ),
                _(
                    "They are listed in the sheet “{sheet}” of the Excel file. Map one by hand "
                    "with <code>musrenbang correct TRACKING_CODE PROGRAM_CODE</code>."
                ).format(sheet=unmatched_sheet_name()),
            ]
        )

    def duplicates(self) -> str:
        """Return the groups of similar proposals of one program in several villages."""
        groups = self.figures.duplicates
        if not groups:
            return _("👯 No possible duplicates across villages.")
        lines = [
            ngettext(
                "👯 <b>Possible duplicates across villages: {count} group</b>",
                "👯 <b>Possible duplicates across villages: {count} groups</b>",
                len(groups),
            ).format(count=self.count(len(groups)))
        ]
        lines.extend(self._group_line(group) for group in groups[:LISTED_GROUPS])
        if len(groups) > LISTED_GROUPS:
            lines.append(
                _("… and {count} more in the sheet “{sheet}”.").format(
                    count=self.count(len(groups) - LISTED_GROUPS), sheet=duplicates_sheet_name()
                )
            )
        return "\n".join(lines)

    def _group_line(self, group: DuplicateGroup) -> str:
        names = self.figures.region_names
        villages = sorted({names.get(item.desa_code, item.desa_code) for item in group.members})
        codes = [item.tracking_code for item in group.members]
        return _("• {kecamatan}, program {program}: {codes} in {villages}: “{title}”").format(
            kecamatan=formatting.html_line(
                names.get(group.kecamatan_code, group.kecamatan_code), NAME_CHARS
            ),
            program=formatting.html_line(group.program_code, NAME_CHARS),
            codes=self._listed(codes),
            villages=formatting.html_line(self._listed(villages), 2 * NAME_CHARS),
            title=formatting.html_line(group.members[0].title, TITLE_CHARS),
        )

    def _listed(self, names: list[str]) -> str:
        shown = ", ".join(names[:LISTED_IN_GROUP])
        if len(names) > LISTED_IN_GROUP:
            shown += " " + _("+{count} more").format(count=len(names) - LISTED_IN_GROUP)
        return shown

    def equity(self) -> str:
        """Return the villages not heard yet and those whose lurah has proposals to verify."""
        figures = self.figures
        if not figures.villages:
            return _("No desa or kelurahan in the database yet.")
        blocks = [self._silent()]
        waiting = figures.waiting_villages
        if waiting:
            names = figures.region_names
            total_waiting = sum(row.waiting for row in waiting)
            lines = [
                ngettext(
                    "⏳ <b>{count} proposal is waiting for the lurah's check</b>, in:",
                    "⏳ <b>{count} proposals are waiting for the lurah's check</b>, in:",
                    total_waiting,
                ).format(count=self.count(total_waiting))
            ]
            lines.extend(
                f"• {formatting.html_line(row.name, NAME_CHARS)} "
                f"({formatting.html_line(names.get(row.kecamatan_code, ''), NAME_CHARS)}): "
                f"{self.count(row.waiting)}"
                for row in waiting[:LISTED_ROWS]
            )
            if len(waiting) > LISTED_ROWS:
                lines.append(
                    _("… and {count} more in the sheet “{sheet}”.").format(
                        count=self.count(len(waiting) - LISTED_ROWS), sheet=waiting_sheet_name()
                    )
                )
            blocks.append("\n".join(lines))
        else:
            blocks.append(_("⏳ No proposal is waiting for a lurah's check."))
        return "\n\n".join(blocks)

    def _silent(self) -> str:
        figures = self.figures
        silent = figures.silent_villages
        if not silent:
            return _("🔇 Every village has sent at least one proposal.")
        lines = [
            _("🔇 <b>Villages without any proposal: {count} of {total}</b>").format(
                count=self.count(len(silent)), total=self.count(len(figures.villages))
            )
        ]
        by_kecamatan: dict[str, list[str]] = defaultdict(list)
        for row in silent:
            by_kecamatan[row.kecamatan_code].append(row.name)
        for code, villages in sorted(by_kecamatan.items()):
            kecamatan = figures.region_names.get(code, code)
            lines.append(
                f"• <b>{formatting.html_line(kecamatan, NAME_CHARS)}</b>: "
                + formatting.html_line(", ".join(villages), 3000)
            )
        return "\n".join(lines)


def render_message(figures: Figures, settings: Settings, locale: str) -> list[str]:
    """Return the summary as Telegram messages of at most 4,096 characters each."""
    return split_message(MessageWriter(figures, settings, locale).sections())
