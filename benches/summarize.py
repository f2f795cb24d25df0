#!/usr/bin/env python3
"""Turns criterion's results (target/criterion) into the ratio tables of benches/RESULTS.md.

    cargo bench --bench throughput && python3 benches/summarize.py > /tmp/tables.md

Throughput is bytes / median time, in GB/s (10^9 bytes per second). Every ratio compares two benchmarks of the same
run on the same input.
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
SIZES = ["16B", "125B", "1KiB", "16KiB", "256KiB", "4MiB", "64MiB"]
TEXTS = ["ascii", "latin", "mixed", "cjk", "emoji"]


def load():
    """{(group, function): GB/s} for every benchmark with a throughput."""
    out = {}
    for bench in ROOT.glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        nbytes = (meta.get("throughput") or {}).get("Bytes")
        if not nbytes:
            continue
        function = meta["function_id"] + ("/" + meta["value_str"] if meta.get("value_str") else "")
        out[(meta["group_id"], function)] = nbytes / estimates["median"]["point_estimate"]
    return out


def fmt(x):
    return "–" if x is None else (f"{x:.2f}" if x < 100 else f"{x:.0f}")


def ratio(a, b):
    return None if a is None or b is None else a / b


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main():
    r = load()
    if not r:
        sys.exit(f"no criterion results under {ROOT}")
    get = lambda group, fn: r.get((group, fn))  # noqa: E731
    impls = sorted({fn.split("/", 1)[1] for (_, fn) in r if fn.startswith("nvx/")})

    rows = []
    for text in TEXTS:
        for size in SIZES:
            g = f"utf8/{text}/{size}"
            auto, basic, std = get(g, "nvx-auto"), get(g, "simdutf8-basic"), get(g, "std")
            if auto is None:
                continue
            rows.append(
                [
                    text,
                    size,
                    fmt(auto),
                    fmt(basic),
                    fmt(get(g, "simdutf8-compat")),
                    fmt(std),
                    fmt(ratio(auto, basic)),
                    fmt(ratio(auto, std)),
                    fmt(ratio(get(g, "nvx-stream-64k"), auto)),
                    fmt(ratio(get(g, "nvx-stream-1k"), auto)),
                    fmt(ratio(get(g, "simdutf8-compat-stream-1k"), get(g, "simdutf8-compat"))),
                ]
            )
    print("### UTF-8, one-shot and streamed (GB/s and ratios)\n")
    print(
        table(
            [
                "text",
                "size",
                "nvx auto",
                "simdutf8 basic",
                "simdutf8 compat",
                "std",
                "nvx/basic",
                "nvx/std",
                "stream 64K/one-shot",
                "stream 1K/one-shot",
                "compat stream 1K/compat",
            ],
            rows,
        )
    )

    rows = []
    for text in TEXTS:
        for size in SIZES:
            g = f"utf8/{text}/{size}"
            basic = get(g, "simdutf8-basic")
            if basic is None:
                continue
            rows.append([text, size] + [fmt(get(g, f"nvx/{i}")) for i in impls] + [fmt(basic)])
    print("\n### UTF-8 per implementation (GB/s)\n")
    print(table(["text", "size"] + impls + ["simdutf8 basic"], rows))

    rows = []
    for size in SIZES:
        g = f"mask/{size}"
        if get(g, "naive") is None:
            continue
        row = [size]
        for a in ("aligned", "misaligned"):
            inplace, ceiling = get(g, f"nvx-inplace-{a}"), get(g, f"inplace-ceiling-{a}")
            out, memcpy = get(g, f"nvx-outofplace-{a}"), get(g, f"memcpy-{a}")
            row += [fmt(inplace), fmt(ratio(inplace, ceiling)), fmt(out), fmt(ratio(out, memcpy))]
        row += [fmt(get(g, "naive")), fmt(ratio(get(g, "nvx-inplace-aligned"), get(g, "naive")))]
        rows.append(row)
    print("\n### XOR masking (GB/s and ratios)\n")
    print(
        table(
            [
                "size",
                "in place",
                "/ceiling",
                "to dst",
                "/memcpy",
                "in place (+1)",
                "/ceiling (+1)",
                "to dst (+1)",
                "/memcpy (+1)",
                "naive",
                "in place/naive",
            ],
            rows,
        )
    )

    rows = []
    for size in SIZES:
        g = f"fused/{size}"
        fused, two = get(g, "nvx-unmask-validate"), get(g, "mask-then-validate")
        if fused is not None:
            rows.append([size, fmt(fused), fmt(two), fmt(ratio(fused, two))])
    print("\n### Fused unmask + validate, mixed text (GB/s)\n")
    print(table(["size", "fused", "mask then validate", "fused/two passes"], rows))


if __name__ == "__main__":
    main()
