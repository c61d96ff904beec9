#!/usr/bin/env python3
"""Pairs `cargo bench --bench codec` with the C++ anchor's figures from the same sitting.

Reads the anchor's medians (`<anchor dir>/results/latest/<variant>.median.txt`, lines
`<metric> ns_per_op=<n>`) and criterion's medians (`target/criterion/anchor/<metric>/new/
estimates.json`, `median.point_estimate` in ns) and prints a markdown table with the ratio
anchor / ours for every metric both sides have.

A criterion row named `<anchor metric>__<what>` is paired with that anchor metric too, one table
row each: `c_roundtrip_accountweight__core_accountweight` and `__core_accountinfo` are the node's
real request core (ledger read, compact JSON answer) beside the anchor's bench-local round trip
(which reads no ledger). The AccountInfo row does more work than the anchor's AccountWeight.

Usage: benches/compare_anchor.py [variant]   (default: debian)
"""

import json
import os
import pathlib
import sys


def main() -> int:
    variant = sys.argv[1] if len(sys.argv) > 1 else "debian"
    cache = os.environ.get("XDG_CACHE_HOME", os.path.join(os.path.expanduser("~"), ".cache"))
    anchor_dir = pathlib.Path(os.environ.get("NANOIPC_ANCHOR_DIR", os.path.join(cache, "nanoipc-anchor")))
    medians = anchor_dir / "results" / "latest" / f"{variant}.median.txt"
    if not medians.is_file():
        print(f"no anchor results at {medians}: run ../shared/anchors/cpp-reflection/run.sh", file=sys.stderr)
        return 1
    anchor = {}
    for line in medians.read_text().splitlines():
        name, sep, value = line.partition(" ns_per_op=")
        if sep:
            anchor[name.strip()] = float(value)
    crit = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion" / "anchor"
    print(f"| metric | anchor ({variant}) ns | nanoipc ns | anchor / nanoipc |")
    print("|---|---:|---:|---:|")
    for name, theirs in anchor.items():
        ours_rows = [name] + sorted(
            d.name for d in crit.glob(f"{name}__*") if d.is_dir()
        )
        for row in ours_rows:
            est = crit / row / "new" / "estimates.json"
            if not est.is_file():
                continue
            ours = json.loads(est.read_text())["median"]["point_estimate"]
            label = name if row == name else f"{row} (vs anchor {name})"
            print(f"| {label} | {theirs:.0f} | {ours:.0f} | {theirs / ours:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
