"""Per-query latency (p50/p95) and index memory of the matcher, next to the naive baseline.

Usage: python bench/match_speed.py [FILE.jsonl ...] [--version 2024] [--rounds 5]
(default: ../shared/data/dev_proposals.jsonl, as `make bench` runs it from the repository)

Each query is what the intake sends: the text, with the line's bidang, problem and kind of
village when it has them. The first round is "cold" (spelling look-ups not yet cached); later
rounds are "warm". Wall-clock times are what a person waits for; the CPU time of the query's
thread shows the matcher's own cost when other processes share the cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.match_eval import context_of, desa_levels, read_items
from services.matching.catalogue import load_catalogue
from services.matching.rank import Matcher

DEFAULT_FILE = Path("../shared/data/dev_proposals.jsonl")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000
    return f"p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  max {ordered[-1] * 1000:6.2f} ms"


def time_queries(function, queries: list[tuple[str, dict]]) -> tuple[list[float], list[float]]:
    """Return the wall-clock and thread CPU seconds of each query."""
    wall, cpu = [], []
    for text, context in queries:
        start, start_cpu = time.perf_counter(), time.thread_time()
        function(text, **context)
        wall.append(time.perf_counter() - start)
        cpu.append(time.thread_time() - start_cpu)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", type=Path, nargs="*", default=[DEFAULT_FILE])
    parser.add_argument("--version", default="2024")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    levels = desa_levels()
    queries = [(item["text"], context_of(item, levels)) for item in read_items(args.files, "all")]

    start = time.perf_counter()
    matcher = Matcher(load_catalogue(args.version))
    build = time.perf_counter() - start
    load_catalogue.cache_clear()
    tracemalloc.start()
    Matcher(load_catalogue(args.version))
    index_bytes, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    names = {code: p.name.lower() for code, p in matcher.catalogue.programs.items()}

    def naive(text: str, **_context: object) -> list:
        return process.extract(text.lower(), names, scorer=fuzz.WRatio, limit=5)

    cold, cold_cpu = time_queries(matcher.match, queries)
    warm, warm_cpu = [], []
    for _ in range(args.rounds - 1):
        wall, cpu = time_queries(matcher.match, queries)
        warm += wall
        warm_cpu += cpu
    baseline = [s for _ in range(args.rounds) for s in time_queries(naive, queries)[0]]
    machine = platform.processor() or platform.machine()
    print(f"machine   {machine}, python {platform.python_version()}")
    print(
        f"catalogue {args.version}: {len(names)} programs, {matcher.size} evidence texts, "
        f"{len(queries)} queries"
    )
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"build     {build:.2f} s (cold, in-process)")
    print(
        f"memory    index {index_bytes / 2**20:.1f} MiB (catalogue + BM25 + lookups, "
        f"tracemalloc); process peak RSS {peak_rss:.0f} MiB"
    )
    print(f"load      {' '.join(f'{value:.1f}' for value in os.getloadavg())} (1, 5, 15 min)")
    print(f"matcher   cold  wall {percentiles(cold)}")
    print(f"matcher   cold  cpu  {percentiles(cold_cpu)}")
    print(f"matcher   warm  wall {percentiles(warm)}")
    print(f"matcher   warm  cpu  {percentiles(warm_cpu)}")
    print(f"naive           wall {percentiles(baseline)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
