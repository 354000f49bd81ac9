"""Per-query latency (p50/p95) and index memory of the matcher, next to the naive baseline.

Usage: python bench/match_speed.py [FILE.jsonl] [--version 2024] [--rounds 5]
The first round is "cold" (spelling look-ups not yet cached); later rounds are "warm".
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.matching.catalogue import load_catalogue
from services.matching.rank import Matcher

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev_proposals.jsonl"


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000
    return f"p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  max {ordered[-1] * 1000:6.2f} ms"


def time_queries(function, texts: list[str]) -> list[float]:
    samples = []
    for text in texts:
        start = time.perf_counter()
        function(text)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path, nargs="?", default=DEFAULT_FILE)
    parser.add_argument("--version", default="2024")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = [
        json.loads(line)["text"] for line in args.file.read_text("utf-8").splitlines() if line
    ]

    start = time.perf_counter()
    matcher = Matcher(load_catalogue(args.version))
    build = time.perf_counter() - start
    load_catalogue.cache_clear()
    tracemalloc.start()
    Matcher(load_catalogue(args.version))
    index_bytes, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    names = {code: p.name.lower() for code, p in matcher.catalogue.programs.items()}

    def naive(text: str) -> list:
        return process.extract(text.lower(), names, scorer=fuzz.WRatio, limit=5)

    cold = time_queries(matcher.match, texts)
    warm = [s for _ in range(args.rounds - 1) for s in time_queries(matcher.match, texts)]
    baseline = [s for _ in range(args.rounds) for s in time_queries(naive, texts)]
    machine = platform.processor() or platform.machine()
    print(f"machine   {machine}, python {platform.python_version()}")
    print(
        f"catalogue {args.version}: {len(names)} programs, {matcher.size} evidence texts, "
        f"{len(texts)} queries"
    )
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"build     {build:.2f} s (cold, in-process)")
    print(
        f"memory    index {index_bytes / 2**20:.1f} MiB (catalogue + BM25 + lookups, "
        f"tracemalloc); process peak RSS {peak_rss:.0f} MiB"
    )
    print(f"matcher   cold  {percentiles(cold)}")
    print(f"matcher   warm  {percentiles(warm)}")
    print(f"naive           {percentiles(baseline)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
