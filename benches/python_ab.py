#!/usr/bin/env python3
"""nvx_ws's large-message throughput under two set-ups, measured in alternating processes (a benchmark, not a test).

    # PyPy beside CPython, the same nvx_ws (issue 16: PyPy >= 0.8x CPython's GB/s from 16 KiB up):
    python benches/python_ab.py cpython=.venv-bench/bin/python pypy=.venv-bench-pypy39/bin/python
    # two builds of nvx_ws on one interpreter (PYTHONPATH of each):
    python benches/python_ab.py before=.venv-bench/bin/python:/tmp/main/python after=.venv-bench/bin/python

benches/python_bench.py measures CPython and PyPy one after the other, minutes apart; on a shared machine a busy
minute can then land on one interpreter only. Here each round runs one short child process per set-up, in
alternating order, every child measuring every case (per message: ``reset()`` + ``validate()``, ``is_valid``, a
masker per message, ``mask_inplace``; the same texts as python_bench.py), and the fastest of all rounds counts.
Each child pinned to CPU 1 (taskset) where taskset exists.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = [16 << 10, 128 << 10, 1 << 20, 16 << 20]
KEY = b"\x37\xfa\x21\x3d"


def child() -> None:
    """Every case once (best of 5 repeats), as JSON on stdout."""
    import random

    import nvx_ws

    sys.path.insert(0, os.path.join(ROOT, "benches"))
    from python_bench import texts

    text = {kind: texts(kind, SIZES) for kind in ("ascii", "mixed", "cjk")}
    rng = random.Random(6)
    validator = nvx_ws.Utf8Validator()
    cases = []
    for n in SIZES:
        for kind in ("ascii", "mixed", "cjk"):
            t = text[kind][n]
            cases.append((f"Utf8Validator {kind}", n, lambda t=t: (validator.reset(), validator.validate(t))))
            cases.append((f"is_valid {kind}", n, lambda t=t: nvx_ws.is_valid(t)))
        data = rng.randbytes(n)
        buf = bytearray(data)
        cases.append(
            ("create_xor_masker().process", n, lambda d=data, n=n: nvx_ws.create_xor_masker(KEY, n).process(d))
        )
        cases.append(("mask", n, lambda d=data: nvx_ws.mask(d, KEY)))
        cases.append(("mask_inplace", n, lambda b=buf: nvx_ws.mask_inplace(b, KEY)))
    out = {}
    for name, n, call in cases:
        number = max(3, (1 << 24) // n)
        gc.collect()  # each case from a collected heap: on PyPy, what an earlier case left behind changed a later
        call()  # case's speed by up to 3x (16 MiB results, whose allocation paces PyPy's major collections)
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(number):
                call()
            best = min(best, (time.perf_counter() - start) / number)
        out[f"{name}|{n}"] = best
    print(json.dumps(out))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child()
        return 0
    rounds = 6
    if argv[:1] == ["--rounds"]:
        rounds, argv = int(argv[1]), argv[2:]
    setups = {}
    for arg in argv:
        name, _, spec = arg.partition("=")
        python, _, path = spec.partition(":")
        setups[name] = (python, path or os.path.join(ROOT, "python"))
    if len(setups) != 2:
        sys.exit(__doc__)
    pin = ["taskset", "-c", "1"] if shutil.which("taskset") else []
    best: dict[tuple[str, str], float] = {}
    for r in range(rounds):
        order = list(setups.items())
        for name, (python, path) in order if r % 2 == 0 else order[::-1]:
            env = dict(os.environ, PYTHONPATH=path)
            done = subprocess.run(
                pin + [python, os.path.abspath(__file__), "--child"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            for key, seconds in json.loads(done.stdout).items():
                best[(name, key)] = min(best.get((name, key), float("inf")), seconds)
    (a, _), (b, _) = setups.items()
    keys = sorted({k for _, k in best}, key=lambda k: (k.split("|")[0], int(k.split("|")[1])))
    print(f"| case | size | {a} GB/s | {b} GB/s | {b} / {a} |")
    print("|---|---|---:|---:|---:|")
    for key in keys:
        name, n = key.split("|")
        ta, tb = best[(a, key)], best[(b, key)]
        size = f"{int(n) >> 20} MiB" if int(n) >= 1 << 20 else f"{int(n) >> 10} KiB"
        print(f"| {name} | {size} | {int(n) / ta / 1e9:.3g} | {int(n) / tb / 1e9:.3g} | {ta / tb:.2f}× |")
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"\n{rounds} rounds, alternating processes; fastest of all rounds; {date}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
