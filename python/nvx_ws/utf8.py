"""UTF-8 validation: one-shot ``validate`` / ``is_valid`` and autobahn's incremental ``Utf8Validator``.

    >>> import nvx_ws
    >>> nvx_ws.is_valid("café".encode())
    True
    >>> v = nvx_ws.Utf8Validator()
    >>> v.validate(b"caf\\xc3"), v.validate(b"\\xa9!")
    ((True, False, 4, 4), (True, True, 2, 6))

Each call is one call of libnvx. ``Utf8Validator`` keeps the exact results of autobahn 26.10.2's pure-Python
validator (``autobahn/websocket/utf8validator.py``, a byte-at-a-time DFA) for every call sequence.
"""

from __future__ import annotations

import platform
from typing import NoReturn

from ._buffers import Buffer
from ._buffers import readable as _readable
from ._nvx import ffi, lib

__all__ = ("Utf8Error", "Utf8Validator", "is_valid", "validate")

_NULL = ffi.NULL
_validate = lib.nvx_utf8_validate
_validate_status = lib.nvx_utf8vld_validate_status
_vld_validate = lib.nvx_utf8vld_validate
_vld_reset = lib.nvx_utf8vld_reset
_vld_current_index = lib.nvx_utf8vld_get_current_index
_INVALID = lib.NVX_STATUS_INVALID
_BUSY = lib.NVX_STATUS_BUSY
# The C types made here, resolved at import, never from a string during a call (see _output.U8_ARRAY).
_STATE_PTR = ffi.typeof("nvx_utf8vld_state *")
_STATUS_PTR = ffi.typeof("nvx_utf8_status *")
_SIZE_PTR = ffi.typeof("size_t *")
_INT_PTR = ffi.typeof("int *")
#: The longest ``bytes`` chunk ``Utf8Validator.validate`` checks with ``bytes.isascii()`` before calling libnvx: up
#: to here the scan costs less than the call. CPython 3.11: 60 ns for 1 KiB against 140 ns for the call, beyond it
#: libnvx's SIMD kernel is faster than ``isascii``'s word loop; PyPy: 0.75 ns per byte against about 150 ns.
ASCII_FAST_MAX = 1024 if platform.python_implementation() == "CPython" else 128


class Utf8Error(ValueError):
    """Invalid or incomplete UTF-8, located as Rust's ``str::from_utf8`` locates it.

    ``valid_up_to``: length of the longest valid prefix. ``error_len``: length (1 to 3) of the invalid sequence
    after it, or ``None`` when the data ends inside a code point that starts at ``valid_up_to`` (incomplete:
    more bytes could complete it). ``position``: the index of the byte at which a byte-at-a-time validator such
    as autobahn's rejects (for incomplete data, the length of the data).
    """

    def __init__(self, valid_up_to: int, error_len: int | None, position: int) -> None:
        if error_len is None:
            msg = "incomplete UTF-8 sequence at byte %d" % valid_up_to
        else:
            msg = "invalid UTF-8 sequence of %d byte(s) at byte %d" % (error_len, valid_up_to)
        super().__init__(msg)
        self.valid_up_to = valid_up_to
        self.error_len = error_len
        self.position = position


def error_of(p, n):
    """The ``Utf8Error`` for ``n`` bytes at ``p`` known not to be complete valid UTF-8 (the cold path)."""
    valid_up_to = ffi.new(_SIZE_PTR)
    error_len = ffi.new(_INT_PTR)
    status = _validate(p, n, valid_up_to, error_len)
    if status == _INVALID:
        # autobahn's byte-at-a-time position, as libnvx's incremental validator reports it.
        state = ffi.new(_STATE_PTR)
        lib.nvx_utf8vld_init(state)
        st = ffi.new(_STATUS_PTR)
        _validate_status(state, p, n, st)
        return Utf8Error(valid_up_to[0], error_len[0], st.current_index)
    if status == lib.NVX_STATUS_INCOMPLETE:
        return Utf8Error(valid_up_to[0], None, n)
    raise RuntimeError("nvx_utf8_validate returned %d" % status)


def is_valid(data: Buffer) -> bool:
    """Whether ``data`` (any contiguous buffer) is complete, valid UTF-8."""
    if type(data) is bytes:
        return _validate(data, len(data), _NULL, _NULL) == 0
    p, n = _readable(data)
    return _validate(p, n, _NULL, _NULL) == 0


