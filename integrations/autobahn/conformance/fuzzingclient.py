"""Runs the Autobahn|Testsuite (``wstest -m fuzzingclient``) against ``echo_server.py`` on loopback and judges it.

    PYTHONPATH=python python integrations/autobahn/conformance/fuzzingclient.py \\
        [--cases ci|deflate|all|PATTERN,...] [--impl nvx] [--impl autobahn-nvx] [--impl python] [--table]
        [--impl pypy-nvx --pypy PYPY] [--impl pypy-autobahn-nvx] [--impl pypy-python]

Starts one echo server per ``--impl`` (default: nvx only) on a free port, runs wstest once against all of them in
turn (one wstest run, the servers tested one after the other), stops the servers and reads wstest's JSON report
(``index.json``: for each agent and case ``behavior``, ``behaviorClose``, ``duration`` in ms). A case passes when
``behavior`` is OK, NON-STRICT or INFORMATIONAL and ``behaviorClose`` is OK or INFORMATIONAL; the id, verdicts and
report file of every other case are printed and make the exit status 1 (2: the harness itself failed: a server
check, a server exit, wstest's exit or a missing case). Prints per server the counts per verdict and the time.

``--table`` also prints the 9.* (large messages) cases side by side: per server the case's duration (wstest's, from
its onOpen to the TCP close) and the CPU time the server and wstest used meanwhile (the server measures both, per
connection: its own with ``time.process_time()``, wstest's from ``/proc/PID/stat``, 10 ms ticks); that table is a
benchmark, not a test. Case sets: ``ci`` 1.* to 7.*, 9.*, 10.* (301 cases; about 30 s per server with nvx);
``deflate`` 12.* and 13.* (permessage-deflate, 216 cases, half an hour); ``all`` both. Outputs go to ``--outdir``
(default ``target/conformance/<cases>``): wstest's reports (HTML and JSON), its log, each server's log and
statistics, ``summary.json`` and, with ``--table``, ``cases-9.md``.

``--wstest`` is Autobahn|Testsuite's ``wstest`` (a Python 2.7 program; ``scripts/ci/conformance.sh`` installs it
into ``.venv-wstest`` from ``requirements-wstest.txt``). The servers run on this interpreter, which needs autobahn
26.10.2 and, for ``--impl nvx``, nvx_ws importable; the ``pypy-*`` servers (the same three implementations) run
on the interpreter ``--pypy`` names (default ``$NVX_CONFORMANCE_PYPY``: ``scripts/ci/conformance.sh`` makes a PyPy
3.11 venv, ``.venv-conformance-pypy``), which needs the same.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import resource
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
ECHO_SERVER = HERE / "echo_server.py"

CASE_SETS = {
    "ci": ["1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*"],
    "deflate": ["12.*", "13.*"],
    "all": ["1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*", "12.*", "13.*"],
}
IMPL_TITLES = {"nvx": "nvx_ws", "autobahn-nvx": "autobahn NVX", "python": "pure Python"}
IMPL_TITLES.update({"pypy-" + impl: title + " (PyPy)" for impl, title in IMPL_TITLES.items()})
PASSING_BEHAVIOR = ("OK", "NON-STRICT", "INFORMATIONAL")
PASSING_CLOSE = ("OK", "INFORMATIONAL")
HARNESS_FAILED = 2


class HarnessError(Exception):
    """The run itself went wrong (as opposed to a case failing)."""


@dataclass
class Server:
    impl: str
    process: subprocess.Popen
    port: int
    stats_path: Path
    log_path: Path
    description: str = ""
    stats: dict = field(default_factory=dict)


def start_server(impl: str, outdir: Path, pypy: str | None, timeout: float = 60.0) -> Server:
    """Starts ``echo_server.py --impl IMPL`` (a ``pypy-`` IMPL on PYPY); it measures wstest's CPU time too once
    ``wstest.pid`` names it."""
    python = sys.executable
    if impl.startswith("pypy-"):
        if not pypy:
            raise HarnessError(f"--impl {impl} needs --pypy (or NVX_CONFORMANCE_PYPY): a PyPy with autobahn")
        python = pypy
    log_path = outdir / f"server-{impl}.log"
    stats_path = outdir / f"server-{impl}.json"
    stats_path.unlink(missing_ok=True)
    env = dict(os.environ)
    env.pop("AUTOBAHN_USE_NVX", None)  # --impl decides; echo_server.py sets it for --impl python
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [
                python,
                str(ECHO_SERVER),
                "--impl",
                impl.removeprefix("pypy-"),
                "--stats",
                str(stats_path),
                "--peer-pid-file",
                str(outdir / "wstest.pid"),
            ],
            stdout=subprocess.PIPE,
            stderr=log,
            env=env,
            text=True,
        )
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    line = process.stdout.readline() if ready else ""
    match = re.fullmatch(r"ready (\d+)\n", line)
    if not match:
        process.kill()
        process.wait()
        raise HarnessError(f"echo server --impl {impl} did not start:\n{log_path.read_text().rstrip()}")
    description = log_path.read_text().strip().splitlines()[-1]
    return Server(impl, process, int(match.group(1)), stats_path, log_path, description)


def stop_server(server: Server) -> None:
    """Stops a server that must still be running, and reads the statistics it writes at exit."""
    early = server.process.poll()
    if early is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
            raise HarnessError(f"echo server --impl {server.impl} did not stop on SIGTERM") from None
    server.process.stdout.close()
    status = server.process.returncode
    if early is not None or status != 0:
        how = f"was killed by {signal.Signals(-status).name}" if status < 0 else f"exited with status {status}"
        when = "during the run" if early is not None else "when stopped"
        log = server.log_path.read_text().rstrip()[-4000:]
        raise HarnessError(f"echo server --impl {server.impl} {how} {when}:\n{log}")
    server.stats = json.loads(server.stats_path.read_text())


def stop_servers(servers: list[Server]) -> list[str]:
    """Stops every server; returns what went wrong."""
    errors = []
    for server in servers:
        try:
            stop_server(server)
        except HarnessError as e:
            errors.append(str(e))
    return errors


def run_wstest(wstest: str, spec_path: Path, log_path: Path, timeout: float) -> tuple[float, float, int]:
    """Runs wstest; returns its wall time, its CPU time (user + system) and the number of cases it announced."""
    pid_file = spec_path.parent / "wstest.pid"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            process = subprocess.Popen(
                [os.path.abspath(wstest), "-m", "fuzzingclient", "-s", str(spec_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=spec_path.parent,
            )
        except OSError as e:
            raise HarnessError(f"cannot run wstest: {e}") from None
        pid_file.with_suffix(".tmp").write_text(str(process.pid))
        pid_file.with_suffix(".tmp").replace(pid_file)  # the servers read it whole or not at all
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise HarnessError(f"wstest did not finish within {timeout:.0f} s; see {log_path}") from None
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    text = log_path.read_text(errors="replace")
    if returncode != 0:
        raise HarnessError(f"wstest exited with status {returncode}:\n{text.rstrip()[-4000:]}")
    match = re.search(r"Ok, will run (\d+) test cases against (\d+) servers", text)
    if not match:
        raise HarnessError(f"wstest did not say how many cases it runs; see {log_path}")
    return wall, cpu, int(match.group(1))


def case_key(case_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in case_id.split("."))


def utc_timestamp(started: str) -> float:
    """wstest's ``started`` (``2026-11-23T22:40:01.123Z``, UTC) as a Unix timestamp."""
    return datetime.strptime(started, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).timestamp()


