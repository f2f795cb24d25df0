#!/usr/bin/env python3
"""Describes the machine a benchmark ran on, for benches/RESULTS.md: CPU model and SIMD flags (from /proc/cpuinfo
and lscpu), CPUs, kernel, compiler, commit, date.

    python3 benches/machine.py OUT.json LOAD SELECTED [FILTERS]      # scripts/bench-rust.sh calls it
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import platform
import re
import subprocess
import sys

ENV = ["NVX_BENCH_ROUNDS", "NVX_BENCH_SAMPLE_US", "NVX_BENCH_MAX_SIZE", "NVX_BENCH_CPU"]
SIMD = ["sse2", "ssse3", "sse4_2", "avx2", "avx512f", "avx512bw", "avx512vbmi", "avx512_vbmi2", "asimd"]


def run(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def main() -> None:
    out, load, selected = sys.argv[1:4]
    filters = sys.argv[4] if len(sys.argv) > 4 else ""
    cpuinfo = pathlib.Path("/proc/cpuinfo").read_text() if pathlib.Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    flags_line = re.search(r"^(?:flags|Features)\s*:\s*(.*)$", cpuinfo, re.M)
    flags = set(flags_line.group(1).split()) if flags_line else set()
    hypervisor = re.search(r"^Hypervisor vendor:\s*(.*)$", run("lscpu"), re.M)
    cpu = model.group(1) if model else platform.processor() or platform.machine()
    if hypervisor:
        cpu += f" ({hypervisor.group(1)} guest)"
    # The results, tables and charts this run rewrites do not count as local changes.
    generated = [":!benches/results", ":!benches/charts", ":!benches/RESULTS.md"]
    dirty = run("git", "status", "--porcelain", "--untracked-files=no", "--", ".", *generated)
    info = {
        "date": datetime.date.today().isoformat(),
        "cpu": cpu,
        "flags": " ".join(f for f in SIMD if f in flags) or platform.machine(),
        "cpus": run("nproc"),
        "kernel": platform.release(),
        "rustc": run("rustc", "--version"),
        "selected": selected or "?",
        "commit": run("git", "rev-parse", "--short", "HEAD") + (" (with local changes)" if dirty else ""),
        "command": " ".join(
            [f"{k}={os.environ[k]}" for k in ENV if k in os.environ]
            + ["bash scripts/bench-rust.sh"]
            + ([filters] if filters else [])
        ),
        "load": load,
    }
    pathlib.Path(out).write_text(json.dumps(info, indent=1) + "\n")


if __name__ == "__main__":
    main()
