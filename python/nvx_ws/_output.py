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
an uncleared ``char[]`` and is copied once into the new ``bytes``; that copy is the cheapest correct way there is.
"""

import platform

from ._nvx import ffi

#: True where the C call can write into a fresh ``bytes`` object (CPython).
FRESH_BYTES_WRITABLE = platform.python_implementation() == "CPython"

#: ``ZEROS[:n]`` is a new ``bytes`` of ``n`` zero bytes for ``2 <= n < len(ZEROS)`` (never ``ZEROS`` itself).
ZEROS = bytes(4096)

_new_uncleared = ffi.new_allocator(should_clear_after_alloc=False)
_buffer = ffi.buffer


def scratch(n):
    """An uncleared ``char[n]`` to write into, for ``result(scratch, n)``."""
    return _new_uncleared("uint8_t[]", n)


def result(buf, n):
    """The bytes written into a ``scratch`` buffer, as ``bytes`` (one copy)."""
    return _buffer(buf, n)[:]
