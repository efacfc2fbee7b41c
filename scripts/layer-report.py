#!/usr/bin/env python3
"""The consent layer's table for docs/performance.md, from the medians of
the last `cargo bench -p cookie-policy-benches --bench layer` run
(target/criterion/layer/<shape>/<setup>/new/estimates.json, and the
paired measures of the layer's cost, target/criterion/layer_added/<shape>/<setup>)."""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
SHAPES = ["new_visitor", "returning_granted", "returning_refused", "returning_refused_cleared"]


def median(*parts):
    path = ROOT.joinpath(*parts, "new", "estimates.json")
    try:
        return json.loads(path.read_text())["median"]["point_estimate"]
    except FileNotFoundError:
        return None


def us(ns):
    return f"{ns / 1000:.2f} µs"


def added(ns, bare):
    if ns is None:
        return ""
    sign = "+" if ns >= bare else "−"
    return f"{sign}{abs(ns - bare) / 1000:.2f} µs"


def ratio(ns, bare):
    return "" if ns is None else f"{ns / bare:.2f}x"


def main():
    print("Around the router (`consent_layer`, `tower_cookies`):")
    print()
    print("| shape | bare | `ConsentLayer` | tower-cookies | layer's added | added / bare | **layer's added, paired** | **paired / bare** | tower-cookies' added |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for shape in SHAPES:
        bare, layer, tower = (
            median("layer", shape, s) for s in ["bare", "consent_layer", "tower_cookies"]
        )
        if None in (bare, layer, tower):
            sys.exit(f"missing estimates for {shape}")
        paired = median("layer_added", shape, "consent_layer")
        print(
            f"| {shape.replace('_', ' ')} | {us(bare)} | {us(layer)} | {us(tower)} "
            f"| {added(layer, bare)} | {ratio(layer - bare, bare)} "
            f"| {'' if paired is None else '+' + us(paired)} | {ratio(paired, bare)} "
            f"| {added(tower, bare)} |"
        )
        rows.append((shape, bare))
    loop = [median("loopback", s) for s in ["bare", "consent_layer", "tower_cookies"]]
    if None not in loop:
        bare, layer, tower = loop
        print(
            f"| loopback round trip, returning granted | {us(bare)} | {us(layer)} | {us(tower)} "
            f"| {added(layer, bare)} | {ratio(layer - bare, bare)} | | | {added(tower, bare)} |"
        )
    print()
    print("Through `Router::layer` (`consent_route_layer`, `tower_cookies_route_layer`, `pass_through`):")
    print()
    print("| shape | `ConsentLayer` | layer's added | layer's added, paired | paired / bare | tower-cookies | tower-cookies' added | a pass-through layer: added |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for shape, bare in rows:
        layer, tower, through = (
            median("layer", shape, s)
            for s in ["consent_route_layer", "tower_cookies_route_layer", "pass_through"]
        )
        paired = median("layer_added", shape, "consent_route_layer")
        print(
            f"| {shape.replace('_', ' ')} | {'' if layer is None else us(layer)} | {added(layer, bare)} "
            f"| {'' if paired is None else '+' + us(paired)} | {ratio(paired, bare)} "
            f"| {'' if tower is None else us(tower)} | {added(tower, bare)} | {added(through, bare)} |"
        )


if __name__ == "__main__":
    main()
