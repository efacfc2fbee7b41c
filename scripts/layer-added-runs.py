#!/usr/bin/env python3
"""The consent layer's paired cost over several runs, for docs/performance.md.

On a shared machine one criterion run is not the next: the same binary's
paired median moves by about 15 % from one minute to the next. This runs
the `layer_added` group (the layer around the router) RUNS times in a row,
prints each run's paired median per shape, and the median of those
medians, with the load average before and after.

    python3 scripts/layer-added-runs.py 5
"""

import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHAPES = ["new_visitor", "returning_granted", "returning_refused", "returning_refused_cleared"]


def paired_median(shape):
    path = ROOT / "target" / "criterion" / "layer_added" / shape / "consent_layer" / "new" / "estimates.json"
    return json.loads(path.read_text())["median"]["point_estimate"]


def load():
    return os.getloadavg()[0]


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if runs < 1:
        sys.exit("usage: layer-added-runs.py RUNS (a number of runs, at least 1)")
    command = [
        "cargo", "bench", "-p", "cookie-policy-benches", "--bench", "layer", "--",
        "--warm-up-time", "2", "--measurement-time", "5", "layer_added/.*/consent_layer$",
    ]
    medians = {shape: [] for shape in SHAPES}
    print(f"load {load():.1f} at {time.strftime('%H:%M:%S', time.gmtime())} UTC")
    for run in range(1, runs + 1):
        bench = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if bench.returncode != 0:
            sys.exit(f"`{' '.join(command)}` failed:\n{bench.stderr}")
        row = []
        for shape in SHAPES:
            ns = paired_median(shape)
            medians[shape].append(ns)
            row.append(f"+{ns / 1000:.2f}")
        print(f"run {run}: " + ", ".join(row) + " µs")
    print(f"load {load():.1f} at {time.strftime('%H:%M:%S', time.gmtime())} UTC")
    print()
    print("| shape | each run (paired median) | median of the runs |")
    print("|---|---|---:|")
    for shape in SHAPES:
        each = ", ".join(f"+{ns / 1000:.2f}" for ns in medians[shape])
        middle = statistics.median(medians[shape])
        print(f"| {shape.replace('_', ' ')} | {each} | **+{middle / 1000:.2f} µs** |")


if __name__ == "__main__":
    main()
