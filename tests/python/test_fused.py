"""unmask_validate and unmask_validate_inplace: mask then validate, in one call."""

import pytest

import nvx_ws
from conftest import random_message

KEY = b"\x9a\x01\x7e\xc3"


def test_roundtrip_and_errors_match_the_separate_steps(rng):
    for _ in range(400):
        text = random_message(rng, rng.randrange(0, 30), invalid_rate=rng.choice((0.0, 0.1)))
        phase = rng.randrange(4)
        masked = nvx_ws.mask(text, KEY, phase)
        try:
            nvx_ws.validate(text)
            expected = None
        except nvx_ws.Utf8Error as e:
            expected = (e.valid_up_to, e.error_len, e.position)
        for source in (masked, bytearray(masked), memoryview(masked)):
            if expected is None:
                assert nvx_ws.unmask_validate(source, KEY, phase) == text
            else:
                with pytest.raises(nvx_ws.Utf8Error) as info:
                    nvx_ws.unmask_validate(source, KEY, phase)
                assert (info.value.valid_up_to, info.value.error_len, info.value.position) == expected
        buf = bytearray(masked)
        if expected is None:
            assert nvx_ws.unmask_validate_inplace(buf, KEY, phase) == (phase + len(text)) % 4
        else:
            with pytest.raises(nvx_ws.Utf8Error):
                nvx_ws.unmask_validate_inplace(buf, KEY, phase)
        assert buf == text  # unmasked whole either way


def test_large_text():
    text = ("ascii and ünïcödé and 中文 and 𝄞 " * 5000).encode()
    assert nvx_ws.unmask_validate(nvx_ws.mask(text, KEY), KEY) == text
    bad = bytearray(text)
    bad[len(bad) // 2 + 1] = 0xFF
    with pytest.raises(nvx_ws.Utf8Error):
        nvx_ws.unmask_validate(nvx_ws.mask(bad, KEY), KEY)