def validate(data: Buffer) -> None:
    """Checks that ``data`` (any contiguous buffer) is complete, valid UTF-8; returns ``None`` if so.

    Raises ``Utf8Error`` (a ``ValueError``) with the failure position otherwise, ``TypeError`` when ``data`` is not
    a contiguous buffer.
    """
    if type(data) is bytes:
        p, n = data, len(data)
    else:
        p, n = _readable(data)
    if _validate(p, n, _NULL, _NULL):
        raise error_of(p, n)


class Utf8Validator:
    """Incremental UTF-8 validation of a message arriving in chunks, autobahn's interface.

    ``validate(chunk)`` returns ``(valid, ends_on_codepoint, current_index, total_index)``: while valid,
    ``(True, ends_on_a_code_point_boundary, len(chunk), bytes_so_far)``; at the failing chunk,
    ``(False, False, index_of_the_failing_byte_in_the_chunk, index_in_the_message)``; afterwards every non-empty
    chunk gives ``(False, False, 0, same_total)`` and an empty one ``(True, False, 0, same_total)``, as autobahn's
    DFA does, until ``reset()``.

    Threads: give each thread (each message) its own validator. One validator used by two threads at once is a
    bug in the caller, but never a memory error: libnvx lets one call at a time into a validator, and a
    ``validate`` that finds another thread's call inside raises ``RuntimeError`` (a ``reset`` then does nothing);
    the results of such racing calls are unspecified. ``copy.copy`` gives an independent validator in the same
    state.
    """

    # The hot path is one three-argument C call (nvx_utf8vld_validate), with no status struct to fill and read
    # back; the running total is kept here, and libnvx's index is asked for only after a reject.
    #
    # `_clean`: libnvx's state is valid and on a code point boundary, as a new validator's is (only its count of
    # bytes differs, which this class never reads). Then `reset()` has nothing to reset in libnvx, and a short
    # `bytes` chunk that is all ASCII, which leaves such a state as it is, needs no call into libnvx at all:
    # `bytes.isascii()` tells in a few nanoseconds.
    __slots__ = ("_clean", "_state", "_total")

    def __init__(self) -> None:
        # Caller-allocated libnvx validator (nvx_utf8vld_init): owned by this object, nothing to free.
        self._state = ffi.new(_STATE_PTR)
        lib.nvx_utf8vld_init(self._state)
        self._total = 0
        self._clean = True

    def reset(self) -> None:
        """Forgets the message: the next chunk starts a new one."""
        if not self._clean:
            _vld_reset(self._state)
            self._clean = True
        self._total = 0

    def validate(self, ba: Buffer) -> tuple[bool, bool, int, int]:
        """Validates the next chunk of the message (any contiguous buffer); see the class for the result."""
        if type(ba) is bytes:
            n = len(ba)
            if n <= ASCII_FAST_MAX and self._clean and ba.isascii():
                total = self._total = self._total + n
                return True, True, n, total
            res = _vld_validate(self._state, ba, n)
        else:
            p, n = _readable(ba)
            res = _vld_validate(self._state, p, n)
        if res == 0:
            self._clean = True
            total = self._total = self._total + n
            return True, True, n, total
        self._clean = False
        if res == 1:
            total = self._total = self._total + n
            return True, False, n, total
        if res == _INVALID:
            # The failing chunk: the reject's index in it (libnvx's current index, autobahn's byte-at-a-time
            # position) counts towards the total; every later chunk has index 0. libnvx keeps the reject sticky
            # and returns -1 for an empty chunk too; autobahn's DFA loop does not run for an empty chunk and
            # reports it valid (not on a code point).
            current = _vld_current_index(self._state)
            total = self._total = self._total + current
            return (n == 0), False, current, total
        if res == _BUSY:
            raise RuntimeError("this Utf8Validator is being used by another thread (use one validator per thread)")
        raise RuntimeError("nvx_utf8vld_validate returned %d" % res)

    def __copy__(self) -> Utf8Validator:
        # The state is plain data (libnvx allows memcpy of an nvx_utf8vld_state): the copy is independent. The
        # default copy would share the state between the two objects.
        other = Utf8Validator.__new__(Utf8Validator)
        other._state = ffi.new(_STATE_PTR, self._state[0])
        other._total = self._total
        other._clean = self._clean
        return other

    def __deepcopy__(self, memo: object) -> Utf8Validator:
        return self.__copy__()

    def __reduce__(self) -> NoReturn:
        raise TypeError("cannot pickle a Utf8Validator (its state lives in libnvx)")
