"""Turning Python buffers into pointer arguments for ``nvx_ws._nvx``, with the package's error rules.

The hot paths inline the ``bytes`` case (CFFI passes a ``bytes`` object to ``const uint8_t *`` as is, no copy) and
call these only for other types. Any contiguous buffer is accepted; ``str``, ``None``, ints and non-contiguous
buffers raise ``TypeError``; a key that is not exactly 4 bytes raises ``ValueError``.

Buffers resized during a call: a call on ``lib.NVX_PY_GIL_RELEASE_MIN_BYTES`` bytes or more releases the GIL
(cffi_build.py's preamble; shorter ones keep it), so another thread may run meanwhile. On CPython the buffer
export that ``ffi.from_buffer`` holds for the call locks a ``bytearray``, ``array.array`` or ``mmap`` against
resizing and closing (the other thread gets ``BufferError``), and reference counting ends the export with the call.
PyPy releases its GIL around every call and has no reference counting, in two flavours, told apart at import by
trying (``_EXPORTS_LOCK``):

- PyPy 7.3 has no such lock: a ``bytearray`` resized by another thread during the call is reallocated under it,
  and libnvx would write to freed memory (seen: glibc's "corrupted size vs. prev_size"). So while any other Python
  thread exists, every buffer other than ``bytes`` goes to C as a private copy, and in-place results are copied
  back afterwards by PyPy's own bounds-checked code (``writable``, ``write_back``). With no other thread
  (``_thread._count() == 0``: the usual single-threaded asyncio server) nothing can run Python code during the
  call, so nothing can resize the buffer, and C gets the buffer itself (``readable``, ``inplace``): the copies
  cost 10 to 100 times the work on PyPy (0.3 to 2 GB/s against 20 to 40).
- PyPy 8.0 locks as CPython does, but an export lasts until the garbage collector frees it, so a caller's
  ``bytearray`` would stay locked against resizing for some unknown time after the call (``LINGERING_LOCKS``).
  There mutable buffers always go to C as private copies, and every memoryview taken of the caller's object is
  released before the function returns.
"""

from __future__ import annotations

import platform
from _thread import _count as _other_threads
from typing import Any, Iterable, Optional, Union

from ._nvx import ffi


def _exports_lock() -> bool:
    """Whether an export held by ``ffi.from_buffer`` locks a ``bytearray`` against resizing (CPython, PyPy 8.0)."""
    ba = bytearray(1)
    p = ffi.from_buffer(ba)
    try:
        ba.append(0)
    except BufferError:
        return True
    finally:
        ffi.release(p)
    return False  # PyPy only (7.3)


_EXPORTS_LOCK = _exports_lock()
#: True where C must only see private copies of mutable buffers (PyPy: see the module docs).
COPY_MUTABLE = platform.python_implementation() != "CPython"
#: True where an export locks the buffer until the garbage collector ends it (PyPy 8.0): mutable buffers are then
#: always copied, and memoryviews released explicitly.
LINGERING_LOCKS = COPY_MUTABLE and _EXPORTS_LOCK

#: Any object with the buffer protocol (``bytes``, ``bytearray``, ``memoryview``, ``array.array``, ...): the typing
#: module has no name for it before Python 3.12 (``collections.abc.Buffer``).
Buffer = Any
#: A 4-byte masking key: a buffer of 4 bytes or 4 ints.
Key = Union[bytes, bytearray, memoryview, Iterable[int]]

_from_buffer = ffi.from_buffer


def readable(data: Buffer) -> tuple[Any, int]:
    """``(pointer, nbytes)`` for reading ``data``, any contiguous buffer."""
    if type(data) is bytearray and not COPY_MUTABLE:
        return _from_buffer(data), len(data)
    view = _view(data)
    if COPY_MUTABLE and (LINGERING_LOCKS or _other_threads()):  # PyPy only
        copy = view.tobytes()
        view.release()
        return copy, len(copy)
    return _from_buffer(view), view.nbytes


def writable(data: Buffer) -> tuple[Any, int, Optional[memoryview]]:
    """``(pointer, nbytes, view)`` for writing ``data`` in place, any writable contiguous buffer. After the C call,
    ``write_back(pointer, view)`` (a no-op except on PyPy, where ``pointer`` is a private copy)."""
    if type(data) is bytearray and not COPY_MUTABLE:
        return _from_buffer(data), len(data), None
    view = _view(data)
    if view.readonly:
        view.release()
        raise TypeError("a writable bytes-like object is required, not %r" % type(data).__name__)
    if COPY_MUTABLE:  # PyPy only
        return _from_buffer(bytearray(view)), view.nbytes, view
    return _from_buffer(view, require_writable=True), view.nbytes, None


def inplace(data: Buffer) -> tuple[Any, int, Optional[memoryview]]:
    """As ``writable``, but on PyPy with no other Python thread the buffer itself, not a copy (see the module
    docs); ``write_back`` after the call all the same."""
    if COPY_MUTABLE and not LINGERING_LOCKS and not _other_threads():  # PyPy only
        view = _view(data)
        if view.readonly:
            raise TypeError("a writable bytes-like object is required, not %r" % type(data).__name__)
        return _from_buffer(view, require_writable=True), view.nbytes, None
    return writable(data)


def write_back(pointer: Any, view: Optional[memoryview]) -> None:
    """Copies the result of an in-place call from the private copy ``pointer`` into ``view`` (PyPy only)."""
    if view is not None:  # PyPy only
        try:
            with view.cast("B") as flat:
                flat[:] = ffi.buffer(pointer)
        except ValueError:
            raise BufferError("the buffer was resized by another thread during the call") from None
        finally:
            view.release()


def _view(data: Buffer) -> memoryview:
    if isinstance(data, str):
        raise TypeError("a bytes-like object is required, not 'str' (encode it first)")
    try:
        view = memoryview(data)
    except TypeError:
        raise TypeError("a bytes-like object is required, not %r" % type(data).__name__) from None
    if not view.c_contiguous:
        # CPython's ffi.from_buffer refuses these with BufferError; PyPy's would take them: check here, for both.
        view.release()
        raise TypeError("a contiguous buffer is required (this %r is not C-contiguous)" % type(data).__name__)
    return view


def key(mask: Key) -> bytes:
    """The 4-byte masking key as ``bytes``."""
    if type(mask) is bytes:
        if len(mask) == 4:
            return mask
    elif isinstance(mask, (str, int)) or mask is None:
        raise TypeError("the mask must be 4 bytes, not %r" % type(mask).__name__)
    else:
        mask = bytes(mask)
    if len(mask) != 4:
        raise ValueError("the mask must be exactly 4 bytes, not %d" % len(mask))
    return mask
