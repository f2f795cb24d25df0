"""Turning Python buffers into pointer arguments for ``nvx_ws._nvx``, with the package's error rules.

The hot paths inline the ``bytes`` case (CFFI passes a ``bytes`` object to ``const uint8_t *`` as is, no copy) and
call these only for other types. Any contiguous buffer is accepted; ``str``, ``None``, ints and non-contiguous
buffers raise ``TypeError``; a key that is not exactly 4 bytes raises ``ValueError``.
"""

from __future__ import annotations

from typing import Any, Iterable, Union

from ._nvx import ffi

#: Any object with the buffer protocol (``bytes``, ``bytearray``, ``memoryview``, ``array.array``, ...): the typing
#: module has no name for it before Python 3.12 (``collections.abc.Buffer``).
Buffer = Any
#: A 4-byte masking key: a buffer of 4 bytes or 4 ints.
Key = Union[bytes, bytearray, memoryview, Iterable[int]]

_from_buffer = ffi.from_buffer


def readable(data: Buffer) -> tuple[Any, int]:
    """``(pointer, nbytes)`` for reading ``data``, any contiguous buffer."""
    if type(data) is bytearray:
        return _from_buffer(data), len(data)
    view = _view(data)
    return _from_buffer(view), view.nbytes


def writable(data: Buffer) -> tuple[Any, int]:
    """``(pointer, nbytes)`` for writing ``data`` in place, any writable contiguous buffer."""
    if type(data) is bytearray:
        return _from_buffer(data), len(data)
    view = _view(data)
    if view.readonly:
        raise TypeError("a writable bytes-like object is required, not %r" % type(data).__name__)
    return _from_buffer(view, require_writable=True), view.nbytes


def _view(data: Buffer) -> memoryview:
    if isinstance(data, str):
        raise TypeError("a bytes-like object is required, not 'str' (encode it first)")
    try:
        view = memoryview(data)
    except TypeError:
        raise TypeError("a bytes-like object is required, not %r" % type(data).__name__) from None
    if not view.c_contiguous:
        # CPython's ffi.from_buffer refuses these with BufferError; PyPy's would take them: check here, for both.
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
