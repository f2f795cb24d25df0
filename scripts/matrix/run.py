"""The platform matrix: every interpreter nvx serves, each with the artifact that serves it installed from dist/
and tested, and one record of it all.

    python scripts/matrix/run.py [--jobs 2] [ROW-ID-PATTERN...]    # run by scripts/ci/matrix.sh (read that first)

Rows (ROWS below): Linux x86_64 CPython 3.11, 3.12, 3.13 (pyenv), 3.14 and 3.15 (Debian sid; 3.15 as a forward
check), PyPy 3.11 (7.3.19, Debian trixie) and PyPy 8.0 (Debian sid, a forward check); Linux aarch64 under qemu-user
CPython 3.11 (bookworm), 3.13 (trixie), 3.14 (sid) and PyPy 3.11 (trixie). The Debian interpreters come from the
roots of scripts/roots/, patched to run on the host. macOS arm64 and Windows x86_64 are configured for CI runners
and recorded as not run. Per row, each step's output in target/matrix/logs/<row>-<step>.log:

1. a venv (target/matrix/venvs/<row>) made by uv, and the row's artifact from dist/ installed into it by uv's pip
   interface with pytest (and cffi, the wheel's dependency on CPython), from PyPI;
2. facts.py: the interpreter, the wheel tag installed, the extension imported from site-packages (never from the
   source tree), the kernel selected (neon on aarch64), threads; for a root's interpreter, every shared object
   in the process comes from that root or the venv;
3. the pytest suite tests/python (JUnit XML: passed, failed, skipped);
4. autobahn 26.10.2 installed (its wheel where PyPI has one for the interpreter, else its sdist, built with
   AUTOBAHN_USE_NVX=0: without autobahn's own NVX, which nvx replaces), then autobahn's own NVX and WebSocket
   protocol tests with nvx_ws.autobahn.install() and test_stock_wheel.py (integrations/autobahn/stock_wheel.sh's
   set, from the installed autobahn), then the loopback test (integrations/autobahn/test_loopback.py).

A step that fails is recorded with the end of its output. A row's ``known`` failures are failures outside nvx,
each a step, a pattern its output must match and the reason: such a row is recorded as failed, outside nvx, and
does not fail the run; any other failure does, and so does a known failure that did not happen (the list must stay
true). The record, target/matrix/platform-matrix.json, is what docs/platform-matrix.json is a copy of and the
README's platform table is made from (scripts/matrix/table.py).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import fnmatch
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIST = os.path.join(ROOT, "dist")
WORK = os.path.join(ROOT, "target", "matrix")
ROOTS = os.path.join(ROOT, "target", "roots")
RECORD = os.path.join(WORK, "platform-matrix.json")  # a run of some rows only: platform-matrix-partial.json
AUTOBAHN = "autobahn==26.10.2"
AUTOBAHN_SRC = os.path.join(ROOT, "target", "autobahn-26.10.2", "src", "autobahn")
ARTIFACTS = {
    "abi3-x86_64": "nvx_ws-*-cp311-abi3-manylinux_*_x86_64.whl",
    "pp311-x86_64": "nvx_ws-*-pp311-pypy311_pp73-manylinux_*_x86_64.whl",
    "abi3-aarch64": "nvx_ws-*-cp311-abi3-manylinux_*_aarch64.whl",
    "pp311-aarch64": "nvx_ws-*-pp311-pypy311_pp73-manylinux_*_aarch64.whl",
    "sdist": "nvx_ws-*.tar.gz",
}


@dataclass
class Known:
    """A failure the row is known to have: in a pytest step, every failed test's id matches ``pattern``; in another
    step, its output does. ``outside_nvx``: an interpreter's or a package's, not nvx's."""

    pattern: str
    reason: str
    outside_nvx: bool


@dataclass
class Row:
    id: str
    platform: str
    interpreter: str  # what the row is for, e.g. "CPython 3.14"
    python: str  # "pyenv:3.12", or "<root>:<program>" for target/roots/<root>/usr/bin/<program>
    artifact: str  # a key of ARTIFACTS
    source: str  # where the interpreter comes from
    forward: bool = False  # a forward check: beyond what autobahn publishes wheels for
    known: dict[str, Known] = field(default_factory=dict)  # step -> the failure it is known to have
    probe: str = ""  # an ARTIFACTS key that must be refused by the installer (recorded)
    seconds: int = 0  # CPU seconds it takes, roughly: the longest rows start first


