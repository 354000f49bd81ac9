"""Quality of the matcher on labelled JSONL files, by writing style.

Usage: python bench/match_eval.py FILE.jsonl [FILE.jsonl ...] [--version 2024]
       [--half a|b] [--no-context] [--noise SEED] [--show-errors] [--naive]

Each line has "text", "programs" (acceptable codes), "none" and optionally "style", "kind",
"authority", "bidang", "problem", "kecamatan"/"desa". Items are grouped by "style" (or by file
name). Reported per group, with 95 % Wilson intervals:
- top-1: the best program is acceptable; top-3: an acceptable program is among the options
  actually shown (at most three, fewer when the rest are weak); ranked top-3: among the first
  three ranked programs, shown or not;
- flagged: non-proposals and other-authority items that got a verdict (the intake says what
  they are), "kind ok" when the verdict kind matches the label; not confident: those that were
  at least not matched confidently;
- confident: precision (a confident answer's best program is acceptable; a confident answer on a
  non-proposal is wrong) and coverage (share of proposals answered confidently);
- options: mean number of options shown for proposals.
By default the bidang, the problem and the kind of village of each line are passed to the
matcher as the intake would; --no-context gives it the text alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.enums import Bidang
from services.data import DATA_DIR
from services.matching.catalogue import load_catalogue
from services.matching.rank import Matcher, MatchResult

KIND_OF_AUTHORITY = {"provinsi": "provinsi", "pusat": "nasional", "nasional": "nasional"}
VOWELS = "aeiou"


def wilson(hits: int, n: int) -> str:
    """Return a 95 % Wilson interval as "lo-hi"."""
    if n == 0:
        return "–"
    z = 1.96
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{max(0.0, centre - half):.2f}–{min(1.0, centre + half):.2f}"


@dataclass
class Tally:
    items: int = 0
    top1: int = 0
    top3: int = 0
    ranked3: int = 0
    shown: int = 0
    none_items: int = 0
    flagged: int = 0
    kind_ok: int = 0
    not_confident: int = 0
    confident: int = 0
    confident_right: int = 0
    confident_proposals: int = 0
    errors: list[str] = field(default_factory=list)

    def add_result(self, item: dict, result: MatchResult) -> None:
        verdict = result.verdict.kind.value if result.verdict is not None else None
        self.add(
            item,
            codes=[c.code for c in result.candidates],
            shown=[c.code for c in result.options],
            confident=result.confident,
            verdict=verdict,
        )

    def add(
        self,
        item: dict,
        *,
        codes: list[str],
        shown: list[str],
        confident: bool,
        verdict: str | None,
    ) -> None:
        self.confident += confident
        if item.get("none"):
            self.none_items += 1
            self.flagged += verdict is not None
            self.not_confident += not confident
            wanted = item.get("kind") or KIND_OF_AUTHORITY.get(item.get("authority", ""), "")
            self.kind_ok += verdict == wanted
            if verdict is None or confident:
                self.errors.append(
                    f"{item['id']} NONE ({wanted}) verdict={verdict} confident={confident}"
                    f" {codes[:3]}: {item['text'][:90]}"
                )
            return
        self.items += 1
        wanted = set(item["programs"])
        right = bool(wanted & set(codes[:1]))
        self.top1 += right
        self.top3 += bool(wanted & set(shown))
        self.ranked3 += bool(wanted & set(codes[:3]))
        self.shown += len(shown)
        self.confident_proposals += confident
        self.confident_right += confident and right
        if not right or verdict is not None:
            flag = "CONFIDENT " if confident else ""
            said = f" verdict={verdict}" if verdict else ""
            self.errors.append(
                f"{item['id']} {flag}want {sorted(wanted)} got {shown} / {codes[:3]}"
                f"{said}: {item['text'][:90]}"
            )

    def row(self, name: str) -> str:
        n = self.items
        cells = [name, f"{n} + {self.none_items}"]
        if n:
            cells += [
                f"{self.top1 / n:.3f} ({wilson(self.top1, n)})",
                f"{self.top3 / n:.3f} ({wilson(self.top3, n)})",
                f"{self.ranked3 / n:.3f}",
                f"{self.shown / n:.2f}",
            ]
        else:
            cells += ["", "", "", ""]
        if self.none_items:
            cells += [
                f"{self.flagged}/{self.none_items} ({wilson(self.flagged, self.none_items)})",
                f"{self.kind_ok}/{self.none_items}",
                f"{self.not_confident}/{self.none_items}",
            ]
        else:
            cells += ["", "", ""]
        confident, right = self.confident, self.confident_right
        cells += [
            f"{right / confident:.3f} ({right}/{confident})" if confident else "–",
            f"{self.confident_proposals / n:.2f}" if n else "",
        ]
        return "| " + " | ".join(cells) + " |"


HEADER = (
    "| set | n | top-1 | top-3 shown | top-3 ranked | options | flagged | kind ok | "
    "not confident | confident precision | confident coverage |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def desa_levels() -> dict[tuple[str, str], str]:
    """Return (kecamatan, desa) → "desa" or "kelurahan", from the shipped region list."""
    rows = list(csv.DictReader((DATA_DIR / "lebong_regions.csv").open(encoding="utf-8")))
    kecamatan = {row["code"]: row["name"] for row in rows if row["level"] == "kecamatan"}
    return {
        (kecamatan.get(row["parent_code"], ""), row["name"]): row["level"]
        for row in rows
        if row["level"] in {"desa", "kelurahan"}
    }


def add_noise(text: str, rng: random.Random) -> str:
    """Garble 30 % of the words of 5+ letters: drop inner vowels, double or swap letters."""
    words = []
    for word in text.split(" "):
        if len(word) >= 5 and word.isalpha() and rng.random() < 0.3:
            choice = rng.randrange(3)
            if choice == 0:
                word = word[0] + "".join(c for c in word[1:-1] if c not in VOWELS) + word[-1]
            elif choice == 1:
                i = rng.randrange(len(word))
                word = word[: i + 1] + word[i:]
            else:
                i = rng.randrange(len(word) - 1)
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        words.append(word)
    return " ".join(words)


def read_items(files: list[Path], half: str) -> list[dict]:
    items = []
    for path in files:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
        for line in lines:
            item = json.loads(line)
            item.setdefault("style", path.stem)
            items.append(item)
    if half != "all":
        items = items[half == "b" :: 2]
    return items


def context_of(item: dict, levels: dict[tuple[str, str], str]) -> dict:
    """Return what the intake would know besides the title: bidang, problem, village kind."""
    bidang = item.get("bidang")
    return {
        "bidang": Bidang(bidang) if bidang in set(Bidang) else None,
        "problem": item.get("problem"),
        "desa_level": levels.get((item.get("kecamatan", ""), item.get("desa", ""))),
    }


def naive_codes(text: str, names: dict[str, str]) -> list[str]:
    found = process.extract(text.lower(), names, scorer=fuzz.WRatio, limit=5)
    return [code for _name, _score, code in found]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--version", default="2024")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--no-context", action="store_true")
    parser.add_argument("--noise", type=int, help="garble the texts with this random seed")
    parser.add_argument("--naive", action="store_true", help="also score the naive baseline")
    parser.add_argument(
        "--half",
        choices=["all", "a", "b"],
        default="all",
        help="a = even lines, b = odd lines",
    )
    args = parser.parse_args()
    items = read_items(args.files, args.half)
    rng = random.Random(args.noise)
    if args.noise is not None:
        for item in items:
            item["text"] = add_noise(item["text"], rng)
            if item.get("problem"):
                item["problem"] = add_noise(item["problem"], rng)
    start = time.perf_counter()
    matcher = Matcher(load_catalogue(args.version))
    print(f"matcher built in {time.perf_counter() - start:.2f} s ({matcher.size} evidence texts)")
    levels = desa_levels()
    total = Tally()
    by_style: dict[str, Tally] = {}
    naive = Tally()
    names = {code: p.name.lower() for code, p in matcher.catalogue.programs.items()}
    for item in items:
        context = {} if args.no_context else context_of(item, levels)
        result = matcher.match(item["text"], k=5, **context)
        total.add_result(item, result)
        by_style.setdefault(item["style"], Tally()).add_result(item, result)
        if args.naive:
            codes = naive_codes(item["text"], names)
            naive.add(item, codes=codes, shown=codes[:3], confident=True, verdict=None)
    print(HEADER)
    for style, tally in by_style.items():
        print(tally.row(style))
    if len(by_style) > 1:
        print(total.row("**all**"))
    if args.naive:
        print(naive.row("naive (rapidfuzz WRatio vs program names)"))
    if args.show_errors:
        print("\n".join(total.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
