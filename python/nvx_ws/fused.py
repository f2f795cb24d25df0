"""Unmasking and validating a masked WebSocket text payload in one pass.

    >>> import nvx_ws
    >>> masked = nvx_ws.mask("héllo".encode(), b"\\x01\\x02\\x03\\x04")
    >>> nvx_ws.unmask_validate(masked, b"\\x01\\x02\\x03\\x04").decode()
    'héllo'

One call of libnvx's ``nvx_unmask_validate_to`` / ``nvx_unmask_validate`` when the payload is valid; locating an
error takes one more call, on that cold path only.
"""

from __future__ import annotations

from ._buffers import COPY_MUTABLE, Buffer, Key
from ._buffers import inplace as _inplace
from ._buffers import key as _key
from ._buffers import readable as _readable
from ._buffers import write_back as _write_back
from ._nvx import ffi, lib
from ._output import FRESH_BYTES_WRITABLE, ZEROS, result, take
from .utf8 import error_of

__all__ = ("unmask_validate", "unmask_validate_inplace")

_NULL = ffi.NULL
_unmask_validate_to = lib.nvx_unmask_validate_to
_unmask_validate = lib.nvx_unmask_validate
_from_buffer = ffi.from_buffer
_SHORT = len(ZEROS)


def unmask_validate(data: Buffer, key: Key, phase: int = 0) -> bytes:
    """``data`` unmasked with ``key`` from ``phase``, as new ``bytes``, checked to be complete, valid UTF-8.

    Raises ``Utf8Error`` (a ``ValueError``) when it is not, ``TypeError`` when ``data`` is not a contiguous
    buffer, ``ValueError`` when ``key`` is not 4 bytes.
    """
    if type(data) is bytes:
        src, n = data, len(data)
    else:
        src, n = _readable(data)
    if type(key) is not bytes or len(key) != 4:
        key = _key(key)
    phase &= 3
    if FRESH_BYTES_WRITABLE and n > 1:
        out = ZEROS[:n] if n < _SHORT else bytes(n)
        if _unmask_validate_to(src, n, key, phase, out, n, _NULL, _NULL, _NULL):
            raise error_of(out, n)
        return out
    buf = take(n)
    if _unmask_validate_to(src, n, key, phase, buf, n, _NULL, _NULL, _NULL):
        raise error_of(buf, n)
    return result(buf, n)


def unmask_validate_inplace(buf: Buffer, key: Key, phase: int = 0) -> int:
    """Unmasks the writable buffer ``buf`` in place (always all of it) and checks that the result is complete,
    valid UTF-8; returns the phase after it, ``(phase + nbytes) % 4``.

    Raises ``Utf8Error`` when it is not (``buf`` is unmasked all the same), ``TypeError`` when ``buf`` is not a
    writable contiguous buffer, ``ValueError`` when ``key`` is not 4 bytes.
    """
    if type(buf) is bytearray and not COPY_MUTABLE:
        p, n, view = _from_buffer(buf), len(buf), None  # _inplace's first case, without the call
    else:
        p, n, view = _inplace(buf)
    if type(key) is not bytes or len(key) != 4:
        key = _key(key)
    phase &= 3
    status = _unmask_validate(p, n, key, phase, _NULL, _NULL, _NULL)
    if view is not None:  # PyPy only
        _write_back(p, view)
    if status:
        raise error_of(p, n)
    return (phase + n) & 3