# cryptography 50.0.2's pp311 wheel calls PyPyModule_FromDefAndSpec2, which PyPy 7.3.19 (Debian trixie's) does not
# export (PyPy 8.0.1's does): autobahn's WebSocket code and tests never import it, its WAMP cryptography does.
CRYPTOGRAPHY_ON_PYPY_7_3_19 = Known(
    r"PyPyModule_FromDefAndSpec2",
    "cryptography 50.0.2's PyPy wheel needs PyPyModule_FromDefAndSpec2, which PyPy 7.3.19 lacks: "
    "`import cryptography.x509` fails (autobahn's WebSocket code and tests do not import it)",
    outside_nvx=True,
)

ROWS = [
    Row("x86_64-cpython-3.11", "Linux x86_64", "CPython 3.11", "pyenv:3.11", "abi3-x86_64", "pyenv", seconds=10),
    Row("x86_64-cpython-3.12", "Linux x86_64", "CPython 3.12", "pyenv:3.12", "abi3-x86_64", "pyenv", seconds=10),
    Row("x86_64-cpython-3.13", "Linux x86_64", "CPython 3.13", "pyenv:3.13", "abi3-x86_64", "pyenv", seconds=10),
    Row(
        "x86_64-cpython-3.14",
        "Linux x86_64",
        "CPython 3.14",
        "sid-amd64:python3.14",
        "abi3-x86_64",
        "Debian sid python3.14",
        seconds=10,
    ),
    Row(
        "x86_64-cpython-3.15",
        "Linux x86_64",
        "CPython 3.15",
        "sid-amd64:python3.15",
        "abi3-x86_64",
        "Debian sid python3.15",
        forward=True,
        seconds=10,
    ),
    Row(
        "x86_64-pypy-3.11",
        "Linux x86_64",
        "PyPy 3.11",
        "trixie-amd64:pypy3.11",
        "pp311-x86_64",
        "Debian trixie pypy3",
        known={"autobahn-facts": CRYPTOGRAPHY_ON_PYPY_7_3_19},
        seconds=20,
    ),
    Row(
        "x86_64-pypy-8.0",
        "Linux x86_64",
        "PyPy 8.0 (Python 3.11)",
        "sid-amd64:pypy3.11",
        "sdist",
        "Debian sid pypy3",
        forward=True,
        probe="pp311-x86_64",
        seconds=10,
        known={
            "autobahn-install": Known(
                r"cryptography\S* has no usable wheels",
                "autobahn needs cryptography >= 50, which has no wheel for PyPy 8.0 (pypy311_pp80); built from its "
                "sdist (Rust, OpenSSL headers) it took 7 min 48 s here, so the matrix installs its wheels only",
                outside_nvx=True,
            ),
        },
    ),
    Row(
        "aarch64-cpython-3.11",
        "Linux aarch64",
        "CPython 3.11",
        "bookworm-arm64:python3.11",
        "abi3-aarch64",
        "Debian bookworm python3.11, qemu-user",
        seconds=80,
    ),
    Row(
        "aarch64-cpython-3.13",
        "Linux aarch64",
        "CPython 3.13",
        "trixie-arm64:python3.13",
        "abi3-aarch64",
        "Debian trixie python3.13, qemu-user",
        seconds=80,
    ),
    Row(
        "aarch64-cpython-3.14",
        "Linux aarch64",
        "CPython 3.14",
        "sid-arm64:python3.14",
        "abi3-aarch64",
        "Debian sid python3.14, qemu-user",
        seconds=80,
    ),
    Row(
        "aarch64-pypy-3.11",
        "Linux aarch64",
        "PyPy 3.11",
        "trixie-arm64:pypy3.11",
        "pp311-aarch64",
        "Debian trixie pypy3, qemu-user",
        known={"autobahn-facts": CRYPTOGRAPHY_ON_PYPY_7_3_19},
        seconds=160,
    ),
]
# Configured for CI runners (.github/workflows/wheels.yml), which do not exist here.
NOT_RUN = [
    ("macos-arm64", "macOS arm64", "CPython 3.11+ (abi3), PyPy 3.11"),
    ("windows-x86_64", "Windows x86_64", "CPython 3.11+ (abi3), PyPy 3.11"),
]
TIMEOUTS = {"x86_64": 900, "aarch64": 2400}  # seconds per step
# What a source build (an sdist without a wheel for the interpreter: ujson on PyPy) compiles with: an emulated
# interpreter would otherwise run the host's gcc and get x86_64 code. Debian 12's cross compilers link against glibc
# 2.36 and the root's libstdc++6 runs what they make.
BUILD_ENV = {
    "x86_64": {},
    "aarch64": {
        "CC": "aarch64-linux-gnu-gcc",
        "CXX": "aarch64-linux-gnu-g++",
        "LDSHARED": "aarch64-linux-gnu-gcc -shared",
        "LDCXXSHARED": "aarch64-linux-gnu-g++ -shared",
    },
}

