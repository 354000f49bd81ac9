"""Fit the matcher's confidence calibration on the development sets and pick its threshold.

Usage: python bench/fit_confidence.py FILE.jsonl [FILE.jsonl ...] [--folds 5] [--target 0.97]
       [--noise-seeds 1 2 3]

Only development data belongs here (the dev set, bench/data/dev_styles.jsonl and
bench/calibration_negatives.jsonl), never an evaluation set. For every line the matcher's
signals are computed as the intake would (bidang, problem, kind of village); the target is
"the best program is acceptable" (a non-proposal the matcher gave no verdict is a negative;
lines with a verdict are never confident and are left out). Every line is also read without
its context, and with typing noise for each --noise-seeds, to see more of the ways a reading
goes wrong. A logistic regression with a small L2 penalty is fitted by Newton's method; k-fold
cross-validation (folds by line, so the variants of a line stay together) estimates the
precision and coverage of "confident" at several thresholds, and the smallest threshold whose
cross-validated precision reaches --target is suggested. Paste the printed weights into
services/matching/confidence.py.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.match_eval import add_noise, context_of, desa_levels, read_items
from services.matching.catalogue import load_catalogue
from services.matching.rank import Matcher

L2 = 1.0
FEATURES = (
    "log best score",
    "lead over the runner-up",
    "lead over the third",
    "lead over the best outside the family",
    "coverage",
    "log known words",
    "a described problem implies it",
    "best by evidence texts alone",
    "best by term cover alone",
    "direct evidence share",
    "anchor",
    "named share",
    "ownership",
)
THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.94, 0.96)


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return logistic weights (bias last) by Newton's method with an L2 penalty."""
    design = np.hstack([x, np.ones((len(x), 1))])
    weights = np.zeros(design.shape[1])
    penalty = L2 * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-design @ weights))
        gradient = design.T @ (p - y) + penalty @ weights
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


def predict(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ weights[:-1] + weights[-1])))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--target", type=float, default=0.97)
    parser.add_argument("--noise-seeds", type=int, nargs="*", default=[1, 2, 3])
    args = parser.parse_args()
    matcher = Matcher(load_catalogue("2024"))
    levels = desa_levels()
    rows, labels, lines = [], [], []
    items = read_items(args.files, "all")
    for seed in [None, *args.noise_seeds]:
        rng = random.Random(seed)
        for line, item in enumerate(items):
            text = item["text"] if seed is None else add_noise(item["text"], rng)
            for context in (context_of(item, levels), {}):
                result = matcher.match(text, k=5, **context)
                if result.verdict is not None or result.signals is None:
                    continue
                right = not item.get("none") and result.best.code in set(item["programs"])
                rows.append(result.signals.features())
                labels.append(float(right))
                lines.append(line)
    x, y, line_of = np.asarray(rows), np.asarray(labels), np.asarray(lines)
    print(f"{len(y)} readings of {len(items)} lines, {int(y.sum())} right ({y.mean():.3f})")
    fold_of = np.random.default_rng(1).permutation(len(items)) % args.folds
    held = np.zeros(len(y))
    for fold in range(args.folds):
        test = fold_of[line_of] == fold
        held[test] = predict(fit(x[~test], y[~test]), x[test])
    print("threshold  cv precision  cv coverage of right answers  confident share")
    suggested = None
    for threshold in THRESHOLDS:
        confident = held >= threshold
        precision = y[confident].mean() if confident.any() else float("nan")
        print(
            f"{threshold:9.2f}  {precision:12.3f}  {(confident & (y == 1)).sum() / y.sum():28.3f}"
            f"  {confident.mean():15.3f}"
        )
        if suggested is None and precision >= args.target:
            suggested = threshold
    weights = fit(x, y)
    print("CONFIDENCE_WEIGHTS = (")
    for weight, name in zip(weights[:-1], FEATURES, strict=True):
        print(f"    {round(float(weight), 3)},  # {name}")
    print(")")
    print("CONFIDENCE_BIAS =", round(float(weights[-1]), 3))
    print("CONFIDENT_AT =", suggested)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