def cpu_per_case(cases: dict, reports: Path, connections: list[dict]) -> dict[str, tuple[float, float]] | None:
    """Pairs each case with the server's record of its connection (one connection per case, in the order they
    started); returns per case the CPU seconds of the server and of wstest (NaN if unknown) while it ran, or None
    if cases and connections do not pair up."""
    started = {}
    for case_id, case in cases.items():
        report = json.loads((reports / case["reportfile"]).read_text())
        started[case_id] = utc_timestamp(report["started"])
    order = sorted(cases, key=lambda c: (started[c], case_key(c)))
    if len(order) != len(connections):
        return None
    records = sorted(connections, key=lambda c: c["opened"])
    if any(abs(started[c] - r["opened"]) > 5.0 for c, r in zip(order, records, strict=True)):
        return None
    nan = float("nan")
    return {
        c: (r["cpu_s"], nan if r.get("peer_cpu_s") is None else r["peer_cpu_s"])
        for c, r in zip(order, records, strict=True)
    }


def label_9(case_id: str) -> str:
    """What a 9.* case of Autobahn|Testsuite 25.10.1 sends (its DESCRIPTIONs have wrong sizes in places)."""
    _, group, n = case_key(case_id)
    kind = "text" if group % 2 else "binary"
    if group in (1, 2):
        size = ("64 KiB", "256 KiB", "1 MiB", "4 MiB", "8 MiB", "16 MiB")[n - 1]
        return f"{kind} {size}"
    if group in (3, 4):
        frames = ("64 B", "256 B", "1 KiB", "4 KiB", "16 KiB", "64 KiB", "256 KiB", "1 MiB", "4 MiB")[n - 1]
        return f"{kind} 4 MiB in {frames} frames"
    if group in (5, 6):
        return f"{kind} 1 MiB written in {(64, 128, 256, 512, 1024, 2048)[n - 1]} B chops"
    if group in (7, 8):
        return f"1000 x {kind} {(0, 16, 64, 256, 1024, 4096)[n - 1]} B, one at a time"
    return f"{kind} (case 9.{group}.{n})"


