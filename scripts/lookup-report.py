#!/usr/bin/env python3
"""Tables and a plot from the lookup benchmark's criterion results.

    cargo bench -p cookie-policy-benches --bench lookup
    python3 scripts/lookup-report.py            # prints Markdown tables
    python3 scripts/lookup-report.py --svg docs/images/lookup-vs-size.svg

Reads target/criterion/lookup_*/<contender>/new/{estimates,benchmark}.json;
every figure is the median time per iteration divided by the batch size: ns
per lookup. Ratios are against the generated lookup of the same run.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
REGISTRIES = [("synthetic-100", 100), ("synthetic-1000", 1000), ("open-cookie-database", 2247), ("synthetic-10000", 10000)]
CASES = ["exact_hit", "prefix_hit", "miss"]
CONTENDERS = ["generated", "phf", "HashMap (SipHash)", "HashMap (foldhash)", "sorted slice", "linear scan"]


def per_lookup(registry, case, contender):
    group = ROOT / f"lookup_{registry}_{case}"
    for directory in group.iterdir() if group.exists() else []:
        bench = directory / "new" / "benchmark.json"
        if not bench.exists():
            continue
        meta = json.loads(bench.read_text())
        if meta.get("value_str") != contender and meta.get("function_id") != contender:
            continue
        median = json.loads((directory / "new" / "estimates.json").read_text())["median"]["point_estimate"]
        elements = meta["throughput"]["Elements"]
        return median / elements
    return None


def table():
    for registry, size in REGISTRIES:
        print(f"\n### {registry} ({size:,} cookies)\n")
        print("| contender | " + " | ".join(f"{c} ns | ratio" for c in CASES) + " |")
        print("|---|" + "---:|---:|" * len(CASES))
        base = {case: per_lookup(registry, case, "generated") for case in CASES}
        for contender in CONTENDERS:
            cells = []
            for case in CASES:
                value = per_lookup(registry, case, contender)
                if value is None or not base[case]:
                    cells += ["-", "-"]
                else:
                    cells += [f"{value:.1f}", f"{value / base[case]:.2f}x"]
            print(f"| {contender} | " + " | ".join(cells) + " |")


def svg(path):
    import math
    width, height, left, right, top, bottom = 960, 360, 60, 20, 40, 50
    panel = (width - left - right) / len(CASES)
    colors = ["#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#7f7f7f"]
    values = [per_lookup(r, c, k) for r, _ in REGISTRIES for c in CASES for k in CONTENDERS]
    values = [v for v in values if v]
    low, high = math.log10(min(values)) - 0.1, math.log10(max(values)) + 0.1
    y = lambda v: top + (height - top - bottom) * (1 - (math.log10(v) - low) / (high - low))
    sizes = [math.log10(s) for _, s in REGISTRIES]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="13">Lookup time (ns, log scale) against registry size (cookies, log scale); median of one run</text>']
    for decade in range(math.floor(low), math.ceil(high) + 1):
        v = 10 ** decade
        if low <= decade <= high:
            out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>')
            out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
    for i, case in enumerate(CASES):
        x0 = left + i * panel + 20
        x = lambda s: x0 + (panel - 40) * (s - sizes[0]) / (sizes[-1] - sizes[0])
        out.append(f'<text x="{x0 + (panel - 40) / 2}" y="{top - 8}" text-anchor="middle" font-weight="bold">{case.replace("_", " ")}</text>')
        for (_, size), s in zip(REGISTRIES, sizes):
            out.append(f'<text x="{x(s):.1f}" y="{height - bottom + 14}" text-anchor="middle">{size:,}</text>')
        for contender, color in zip(CONTENDERS, colors):
            points = [(x(s), per_lookup(r, case, contender)) for (r, _), s in zip(REGISTRIES, sizes)]
            points = [(px, y(v)) for px, v in points if v]
            if points:
                out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in points) + '"/>')
    for j, (contender, color) in enumerate(zip(CONTENDERS, colors)):
        lx = left + j * (width - left - right) / len(CONTENDERS)
        out.append(f'<rect x="{lx}" y="{height - 18}" width="12" height="4" fill="{color}"/><text x="{lx + 16}" y="{height - 13}">{contender}</text>')
    out.append("</svg>")
    pathlib.Path(path).write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    if "--svg" in sys.argv:
        svg(sys.argv[sys.argv.index("--svg") + 1])
    else:
        table()
