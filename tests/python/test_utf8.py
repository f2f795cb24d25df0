"""UTF-8: Utf8Validator against autobahn's pure-Python validator, the one-shot functions against Python's codec."""

import pytest

import nvx_ws
from conftest import random_message, random_splits

# (chunks, autobahn's quads): the fragmented vectors of tests/vectors.rs (autobahn testsuite case numbers and
# autobahn's own incremental test).
FRAGMENTS = [
    ([b"", b"", b""], [(True, True, 0, 0), (True, True, 0, 0), (True, True, 0, 0)]),
    ([b"", b"middle frame payload", b""], [(True, True, 0, 0), (True, True, 20, 20), (True, True, 0, 20)]),
    (
        [b"Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4", b"\xc3\xbc\xc3\xa0\xc3\xa1-UTF-8!!"],
        [(True, True, 15, 15), (True, True, 14, 29)],
    ),
    (
        [b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", b"\xf4\x90\x80\x80", b"edited"],
        [(True, True, 11, 11), (False, False, 1, 12), (False, False, 0, 12)],
    ),
    (
        [b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4", b"\x90", b"\x80\x80edited"],
        [(True, False, 12, 12), (False, False, 0, 12), (False, False, 0, 12)],
    ),
    ([b"\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0\xc3\xa1"], [(True, True, 15, 15)]),
    ([b"\xf5"], [(False, False, 0, 0)]),
    ([b"edited", b"\xed\xa0\x80"], [(True, True, 6, 6), (False, False, 1, 7)]),
    ([b"edit", b"ed\xed\xa0\x80"], [(True, True, 4, 4), (False, False, 3, 7)]),
    ([b"edited\xed", b"\xa0\x80"], [(True, False, 7, 7), (False, False, 0, 7)]),
    # After a reject: a non-empty chunk is (False, False, 0, total), an empty one (True, False, 0, total).
    (
        [b"ab\xff", b"", b"cd", b""],
        [(False, False, 2, 2), (True, False, 0, 2), (False, False, 0, 2), (True, False, 0, 2)],
    ),
    ([b"\xe2\x82", b""], [(True, False, 2, 2), (True, False, 0, 2)]),
]


@pytest.mark.parametrize("chunks,quads", FRAGMENTS)
def test_known_vectors(chunks, quads, reference):
    for cls in (nvx_ws.Utf8Validator, reference.Utf8Validator):
        v = cls()
        assert [v.validate(c) for c in chunks] == quads, cls


def feed(cls, chunks):
    v = cls()
    return [v.validate(c) for c in chunks]


def test_matches_autobahn_on_random_messages_and_splits(reference, rng):
    for _i in range(600):
        data = random_message(rng, rng.randrange(0, 40), invalid_rate=rng.choice((0.0, 0.02, 0.2)))
        chunks = random_splits(rng, data, 6)
        assert feed(nvx_ws.Utf8Validator, chunks) == feed(reference.Utf8Validator, chunks), chunks


def test_matches_autobahn_split_at_every_point(reference, rng):
    for _ in range(40):
        data = random_message(rng, 12, invalid_rate=0.1)
        for cut in range(len(data) + 1):
            chunks = [data[:cut], data[cut:], b"", data[:3]]
            assert feed(nvx_ws.Utf8Validator, chunks) == feed(reference.Utf8Validator, chunks), chunks


def test_matches_autobahn_byte_by_byte(reference, rng):
    for _ in range(30):
        data = random_message(rng, 10, invalid_rate=0.1)
        chunks = [data[i : i + 1] for i in range(len(data))] + [b""]
        assert feed(nvx_ws.Utf8Validator, chunks) == feed(reference.Utf8Validator, chunks)


def test_large_messages_cross_simd_blocks(reference, rng):
    for size in (63, 64, 65, 1000, 4096 + 3, 70000):
        data = random_message(rng, size // 6, invalid_rate=0.0)
        for flip in (None, len(data) // 2, len(data) - 1):
            msg = data if flip is None else data[:flip] + b"\xff" + data[flip + 1 :]
            chunks = random_splits(rng, msg, 4)
            assert feed(nvx_ws.Utf8Validator, chunks) == feed(reference.Utf8Validator, chunks)


def test_reset_starts_a_new_message():
    v = nvx_ws.Utf8Validator()
    assert v.validate(b"\xff") == (False, False, 0, 0)
    v.reset()
    assert v.validate(b"ok") == (True, True, 2, 2)
    assert v.validate(b"\xe2") == (True, False, 1, 3)
    v.reset()
    assert v.validate(b"\x82") == (False, False, 0, 0)


def test_validators_are_independent():
    a, b = nvx_ws.Utf8Validator(), nvx_ws.Utf8Validator()
    assert a.validate(b"\xe2\x82") == (True, False, 2, 2)
    assert b.validate(b"\xac") == (False, False, 0, 0)
    assert a.validate(b"\xac") == (True, True, 1, 3)


def test_one_shot_agrees_with_the_codec_and_autobahn(reference, rng):
    for _ in range(800):
        data = random_message(rng, rng.randrange(0, 30), invalid_rate=rng.choice((0.0, 0.05, 0.3)))
        try:
            data.decode("utf-8")
            codec_ok = True
        except UnicodeDecodeError as e:
            codec_ok = False
            codec_start = e.start
        assert nvx_ws.is_valid(data) is codec_ok
        if codec_ok:
            assert nvx_ws.validate(data) is None
            continue
        with pytest.raises(nvx_ws.Utf8Error) as info:
            nvx_ws.validate(data)
        err = info.value
        assert isinstance(err, ValueError)
        assert err.valid_up_to == codec_start
        quad = reference.Utf8Validator().validate(data)
        if err.error_len is None:
            assert quad[0] and not quad[1]
            assert err.position == len(data)

        else:
            assert 1 <= err.error_len <= 3
            assert not quad[0]
            assert err.position == quad[2]


@pytest.mark.parametrize(
    "data,valid_up_to,error_len,position",
    [
        (b"caf\xc3\xa9 \xff", 6, 1, 6),
        (b"ab\xe0\x80", 2, 1, 3),
        (b"ab\xe0\xa0", 2, None, 4),
        (b"\xed\xa0\x80", 0, 1, 1),
        (b"\xf4\x90\x80\x80", 0, 1, 1),
        (b"\xc0\xaf", 0, 1, 0),
    ],
)
def test_one_shot_positions(data, valid_up_to, error_len, position):
    with pytest.raises(nvx_ws.Utf8Error) as info:
        nvx_ws.validate(bytearray(data))
    assert (info.value.valid_up_to, info.value.error_len, info.value.position) == (valid_up_to, error_len, position)


def test_implementation_is_named():
    assert nvx_ws.implementation() in {"scalar", "sse2", "ssse3", "avx2", "avx512", "neon"}
    assert nvx_ws.libnvx_version().count(".") == 2
