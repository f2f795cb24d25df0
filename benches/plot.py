#!/usr/bin/env python3
"""Draws the charts of benches/RESULTS.md from the Rust benchmark's results: throughput against message size, nvx
beside its peers, one chart per operation (PNG, matplotlib). Throughput from each candidate's fastest round, as the
tables of benches/summarize.py.

    python3 benches/plot.py [DIR [OUT]]      # DIR: benches/results (rust.jsonl, machine.json); OUT: benches/charts

scripts/bench-rust.sh installs matplotlib (pinned) into a venv and runs this after the benchmark.
"""

from __future__ import annotations

import json
import pathlib
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FixedLocator, NullLocator  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
TEXTS = ["ascii", "latin", "mixed", "cjk", "emoji"]
KIB, MIB = 1024, 1024 * 1024

# One look per candidate across all charts: nvx solid and bold, peers thinner, references dashed.
STYLE = {
    "nvx": dict(color="C3", lw=2.6, marker="o", ms=3, label="nvx (selected kernel)"),
    "nvx-avx512": dict(color="C3", lw=2.2, marker="o", ms=3, label="nvx avx512"),
    "nvx-avx2": dict(color="C1", lw=1.8, marker="s", ms=3, label="nvx avx2"),
    "nvx-ssse3": dict(color="C5", lw=1.6, marker="^", ms=3, label="nvx ssse3"),
    "simdutf8-basic": dict(color="C0", lw=1.4, marker=".", label="simdutf8 basic"),
    "simdutf8-compat": dict(color="C9", lw=1.2, ls="--", label="simdutf8 compat"),
    "simdutf8-avx2": dict(color="C0", lw=1.4, ls="-.", label="simdutf8 avx2 (direct)"),
    "simdutf8-sse42": dict(color="C9", lw=1.2, ls=":", label="simdutf8 sse4.2 (direct)"),
    "std": dict(color="C7", lw=1.4, ls="--", label="core::str::from_utf8"),
    "nvx-stream-1k": dict(color="C1", lw=1.8, marker="s", ms=3, label="nvx, 1 KiB chunks"),
    "nvx-stream-64k": dict(color="C2", lw=1.8, marker="^", ms=3, label="nvx, 64 KiB chunks"),
    "nvx-oneshot-1k": dict(color="C4", lw=1.2, ls=":", label="nvx one-shot per 1 KiB piece"),
    "simdutf8-compat-stream-1k": dict(color="C0", lw=1.4, ls="--", label="simdutf8 compat, 1 KiB chunks"),
    "nvx-inplace": dict(color="C3", lw=2.6, marker="o", ms=3, label="nvx in place"),
    "nvx-inplace-misaligned": dict(color="C1", lw=1.8, marker="s", ms=3, label="nvx in place, +1 byte"),
    "ceiling": dict(color="k", lw=1.4, ls="--", label="ceiling: AVX-512 load/XOR/store loop"),
    "ceiling-misaligned": dict(color="C7", lw=1.2, ls=":", label="ceiling, +1 byte"),
    "naive": dict(color="C8", lw=1.2, ls="-.", label="byte loop"),
    "nvx-outofplace": dict(color="C3", lw=2.6, marker="o", ms=3, label="nvx to dst"),
    "memcpy": dict(color="k", lw=1.4, ls="--", label="memcpy"),
    "fused-inplace": dict(color="C3", lw=2.6, marker="o", ms=3, label="fused, in place"),
    "two-pass-inplace": dict(color="C3", lw=1.4, ls="--", label="mask then validate, in place"),
    "fused-outofplace": dict(color="C0", lw=2.6, marker="s", ms=3, label="fused, to dst"),
    "two-pass-outofplace": dict(color="C0", lw=1.4, ls="--", label="mask then validate, to dst"),
}


