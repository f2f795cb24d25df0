"""unmask_validate and unmask_validate_inplace: mask then validate, in one call."""

import pytest

import nvx_ws
from conftest import random_message

KEY = b"\x9a\x01\x7e\xc3"


def reference_mask(data, key=KEY, phase=0):
    """RFC 6455's masking, byte by byte in Python: the oracle of the input (never nvx_ws itself)."""
    return bytes(b ^ key[(phase + i) % 4] for i, b in enumerate(data))


def reference_error(data):
    """Python's own UTF-8 decoder as the oracle of the verdict: None when valid, else the
    (valid_up_to, error_len, position) nvx_ws.Utf8Error must carry. Python reports the same maximal invalid
    prefix as Rust's from_utf8 (start, end - start); position is the byte a byte-at-a-time validator rejects:
    the byte itself when it can never start a sequence, else the one after the valid prefix; for data that ends
    inside a code point, its length."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data":
            assert e.end == len(data)
            return (e.start, None, len(data))
        error_len = e.end - e.start
        return (e.start, error_len, e.start if e.reason == "invalid start byte" else e.start + error_len)
    return None


def test_reference_error_knows_each_case():
    assert reference_error(b"ok") is None
    assert reference_error(b"ab\xff") == (2, 1, 2)
    assert reference_error(b"\xe0\x80") == (0, 1, 1)
    assert reference_error(b"\xf0\x9f\x98X") == (0, 3, 3)
    assert reference_error(b"ok\xe2\x82") == (2, None, 4)


def test_roundtrip_and_errors_match_the_separate_steps(rng):
    for _ in range(400):
        text = random_message(rng, rng.randrange(0, 30), invalid_rate=rng.choice((0.0, 0.1)))
        phase = rng.randrange(4)
        masked = reference_mask(text, KEY, phase)
        expected = reference_error(text)
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
    assert nvx_ws.unmask_validate(reference_mask(text), KEY) == text
    bad = bytearray(text)
    bad[len(bad) // 2 + 1] = 0xFF
    with pytest.raises(nvx_ws.Utf8Error) as info:
        nvx_ws.unmask_validate(reference_mask(bytes(bad)), KEY)
    assert (info.value.valid_up_to, info.value.error_len, info.value.position) == reference_error(bytes(bad))
