"""Where the new ``bytes`` a function returns is written: the one place that differs between CPython and PyPy.

CPython: a ``bytes`` of ``n >= 2`` bytes fresh from ``ZEROS[:n]`` (``n < len(ZEROS)``) or ``bytes(n)`` is a new
object nobody else holds yet (``b""`` and 1-byte objects may be shared singletons), and CFFI passes a ``bytes``
argument to a ``uint8_t *`` parameter as the address of its contents, without a copy. The C call writes the result
straight into the object that is returned: one pass from input to result, as C code filling
``PyBytes_FromStringAndSize(NULL, n)`` would. The object is not hashed or seen by anyone before it is complete.
Short results are sliced from ``ZEROS`` rather than made by ``bytes(n)``: the same new object, one call of the
interpreter's ``bytes`` machinery cheaper (about 30 % less for 16 bytes, CPython 3.11); long ones from ``bytes(n)``,
which writes them once instead of copying zeros.

PyPy: its ``bytes`` may move or be copied on the way to C, so writing into one is not reliable. The result goes to
an uncleared ``uint8_t[]`` and is copied once into the new ``bytes``; that copy is the cheapest correct way there
is. The ``uint8_t[]`` comes from a small pool (``take``/``give``) up to ``POOL_MAX_BYTES``: a fresh one per call
costs PyPy more than the work there (new pages, and a raw allocation that counts towards the next major
collection: a 16 KiB result at 0.9 GB/s instead of 7.4, benches/python_ab.py). Larger results get a fresh buffer
per call: there the creation of the result ``bytes`` dominates (about 1.5 to 2 GB/s at 16 MiB), pooling them
gained 5 to 20 % and would keep up to ``POOL_COUNT`` times 16 MiB alive for good.
"""

import platform

from ._nvx import ffi

#: True where the C call can write into a fresh ``bytes`` object (CPython).
FRESH_BYTES_WRITABLE = platform.python_implementation() == "CPython"

#: ``ZEROS[:n]`` is a new ``bytes`` of ``n`` zero bytes for ``2 <= n < len(ZEROS)`` (never ``ZEROS`` itself).
ZEROS = bytes(4096)

POOL_COUNT = 4
POOL_MAX_BYTES = 1 << 20

_new_uncleared = ffi.new_allocator(should_clear_after_alloc=False)
_buffer = ffi.buffer
_pool: list = []
#: The C types this package makes objects of, resolved once at import (under the import lock), never from a type
#: string during a call: CFFI builds a type the first time a string names it, and on PyPy (7.3.19, aarch64 under
#: qemu) threads doing that at once got an object of another thread's type ("initializer for ctype 'uint8_t *' must
#: be a compatible pointer, not cdata 'nvx_utf8vld_state[]'": tests/python/test_threads.py's race of first calls).
U8_ARRAY = ffi.typeof("uint8_t[]")


def take(n):
    """An uncleared ``uint8_t[]`` of at least ``n`` bytes, this caller's alone until ``give``; write into it, then
    ``result(buf, n)``."""
    if n > POOL_MAX_BYTES:  # PyPy only (CPython takes 0 or 1 byte here)
        return _new_uncleared(U8_ARRAY, n)
    pool = _pool
    while pool:
        buf = pool.pop()  # atomic: no two threads get the same buffer
        if len(buf) >= n:
            return buf
    return _new_uncleared(U8_ARRAY, max(n, 256))


def give(buf):
    """Returns a buffer from ``take`` to the pool (a buffer never given back is simply collected)."""
    if len(buf) <= POOL_MAX_BYTES and len(_pool) < POOL_COUNT:
        _pool.append(buf)


def result(buf, n):
    """The first ``n`` bytes of ``buf`` as a new ``bytes`` (one copy), and ``buf`` given back."""
    out = _buffer(buf, n)[:]
    give(buf)
    return out
