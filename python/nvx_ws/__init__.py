"""nvx_ws: exact UTF-8 validation and WebSocket XOR masking for Python, over libnvx (Rust, SIMD, run-time dispatch).

    >>> import nvx_ws
    >>> nvx_ws.mask(b"Hello", b"\\x37\\xfa\\x21\\x3d").hex()
    '7f9f4d5158'
    >>> nvx_ws.is_valid(b"\\xce\\xba\\xe1\\xbd\\xb9\\xcf\\x83\\xce\\xbc\\xce\\xb5")
    True

autobahn-compatible classes (``Utf8Validator``, ``XorMaskerNull``, ``XorMaskerSimple``, ``XorMaskerShifted1``,
``create_xor_masker``) and fast functions (``validate``, ``is_valid``, ``mask``, ``mask_inplace``,
``unmask_validate``, ``unmask_validate_inplace``). ``nvx_ws.autobahn.install()`` makes autobahn use them.
Documentation: docs/python.md.
"""

from __future__ import annotations

from ._nvx import ffi as _ffi
from ._nvx import lib as _lib
from ._version import __version__ as __version__
from .fused import unmask_validate, unmask_validate_inplace
from .masking import (
    XorMaskerNull,
    XorMaskerShifted1,
    XorMaskerSimple,
    create_xor_masker,
    mask,
    mask_inplace,
)
from .utf8 import Utf8Error, Utf8Validator, is_valid, validate

__all__ = (
    "Utf8Error",
    "Utf8Validator",
    "XorMaskerNull",
    "XorMaskerShifted1",
    "XorMaskerSimple",
    "create_xor_masker",
    "implementation",
    "is_valid",
    "libnvx_version",
    "mask",
    "mask_inplace",
    "set_implementation",
    "unmask_validate",
    "unmask_validate_inplace",
    "validate",
)


def implementation() -> str:
    """The kernel libnvx runs on this CPU: ``"avx512"``, ``"avx2"``, ``"ssse3"``, ``"sse2"``, ``"neon"`` or
    ``"scalar"``."""
    return _ffi.string(_lib.nvx_implementation_name()).decode("ascii")


def set_implementation(name: str) -> None:
    """Makes libnvx use the kernel ``name`` process-wide (diagnostics and benchmarks; validators created before
    keep theirs). Raises ``ValueError`` if this CPU or build cannot run it."""
    status = _lib.nvx_set_implementation(name.encode("ascii"))
    if status != 0:
        raise ValueError("nvx cannot run the implementation %r here (status %d)" % (name, status))


def libnvx_version() -> str:
    """The version of the libnvx linked into this extension, ``"MAJOR.MINOR.PATCH"``."""
    return _ffi.string(_lib.nvx_version()).decode("ascii")
