#!/usr/bin/env python3
"""Per-call benchmark of nvx_ws beside its Python peers, side by side in one run (a benchmark, not a test).

    PYTHONPATH=python taskset -c 1 python benches/python_bench.py              # full run, plain tables
    python benches/python_bench.py --quick                                     # smoke run: sizes <= 16 KiB
    python benches/python_bench.py --markdown --json target/bench-python/cpython.json > cpython.md

Workloads (issue 6): XOR masking of random bytes at 16 B .. 16 MiB (masker creation included, as a WebSocket
library creates one per frame); UTF-8 validation of whole messages of ASCII, mixed and CJK text at 16 B .. 16 MiB
(the text generator of benches/texts.rs); a 1 MiB mixed message validated in 1 KiB and 64 KiB chunks; unmasking
and validating a masked text frame (nvx's fused functions beside each peer's two steps); and the cost of doing
almost nothing (an empty loop, a no-op CFFI call) to show the floor under every per-call figure.

Peers, each reported as missing when it cannot be imported: autobahn 26.10.2's NVX (the compiled
``_nvx_utf8validator`` / ``_nvx_xormasker`` of its wheel; on PyPy, where autobahn 26 does not install, the same
C sources from its sdist built by scripts/bench-python.sh) and its pure-Python classes (loaded from its sources with
``USES_NVX = False``), wsaccel, ``websockets.speedups.apply_mask``, aiohttp's Cython mask
(``aiohttp._websocket.mask``; its pure-Python fallback where that is missing), ``bytes.decode("utf-8")``, the
incremental decoder of ``codecs``, and ``bytes(memoryview(data))``, a copy, as the memory ceiling.

Timing: ``timeit`` loops (one statement per call, no wrapper function); each case is warmed up, then run in short
repeats (about 3 ms each) for about 0.06 s, in 4 passes over all the cases, and its fastest repeat counts
(best-of-N, spread over the whole run, for a shared machine). Every implementation's result is checked once before
it is timed. A case projected to take over 0.5 s per call (the pure-Python peers at the largest sizes) is skipped
and shown as such.
"""

from __future__ import annotations

import argparse
import codecs
import datetime
import gc
import importlib.util
import json
import os
import platform
import random
import sys
import timeit
from dataclasses import asdict, dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KiB = 1 << 10
MiB = 1 << 20
SIZES = [16, 125, KiB, 16 * KiB, 128 * KiB, MiB, 16 * MiB]
QUICK_MAX_SIZE = 16 * KiB
KINDS = ["ascii", "mixed", "cjk"]
STREAM_MESSAGE = MiB
STREAM_CHUNKS = [KiB, 64 * KiB]
KEY = b"\x37\xfa\x21\x3d"
ZERO_KEY = b"\x00\x00\x00\x00"
MAX_SECONDS_PER_CALL = 0.5
IS_PYPY = platform.python_implementation() == "PyPy"


# --- inputs -------------------------------------------------------------------------------------------------------

ASCII_TEXT = "The quick brown fox jumps over the lazy dog, 0123456789; WebSocket frames carry text. "
LATIN = "éüßñçøåôŽł"
CJK = "漢字文化日本語中国한국のア"
EMOJI = "😀🚀🎉👍🔥🌍🤖💡"


