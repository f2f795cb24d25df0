"""WebSocket XOR masking: ``mask``, ``mask_inplace`` and autobahn's masker classes.

    >>> import nvx_ws
    >>> nvx_ws.mask(b"Hello", b"\\x37\\xfa\\x21\\x3d").hex()   # RFC 6455, 5.7
    '7f9f4d5158'

Each call is one call of libnvx's ``nvx_mask_to`` (input to new ``bytes`` in one pass) or ``nvx_mask`` (in place).
The masker classes keep autobahn 26.10.2's behaviour (``autobahn/websocket/xormasker.py``): ``process(data)``
returns the masked bytes and advances ``pointer()`` by ``len(data)``, the phase of the next byte being
``pointer() % 4``; ``reset()`` goes back to 0.
"""

from __future__ import annotations

from collections.abc import Sized
from typing import TypeVar

from ._buffers import COPY_MUTABLE, Buffer, Key
from ._buffers import inplace as _inplace
from ._buffers import key as _key
from ._buffers import readable as _readable
from ._buffers import write_back as _write_back
from ._nvx import ffi, lib
from ._output import FRESH_BYTES_WRITABLE, ZEROS, result, take

__all__ = (
    "XorMaskerNull",
    "XorMaskerShifted1",
    "XorMaskerSimple",
    "create_xor_masker",
    "mask",
    "mask_inplace",
)

_mask_to = lib.nvx_mask_to
_mask = lib.nvx_mask
_from_buffer = ffi.from_buffer
_new = object.__new__
_SHORT = len(ZEROS)
T = TypeVar("T", bound=Sized)


def mask(data: Buffer, key: Key, phase: int = 0) -> bytes:
    """``data`` masked (or unmasked: the same operation) with the 4-byte ``key``, starting at ``phase`` (0 to 3;
    taken modulo 4), as new ``bytes``. The next fragment of the payload continues at ``(phase + len(data)) % 4``.

    Raises ``TypeError`` when ``data`` is not a contiguous buffer, ``ValueError`` when ``key`` is not 4 bytes.
    """
    if type(data) is bytes:
        n = len(data)
        src = data
    else:
        src, n = _readable(data)
    if type(key) is not bytes or len(key) != 4:
        key = _key(key)
    phase &= 3
    if FRESH_BYTES_WRITABLE and n > 1:
        out = ZEROS[:n] if n < _SHORT else bytes(n)
        _mask_to(src, n, key, phase, out, n)
        return out
    buf = take(n)
    _mask_to(src, n, key, phase, buf, n)
    return result(buf, n)


def mask_inplace(buf: Buffer, key: Key, phase: int = 0) -> int:
    """Masks (or unmasks) the writable buffer ``buf`` in place with ``key`` from ``phase``; returns the phase after
    it, ``(phase + nbytes) % 4``.

    Raises ``TypeError`` when ``buf`` is not a writable contiguous buffer (``bytes`` is not writable),
    ``ValueError`` when ``key`` is not 4 bytes.
    """
    if type(buf) is bytearray and not COPY_MUTABLE:
        p, n, view = _from_buffer(buf), len(buf), None  # _inplace's first case, without the call
    else:
        p, n, view = _inplace(buf)
    if type(key) is not bytes or len(key) != 4:
        key = _key(key)
    after = _mask(p, n, key, phase & 3)
    if view is not None:  # PyPy only
        _write_back(p, view)
    return after


class XorMaskerNull:
    """autobahn's pass-through masker: ``process`` returns its argument itself and only counts its length."""

    __slots__ = ("_ptr",)

    def __init__(self, mask: object = None) -> None:
        self._ptr = 0

    def pointer(self) -> int:
        return self._ptr

    def reset(self) -> None:
        self._ptr = 0

    def process(self, data: T) -> T:
        self._ptr += len(data)
        return data


class XorMaskerSimple:
    """autobahn's masker for payloads under 128 bytes; the same code as ``XorMaskerShifted1`` here (libnvx picks
    the kernel by length itself)."""

    __slots__ = ("_key", "_ptr")

    def __init__(self, mask: Key) -> None:
        if type(mask) is not bytes or len(mask) != 4:
            mask = _key(mask)
        self._key = mask
        self._ptr = 0

    def pointer(self) -> int:
        """Bytes processed since creation or the last ``reset()``."""
        return self._ptr

    def reset(self) -> None:
        self._ptr = 0

    if FRESH_BYTES_WRITABLE:

        def process(self, data: Buffer) -> bytes:
            """``data`` masked from the current position, as new ``bytes``; advances the position."""
            if type(data) is bytes:
                n = len(data)
                src = data
            else:
                src, n = _readable(data)
            ptr = self._ptr
            self._ptr = ptr + n
            if 1 < n < _SHORT:
                out = ZEROS[:n]
            elif n > 1:
                out = bytes(n)
            else:
                buf = take(n)
                _mask_to(src, n, self._key, ptr & 3, buf, n)
                return result(buf, n)
            _mask_to(src, n, self._key, ptr & 3, out, n)
            return out

    else:  # PyPy only

        def process(self, data: Buffer) -> bytes:
            """``data`` masked from the current position, as new ``bytes``; advances the position."""
            if type(data) is bytes:
                n = len(data)
                src = data
            else:
                src, n = _readable(data)
            ptr = self._ptr
            self._ptr = ptr + n
            buf = take(n)
            _mask_to(src, n, self._key, ptr & 3, buf, n)
            return result(buf, n)


class XorMaskerShifted1(XorMaskerSimple):
    """autobahn's masker for payloads of 128 bytes and more."""

    __slots__ = ()


def create_xor_masker(mask: Key, length: int | None = None) -> XorMaskerSimple:
    """autobahn's factory: ``XorMaskerSimple`` when ``length`` is None or under 128, else ``XorMaskerShifted1``."""
    # What the class's __init__ does, without the cost of calling it (a WebSocket library creates a masker per
    # frame: this is a third of the time of masking a short one).
    if type(mask) is not bytes or len(mask) != 4:
        mask = _key(mask)
    masker = _new(XorMaskerSimple if length is None or length < 128 else XorMaskerShifted1)
    masker._key = mask
    masker._ptr = 0
    return masker
