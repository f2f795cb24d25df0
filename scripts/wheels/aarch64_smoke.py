"""Smoke test of an installed nvx_ws on aarch64: the wheel's module is the one imported, NEON is the kernel, and
calls from several threads at once work (threads in emulated dynamically linked programs are what hung elsewhere).

Run by scripts/wheels/aarch64.sh with the arm64 root's python3 (under qemu-user), from the venv the wheel was
installed into. Prints one line per fact; exits non-zero when one is wrong.
"""

import os
import platform
import sys
import threading

import nvx_ws
import nvx_ws._nvx

module = os.path.basename(nvx_ws._nvx.__file__)
print("python %s on %s" % (platform.python_version(), platform.machine()))
print("nvx_ws %s from %s" % (nvx_ws.__version__, os.path.dirname(nvx_ws.__file__)))
print("extension %s" % module)
print("implementation %s" % nvx_ws.implementation())

masked = nvx_ws.mask(b"Hello", b"\x37\xfa\x21\x3d")
valid = nvx_ws.is_valid("κόσμε".encode())
invalid = nvx_ws.is_valid(b"\xed\xa0\x80")
print("mask %s, valid %s, surrogate rejected %s" % (masked.hex(), valid, not invalid))

# Four threads, each validating and masking its own buffers; CFFI releases the GIL around each C call, so libnvx
# runs on several threads at once.
results = []


def worker(seed):
    data = ("κόσμε %d " % seed).encode() * 4096
    key = bytes([seed, seed + 1, seed + 2, seed + 3])
    ok = nvx_ws.is_valid(data) and nvx_ws.mask(nvx_ws.mask(data, key), key) == data
    results.append(ok)


threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join(timeout=60)
print("threads: %d of %d finished correctly" % (sum(results), len(threads)))

checks = [
    (platform.machine() == "aarch64", "not running on aarch64"),
    (module == "_nvx.abi3.so", "imported %s, not the wheel's _nvx.abi3.so" % module),
    ("site-packages" in nvx_ws.__file__, "nvx_ws not imported from site-packages"),
    (nvx_ws.implementation() == "neon", "implementation is %r, not 'neon'" % nvx_ws.implementation()),
    (masked.hex() == "7f9f4d5158" and valid and not invalid, "wrong results"),
    (results == [True] * len(threads), "threads: %r" % results),
]
failed = [message for ok, message in checks if not ok]
for message in failed:
    print("FAILED: " + message, file=sys.stderr)
sys.exit(1 if failed else 0)
