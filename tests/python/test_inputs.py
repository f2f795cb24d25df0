"""What every entry point accepts and refuses: contiguous buffers yes; str, None, ints, non-contiguous: TypeError."""

import array

import pytest

import nvx_ws

KEY = b"abcd"
BAD_DATA = ["text", None, 5, 3.5, [1, 2, 3], memoryview(b"abcdefgh")[::2], object()]
CONTIGUOUS = [b"ab\xc3\xa9", bytearray(b"ab\xc3\xa9"), memoryview(b"ab\xc3\xa9"), memoryview(b"xxab\xc3\xa9")[2:]]


def calls(data):
    yield lambda: nvx_ws.validate(data)
    yield lambda: nvx_ws.is_valid(data)
    yield lambda: nvx_ws.Utf8Validator().validate(data)
    yield lambda: nvx_ws.mask(data, KEY)
    yield lambda: nvx_ws.mask_inplace(data, KEY)
    yield lambda: nvx_ws.unmask_validate(data, KEY)
    yield lambda: nvx_ws.unmask_validate_inplace(data, KEY)
    yield lambda: nvx_ws.XorMaskerSimple(KEY).process(data)
    yield lambda: nvx_ws.XorMaskerShifted1(KEY).process(data)


@pytest.mark.parametrize("data", BAD_DATA, ids=lambda d: type(d).__name__)
def test_non_buffers_raise_type_error(data):
    for call in calls(data):
        with pytest.raises(TypeError):
            call()


def test_non_contiguous_2d_buffer_refused():
    view = memoryview(bytearray(16)).cast("B", (4, 4))
    assert view.c_contiguous
    assert nvx_ws.is_valid(view)  # contiguous 2-D: fine, all 16 bytes
    fortran_like = memoryview(bytearray(16)).cast("B", (4, 4))[::2]
    for call in calls(fortran_like):
        with pytest.raises(TypeError):
            call()


@pytest.mark.parametrize("data", CONTIGUOUS, ids=lambda d: type(d).__name__)
def test_contiguous_buffers_accepted(data):
    assert nvx_ws.is_valid(data)
    assert nvx_ws.Utf8Validator().validate(data) == (True, True, 4, 4)
    assert nvx_ws.mask(nvx_ws.mask(data, KEY), KEY) == bytes(data)


def test_multibyte_items_count_bytes():
    arr = array.array("H", [0x6261, 0x6463])  # b"abcd" little-endian
    assert nvx_ws.Utf8Validator().validate(arr)[2] == 4
    assert len(nvx_ws.mask(arr, KEY)) == 4


def test_read_only_buffers_refused_in_place():
    for data in (b"abcd", memoryview(b"abcd"), memoryview(bytearray(b"abcd")).toreadonly()):
        with pytest.raises(TypeError):
            nvx_ws.mask_inplace(data, KEY)
        with pytest.raises(TypeError):
            nvx_ws.unmask_validate_inplace(data, KEY)


@pytest.mark.parametrize("key", [b"", b"abc", b"abcde", bytearray(5), [1, 2, 3]])
def test_key_of_wrong_length_raises_value_error(key):
    with pytest.raises(ValueError):
        nvx_ws.mask(b"data", key)
    with pytest.raises(ValueError):
        nvx_ws.create_xor_masker(key)
    with pytest.raises(ValueError):
        nvx_ws.mask_inplace(bytearray(4), key)


@pytest.mark.parametrize("key", ["abcd", None, 1234])
def test_key_of_wrong_type_raises_type_error(key):
    with pytest.raises(TypeError):
        nvx_ws.mask(b"data", key)
    with pytest.raises(TypeError):
        nvx_ws.XorMaskerSimple(key)


def test_phase_must_be_an_int():
    with pytest.raises(TypeError):
        nvx_ws.mask(b"data", KEY, "1")
    assert nvx_ws.mask(b"data", KEY, 5) == nvx_ws.mask(b"data", KEY, 1)


def test_failed_calls_change_nothing():
    m = nvx_ws.XorMaskerSimple(KEY)
    with pytest.raises(TypeError):
        m.process("text")
    assert m.pointer() == 0
    v = nvx_ws.Utf8Validator()
    v.validate(b"\xe2")
    with pytest.raises(TypeError):
        v.validate(None)
    assert v.validate(b"\x82\xac") == (True, True, 2, 3)
