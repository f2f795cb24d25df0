"""Masking: the masker classes against autobahn's pure-Python maskers, mask / mask_inplace against a plain loop."""

import pytest

import nvx_ws

RFC_KEY = b"\x37\xfa\x21\x3d"


def plain_mask(data, key, phase):
    return bytes(b ^ key[(phase + i) % 4] for i, b in enumerate(data))


def test_rfc6455_example():
    assert nvx_ws.mask(b"Hello", RFC_KEY) == bytes.fromhex("7f9f4d5158")
    assert nvx_ws.mask(bytes.fromhex("7f9f4d5158"), RFC_KEY) == b"Hello"


@pytest.mark.parametrize("length", [None, 0, 1, 127, 128, 129, 100000])
def test_factory_picks_autobahns_class(length, reference):
    ours = nvx_ws.create_xor_masker(RFC_KEY, length)
    theirs = reference.create_xor_masker(RFC_KEY, length)
    assert type(ours).__name__ == type(theirs).__name__


def test_maskers_match_autobahn_on_random_fragments(reference, rng):
    for _ in range(300):
        key = bytes(rng.getrandbits(8) for _ in range(4))
        length = rng.choice((None, 5, 200))
        ours = nvx_ws.create_xor_masker(key, length)
        theirs = reference.create_xor_masker(key, length)
        for _ in range(rng.randrange(1, 6)):
            if rng.random() < 0.1:
                ours.reset()
                theirs.reset()
            chunk = bytes(rng.getrandbits(8) for _ in range(rng.choice((0, 1, 2, 3, 7, 16, 33, 200))))
            out = ours.process(chunk)
            assert type(out) is bytes
            assert out == theirs.process(chunk)
            assert ours.pointer() == theirs.pointer()


@pytest.mark.parametrize("cls", ["XorMaskerSimple", "XorMaskerShifted1"])
def test_every_length_and_phase_across_simd_blocks(cls, reference):
    data = bytes(range(256)) * 9
    key = b"\x01\x80\xfe\x5a"
    for n in list(range(0, 70)) + [127, 128, 129, 255, 256, 257, 1000, 2304]:
        ours, theirs = getattr(nvx_ws, cls)(key), getattr(reference, cls)(key)
        for start in range(4):
            ours.process(data[:start]), theirs.process(data[:start])
            assert ours.process(data[:n]) == theirs.process(data[:n])
            assert ours.pointer() == theirs.pointer()


def test_null_masker_is_autobahns(reference):
    ours, theirs = nvx_ws.XorMaskerNull(b"abcd"), reference.XorMaskerNull(b"abcd")
    data = bytearray(b"payload")
    assert ours.process(data) is data
    theirs.process(data)
    assert ours.pointer() == theirs.pointer() == 7
    ours.reset()
    assert ours.pointer() == 0


def test_mask_every_phase_and_input_type(rng):
    for n in (0, 1, 2, 3, 15, 16, 17, 64, 65, 1000, 1 << 16):
        data = bytes(rng.getrandbits(8) for _ in range(n))
        key = bytes(rng.getrandbits(8) for _ in range(4))
        for phase in range(6):
            expected = plain_mask(data, key, phase % 4)
            for source in (data, bytearray(data), memoryview(data), memoryview(bytearray(data))):
                assert nvx_ws.mask(source, key, phase) == expected
            assert nvx_ws.mask(data, bytearray(key), phase) == expected
            assert nvx_ws.mask(data, memoryview(key), phase) == expected
            buf = bytearray(data)
            assert nvx_ws.mask_inplace(buf, key, phase) == (phase + n) % 4
            assert buf == expected


def test_mask_result_is_a_new_object_and_input_is_untouched():
    data = b"\x00" * 32
    out = nvx_ws.mask(data, b"\xff\xff\xff\xff")
    assert data == b"\x00" * 32 and out == b"\xff" * 32
    again = nvx_ws.mask(data, b"\xff\xff\xff\xff")
    assert again == out and again is not out
    assert hash(out) == hash(b"\xff" * 32)
    assert bytes(2) == b"\x00\x00" and nvx_ws.mask(b"", b"abcd") == b"" and nvx_ws.mask(b"a", b"\x01abc") == b"`"


def test_fragments_continue_the_phase(rng):
    data = bytes(rng.getrandbits(8) for _ in range(1001))
    key = b"\x10\x20\x30\x40"
    phase, parts = 0, []
    for a, b in ((0, 3), (3, 3), (3, 500), (500, 1001)):
        parts.append(nvx_ws.mask(data[a:b], key, phase))
        phase = (phase + b - a) % 4
    assert b"".join(parts) == plain_mask(data, key, 0)


def test_mask_inplace_on_other_writable_buffers():
    import array

    arr = array.array("I", [0, 0xFFFFFFFF])
    assert nvx_ws.mask_inplace(arr, b"\x01\x02\x03\x04") == 0
    assert arr.tobytes() == bytes([1, 2, 3, 4, 0xFE, 0xFD, 0xFC, 0xFB])
    view = memoryview(bytearray(8))[2:6]
    nvx_ws.mask_inplace(view, b"\x01\x02\x03\x04", 1)
    assert view.obj == bytearray(b"\x00\x00\x02\x03\x04\x01\x00\x00")
