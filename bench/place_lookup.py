"""How well typed place names find the village meant: `python bench/place_lookup.py`.

For every desa and kelurahan of `services/data/lebong_regions.csv` the script writes the ways
people type it (deterministically, seed 13): the name as it is, lower case, with a desa /
kelurahan prefix, inside a sentence ("saya tinggal di desa …"), Roman and Arabic numerals
swapped, spaces dropped or doubled between words, one typo (a letter dropped, doubled or two
swapped), and its old names. Each is looked up as the kecamatan step does (among all kecamatan
and villages). It counts how often the village is chosen at once, offered among the buttons,
wrongly chosen, or not found.
"""

from __future__ import annotations

import csv
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.enums import RegionLevel
from models.regions import Region
from services.data import DATA_DIR
from services.region_lookup import find_places

ROMAN_TO_ARABIC = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5"}
SEED = 13


def load_regions() -> list[Region]:
    """Return the kecamatan and villages of the bundled table."""
    with (DATA_DIR / "lebong_regions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Region(
            code=row["code"],
            name=row["name"],
            level=RegionLevel(row["level"]),
            parent_code=row["parent_code"] or None,
            alt_names=row["alt_names"],
        )
        for row in rows
        if row["level"] in {"kecamatan", "desa", "kelurahan"}
    ]


def _typo(name: str, rng: random.Random) -> str:
    letters = [i for i, char in enumerate(name) if char.isalpha()]
    index = rng.choice(letters[1:-1] or letters)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return name[:index] + name[index + 1 :]
    if kind == "double":
        return name[:index] + name[index] + name[index:]
    if index + 1 < len(name) and name[index + 1].isalpha():
        return name[:index] + name[index + 1] + name[index] + name[index + 2 :]
    return name[:index] + name[index + 1 :]


def variants(region: Region, rng: random.Random) -> dict[str, str]:
    """Return the ways of typing the village, by kind."""
    name = region.name
    prefix = "kelurahan" if region.level == RegionLevel.KELURAHAN else "desa"
    found = {
        "as written": name,
        "lower case": name.lower(),
        "prefix": f"{prefix} {name.lower()}",
        "in a sentence": f"saya tinggal di {prefix} {name.lower()}",
        "typo": _typo(name.lower(), rng),
        "typo + prefix": f"ds {_typo(name.lower(), rng)}",
    }
    words = name.split()
    if len(words) > 1:
        found["no spaces"] = "".join(words).lower()
        found["double spaces"] = "  ".join(words).lower()
    if words[-1] in ROMAN_TO_ARABIC:
        found["arabic numeral"] = " ".join([*words[:-1], ROMAN_TO_ARABIC[words[-1]]]).lower()
        found["numeral joined"] = "".join(words[:-1]).lower() + ROMAN_TO_ARABIC[words[-1]]
    for number, alt in enumerate(a for a in region.alt_names.split(";") if a.strip()):
        found[f"old name {number + 1}"] = alt.strip()
    return found


def main() -> None:
    """Print the counts, overall and per kind of variant."""
    regions = load_regions()
    villages = [r for r in regions if r.level in {RegionLevel.DESA, RegionLevel.KELURAHAN}]
    rng = random.Random(SEED)
    outcome: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = {}
    misses: list[str] = []
    for village in villages:
        for kind, typed in variants(village, rng).items():
            matches = find_places(typed, regions)
            if matches.best is not None and matches.best.code == village.code:
                result = "chosen"
            elif matches.best is not None and matches.best.code == village.parent_code:
                # A kecamatan of the same name comes first; the desa step lists the village.
                result = "kecamatan first"
            elif matches.best is not None:
                result = "wrong"
            elif any(c.code == village.code for c in matches.candidates):
                result = "offered"
            else:
                result = "not found"
            outcome[result] += 1
            by_kind.setdefault(kind, Counter())[result] += 1
            if result in {"wrong", "not found"} or (result == "offered" and "as" in kind):
                misses.append(f"{kind}: {typed!r} → {village.name} ({result})")
    total = sum(outcome.values())
    found = outcome["chosen"] + outcome["offered"] + outcome["kecamatan first"]
    print(f"{len(villages)} villages, {total} typed names")
    print(
        f"chosen {outcome['chosen']} ({outcome['chosen'] / total:.1%}), its kecamatan first "
        f"{outcome['kecamatan first']}, offered {outcome['offered']}, found "
        f"{found / total:.1%}, wrong {outcome['wrong']}, not found {outcome['not found']}"
    )
    print("| kind | n | chosen | kecamatan first | offered | wrong | not found |")
    print("|---|---|---|---|---|---|---|")
    for kind, counts in by_kind.items():
        n = sum(counts.values())
        print(
            f"| {kind} | {n} | {counts['chosen']} | {counts['kecamatan first']} "
            f"| {counts['offered']} | {counts['wrong']} "
            f"| {counts['not found']} |"
        )
    for miss in misses[:40]:
        print("  ", miss)


if __name__ == "__main__":
    main()
