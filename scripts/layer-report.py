#!/usr/bin/env python3
"""The consent layer's table for docs/performance.md, from the medians of
the last `cargo bench -p cookie-policy-benches --bench layer` run
(target/criterion/layer/<shape>/<setup>/new/estimates.json, and the
paired measure of the layer's cost, target/criterion/layer_added/<shape>/consent_layer)."""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
SHAPES = ["new_visitor", "returning_granted", "returning_refused"]
SETUPS = ["bare", "consent_layer", "tower_cookies"]
AROUND = "consent_around_router"
PASS_THROUGH = "pass_through"


def median(*parts):
    path = ROOT.joinpath(*parts, "new", "estimates.json")
    try:
        return json.loads(path.read_text())["median"]["point_estimate"]
    except FileNotFoundError:
        return None


def us(ns):
    return f"{ns / 1000:.2f} µs"


def added(ns, bare):
    sign = "+" if ns >= bare else "−"
    return f"{sign}{abs(ns - bare) / 1000:.2f} µs"


def main():
    print("| shape | bare | `ConsentLayer` | tower-cookies | layer's added | added / bare | layer's added, paired | paired / bare | tower-cookies' added | around the router: added | a pass-through layer: added |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for shape in SHAPES:
        bare, layer, tower, around, through = (
            median("layer", shape, s) for s in SETUPS + [AROUND, PASS_THROUGH]
        )
        if None in (bare, layer, tower):
            sys.exit(f"missing estimates for {shape}")
        around = "" if around is None else added(around, bare)
        through = "" if through is None else added(through, bare)
        paired = median("layer_added", shape, "consent_layer")
        paired = ("", "") if paired is None else (f"+{us(paired)}", f"{paired / bare:.2f}x")
        print(
            f"| {shape.replace('_', ' ')} | {us(bare)} | {us(layer)} | {us(tower)} "
            f"| {added(layer, bare)} | {(layer - bare) / bare:.2f}x | {paired[0]} | {paired[1]} "
            f"| {added(tower, bare)} | {around} | {through} |"
        )
    loop = [median("loopback", s) for s in SETUPS]
    if None not in loop:
        bare, layer, tower = loop
        print(
            f"| loopback round trip, returning granted | {us(bare)} | {us(layer)} | {us(tower)} "
            f"| {added(layer, bare)} | {(layer - bare) / bare:.2f}x | | | {added(tower, bare)} | | |"
        )


if __name__ == "__main__":
    main()