def text(kind: str, length: int) -> bytes:
    """``length`` bytes (or up to 3 fewer, to end on a code point) of text of mix ``kind``: the generator of
    benches/texts.rs (same seed, same choices), so these are the Rust benchmark's inputs."""
    seed = 0x9E3779B97F4A7C15

    def next_random() -> int:
        nonlocal seed
        seed = (seed * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return seed >> 33

    out, size, i = [], 0, 0
    while size < length + 4:
        r = next_random() % 100
        if kind == "mixed" and r < 10:
            c = LATIN[next_random() % len(LATIN)]
        elif kind == "mixed" and r < 20:
            c = CJK[next_random() % len(CJK)]
        elif kind == "mixed" and r < 30:
            c = EMOJI[next_random() % len(EMOJI)]
        elif kind in ("ascii", "mixed"):
            c = ASCII_TEXT[i % len(ASCII_TEXT)]
        elif kind == "cjk":
            c = CJK[next_random() % len(CJK)]
        else:
            raise ValueError(f"unknown text kind {kind!r}")
        out.append(c)
        size += len(c.encode())
        i += 1
    return cut_on_code_point("".join(out).encode(), length)


def cut_on_code_point(data: bytes, length: int) -> bytes:
    end = min(length, len(data))
    while end < len(data) and data[end] & 0xC0 == 0x80:
        end -= 1
    return data[:end]


def texts(kind: str, sizes: list[int]) -> dict[int, bytes]:
    """Text of every size; above 1 MiB the 1 MiB text repeated (generating it byte by byte in Python is slow)."""
    base = text(kind, min(max(sizes), MiB))
    return {n: cut_on_code_point(base * (n // len(base) + 1), n) for n in sizes}


def xor_reference(data: bytes, key: bytes) -> bytes:
    n = len(data)
    keystream = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "little") ^ int.from_bytes(keystream, "little")).to_bytes(n, "little")


# --- implementations ----------------------------------------------------------------------------------------------


@dataclass
class Peers:
    """What could be imported: name -> module-like namespace, and name -> why not."""

    found: dict = field(default_factory=dict)
    missing: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.found


def load_nvx():
    try:
        import nvx_ws
    except ImportError:
        sys.path.insert(0, os.path.join(ROOT, "python"))
        import nvx_ws
    return nvx_ws


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"


def autobahn_sources() -> str | None:
    """autobahn's ``src/autobahn`` directory: the installed package, ``$NVX_AUTOBAHN_SRC`` or the sdist unpacked in
    target/ by scripts/ci/python.sh."""
    spec = importlib.util.find_spec("autobahn")
    candidates = [
        os.path.dirname(spec.origin) if spec and spec.origin else None,
        os.environ.get("NVX_AUTOBAHN_SRC"),
        os.path.join(ROOT, "target", "autobahn-26.10.2", "src", "autobahn"),
    ]
    for path in candidates:
        if path and os.path.isfile(os.path.join(path, "websocket", "utf8validator.py")):
            return path
    return None


def exec_source(path: str, replace: tuple[str, str] | None = None) -> dict:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    if replace:
        assert source.count(replace[0]) == 1, f"{path} changed: expected one {replace[0]!r}"
        source = source.replace(*replace)
    namespace = {"__name__": "nvx_bench_" + os.path.basename(path)[:-3], "__file__": path}
    execute(compile(source, path, "exec"), namespace)
    return namespace


def execute(code, namespace: dict) -> None:
    """Runs code of this benchmark's own making (a case's statement, once, to check its result; autobahn's
    sources, as the tests load them) in ``namespace``."""
    exec(code, namespace)  # noqa: S102 (the code is this file's or autobahn's, never input)


def evaluate(expression: str, namespace: dict):
    """The value of a one-line statement of a case."""
    execute("outcome = " + expression, namespace)
    return namespace.pop("outcome")


def load_autobahn_python(src: str):
    """autobahn's pure-Python ``Utf8Validator`` and ``create_xor_masker``, its code run as it is except that
    ``USES_NVX`` is False (the stock wheel would hand out its NVX classes under the same names)."""
    line = ("from autobahn.websocket import USES_NVX\n", "USES_NVX = False\n")
    utf8 = exec_source(os.path.join(src, "websocket", "utf8validator.py"), line)
    xor = exec_source(os.path.join(src, "websocket", "xormasker.py"), line)
    return argparse.Namespace(Utf8Validator=utf8["Utf8Validator"], create_xor_masker=xor["create_xor_masker"])


def load_autobahn_nvx(src: str | None):
    """autobahn's own NVX classes over its compiled ``_nvx_utf8validator`` / ``_nvx_xormasker``: from the installed
    wheel, or (PyPy) its sdist's wrappers over the modules scripts/bench-python.sh built from the sdist's C."""
    try:
        from autobahn.nvx._utf8validator import Utf8Validator
        from autobahn.nvx._xormasker import create_xor_masker

        origin = "autobahn wheel"
    except ImportError:
        built = os.environ.get("NVX_BENCH_AUTOBAHN_NVX", os.path.join(ROOT, "target", "bench-python", "autobahn-nvx"))
        if not src or not os.path.isdir(built):
            raise
        sys.path.insert(0, built)
        Utf8Validator = exec_source(os.path.join(src, "nvx", "_utf8validator.py"))["Utf8Validator"]
        create_xor_masker = exec_source(os.path.join(src, "nvx", "_xormasker.py"))["create_xor_masker"]
        origin = "autobahn sdist's C, built in " + os.path.relpath(built, ROOT)
    import _nvx_utf8validator
    import _nvx_xormasker

    for module in (_nvx_utf8validator, _nvx_xormasker):
        if getattr(module, "__nvx__", False):
            raise ImportError("autobahn's NVX modules were replaced by nvx_ws.autobahn.install()")
    Utf8Validator().validate(b"probe")  # imports the compiled module now, not inside a timed loop
    return argparse.Namespace(Utf8Validator=Utf8Validator, create_xor_masker=create_xor_masker, origin=origin)


def load_peers() -> Peers:
    peers = Peers()

    def attempt(name, loader, version):
        try:
            peers.found[name] = loader()
            peers.versions[name] = version
        except Exception as e:  # noqa: BLE001 (whatever stops a peer from loading, it is reported as missing)
            peers.missing[name] = f"{type(e).__name__}: {e}"

    src = autobahn_sources()
    autobahn_version = _version("autobahn") if importlib.util.find_spec("autobahn") else "26.10.2 (sdist sources)"
    attempt("autobahn NVX", lambda: load_autobahn_nvx(src), autobahn_version)

    def autobahn_python():
        if src is None:
            raise ImportError("autobahn's sources not found (install autobahn or set NVX_AUTOBAHN_SRC)")
        return load_autobahn_python(src)

    attempt("autobahn py", autobahn_python, autobahn_version)

    def wsaccel():
        from wsaccel.utf8validator import Utf8Validator
        from wsaccel.xormask import XorMaskerSimple

        return argparse.Namespace(Utf8Validator=Utf8Validator, XorMaskerSimple=XorMaskerSimple)

    attempt("wsaccel", wsaccel, _version("wsaccel"))

    def websockets():
        from websockets.speedups import apply_mask

        return argparse.Namespace(apply_mask=apply_mask)

    attempt("websockets", websockets, _version("websockets"))

    def aiohttp_c():
        from aiohttp._websocket.mask import _websocket_mask_cython

        return argparse.Namespace(websocket_mask=_websocket_mask_cython)

    attempt("aiohttp C", aiohttp_c, _version("aiohttp"))
    if not peers.has("aiohttp C"):
        # What aiohttp itself falls back to where its C mask is not built (PyPy): bytes.translate per lane.
        def aiohttp_python():
            from aiohttp._websocket.helpers import _websocket_mask_python

            return argparse.Namespace(websocket_mask=_websocket_mask_python)

        attempt("aiohttp py", aiohttp_python, _version("aiohttp"))
    return peers


# --- cases --------------------------------------------------------------------------------------------------------


@dataclass
class Case:
    """One statement timed in a timeit loop: ``stmt`` runs in ``namespace``; ``check()`` must be true first."""

    table: str
    row: str
    impl: str
    stmt: str
    namespace: dict
    nbytes: int
    check: object = None


@dataclass
class Result:
    table: str
    row: str
    impl: str
    nbytes: int
    ns: float | None = None  # per call; None: not measured (see note)
    note: str = ""
    repeats: int = 0
    calls_per_repeat: int = 0

    @property
    def gbps(self) -> float | None:
        return self.nbytes / self.ns if self.ns else None


def size_name(n: int) -> str:
    if n >= MiB and n % MiB == 0:
        return f"{n // MiB} MiB"
    if n >= KiB and n % KiB == 0:
        return f"{n // KiB} KiB"
    return f"{n} B"


def xor_cases(nvx, peers: Peers, sizes: list[int]) -> list[Case]:
    rng = random.Random(6)
    cases = []
    for n in sizes:
        data = rng.randbytes(n) if hasattr(rng, "randbytes") else bytes(rng.getrandbits(8) for _ in range(n))
        cases += xor_cases_of(nvx, peers, data)
    return cases


def xor_cases_of(nvx, peers: Peers, data: bytes) -> list[Case]:
    n = len(data)
    row = size_name(n)
    ns = {"data": data, "buf": bytearray(data), "key": KEY, "n": n, "nvx": nvx, "expected": xor_reference(data, KEY)}
    cases = []

    def out_of_place(impl, stmt, **extra):
        namespace = dict(ns, **extra)

        def check():
            return evaluate(stmt, namespace) == namespace["expected"]

        cases.append(Case("xor", row, impl, stmt, namespace, n, check))

    def in_place(impl, stmt, **extra):
        namespace = dict(ns, **extra)

        def check():
            probe = dict(namespace, buf=bytearray(data))
            execute(stmt, probe)
            return probe["buf"] == namespace["expected"]

        cases.append(Case("xor", row, impl, stmt, namespace, n, check))

    out_of_place("nvx mask", "nvx.mask(data, key)")
    in_place("nvx mask_inplace", "nvx.mask_inplace(buf, key)")
    out_of_place("nvx create_xor_masker", "nvx.create_xor_masker(key, n).process(data)")
    for name in ("autobahn NVX", "autobahn py"):
        if peers.has(name):
            out_of_place(name, "peer.create_xor_masker(key, n).process(data)", peer=peers.found[name])
    if peers.has("wsaccel"):
        out_of_place("wsaccel", "peer.XorMaskerSimple(key).process(data)", peer=peers.found["wsaccel"])
    if peers.has("websockets"):
        out_of_place("websockets apply_mask", "peer.apply_mask(data, key)", peer=peers.found["websockets"])
    for name in ("aiohttp C", "aiohttp py"):
        if peers.has(name):
            in_place(name + " mask", "peer.websocket_mask(key, buf)", peer=peers.found[name])
    # The memory ceiling: a new bytes copied from a buffer (from a bytearray: PyPy would share an immutable source).
    cases.append(Case("xor", row, "copy", "bytes(memoryview(buf))", ns, n, None))
    return cases


def utf8_cases(nvx, peers: Peers, sizes: list[int]) -> list[Case]:
    cases = []
    for kind in KINDS:
        for n, data in texts(kind, sizes).items():
            cases += utf8_cases_of(nvx, peers, f"{kind} {size_name(n)}", data)
    return cases


def utf8_cases_of(nvx, peers: Peers, row: str, data: bytes) -> list[Case]:
    cases = []

    def add(impl, make, stmt, check):
        namespace = {"data": data, "nvx": nvx, "obj": make()}
        cases.append(Case("utf8", row, impl, stmt, namespace, len(data), lambda: check(namespace)))

    # Per message, as a WebSocket library validates one: a validator reused from message to message (as a
    # connection reuses its own), reset() and then the message; the decoder likewise, final=True.
    def valid_tuple(ns):
        execute("obj.reset(); r = obj.validate(data)", ns)
        return ns["r"][:2] == (True, True)

    per_message = "obj.reset(); obj.validate(data)"
    add("nvx Utf8Validator", nvx.Utf8Validator, per_message, valid_tuple)
    add("nvx validate", lambda: None, "nvx.validate(data)", lambda ns: nvx.validate(data) is None)
    add("nvx is_valid", lambda: None, "nvx.is_valid(data)", lambda ns: nvx.is_valid(data))
    for name in ("autobahn NVX", "autobahn py", "wsaccel"):
        if peers.has(name):
            add(name, peers.found[name].Utf8Validator, per_message, valid_tuple)
    add("bytes.decode", lambda: None, 'data.decode("utf-8")', lambda ns: len(data.decode("utf-8")) > 0)
    decoder = codecs.getincrementaldecoder("utf-8")
    add("incremental decoder", decoder, "obj.decode(data, True)", lambda ns: len(decoder().decode(data, True)) > 0)
    return cases


def stream_cases(nvx, peers: Peers, message_size: int) -> list[Case]:
    message = texts("mixed", [message_size])[message_size]
    validators = {"nvx Utf8Validator": nvx.Utf8Validator}
    for name in ("autobahn NVX", "autobahn py", "wsaccel"):
        if peers.has(name):
            validators[name] = peers.found[name].Utf8Validator
    cases = []
    for chunk in STREAM_CHUNKS:
        chunks = [message[i : i + chunk] for i in range(0, len(message), chunk)]
        row = f"{size_name(message_size)} in {size_name(chunk)} chunks"
        for impl, make in validators.items():
            cases.append(stream_case(row, impl, chunks, make(), len(message)))
        stmt = "d.reset()\nfor c in chunks:\n    r = d.decode(c)"
        namespace = {"chunks": chunks, "d": codecs.getincrementaldecoder("utf-8")()}
        cases.append(Case("stream", row, "incremental decoder", stmt, namespace, len(message), None))
    return cases


def stream_case(row: str, impl: str, chunks: list[bytes], validator, total: int) -> Case:
    stmt = "v.reset()\nfor c in chunks:\n    r = v.validate(c)"
    namespace = {"chunks": chunks, "v": validator}

    def check():
        execute(stmt, namespace)
        return namespace["r"][:2] == (True, True) and namespace["r"][3] == total

    return Case("stream", row, impl, stmt, namespace, total, check)


def fused_cases(nvx, peers: Peers, sizes: list[int]) -> list[Case]:
    """A masked text frame to unmasked, validated payload: what a WebSocket reader does with each text frame."""
    cases = []
    for n, plain in texts("mixed", sizes).items():
        cases += fused_cases_of(nvx, peers, size_name(n), plain)
    return cases


def fused_cases_of(nvx, peers: Peers, row: str, plain: bytes) -> list[Case]:
    base = {"masked": xor_reference(plain, KEY), "key": KEY, "n": len(plain), "nvx": nvx}
    cases = []

    def add(impl, stmt, check, **extra):
        namespace = dict(base, **extra)
        cases.append(Case("fused", row, impl, stmt, namespace, len(plain), lambda: check(namespace)))

    def unmasked(ns, stmt):
        return evaluate(stmt, ns) == plain

    def valid(ns, stmt):
        execute(stmt.replace("v.validate(", "r = v.validate("), ns)
        return ns["r"][:2] == (True, True)

    stmt = "nvx.unmask_validate(masked, key)"
    add("nvx unmask_validate", stmt, lambda ns: unmasked(ns, stmt))
    # In place, repeatedly on one buffer: with the key 00000000 it stays valid from call to call; libnvx has no
    # shortcut for that key, it does the same work as for any other.
    add(
        "nvx unmask_validate_inplace",
        "nvx.unmask_validate_inplace(buf, zero)",
        lambda ns: nvx.unmask_validate_inplace(ns["buf"], ZERO_KEY) is not None and ns["buf"] == plain,
        buf=bytearray(plain),
        zero=ZERO_KEY,
    )
    stmt_two = "v.reset(); v.validate(nvx.mask(masked, key))"
    add("nvx mask + Utf8Validator", stmt_two, lambda ns: valid(ns, stmt_two), v=nvx.Utf8Validator())
    # autobahn's protocol: a masker per frame, then its validator (reset per message) on the payload.
    stmt_autobahn = "v.reset(); v.validate(peer.create_xor_masker(key, n).process(masked))"
    for name in ("autobahn NVX", "autobahn py"):
        if peers.has(name):
            peer = peers.found[name]
            add(name, stmt_autobahn, lambda ns: valid(ns, stmt_autobahn), peer=peer, v=peer.Utf8Validator())
    if peers.has("wsaccel"):
        peer = peers.found["wsaccel"]
        stmt_wsaccel = "v.reset(); v.validate(peer.XorMaskerSimple(key).process(masked))"
        add("wsaccel", stmt_wsaccel, lambda ns: valid(ns, stmt_wsaccel), peer=peer, v=peer.Utf8Validator())
    if peers.has("websockets"):
        # websockets' reader: apply_mask, then the text decoded.
        stmt_websockets = 'peer.apply_mask(masked, key).decode("utf-8")'

        def check_websockets(ns):
            return evaluate(stmt_websockets, ns) == plain.decode()

        add("websockets", stmt_websockets, check_websockets, peer=peers.found["websockets"])
    # aiohttp's reader: the payload copied into a bytearray, unmasked in place, decoded.
    stmt_aiohttp = 'b = bytearray(masked)\npeer.websocket_mask(key, b)\nb.decode("utf-8")'

    def check_aiohttp(ns):
        execute(stmt_aiohttp, ns)
        return ns["b"] == plain

    for name in ("aiohttp C", "aiohttp py"):
        if peers.has(name):
            add(name, stmt_aiohttp, check_aiohttp, peer=peers.found[name])
    return cases


class NullMasker:
    """autobahn's masker interface doing no work (a slotted class, as nvx's): what a masker per frame costs in
    Python alone, before any masking."""

    __slots__ = ("_key", "_ptr")

    def __init__(self, mask):
        self._key = mask
        self._ptr = 0

    def process(self, data):
        self._ptr += len(data)
        return data


def null_create_xor_masker(mask, length=None):
    return NullMasker(mask)


class NullValidator:
    """autobahn's validator interface doing no work: what ``reset()`` + ``validate()`` cost in Python alone."""

    __slots__ = ("_total",)

    def __init__(self):
        self._total = 0

    def reset(self):
        self._total = 0

    def validate(self, ba):
        n = len(ba)
        total = self._total = self._total + n
        return True, True, n, total


def floor_cases(nvx) -> list[Case]:
    """What a call costs before any work: the loop, a Python call, a C builtin, CFFI calls into libnvx, autobahn's
    interfaces doing nothing; and what releasing the GIL costs (CPython: one byte below and at the threshold from
    which a call releases it, the same work otherwise)."""
    from nvx_ws._nvx import ffi, lib

    state = ffi.new("nvx_utf8vld_state *")
    lib.nvx_utf8vld_init(state)
    data = b"a" * 16
    threshold = getattr(lib, "NVX_PY_GIL_RELEASE_MIN_BYTES", 1 << 16)
    ns = {
        "lib": lib,
        "ffi": ffi,
        "NULL": ffi.NULL,
        "state": state,
        "status": ffi.new("nvx_utf8_status *"),
        "data": data,
        "ba": bytearray(data),
        "noop": lambda: None,
        "key": KEY,
        "create": null_create_xor_masker,
        "nv": NullValidator(),
        "big": ffi.new("uint8_t[]", threshold),
        "T": threshold,
    }
    statements = [
        ("empty loop", "pass"),
        ("Python no-op call", "noop()"),
        ("C builtin abs(1)", "abs(1)"),
        ("bytes(16)", "bytes(16)"),
        ("CFFI nvx_version()", "lib.nvx_version()"),
        ("CFFI nvx_utf8vld_reset(state)", "lib.nvx_utf8vld_reset(state)"),
        ("CFFI nvx_utf8_validate(16 B)", "lib.nvx_utf8_validate(data, 16, NULL, NULL)"),
        ("CFFI nvx_utf8vld_validate(16 B)", "lib.nvx_utf8vld_validate(state, data, 16)"),
        ("CFFI nvx_utf8vld_validate_status(16 B)", "lib.nvx_utf8vld_validate_status(state, data, 16, status)"),
        ("CFFI struct field read", "status.total_index"),
        ("ffi.from_buffer(bytearray)", "ffi.from_buffer(ba)"),
        (
            "autobahn's masker interface, no work: create_xor_masker(key, 16).process(16 B)",
            "create(key, 16).process(data)",
        ),
        ("autobahn's validator interface, no work: reset(); validate(16 B)", "nv.reset(); nv.validate(data)"),
        (f"CFFI nvx_mask({size_name(threshold)} - 1 B), in place: GIL kept", "lib.nvx_mask(big, T - 1, key, 0)"),
        (f"CFFI nvx_mask({size_name(threshold)}), in place: GIL released", "lib.nvx_mask(big, T, key, 0)"),
    ]
    return [Case("floor", "16 B", impl, stmt, ns, 16, None) for impl, stmt in statements]


# --- timing -------------------------------------------------------------------------------------------------------


@dataclass
class Timing:
    rounds: int  # passes over every case; a case's best repeat over all passes counts
    repeat_seconds: float  # aimed length of one repeat
    budget_seconds: float  # aimed time per case and pass, after warm-up
    warmup_seconds: float  # before the first pass's repeats (PyPy's JIT needs it)
    min_repeats: int  # per case and pass
    max_repeats: int


FULL = Timing(4, 0.003, 0.06, 0.3 if IS_PYPY else 0.03, 3, 200)
QUICK = Timing(1, 0.001, 0.005, 0.005, 2, 5)


class Measurement:
    """The timing of one case, over the passes: a calibrated ``timeit`` loop and its best repeat so far."""

    def __init__(self, case: Case, timing: Timing):
        self.case, self.timing = case, timing
        self.result = Result(case.table, case.row, case.impl, case.nbytes)
        self.timer = timeit.Timer(case.stmt, globals=case.namespace)
        self.number = 0  # calls per repeat, 0 until calibrated
        self.best = float("inf")  # seconds per repeat

    def skip(self, projected: float) -> None:
        self.result.note = f"skipped: projected {projected:.1f} s per call"

    def start(self) -> None:
        """Checks the result, finds the calls per repeat for about ``repeat_seconds`` and warms up."""
        case, timing = self.case, self.timing
        if case.check is not None and not case.check():
            raise AssertionError(f"{case.table} {case.row} {case.impl}: wrong result")
        number = 1
        while True:
            elapsed = self.timer.timeit(number)
            if elapsed >= timing.repeat_seconds or elapsed > MAX_SECONDS_PER_CALL:
                break
            number *= 2 if elapsed == 0 else max(2, min(10, int(timing.repeat_seconds / elapsed) + 1))
        self.number, warm = number, elapsed
        while warm < timing.warmup_seconds:
            warm += self.timer.timeit(number)

    def run(self) -> None:
        """One pass: repeats for about ``budget_seconds``."""
        if self.result.note:
            return
        # From a collected heap: on PyPy what an earlier case left behind changed a later case's speed by up to 3x
        # (16 MiB results, whose allocation paces PyPy's major collections; benches/python_ab.py).
        gc.collect()
        if not self.number:
            self.start()
        timing, spent, repeats = self.timing, 0.0, 0
        while repeats < timing.min_repeats or (spent < timing.budget_seconds and repeats < timing.max_repeats):
            elapsed = self.timer.timeit(self.number)
            self.best = min(self.best, elapsed)
            spent += elapsed
            repeats += 1
        self.result.ns = self.best / self.number * 1e9
        self.result.repeats += repeats
        self.result.calls_per_repeat = self.number


def run(cases: list[Case], timing: Timing) -> list[Result]:
    """Every case, in ``timing.rounds`` passes over all of them: a quiet moment of a shared machine then counts for
    every case, not only for those measured during it."""
    measurements = [Measurement(case, timing) for case in cases]
    for round_ in range(1, timing.rounds + 1):
        last_ns_per_byte = {}  # (table, text kind, impl) -> at the last size, to skip hopeless cases
        for i, m in enumerate(measurements):
            case = m.case
            series = (case.table, case.row.split(" ")[0] if case.table == "utf8" else "", case.impl)
            per_byte = last_ns_per_byte.get(series)
            if round_ == 1 and per_byte is not None and per_byte * case.nbytes / 1e9 > MAX_SECONDS_PER_CALL:
                m.skip(per_byte * case.nbytes / 1e9)
            m.run()
            if m.result.ns is not None:
                last_ns_per_byte[series] = m.result.ns / max(case.nbytes, 1)
            shown = format_ns(m.result.ns) if m.result.ns is not None else m.result.note
            print(
                f"[pass {round_}/{timing.rounds}, {i + 1:3}/{len(cases)}] {case.table:7} {case.row:18} "
                f"{case.impl:28} {shown}",
                file=sys.stderr,
                flush=True,
            )
    return [m.result for m in measurements]


# --- reporting ----------------------------------------------------------------------------------------------------

NVX_XOR = ["nvx mask", "nvx mask_inplace", "nvx create_xor_masker"]
NVX_UTF8 = ["nvx Utf8Validator", "nvx validate", "nvx is_valid"]
NVX_FUSED = ["nvx unmask_validate", "nvx unmask_validate_inplace", "nvx mask + Utf8Validator"]
NOT_PEERS = {"copy"}


def is_nvx(impl: str) -> bool:
    return impl.startswith("nvx")


def format_ns(ns: float | None) -> str:
    if ns is None:
        return "–"
    if ns < 10_000:
        return f"{ns:.0f} ns"
    if ns < 10_000_000:
        return "%.1f µs" % (ns / 1e3)
    return "%.1f ms" % (ns / 1e6)


def format_gbps(gbps: float | None) -> str:
    if gbps is None:
        return "–"
    return f"{gbps:.3g}" if gbps < 100 else f"{gbps:.0f}"


def format_ratio(r: float | None) -> str:
    if r is None:
        return "–"
    return f"{r:.2f}×" if r < 10 else f"{r:.1f}×" if r < 100 else f"{r:.0f}×"


class Report:
    def __init__(self, results: list[Result]):
        self.results = results
        self.by_key = {(r.table, r.row, r.impl): r for r in results}

    def ns(self, table: str, row: str, impl: str) -> float | None:
        r = self.by_key.get((table, row, impl))
        return r.ns if r else None

    def rows(self, table: str) -> list[str]:
        return list(dict.fromkeys(r.row for r in self.results if r.table == table))

    def impls(self, table: str) -> list[str]:
        return list(dict.fromkeys(r.impl for r in self.results if r.table == table))

    def best_peer(self, table: str, row: str, among: list[str] | None = None) -> tuple[str | None, float | None]:
        candidates = [
            (r.ns, r.impl)
            for r in self.results
            if r.table == table
            and r.row == row
            and r.ns
            and not is_nvx(r.impl)
            and r.impl not in NOT_PEERS
            and (among is None or r.impl in among)
        ]
        if not candidates:
            return None, None
        ns, impl = min(candidates)
        return impl, ns


def render(headers: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows)]

    def fmt(cells):
        return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([fmt(headers), fmt(["-" * w for w in widths])] + [fmt(row) for row in rows])


TITLES = {
    "floor": "Floor: the cost of a call that does (almost) nothing, 16 B argument",
    "xor": "XOR masking, random bytes, key 37fa213d (per frame: masker creation included)",
    "utf8": "UTF-8 validation of a whole message",
    "stream": "Streaming: one mixed-text message validated chunk by chunk (per message; reset() included)",
    "fused": "Unmask + validate one masked text frame (mixed text)",
}
NVX_APIS = {"xor": NVX_XOR, "utf8": NVX_UTF8, "stream": ["nvx Utf8Validator"], "fused": NVX_FUSED}


def tables(report: Report, markdown: bool) -> str:
    out = []
    heading = (lambda s: "### " + s) if markdown else (lambda s: "== " + s)
    for table in ("floor", "xor", "utf8", "stream", "fused"):
        rows = report.rows(table)
        if not rows:
            continue
        impls = report.impls(table)
        out.append(heading(TITLES[table]))
        if table == "floor":
            body = [[impl, format_ns(report.ns(table, "16 B", impl))] for impl in impls]
            out.append(render(["call", "ns/call"], body, markdown))
            continue
        body = []
        for row in rows:
            body.append([row] + [cell_ns(report, table, row, impl) for impl in impls])
        out.append("ns per call\n\n" + render(["" if table != "utf8" else "text, size"] + impls, body, markdown))
        body = [[row] + [format_gbps(gbps_of(report, table, row, impl)) for impl in impls] for row in rows]
        out.append("GB/s (10^9 bytes of payload per second)\n\n" + render([""] + impls, body, markdown))
        apis = [api for api in NVX_APIS[table] if api in impls]
        headers = ["", "best peer"] + [f"{api} ×best / ×ab-NVX" for api in apis]
        body = []
        for row in rows:
            peer, peer_ns = report.best_peer(table, row)
            ab = report.ns(table, row, "autobahn NVX")
            cells = [row, f"{peer} {format_ns(peer_ns)}" if peer else "–"]
            for api in apis:
                mine = report.ns(table, row, api)
                vs_best = peer_ns / mine if mine and peer_ns else None
                vs_ab = ab / mine if mine and ab else None
                cells.append(f"{format_ratio(vs_best)} / {format_ratio(vs_ab)}")
            body.append(cells)
        out.append(
            "speed-up of each nvx API (peer's time / nvx's time; > 1: nvx faster)\n\n" + render(headers, body, markdown)
        )
    return "\n\n".join(out)


def cell_ns(report: Report, table: str, row: str, impl: str) -> str:
    r = report.by_key.get((table, row, impl))
    if r is None:
        return "–"
    return format_ns(r.ns) if r.ns is not None else "skipped"


def gbps_of(report: Report, table: str, row: str, impl: str) -> float | None:
    r = report.by_key.get((table, row, impl))
    return r.gbps if r else None


# --- verdicts -----------------------------------------------------------------------------------------------------


@dataclass
class Verdict:
    target: str
    met: bool | None  # None: not measured in this run
    detail: str
    worst: float | None = None  # the worst ratio found, in the target's own terms
    goal: float | None = None
    at_most: bool = False  # the goal is a ceiling (a time ratio): met when every ratio <= goal


SMALL = [16, 125, KiB]  # issue 16's "from 16 B to 1 KiB"


def judge(out: list[Verdict], target: str, goal: float, checks: list, at_most: bool = False) -> None:
    """checks: (label, ratio); met when every ratio >= goal (<= goal for ``at_most``)."""
    checks = [(label, r) for label, r in checks if r is not None]
    if not checks:
        out.append(Verdict(target, None, "not measured in this run", None, goal, at_most))
        return
    worst_label, worst = (max if at_most else min)(checks, key=lambda c: c[1])
    missed = [c for c in checks if (c[1] > goal if at_most else c[1] < goal)]
    met = len(checks) - len(missed)
    sign = "≤" if at_most else "≥"
    detail = (
        f"worst {format_ratio(worst)} at {worst_label} (goal {sign} {format_ratio(goal)}); {met} of {len(checks)} met"
    )
    out.append(Verdict(target, not missed, detail, worst, goal, at_most))


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    return numerator / denominator if numerator and denominator else None


def verdicts(report: Report) -> list[Verdict]:
    """The Python targets of issue 16, from this run alone (the CPython/PyPy comparison: ``compare``)."""
    out: list[Verdict] = []
    sizes = {r.row: r.nbytes for r in report.results if r.table == "xor"}
    small = [row for row, n in sizes.items() if n in SMALL]
    large = [row for row, n in sizes.items() if n >= 16 * KiB]

    def apply_mask(row):
        return report.ns("xor", row, "websockets apply_mask")

    checks = [(row, ratio(report.ns("xor", row, "nvx create_xor_masker"), apply_mask(row))) for row in small]
    judge(
        out,
        "XOR per message (create_xor_masker + process) <= 2.5x websockets' apply_mask time, 16 B to 1 KiB",
        2.5,
        checks,
        at_most=True,
    )
    checks = []
    for row in small:
        fastest_ns, fastest = min((report.ns("xor", row, api) or float("inf"), api) for api in NVX_XOR)
        checks.append((f"{row} ({fastest})", ratio(fastest_ns, apply_mask(row))))
    judge(
        out, "nvx's fastest XOR function <= 1.5x websockets' apply_mask time, 16 B to 1 KiB", 1.5, checks, at_most=True
    )
    for label, apis in (
        ("per message (create_xor_masker + process)", ["nvx create_xor_masker"]),
        ("nvx's fastest XOR function", NVX_XOR),
    ):
        checks = []
        for row in large:
            fastest_ns, fastest = min((report.ns("xor", row, api) or float("inf"), api) for api in apis)
            peer, peer_ns = report.best_peer("xor", row)
            checks.append((f"{row} ({fastest} vs {peer})", ratio(peer_ns, fastest_ns)))
        judge(out, f"XOR {label} >= 1.0x the best peer from 16 KiB up", 1.0, checks)
    for kind, goal in (("ascii", 2.0), ("mixed", 1.5), ("cjk", 1.5)):
        row = f"{kind} {size_name(16)}"
        checks = [(row, ratio(report.ns("utf8", row, "nvx Utf8Validator"), report.ns("utf8", row, "bytes.decode")))]
        judge(
            out,
            f"Utf8Validator reset() + validate() at 16 B <= {goal:g}x bytes.decode's time ({kind})",
            goal,
            checks,
            at_most=True,
        )
    checks = []
    for row in report.rows("stream"):
        if row.endswith(f"in {size_name(KiB)} chunks"):
            peer, peer_ns = report.best_peer("stream", row)
            checks.append((f"{row} (vs {peer})", ratio(peer_ns, report.ns("stream", row, "nvx Utf8Validator"))))
    judge(out, "streaming a 1 MiB message in 1 KiB chunks >= 10x the best peer", 10.0, checks)
    checks = []
    for n in (16, 125):
        size = size_name(n)
        ab = report.ns("xor", size, "autobahn NVX")
        checks += [(f"xor {size} {api}", ratio(ab, report.ns("xor", size, api))) for api in NVX_XOR]
        for kind in KINDS:
            row = f"{kind} {size}"
            ab = report.ns("utf8", row, "autobahn NVX")
            checks += [(f"utf8 {row} {api}", ratio(ab, report.ns("utf8", row, api))) for api in NVX_UTF8]
        ab = report.ns("fused", size, "autobahn NVX")
        checks += [(f"fused {size} {api}", ratio(ab, report.ns("fused", size, api))) for api in NVX_FUSED]
    judge(out, "every nvx API >= 5x autobahn's NVX at 16 B and 125 B (XOR, UTF-8, fused)", 5.0, checks)
    return out


def verdict_text(vs: list[Verdict], markdown: bool) -> str:
    body = [[v.target, {True: "met", False: "MISSED", None: "n/a"}[v.met], v.detail] for v in vs]
    return render(["target", "verdict", "detail"], body, markdown)


# --- main ---------------------------------------------------------------------------------------------------------


def machine() -> dict:
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    except OSError:
        pass
    affinity = None  # the CPUs this process may run on (taskset); PyPy's os has no sched_getaffinity
    try:
        with open("/proc/self/status") as f:
            affinity = next((line.split(":", 1)[1].strip() for line in f if line.startswith("Cpus_allowed_list")), None)
    except OSError:
        pass
    return {"cpu": model, "cpus": os.cpu_count(), "affinity": affinity, "platform": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes <= 16 KiB, few repeats (not timing)")
    parser.add_argument("--json", metavar="PATH", help="write every result, the verdicts and the setup as JSON")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    args = parser.parse_args(argv)

    nvx = load_nvx()
    peers = load_peers()
    sizes = [n for n in SIZES if not args.quick or n <= QUICK_MAX_SIZE]
    timing = QUICK if args.quick else FULL
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()
    print("generating inputs...", file=sys.stderr, flush=True)
    cases = (
        floor_cases(nvx)
        + xor_cases(nvx, peers, sizes)
        + utf8_cases(nvx, peers, sizes)
        + stream_cases(nvx, peers, QUICK_MAX_SIZE if args.quick else STREAM_MESSAGE)
        + fused_cases(nvx, peers, sizes)
    )
    results = run(cases, timing)
    load_after = os.getloadavg()
    elapsed = (datetime.datetime.now(datetime.timezone.utc) - started).total_seconds()

    report = Report(results)
    vs = verdicts(report)
    setup = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "pypy": ".".join(map(str, sys.pypy_version_info[:3])) if IS_PYPY else None,
        "nvx_ws": f"{nvx.__version__} (libnvx {nvx.libnvx_version()}, kernel {nvx.implementation()})",
        "peers": {name: peers.versions[name] for name in peers.found},
        "autobahn NVX origin": getattr(peers.found.get("autobahn NVX"), "origin", None),
        "missing": peers.missing,
        "machine": machine(),
        "loadavg before, after": [round(x, 2) for x in load_before + load_after],
        "quick": args.quick,
        "seconds": round(elapsed, 1),
        "command": " ".join([os.path.basename(sys.executable)] + sys.argv),
    }
    md = args.markdown
    lines = [f"{k}: {v}" for k, v in setup.items() if k not in ("peers", "missing")]
    lines += [f"peer {k}: {v}" for k, v in setup["peers"].items()]
    lines += [f"missing {k}: {v}" for k, v in peers.missing.items()]
    if args.quick:
        lines.append("QUICK RUN: a smoke test of the script, not a measurement")
    print(("\n".join("- " + line for line in lines)) if md else "\n".join(lines))
    print()
    print(tables(report, md))
    print()
    print(("### " if md else "== ") + "Targets of issue 16")
    print(verdict_text(vs, md))
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(
                {
                    "setup": setup,
                    "results": [dict(asdict(r), gbps=r.gbps) for r in results],
                    "verdicts": [asdict(v) for v in vs],
                },
                f,
                indent=1,
                ensure_ascii=False,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