def table_9(servers: list[Server], results: dict) -> str:
    """The 9.* durations side by side, as Markdown: per server the case's duration and, within it, the CPU time the
    server and wstest used."""
    ids = sorted((c for c in results[servers[0].impl]["cases"] if c.startswith("9.")), key=case_key)
    head = " | ".join(f"{IMPL_TITLES[s.impl]}: ms (server / wstest CPU ms)" for s in servers)
    lines = [f"| case | message(s) | {head} |", "|---|---|" + "---:|" * len(servers)]
    totals = {s.impl: [0.0, 0.0, 0.0] for s in servers}
    nan = (float("nan"), float("nan"))
    for case_id in ids:
        cells = []
        for s in servers:
            duration = results[s.impl]["cases"][case_id]["duration"]
            server_cpu, wstest_cpu = (results[s.impl]["cpu_s"] or {}).get(case_id, nan)
            for i, value in enumerate((duration, server_cpu * 1000, wstest_cpu * 1000)):
                totals[s.impl][i] += value
            cells.append(f"{duration} ({server_cpu * 1000:.0f} / {wstest_cpu * 1000:.0f})")
        lines.append(f"| {case_id} | {label_9(case_id)} | {' | '.join(cells)} |")
    cells = [f"**{d:.0f}** ({c:.0f} / {w:.0f})" for d, c, w in (totals[s.impl] for s in servers)]
    lines.append(f"| 9.* | all {len(ids)} cases | {' | '.join(cells)} |")
    share = [f"server {100 * c / d:.0f} %, wstest {100 * w / d:.0f} %" for d, c, w in (totals[s.impl] for s in servers)]
    lines.append(f"| | share of the duration | {' | '.join(share)} |")
    return "\n".join(lines)


def judge(cases: dict) -> tuple[collections.Counter, collections.Counter, list[str]]:
    behaviors, closes, failed = collections.Counter(), collections.Counter(), []
    for case_id in sorted(cases, key=case_key):
        case = cases[case_id]
        behaviors[case["behavior"]] += 1
        closes[case["behaviorClose"]] += 1
        if case["behavior"] not in PASSING_BEHAVIOR or case["behaviorClose"] not in PASSING_CLOSE:
            failed.append(case_id)
    return behaviors, closes, failed


def counts(counter: collections.Counter) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counter.items(), key=lambda kv: -kv[1]))


