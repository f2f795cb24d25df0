"""Switching an installed autobahn (the stock wheel from PyPI, or a source build) to nvx with one call.

    import nvx_ws.autobahn
    nvx_ws.autobahn.install()        # before or after importing autobahn; before creating connections
    assert nvx_ws.autobahn.installed()

After ``install()``, autobahn's WebSocket protocol validates every text message with ``nvx_ws.Utf8Validator`` and
(un)masks every frame with ``nvx_ws.create_xor_masker`` / ``nvx_ws.XorMaskerNull``, whatever
``AUTOBAHN_USE_NVX`` says; ``autobahn.nvx.Utf8Validator`` is nvx's too, and the top-level modules
``_nvx_utf8validator`` / ``_nvx_xormasker`` (autobahn's compiled NVX) are replaced by nvx's ``ffi`` / ``lib``,
which carry autobahn's NVX function set with its exact names and signatures. autobahn's Python code is not changed
on disk; only the names it looks up are rebound, in this process.
"""

from __future__ import annotations

import importlib
import sys
import types

from . import _nvx
from .masking import XorMaskerNull, XorMaskerShifted1, XorMaskerSimple, create_xor_masker
from .utf8 import Utf8Validator

__all__ = ("install", "installed")

# Module -> {name: nvx object}: every place autobahn 26.10.2 binds its validator and maskers.
_BINDINGS: dict[str, dict[str, object]] = {
    "autobahn.websocket.utf8validator": {"Utf8Validator": Utf8Validator},
    "autobahn.websocket.xormasker": {
        "XorMaskerNull": XorMaskerNull,
        "XorMaskerSimple": XorMaskerSimple,
        "XorMaskerShifted1": XorMaskerShifted1,
        "create_xor_masker": create_xor_masker,
    },
    "autobahn.websocket.protocol": {
        "Utf8Validator": Utf8Validator,
        "XorMaskerNull": XorMaskerNull,
        "create_xor_masker": create_xor_masker,
    },
    "autobahn.nvx._utf8validator": {"Utf8Validator": Utf8Validator},
    "autobahn.nvx._xormasker": {
        "XorMaskerSimple": XorMaskerSimple,
        "XorMaskerShifted1": XorMaskerShifted1,
        "create_xor_masker": create_xor_masker,
    },
    "autobahn.nvx": {"Utf8Validator": Utf8Validator},
}


def _native_module(name: str) -> types.ModuleType:
    module = types.ModuleType(name, "nvx's libnvx standing in for autobahn's compiled %s" % name)
    module.__dict__.update(ffi=_nvx.ffi, lib=_nvx.lib, __nvx__=True)
    return module


def install() -> list[str]:
    """Makes autobahn use nvx in this process. Returns the list of modules rebound.

    Raises ``ImportError`` if autobahn's WebSocket protocol cannot be imported.
    """
    # autobahn's own NVX wrappers import these lazily (`from _nvx_utf8validator import lib`); autobahn probes
    # them for HAS_NVX. Register nvx's first, so that probe and those imports find libnvx.
    for name in ("_nvx_utf8validator", "_nvx_xormasker"):
        sys.modules[name] = _native_module(name)
    websocket = importlib.import_module("autobahn.websocket")
    websocket.__dict__.update(HAS_NVX=True, USES_NVX=True)
    rebound = []
    for module_name, names in _BINDINGS.items():
        try:
            module = importlib.import_module(module_name)
        except Exception:
            # autobahn.nvx's wrappers build a CFFI builder at import and read their C sources: a wheel without
            # them is fine, the protocol never needs them once the names above are rebound.
            if module_name.startswith("autobahn.nvx"):
                continue
            raise
        for attr, obj in names.items():
            setattr(module, attr, obj)
        rebound.append(module_name)
    return rebound


def installed() -> bool:
    """Whether autobahn's WebSocket protocol is bound to nvx right now."""
    protocol = sys.modules.get("autobahn.websocket.protocol")
    return (
        protocol is not None
        and protocol.Utf8Validator is Utf8Validator
        and protocol.create_xor_masker is create_xor_masker
        and protocol.XorMaskerNull is XorMaskerNull
    )