def load(path: pathlib.Path) -> dict[tuple[str, str], dict[str, list[tuple[int, float]]]]:
    """{(op, text): {candidate: [(size, GB/s)]}}."""
    series: dict[tuple[str, str], dict[str, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
    latest: dict[tuple[str, str], dict] = {}
    for line in path.read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            latest[(r["group"], r["candidate"])] = r
    for r in latest.values():
        # The fastest round, as in benches/summarize.py.
        series[(r["op"], r["text"])][r["candidate"]].append((r["size"], r["bytes"] / r["min_ns"]))
    for by_candidate in series.values():
        for points in by_candidate.values():
            points.sort()
    return series


def size_label(size: int) -> str:
    if size >= MIB:
        return f"{size // MIB}M"
    if size >= KIB:
        return f"{size // KIB}K"
    return str(size)


def panel(ax, data: dict[str, list[tuple[int, float]]], candidates: list[str], title: str) -> None:
    sizes: set[int] = set()
    for name in candidates:
        points = data.get(name)
        if not points:
            continue
        xs, ys = zip(*points)
        sizes.update(xs)
        ax.plot(xs, ys, **STYLE[name])
    ax.set_title(title, fontsize=10)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ticks = sorted(sizes)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([size_label(s) for s in ticks], rotation=60, fontsize=7)
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(True, which="both", alpha=0.25)
    ax.set_xlabel("message size (bytes)", fontsize=8)
    ax.set_ylabel("GB/s", fontsize=8)


def figure(panels: int, columns: int):
    rows = (panels + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=(5.2 * columns, 3.9 * rows), squeeze=False)
    return fig, [ax for row in axes for ax in row]


def finish(fig, axes, used: int, title: str, machine: str, out: pathlib.Path) -> None:
    handles, labels = [], []
    for ax in axes[:used]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    for ax in axes[used:]:
        ax.axis("off")
    if used < len(axes):
        axes[used].legend(handles, labels, loc="center", fontsize=8, frameon=False)
    else:
        fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize=8, frameon=False)
    fig.suptitle(f"{title}\n{machine}", fontsize=11)
    fig.tight_layout(rect=(0, 0.04 if used >= len(axes) else 0, 1, 0.95))
    fig.savefig(out, dpi=110)
    plt.close(fig)
    print(f"wrote {out}")


def main() -> None:
    d = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "benches" / "results"
    out = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "benches" / "charts"
    out.mkdir(parents=True, exist_ok=True)
    series = load(d / "rust.jsonl")
    m = json.loads((d / "machine.json").read_text()) if (d / "machine.json").exists() else {}
    machine = ", ".join(m[k] for k in ("cpu", "kernel", "date") if k in m)

    fig, axes = figure(6, 3)
    for ax, text in zip(axes, TEXTS):
        panel(ax, series[("utf8", text)], ["nvx", "simdutf8-basic", "simdutf8-compat", "std"], f"{text} text")
    finish(fig, axes, 5, "UTF-8 validation, one-shot (higher is better)", machine, out / "utf8.png")

    fig, axes = figure(3, 3)
    kernels = ["nvx-avx512", "nvx-avx2", "nvx-ssse3", "simdutf8-avx2", "simdutf8-sse42", "std"]
    for ax, text in zip(axes, ["ascii", "mixed"]):
        panel(ax, series[("utf8", text)], kernels, f"{text} text")
    finish(fig, axes, 2, "UTF-8 validation, kernel by kernel", machine, out / "utf8-kernels.png")

    fig, axes = figure(6, 3)
    streams = ["nvx", "nvx-stream-1k", "nvx-stream-64k", "nvx-oneshot-1k", "simdutf8-compat-stream-1k"]
    for ax, text in zip(axes, TEXTS):
        data = {k: [p for p in v if p[0] >= 4 * KIB] for k, v in series[("utf8", text)].items()}
        panel(ax, data, streams, f"{text} text")
    finish(fig, axes, 5, "UTF-8 validation, streamed in chunks (Utf8Validator::feed)", machine, out / "utf8-stream.png")

    fig, axes = figure(4, 2)
    mask = series[("mask", "")]
    panel(axes[0], mask, ["nvx-inplace", "ceiling", "naive"], "in place, 64-byte aligned")
    panel(axes[1], mask, ["nvx-inplace-misaligned", "ceiling-misaligned"], "in place, one byte off")
    panel(axes[2], mask, ["nvx-outofplace", "memcpy"], "out of place")
    finish(fig, axes, 3, "XOR masking", machine, out / "mask.png")

    fig, axes = figure(3, 3)
    fused = series[("fused", "mixed")]
    panel(axes[0], fused, ["fused-inplace", "two-pass-inplace"], "in place")
    panel(axes[1], fused, ["fused-outofplace", "two-pass-outofplace"], "out of place")
    finish(fig, axes, 2, "Fused unmask + validate, mixed text", machine, out / "fused.png")


if __name__ == "__main__":
    main()