def run(args: argparse.Namespace) -> int:
    patterns = CASE_SETS.get(args.cases) or [p.strip() for p in args.cases.split(",") if p.strip()]
    impls = list(dict.fromkeys(args.impl or ["nvx"]))
    outdir = Path(args.outdir or ROOT / "target" / "conformance" / re.sub(r"[^\w.-]+", "_", args.cases)).resolve()
    reports = outdir / "reports"
    outdir.mkdir(parents=True, exist_ok=True)
    if reports.exists():
        for old in reports.iterdir():
            old.unlink()

    (outdir / "wstest.pid").unlink(missing_ok=True)  # the servers must not find a previous run's
    servers: list[Server] = []
    try:
        for impl in impls:
            servers.append(start_server(impl, outdir, args.pypy))
            print(f"conformance: {impl}: {servers[-1].description.removeprefix('echo_server: ')}", flush=True)
        spec = {
            "outdir": str(reports),
            "servers": [{"agent": s.impl, "url": f"ws://127.0.0.1:{s.port}"} for s in servers],
            "cases": patterns,
            "exclude-cases": [],
            "exclude-agent-cases": {},
        }
        spec_path = outdir / "fuzzingclient.json"
        spec_path.write_text(json.dumps(spec, indent=2) + "\n")
        print(
            f"conformance: wstest -m fuzzingclient, cases {' '.join(patterns)}, {len(servers)} server(s) ...",
            flush=True,
        )
        wall, wstest_total_cpu, announced = run_wstest(args.wstest, spec_path, outdir / "wstest.log", args.timeout)
    except HarnessError as e:
        raise HarnessError("\n".join([str(e), *stop_servers(servers)])) from None
    except BaseException:
        stop_servers(servers)
        raise
    errors = stop_servers(servers)
    if errors:
        raise HarnessError("\n".join(errors))

    if not (reports / "index.json").exists():
        raise HarnessError(f"wstest wrote no report; see {outdir / 'wstest.log'}")
    index = json.loads((reports / "index.json").read_text())
    results, failures, missing, nan = {}, [], [], float("nan")
    for server in servers:
        cases = index.get(server.impl, {})
        if len(cases) != announced:
            missing.append(f"{server.impl}: {len(cases)} of {announced} cases reported")
        behaviors, closes, failed = judge(cases)
        cpu = cpu_per_case(cases, reports, server.stats["connections"])
        results[server.impl] = {
            "description": server.description,
            "cases": cases,
            "cpu_s": cpu,
            "failed": failed,
            "behavior": dict(behaviors),
            "behaviorClose": dict(closes),
        }
        duration = sum(c["duration"] for c in cases.values()) / 1000
        server_cpu, wstest_cpu = (sum(v) for v in zip(*cpu.values(), strict=True)) if cpu else (nan, nan)
        print(
            f"conformance: {server.impl}: {len(cases)} cases, {len(failed)} failed; behavior: {counts(behaviors)}; "
            f"behaviorClose: {counts(closes)}; {duration:.1f} s (CPU: server {server_cpu:.1f} s, wstest "
            f"{wstest_cpu:.1f} s)"
        )
        for case_id in failed:
            case = cases[case_id]
            failures.append(case_id)
            print(
                f"conformance: {server.impl}: FAILED {case_id}: behavior {case['behavior']}, "
                f"behaviorClose {case['behaviorClose']}, close code {case.get('remoteCloseCode')} "
                f"({reports / case['reportfile']})"
            )
    print(
        f"conformance: wstest ran {announced} cases x {len(servers)} server(s) in {wall:.1f} s wall, "
        f"{wstest_total_cpu:.1f} s CPU (wstest itself); reports in {reports}"
    )

    summary = {
        "cases": patterns,
        "announced": announced,
        "wstest_wall_s": wall,
        "wstest_cpu_s": wstest_total_cpu,
        "servers": {
            impl: {k: v for k, v in r.items() if k != "cases"} | {"process_cpu_s": s.stats["process_cpu_s"]}
            for (impl, r), s in zip(results.items(), servers, strict=True)
        },
    }
    (outdir / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")

    if args.table and any(c.startswith("9.") for c in results[impls[0]]["cases"]):
        table = table_9(servers, results)
        (outdir / "cases-9.md").write_text(table + "\n")
        print(table)
    if missing:
        raise HarnessError("cases missing from the report: " + "; ".join(missing))
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default="ci", help="ci, deflate, all, or wstest case patterns (e.g. 9.1.*,10.*)")
    parser.add_argument("--impl", action="append", choices=IMPL_TITLES, help="an echo server (repeat; default nvx)")
    parser.add_argument("--table", action="store_true", help="print the 9.* durations side by side")
    parser.add_argument("--pypy", default=os.environ.get("NVX_CONFORMANCE_PYPY"), help="the pypy-* servers' PyPy")
    parser.add_argument("--wstest", default=str(ROOT / ".venv-wstest" / "bin" / "wstest"))
    parser.add_argument("--outdir", help="default: target/conformance/<cases>")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds wstest may take (default 3600)")
    try:
        return run(parser.parse_args())
    except HarnessError as e:
        print(f"conformance: ERROR: {e}", file=sys.stderr)
        return HARNESS_FAILED


if __name__ == "__main__":
    sys.exit(main())
