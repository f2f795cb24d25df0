#!/usr/bin/env python3
"""Charts and the CPython/PyPy comparison of the Python benchmark, from the JSON files benches/python_bench.py wrote.

    python benches/python_charts.py target/bench-python/cpython.json target/bench-python/pypy.json \\
        --charts benches/img --markdown > target/bench-python/compare.md

Charts (matplotlib, PNG; one per operation, each with a panel per interpreter): throughput in GB/s against message
size, log-log, nvx's APIs as solid lines beside the peers (dashed) and the memory ceiling ``bytes(memoryview)``
(dotted grey): ``python-xor.png``, ``python-utf8.png`` (ASCII, mixed, CJK text in rows), ``python-fused.png``.
The comparison: PyPy's GB/s over CPython's for the same case and size (issue 16: XOR and validation at 16 KiB and
up, at least 0.8).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

KiB = 1 << 10
PYPY_GOAL = 0.8
# nvx's cases compared across interpreters (issue 16: "PyPy's XOR and validation").
COMPARED = [
    ("xor", "", "nvx create_xor_masker"),
    ("xor", "", "nvx mask"),
    ("xor", "", "nvx mask_inplace"),
    ("utf8", "ascii", "nvx Utf8Validator"),
    ("utf8", "mixed", "nvx Utf8Validator"),
    ("utf8", "cjk", "nvx Utf8Validator"),
    ("utf8", "mixed", "nvx is_valid"),
]


def load(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def interpreter(run: dict) -> str:
    setup = run["setup"]
    return setup["python"] + (f" (PyPy {setup['pypy']})" if setup.get("pypy") else "")


UNITS = {"B": 1, "KiB": KiB, "MiB": KiB * KiB}
# One colour per implementation, the same in every chart: nvx's APIs in the first three, each peer its own.
COLOURS = {
    "nvx mask": "C0",
    "nvx Utf8Validator": "C0",
    "nvx unmask_validate": "C0",
    "nvx mask_inplace": "C1",
    "nvx validate": "C1",
    "nvx unmask_validate_inplace": "C1",
    "nvx create_xor_masker": "C2",
    "nvx is_valid": "C2",
    "nvx mask + Utf8Validator": "C2",
    "autobahn NVX": "C3",
    "autobahn py": "C4",
    "wsaccel": "C5",
    "websockets apply_mask": "C6",
    "websockets": "C6",
    "aiohttp C mask": "C8",
    "aiohttp py mask": "C8",
    "aiohttp C": "C8",
    "aiohttp py": "C8",
    "bytes.decode": "C9",
    "incremental decoder": "C7",
    "copy": "black",
}


def nominal_size(row: str) -> int:
    """The size a row is named after (``mixed 125 B`` holds 124 bytes: text ends on a code point)."""
    number, unit = row.split(" ")[-2:]
    return int(number) * UNITS[unit]


def series(run: dict, table: str, kind: str = "") -> dict[str, list[tuple[int, float]]]:
    """impl -> [(nominal bytes, GB/s)] for one table (and text kind), in size order, measured cells only."""
    out: dict[str, list[tuple[int, float]]] = {}
    for r in run["results"]:
        if r["table"] != table or not r["gbps"]:
            continue
        if kind and not r["row"].startswith(kind + " "):
            continue
        out.setdefault(r["impl"], []).append((nominal_size(r["row"]), r["gbps"]))
    return {impl: sorted(points) for impl, points in out.items()}


def size_label(n: float) -> str:
    n = int(n)
    if n >= 1 << 20:
        return f"{n >> 20} MiB"
    if n >= KiB:
        return f"{n >> 10} KiB"
    return f"{n} B"


def draw(ax, data: dict[str, list[tuple[int, float]]], title: str) -> None:
    for impl, points in data.items():
        xs, ys = zip(*points)
        colour = COLOURS.get(impl, "C7")
        if impl.startswith("nvx"):
            style = {"linestyle": "-", "linewidth": 2.2, "marker": "o", "markersize": 4}
        elif impl == "copy":
            style = {"linestyle": ":", "linewidth": 1.5}
            impl = "bytes(memoryview) copy"
        else:
            style = {"linestyle": "--", "linewidth": 1.2, "marker": ".", "markersize": 4}
        ax.plot(xs, ys, label=impl, color=colour, **style)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ticks = sorted({n for points in data.values() for n, _ in points})
    ax.set_xticks(ticks)
    ax.set_xticklabels([size_label(n) for n in ticks], rotation=45, ha="right", fontsize=8)
    ax.minorticks_off()
    ax.set_ylabel("GB/s (log)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="major", alpha=0.3)


def charts(runs: list[dict], outdir: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(outdir, exist_ok=True)
    written = []
    machine = runs[0]["setup"]["machine"]["cpu"]
    kernel = runs[0]["setup"]["nvx_ws"].rsplit("kernel ", 1)[-1].rstrip(")")
    date = runs[0]["setup"]["date"]
    footer = f"{machine}, libnvx kernel {kernel}, {date}; per message, higher is better"
    plan = [
        ("python-xor.png", "XOR masking of one message (masker creation included)", [("xor", "")]),
        ("python-utf8.png", "UTF-8 validation of one message", [("utf8", k) for k in ("ascii", "mixed", "cjk")]),
        ("python-fused.png", "Unmask + validate one masked text frame (mixed text)", [("fused", "")]),
    ]
    for name, title, panels in plan:
        fig, axes = plt.subplots(len(panels), len(runs), figsize=(6.2 * len(runs), 4.6 * len(panels)), squeeze=False)
        for col, run in enumerate(runs):
            for row, (table, kind) in enumerate(panels):
                sub = interpreter(run) + (f": {kind} text" if kind else "")
                draw(axes[row][col], series(run, table, kind), sub)
        fig.suptitle(title, fontsize=12)
        # One legend for the figure, below the panels: every implementation of any panel, once.
        labels: dict[str, object] = {}
        for ax in axes.flat:
            for handle, label in zip(*ax.get_legend_handles_labels()):
                labels.setdefault(label, handle)
        fig.legend(
            labels.values(),
            labels.keys(),
            loc="lower center",
            ncol=5,
            fontsize=8,
            frameon=False,
            bbox_to_anchor=(0.5, 0.025),
        )
        fig.text(0.5, 0.005, footer, ha="center", fontsize=8, color="dimgrey")
        bottom = 0.1 if len(panels) == 1 else 0.055
        fig.tight_layout(rect=(0, bottom, 1, 0.97))
        path = os.path.join(outdir, name)
        fig.savefig(path, dpi=90)
        plt.close(fig)
        written.append(path)
    return written


def compare(cpython: dict, pypy: dict, markdown: bool) -> str:
    """PyPy's GB/s over CPython's, per nvx case and size from 16 KiB up, and the issue's verdict."""

    def cells(run):
        return {(r["table"], r["row"], r["impl"]): r for r in run["results"] if r["gbps"]}

    a, b = cells(cpython), cells(pypy)
    rows, worst = [], None
    for table, kind, impl in COMPARED:
        keys = sorted(
            (k for k in a if k[0] == table and k[2] == impl and (not kind or k[1].startswith(kind + " "))),
            key=lambda k: nominal_size(k[1]),
        )
        for key in keys:
            if nominal_size(key[1]) < 16 * KiB or key not in b:
                continue
            r = b[key]["gbps"] / a[key]["gbps"]
            rows.append([f"{table} {key[1]}", impl, f"{a[key]['gbps']:.3g}", f"{b[key]['gbps']:.3g}", f"{r:.2f}×"])
            if worst is None or r < worst[0]:
                worst = (r, f"{table} {key[1]} {impl}")
    met = sum(1 for row in rows if float(row[4].rstrip("×")) >= PYPY_GOAL)
    headers = ["case", "API", interpreter(cpython) + " GB/s", interpreter(pypy) + " GB/s", "PyPy / CPython"]
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    else:
        lines = ["  ".join(headers)] + ["  ".join(row) for row in rows]
    verdict = (
        f"PyPy's XOR and validation at >= 16 KiB >= {PYPY_GOAL}x CPython's GB/s: "
        + ("met" if worst and met == len(rows) else "MISSED")
        + (f"; worst {worst[0]:.2f}x at {worst[1]}; {met} of {len(rows)} met" if worst else "; not measured")
    )
    return "\n".join(lines) + "\n\n" + verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", help="JSON files of benches/python_bench.py (CPython first, then PyPy)")
    parser.add_argument("--charts", metavar="DIR", help="write the PNG charts into DIR")
    parser.add_argument("--markdown", action="store_true", help="the comparison as a Markdown table")
    args = parser.parse_args(argv)
    runs = [load(path) for path in args.runs]
    if args.charts:
        for path in charts(runs, args.charts):
            print("chart:", path, file=sys.stderr)
    cpython = next((r for r in runs if not r["setup"].get("pypy")), None)
    pypy = next((r for r in runs if r["setup"].get("pypy")), None)
    if cpython and pypy:
        print(compare(cpython, pypy, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
