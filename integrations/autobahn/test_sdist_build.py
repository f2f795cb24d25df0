"""Beside autobahn's own tests, for autobahn built from its sdist on libnvx (``integrations/autobahn/sdist_build.sh``):
the incremental position test autobahn keeps disabled for its own NVX, on autobahn's own NVX wrapper, and checks
that the compiled ``_nvx_*`` modules are libnvx. Imports nothing of nvx_ws: this is autobahn alone."""

import ctypes

import _nvx_utf8validator
import _nvx_xormasker
import autobahn.websocket
import autobahn.websocket.protocol as protocol
from autobahn.nvx._utf8validator import Utf8Validator as AutobahnNvxUtf8Validator
from autobahn.nvx.test import test_nvx_utf8validator as autobahn_nvx_tests


class TestNvxUtf8ValidatorIncremental(autobahn_nvx_tests.TestNvxUtf8Validator):
    """The test autobahn disables for its NVX ("NVX UTF8 validator lacks incremental mode"), on libnvx."""

    def test_nvx_utf8validator_incremental(self):
        return self._test_utf8_incremental(autobahn_nvx_tests.NvxUtf8Validator())


def test_autobahn_runs_libnvx():
    assert autobahn.websocket.HAS_NVX and autobahn.websocket.USES_NVX
    assert protocol.Utf8Validator is AutobahnNvxUtf8Validator
    for module in (_nvx_utf8validator, _nvx_xormasker):
        so = ctypes.CDLL(module.__file__)
        so.nvx_implementation_name.restype = ctypes.c_char_p
        so.nvx_version.restype = ctypes.c_char_p
        assert so.nvx_implementation_name() in {b"scalar", b"sse2", b"ssse3", b"avx2", b"avx512", b"neon"}
        assert so.nvx_version().count(b".") == 2
    # An empty chunk after a reject: libnvx keeps the reject (autobahn's C table DFA would report valid).
    v = AutobahnNvxUtf8Validator()
    assert v.validate(b"a\xff")[:3] == (False, False, 1)
    assert v.validate(b"b") == (False, False, 0, 1)
