"""Beside autobahn's own tests (run unchanged from the stock wheel by ``integrations/autobahn/stock_wheel.sh``, with
``nvx_autobahn_plugin`` calling ``nvx_ws.autobahn.install()`` first): the incremental position test that autobahn
keeps commented out for its own NVX, run on nvx through autobahn's own ``_test_utf8_incremental``, and checks that
it is nvx that autobahn uses.
"""

import autobahn.nvx
import autobahn.websocket.protocol as protocol
from autobahn.nvx.test import test_nvx_utf8validator as autobahn_nvx_tests
from nvx_autobahn_plugin import REBOUND

import nvx_ws
import nvx_ws.autobahn


class TestNvxUtf8ValidatorIncremental(autobahn_nvx_tests.TestNvxUtf8Validator):
    """The test autobahn disables for its NVX ("NVX UTF8 validator lacks incremental mode"), on nvx."""

    def test_nvx_utf8validator_incremental(self):
        validator = autobahn_nvx_tests.NvxUtf8Validator()
        assert type(validator) is nvx_ws.Utf8Validator
        return self._test_utf8_incremental(validator)


def test_it_is_nvx_that_autobahn_uses():
    assert nvx_ws.autobahn.installed()
    assert "autobahn.websocket.protocol" in REBOUND
    assert autobahn_nvx_tests.HAS_NVX
    assert autobahn_nvx_tests.NvxUtf8Validator is nvx_ws.Utf8Validator
    assert autobahn.nvx.Utf8Validator is nvx_ws.Utf8Validator
    assert protocol.Utf8Validator is nvx_ws.Utf8Validator
    assert protocol.create_xor_masker is nvx_ws.create_xor_masker
    import _nvx_utf8validator

    assert _nvx_utf8validator.lib is nvx_ws._nvx.lib
    # autobahn's own NVX wrapper, if an application reaches for it, runs on libnvx too.
    from autobahn.nvx._xormasker import XorMaskerNvx

    masker = XorMaskerNvx(b"\x37\xfa\x21\x3d")
    assert masker.lib is nvx_ws._nvx.lib
    assert masker.process(b"Hello") == bytes.fromhex("7f9f4d5158")
