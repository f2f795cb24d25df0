"""The examples in the package's docstrings run and give what they show."""

import doctest

import pytest

import nvx_ws
import nvx_ws.fused
import nvx_ws.masking
import nvx_ws.utf8


@pytest.mark.parametrize("module", [nvx_ws, nvx_ws.masking, nvx_ws.utf8, nvx_ws.fused], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
