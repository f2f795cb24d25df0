"""Which calls into libnvx release the GIL: on CPython, exactly those that work on at least
``lib.NVX_PY_GIL_RELEASE_MIN_BYTES`` bytes (cffi_build.py's preamble; docs/python.md, "Threads and the GIL"). Shorter
calls, and calls that take no length, keep it: releasing it would cost more than the call.

The witness is a thread that counts while it holds the GIL and gives it back after every count (``time.sleep(0)``).
With the switch interval at 1000 s the interpreter never takes the GIL away from the main thread, so the count can
move only while the main thread has released the GIL itself: during a long call it moves (another thread made
progress); during any number of short calls it stands still. The short calls run on libnvx's scalar kernels, the
slowest there are, so that a short call that did release the GIL would leave the witness time to take it.
"""

import os
import sys
import threading
import time

import pytest

import nvx_ws
from nvx_ws._nvx import ffi, lib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
import cffi_build  # noqa: E402

THRESHOLD = lib.NVX_PY_GIL_RELEASE_MIN_BYTES
KEY = b"\x37\xfa\x21\x3d"
IS_CPYTHON = sys.implementation.name == "cpython"
GIL_ENABLED = getattr(sys, "_is_gil_enabled", lambda: True)()


def text(n):
    """``n`` bytes of valid mixed UTF-8 (2- and 3-byte code points: the scalar kernel's slow case)."""
    unit = "aé€ü中 ".encode()
    out = unit * (n // len(unit) + 1)
    out = out[:n]
    while out and not nvx_ws.is_valid(out):
        out = out[:-1] + b"a"
    return out


def python_calls(n):
    """Every nvx_ws function and method that passes a length to libnvx, on ``n`` bytes, as zero-argument callables
    (their inputs made beforehand)."""
    data = text(n)
    masked = nvx_ws.mask(data, KEY)
    buf, plain_buf = bytearray(data), bytearray(data)
    validator = nvx_ws.Utf8Validator()
    return {
        "is_valid": lambda: nvx_ws.is_valid(data),
        "validate": lambda: nvx_ws.validate(data),
        "Utf8Validator.validate": lambda: (validator.reset(), validator.validate(data)),
        "mask": lambda: nvx_ws.mask(data, KEY),
        "mask_inplace": lambda: nvx_ws.mask_inplace(buf, KEY),
        "create_xor_masker().process": lambda: nvx_ws.create_xor_masker(KEY, n).process(data),
        "unmask_validate": lambda: nvx_ws.unmask_validate(masked, KEY),
        # The key 00000000 leaves the buffer as it is (valid) from call to call; libnvx does the same work for it.
        "unmask_validate_inplace": lambda: nvx_ws.unmask_validate_inplace(plain_buf, b"\0\0\0\0"),
    }


def raw_calls(n):
    """Every function of ``cffi_build.LONG_CALLS`` through the raw ``lib``, on ``n`` bytes."""
    data = text(n)
    buf = ffi.new("uint8_t[]", data)
    out = ffi.new("uint8_t[]", n)
    state = ffi.new("nvx_utf8vld_state *")
    lib.nvx_utf8vld_init(state)
    masker = ffi.gc(lib.nvx_xormask_new(b"\0\0\0\0"), lib.nvx_xormask_free)
    status = ffi.new("nvx_utf8_status *")
    calls = {
        "nvx_utf8_validate": lambda: lib.nvx_utf8_validate(data, n, ffi.NULL, ffi.NULL),
        "nvx_utf8vld_validate": lambda: (lib.nvx_utf8vld_reset(state), lib.nvx_utf8vld_validate(state, data, n)),
        "nvx_utf8vld_validate_status": lambda: (
            lib.nvx_utf8vld_reset(state),
            lib.nvx_utf8vld_validate_status(state, data, n, status),
        ),
        "nvx_mask": lambda: lib.nvx_mask(buf, n, KEY, 0),
        "nvx_mask_to": lambda: lib.nvx_mask_to(data, n, KEY, 0, out, n),
        "nvx_xormask_process": lambda: lib.nvx_xormask_process(masker, buf, n),
        "nvx_xormask_process_to": lambda: lib.nvx_xormask_process_to(masker, data, n, out, n),
        "nvx_unmask_validate": lambda: lib.nvx_unmask_validate(buf, n, b"\0\0\0\0", 0, ffi.NULL, ffi.NULL, ffi.NULL),
        "nvx_unmask_validate_to": lambda: lib.nvx_unmask_validate_to(
            data, n, b"\0\0\0\0", 0, out, n, ffi.NULL, ffi.NULL, ffi.NULL
        ),
        "nvx_utf8vld_unmask_validate": lambda: (
            lib.nvx_utf8vld_reset(state),
            lib.nvx_utf8vld_unmask_validate(state, masker, buf, n, status),
        ),
    }
    assert set(calls) == set(cffi_build.LONG_CALLS)
    return calls


class Witness:
    """The counting thread of the module docstring, and the switch interval that makes its count meaningful."""

    def __enter__(self):
        self.count = 0
        self.running = True
        self.interval = sys.getswitchinterval()
        sys.setswitchinterval(1000.0)
        started = threading.Event()

        def run():
            started.set()
            while self.running:
                self.count += 1
                time.sleep(0)  # gives the GIL back: the main thread runs until it releases the GIL itself

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        started.wait()
        return self

    def __exit__(self, *exc):
        self.running = False
        sys.setswitchinterval(self.interval)
        self.thread.join()


def test_threshold_is_the_built_one():
    assert THRESHOLD == cffi_build.GIL_RELEASE_MIN_BYTES > 0


@pytest.mark.parametrize("kind", ["python", "raw"])
def test_long_calls_let_another_thread_run(kind):
    """Each long call (16 MiB) releases the GIL: the witness counts during it (within a few attempts: it needs a
    CPU to wake up on)."""
    n = max(THRESHOLD, 16 << 20)
    calls = python_calls(n) if kind == "python" else raw_calls(n)
    stalled = []
    with Witness() as witness:
        for name, call in calls.items():
            for _ in range(50):
                before = witness.count
                call()
                if witness.count != before:
                    break
            else:
                stalled.append(name)
    assert stalled == []


@pytest.mark.skipif(not IS_CPYTHON, reason="PyPy releases its GIL around every call into C itself")
@pytest.mark.skipif(not GIL_ENABLED, reason="no GIL in this free-threaded interpreter")
@pytest.mark.parametrize("kind", ["python", "raw"])
def test_short_calls_keep_the_gil(kind):
    """Calls one byte short of the threshold (on the scalar kernels, tens of microseconds each), and calls without
    a length, never let the witness run."""
    before_impl = nvx_ws.implementation()
    nvx_ws.set_implementation("scalar")
    try:
        n = THRESHOLD - 1
        calls = python_calls(n) if kind == "python" else raw_calls(n)
        state = ffi.new("nvx_utf8vld_state *")
        calls.update(
            {
                "no length: nvx_utf8vld_init, _reset, _get_current_index": lambda: (
                    lib.nvx_utf8vld_init(state),
                    lib.nvx_utf8vld_reset(state),
                    lib.nvx_utf8vld_get_current_index(state),
                ),
                "no length: nvx_version, nvx_implementation_name": lambda: (
                    lib.nvx_version(),
                    lib.nvx_implementation_name(),
                ),
            }
        )
        moved = []
        with Witness() as witness:
            for name, call in calls.items():
                before = witness.count
                for _ in range(20):
                    call()
                if witness.count != before:
                    moved.append(name)
        assert moved == []
    finally:
        nvx_ws.set_implementation(before_impl)
