"""Top-1/top-3 accuracy and honest no-match rate of the matcher on a labelled JSONL file.

Usage: python bench/match_eval.py FILE.jsonl [--version 2024] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.matching.catalogue import load_catalogue
from services.matching.rank import Matcher


@dataclass
class Tally:
    items: int = 0
    top1: int = 0
    top3: int = 0
    none_items: int = 0
    none_flagged: int = 0
    confident: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, item: dict, codes: list[str], confident: bool) -> None:
        if item.get("none"):
            self.none_items += 1
            self.none_flagged += not confident
            if confident:
                self.errors.append(
                    f"{item['id']} NONE but confident {codes[:3]}: {item['text'][:80]}"
                )
            return
        self.items += 1
        self.confident += confident
        wanted = set(item["programs"])
        self.top1 += bool(wanted & set(codes[:1]))
        self.top3 += bool(wanted & set(codes[:3]))
        if not wanted & set(codes[:3]):
            self.errors.append(
                f"{item['id']} want {sorted(wanted)} got {codes[:3]}: {item['text'][:80]}"
            )

    def line(self, name: str) -> str:
        items = max(self.items, 1)
        flagged = f"{self.none_flagged}/{self.none_items}"
        return (
            f"{name:<10} top-1 {self.top1 / items:.3f}  top-3 {self.top3 / items:.3f}  "
            f"(n={self.items})  none flagged {flagged}  proposals confident "
            f"{self.confident / items:.2f}"
        )


def naive_codes(text: str, names: dict[str, str]) -> tuple[list[str], bool]:
    found = process.extract(text.lower(), names, scorer=fuzz.WRatio, limit=5)
    return [code for _name, _score, code in found], True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--version", default="2024")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument(
        "--half",
        choices=["all", "a", "b"],
        default="all",
        help="a = even lines (used to tune), b = odd lines (held out)",
    )
    args = parser.parse_args()
    lines = [line for line in args.file.read_text(encoding="utf-8").splitlines() if line]
    items = [json.loads(line) for line in lines]
    if args.half != "all":
        items = items[args.half == "b" :: 2]
    start = time.perf_counter()
    matcher = Matcher(load_catalogue(args.version))
    print(f"matcher built in {time.perf_counter() - start:.2f} s ({matcher.size} evidence texts)")
    names = {code: p.name.lower() for code, p in matcher.catalogue.programs.items()}
    ours, naive = Tally(), Tally()
    for item in items:
        result = matcher.match(item["text"], k=5)
        ours.add(item, [c.code for c in result.candidates], result.confident)
        naive.add(item, *naive_codes(item["text"], names))
    print(ours.line("matcher"))
    print(naive.line("naive"))
    if args.show_errors:
        print("\n".join(ours.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