print_lock = threading.Lock()


def say(text):
    with print_lock:
        print(text, flush=True)


def pyenv_python(version):
    pyenv, root = shutil.which("pyenv"), ""
    try:
        if pyenv:
            root = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        root = ""
    found = sorted(
        glob.glob(os.path.join(root, "versions", version + ".*", "bin", "python")) if root else [],
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.split("/versions/")[1].split("/")[0])],
    )
    return found[-1] if found else shutil.which("python" + version)


def interpreter(row):
    """(path of the row's interpreter or None, its root's directory or None)."""
    where, name = row.python.split(":")
    if where == "pyenv":
        return pyenv_python(name), None
    root = os.path.join(ROOTS, where)
    path = os.path.join(root, "usr", "bin", name)
    return (path if os.path.exists(path) else None), root


def child_env(**extra):
    """The host's environment without what would steer Python, pip or uv, plus EXTRA."""
    steer = ("PYTHON", "VIRTUAL_ENV", "UV_", "PIP_", "QEMU_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(steer) or k == "UV_CACHE_DIR"}
    env.update(
        LANG="C.UTF-8", LC_ALL="C.UTF-8", NVX_AUTOBAHN_SRC=AUTOBAHN_SRC, UV_PYTHON_DOWNLOADS="never", UV_NO_PROGRESS="1"
    )
    env.update(extra)
    return env


class Runner:
    """Runs the steps of one row, each logged; records what happened."""

    def __init__(self, row, uv):
        self.row, self.uv = row, uv
        self.arch = row.platform.split()[-1]
        self.venv = os.path.join(WORK, "venvs", row.id)
        self.python = os.path.join(self.venv, "bin", "python")
        self.failures = []  # (step, detail, external reason or None)
        self.notes = []
        self.cpu: dict[str, float] = {}  # seconds of CPU per step

    def step(self, name, cmd, timeout=None, append=False, **env):
        """Runs cmd (output to the step's log, CPU time added to the row's); returns (ok, the end of the output)."""
        log = os.path.join(WORK, "logs", "%s-%s.log" % (self.row.id, name))
        timeout = timeout or TIMEOUTS[self.arch]
        with open(log, "a" if append else "w", encoding="utf-8") as f:
            f.write("$ %s\n" % " ".join(cmd))
            f.flush()
            proc = subprocess.Popen(cmd, cwd=ROOT, env=child_env(**env), stdout=f, stderr=subprocess.STDOUT)
            timer = threading.Timer(timeout, proc.kill)
            timer.start()
            _, status, usage = os.wait4(proc.pid, 0)  # the CPU time of the step's whole process tree
            timed_out = not timer.is_alive()
            timer.cancel()
            proc.returncode = os.waitstatus_to_exitcode(status)
        self.cpu[name] = self.cpu.get(name, 0.0) + usage.ru_utime + usage.ru_stime
        with open(log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        tail = "\n".join(text.strip().splitlines()[-12:])
        return proc.returncode == 0 and not timed_out, ("timed out after %d s\n" % timeout if timed_out else "") + tail

    def fail(self, step, detail, failed_tests=None):
        """Records a failure, and whether it is the one the row is known to have (``failed_tests``: the ids of a
        pytest step's failed tests, all of which must match; else the step's whole output must)."""
        known = self.row.known.get(step)
        if known and failed_tests:
            matches = all(re.search(known.pattern, t) for t in failed_tests)
        elif known:
            log = os.path.join(WORK, "logs", "%s-%s.log" % (self.row.id, step))
            with open(log, encoding="utf-8", errors="replace") as f:
                output = "".join(line for line in f if not line.startswith("$ "))  # not the command lines
            matches = re.search(known.pattern, output) is not None
        self.failures.append((step, detail, known if known and matches else None))

    def pytest(self, name, args, **env):
        """pytest with JUnit XML; returns the counts (None if pytest wrote none) after recording a failure."""
        xml = os.path.join(WORK, "logs", "%s-%s.xml" % (self.row.id, name))
        if os.path.exists(xml):
            os.remove(xml)
        ok, tail = self.step(
            name, [self.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml", xml, *args], **env
        )
        counts, failed = junit_counts(xml) if os.path.exists(xml) else (None, [])
        if not ok or counts is None or counts["failed"] or counts["errors"] or not counts["passed"]:
            self.fail(name, tail, failed)
        return counts

    def run(self):
        row, started = self.row, time.monotonic()
        result = {
            "id": row.id,
            "platform": row.platform,
            "interpreter": row.interpreter,
            "source": row.source,
            "forward_check": row.forward,
        }
        python, root = interpreter(row)
        artifacts = glob.glob(os.path.join(DIST, ARTIFACTS[row.artifact]))
        if not python:
            self.fail("interpreter", "no interpreter for %s" % row.python)
        elif len(artifacts) != 1:
            self.fail("artifact", "dist/ has %d files matching %s" % (len(artifacts), ARTIFACTS[row.artifact]))
        else:
            result["artifact"] = os.path.basename(artifacts[0])
            self.install(python, artifacts[0], result)
            facts = None if self.failures else self.facts("facts", root, result)
            if facts:
                version = facts["python"] + (" (PyPy %s)" % facts["pypy"] if facts["pypy"] else "")
                result.update(
                    version=version, soabi=facts["soabi"], kernel=facts["kernel"], wheel_tags=facts["wheel_tags"]
                )
            if not self.failures:
                result["tests"] = self.pytest("tests", ["tests/python"])
                self.autobahn(root, result)
        result["seconds"] = round(time.monotonic() - started)
        result["cpu_seconds"] = round(sum(self.cpu.values()))
        result["cpu_seconds_per_step"] = {name: round(cpu, 1) for name, cpu in self.cpu.items()}
        result["date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        result["status"] = "failed" if self.failures else "passed"
        result["failures"] = [
            {"step": s, "output": d, "known": k.reason if k else None, "outside_nvx": bool(k and k.outside_nvx)}
            for s, d, k in self.failures
        ]
        result["known_only"] = bool(self.failures) and all(k for _, _, k in self.failures)
        stale = [s for s in row.known if s not in {f[0] for f in self.failures if f[2]}]
        result["stale_known_failures"] = stale
        result["notes"] = self.notes
        return result

    def install(self, python, artifact, result):
        shutil.rmtree(self.venv, ignore_errors=True)
        ok, tail = self.step("venv", [self.uv, "venv", "-q", "--python", python, self.venv])
        if not ok:
            return self.fail("venv", tail)
        if self.row.probe:
            (probe,) = glob.glob(os.path.join(DIST, ARTIFACTS[self.row.probe]))
            ok, tail = self.step("probe", [self.uv, "pip", "install", "--dry-run", "--python", self.python, probe])
            refusal = tail.strip().splitlines()[-1] if tail.strip() else ""
            if ok:
                self.fail("probe", "%s installs here, against expectation:\n%s" % (os.path.basename(probe), tail))
            else:
                self.notes.append("%s refused: %s" % (os.path.basename(probe), refusal.strip()))
        # An sdist builds its libnvx with cargo; the one target/release holds is the same source's.
        env = {"NVX_LIBDIR": os.path.join(ROOT, "target", "release")} if artifact.endswith(".tar.gz") else {}
        env.update(BUILD_ENV[self.arch])
        ok, tail = self.step("install", [self.uv, "pip", "install", "--python", self.python, artifact, "pytest"], **env)
        if not ok:
            return self.fail("install", tail)
        ok, tail = self.step("installer", [self.uv, "--version"])
        result["installer"] = tail.strip().splitlines()[-1] if ok else "uv"

    def facts(self, step, root, result, modules=()):
        """Runs facts.py (importing MODULES first) and fails the step on anything wrong; returns the facts."""
        log = os.path.join(WORK, "logs", "%s-%s.log" % (self.row.id, step))
        ok, tail = self.step(step, [self.python, os.path.join(ROOT, "scripts", "matrix", "facts.py"), *modules])
        try:
            with open(log, encoding="utf-8") as f:
                facts = json.loads(f.read().splitlines()[-1])
        except (ValueError, IndexError):
            self.fail(step, tail)
            return None
        wrong = []
        if facts["machine"] != self.arch:
            wrong.append("machine %s, not %s" % (facts["machine"], self.arch))
        if not facts["from_site_packages"]:
            wrong.append("nvx_ws._nvx imported from %s, not the venv's site-packages" % facts["module"])
        if self.arch == "aarch64" and facts["kernel"] != "neon":
            wrong.append("kernel %s, not neon" % facts["kernel"])
        if not (facts["mask_ok"] and facts["validate_ok"] and facts["threads_ok"]):
            wrong.append("mask %(mask_ok)s, validate %(validate_ok)s, threads %(threads_ok)s" % facts)
        if root:
            outside = [p for p in facts["libraries"] if not p.startswith((os.path.realpath(root) + "/", self.venv))]
            if outside:
                wrong.append("shared objects from outside the root and the venv: " + " ".join(outside))
        if facts["foreign_elf"]:
            wrong.append("built for another architecture: " + " ".join(facts["foreign_elf"]))
        for name, error in facts["import_errors"].items():
            wrong.append("import %s: %s" % (name, error))
        if result.get("artifact", "").endswith(".whl"):
            tag = "-".join(result["artifact"][:-4].split("-")[2:])
            if facts["wheel_tags"] != [tag]:
                wrong.append("installed wheel's tag %s, not %s" % (facts["wheel_tags"], tag))
        if wrong:
            self.fail(step, "; ".join(wrong))
        return facts

    def autobahn(self, root, result):
        # autobahn's wheel, else its sdist built without its NVX (AUTOBAHN_USE_NVX=0: pure Python, no compiler), and
        # its dependencies; cryptography from a wheel only (its source build needs Rust and OpenSSL's headers and
        # took 7 min 48 s here).
        ok, tail = self.step(
            "autobahn-install",
            [self.uv, "pip", "install", "--python", self.python, "--only-binary", "cryptography", AUTOBAHN],
            AUTOBAHN_USE_NVX="0",
            **BUILD_ENV[self.arch],
        )
        if not ok:
            self.fail("autobahn-install", tail)
            result["autobahn"] = {"installed": False, "error": tail.strip().splitlines()[-1] if tail.strip() else ""}
            return
        # autobahn and its compiled dependencies import, and bring nothing from outside the root or for another
        # architecture (a source build with the wrong compiler would).
        modules = ["autobahn.websocket.protocol", "autobahn.wamp.serializer", "ujson", "cbor2", "cryptography.x509"]
        modules.append("umsgpack" if "PyPy" in self.row.interpreter else "msgpack")
        self.facts("autobahn-facts", root, result, modules)
        tags = glob.glob(os.path.join(self.venv, "lib", "*", "site-packages", "autobahn-*.dist-info", "WHEEL"))
        tag = ""
        if tags:
            with open(tags[0], encoding="utf-8") as f:
                tag = " ".join(line.split(":", 1)[1].strip() for line in f if line.startswith("Tag:"))
        plugin = {"USE_ASYNCIO": "1", "PYTHONPATH": os.path.join(ROOT, "integrations", "autobahn")}
        counts = self.pytest(
            "autobahn",
            [
                "-p",
                "nvx_autobahn_plugin",
                "--pyargs",
                "autobahn.nvx.test",
                "autobahn.websocket.test",
                "integrations/autobahn/test_stock_wheel.py",
            ],
            **plugin,
        )
        result["autobahn"] = {
            "installed": True,
            "wheel_tag": tag,
            "built_from_sdist": tag.startswith("py3-none"),
            **(counts or {}),
        }
        result["loopback"] = self.pytest(
            "loopback", ["-p", "nvx_autobahn_plugin", "integrations/autobahn/test_loopback.py"], **plugin
        )


def junit_counts(path):
    try:
        root = ET.parse(path).getroot()  # noqa: S314 (the JUnit file this run's own pytest wrote)
    except ET.ParseError:
        return None, []
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
    failed = [
        "%s::%s" % (case.get("classname", ""), case.get("name", ""))
        for case in root.iter("testcase")
        if case.find("failure") is not None or case.find("error") is not None
    ]
    counts = {
        "passed": total["tests"] - total["failures"] - total["errors"] - total["skipped"],
        "failed": total["failures"],
        "skipped": total["skipped"],
        "errors": total["errors"],
    }
    return counts, failed


def describe(result):
    def counts(c):
        return "%(passed)d passed, %(failed)d failed, %(skipped)d skipped" % c if c else "-"

    ab = result.get("autobahn") or {}
    parts = [
        "%-22s %-26s %-44s" % (result["id"], result.get("version", "?"), result.get("artifact", "?")),
        "tests: " + counts(result.get("tests")),
        "autobahn: " + (counts(ab) if ab.get("installed") else "not installed"),
        "loopback: " + counts(result.get("loopback")),
        "%s in %d s (%d s CPU)"
        % (result["status"] + (" (known)" if result["known_only"] else ""), result["seconds"], result["cpu_seconds"]),
    ]
    return "; ".join(parts)


def host_facts():
    facts = {}
    qemu = os.path.join(ROOTS, "sid-amd64", "usr", "bin", "qemu-aarch64")
    for key, cmd in (
        ("qemu", [qemu, "--version"]),
        ("kernel", ["uname", "-sr"]),
        ("commit", ["git", "rev-parse", "HEAD"]),
    ):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT).stdout.strip().splitlines()
        except OSError:
            out = []
        facts[key] = out[0] if out else "?"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        model = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
    facts["cpu"] = model.group(1) if model else "?"
    return facts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", nargs="*", help="row ids (shell patterns); default: all")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("NVX_MATRIX_JOBS", "2")))
    parser.add_argument("--uv", default=os.environ.get("NVX_UV") or shutil.which("uv") or "uv")
    args = parser.parse_args()
    rows = [r for r in ROWS if not args.rows or any(fnmatch.fnmatch(r.id, p) for p in args.rows)]
    if not rows:
        parser.error("no row matches %s" % " ".join(args.rows))
    os.makedirs(os.path.join(WORK, "logs"), exist_ok=True)
    started = time.monotonic()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(Runner(r, args.uv).run) for r in sorted(rows, key=lambda r: -r.seconds)]
        for future in concurrent.futures.as_completed(futures):
            result = future.result()
            results.append(result)
            say("matrix: " + describe(result))
            for f in result["failures"]:
                known = (
                    " (known%s: %s)" % (", outside nvx" if f["outside_nvx"] else "", f["known"]) if f["known"] else ""
                )
                say(
                    "matrix: %s: %s failed%s:\n    %s"
                    % (result["id"], f["step"], known, f["output"].replace("\n", "\n    "))
                )
    order = [r.id for r in ROWS]
    results.sort(key=lambda r: order.index(r["id"]))
    for key, platform, interpreters in NOT_RUN:
        results.append(
            {
                "id": key,
                "platform": platform,
                "interpreter": interpreters,
                "status": "configured, not run",
                "notes": [".github/workflows/wheels.yml (cibuildwheel); no such runner here"],
            }
        )
    record = {
        "generated_by": "scripts/ci/matrix.sh (scripts/matrix/run.py)",
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "host": host_facts(),
        "seconds": round(time.monotonic() - started),
        "rows": results,
    }
    path = RECORD if len(rows) == len(ROWS) else RECORD.replace(".json", "-partial.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1, ensure_ascii=False)
        f.write("\n")
    unexpected = [r["id"] for r in results if r["status"] == "failed" and not r["known_only"]]
    known = [r["id"] for r in results if r["status"] == "failed" and r["known_only"]]
    stale = ["%s: %s" % (r["id"], s) for r in results for s in r.get("stale_known_failures", [])]
    say(
        "matrix: %d rows in %d s: %d passed, %d failed as known (%s), %d failed otherwise (%s); record: %s"
        % (
            len(rows),
            record["seconds"],
            sum(r["status"] == "passed" for r in results),
            len(known),
            " ".join(known) or "-",
            len(unexpected),
            " ".join(unexpected) or "-",
            os.path.relpath(path, ROOT),
        )
    )
    if stale:
        say("matrix: known failures that did not happen (remove them from ROWS): " + "; ".join(stale))
    return 1 if unexpected or stale else 0


if __name__ == "__main__":
    sys.exit(main())
