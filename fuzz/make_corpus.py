#!/usr/bin/env python3
"""Writes the seed corpus fuzz/corpus/<target>/ from known UTF-8 test vectors (run from anywhere; idempotent).

    python3 fuzz/make_corpus.py

The vectors are a handful from Markus Kuhn's "UTF-8 decoder capability and stress test" (sections 1 to 5) and
autobahn's test suite, section 6 (UTF-8 handling), plus long mixed texts that cross every SIMD block width. Each
target gets them in its own input layout (see docs/reliability.md); file names say where a vector comes from.
"""

import pathlib
import shutil

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"

KOSME = "κόσμε".encode()
VECTORS = {
    # Kuhn 1 / autobahn 6.2.1: valid Greek.
    "kuhn-1-kosme": KOSME,
    # Kuhn 2.1 / 2.2 / 2.3: first and last code points of each length, and other boundaries.
    "kuhn-2-boundaries": "\u0080\u07ff\u0800\uffff\U00010000\U0010ffff\ud7ff\ue000\ufffd".encode(),
    # Kuhn 3.1: unexpected continuation bytes; 3.2: lonely start bytes followed by a space.
    "kuhn-3.1-continuations": b"\x80\xbf\x80\xbf",
    "kuhn-3.2-lonely-starts": b"\xc0 \xdf \xe0 \xef \xf0 \xf7 ",
    # Kuhn 3.3: sequences with the last continuation byte missing, then 3.5: impossible bytes.
    "kuhn-3.3-truncated": b"\xe0\x80\xf0\x80\x80\xdf\xef\xbf",
    "kuhn-3.5-impossible": b"\xfe\xff\xfe\xfe\xff\xff",
    # Kuhn 4.1 / 4.2: overlong encodings of "/" and the largest overlongs.
    "kuhn-4.1-overlong-slash": b"\xc0\xaf\xe0\x80\xaf\xf0\x80\x80\xaf",
    "kuhn-4.2-max-overlong": b"\xc1\xbf\xe0\x9f\xbf\xf0\x8f\xbf\xbf",
    # Kuhn 5.1 / 5.2: single and paired UTF-16 surrogates.
    "kuhn-5.1-surrogate": b"\xed\xa0\x80\xed\xbf\xbf",
    "kuhn-5.2-surrogate-pair": b"\xed\xa0\x80\xed\xb0\x80",
    # autobahn 6.3.1: invalid in the middle ("κόσμε" + surrogate + "edited").
    "autobahn-6.3.1": KOSME + b"\xed\xa0\x80edited",
    # autobahn 6.4.1 / 6.4.2: fail fast on a code point above U+10FFFF, on its first or second byte.
    "autobahn-6.4.1": KOSME + b"\xf4\x90\x80\x80edited",
    "autobahn-6.4.2": KOSME + b"\xf4\x90",
    # autobahn 6.6.x: "κόσμε" truncated mid code point (valid so far, incomplete at the end).
    "autobahn-6.6.x-truncated": KOSME[:-1],
    # autobahn 6.8.1 / 6.8.2: 5- and 6-byte sequences (never valid).
    "autobahn-6.8-long-forms": b"\xf8\x88\x80\x80\x80\xfc\x84\x80\x80\x80\x80",
    # autobahn 6.23.x: noncharacters and U+FFFD are valid.
    "autobahn-6.23-noncharacters": "\ufffe\uffff\ufdd0\U0010fffe\ufffd".encode(),
}

# Long messages: ASCII runs and every sequence length across 16-, 32- and 64-byte blocks; one valid, one with a
# surrogate deep inside, one cut inside a 4-byte code point at the end.
TEXT = ("Hello, WebSocket! " + "κόσμε " + "日本語テキスト " + "🎉🚀 " + "x" * 37 + "ü").encode() * 24
LONG = {
    "long-valid": TEXT,
    "long-surrogate-inside": TEXT[:1001] + b"\xed\xa0\x80" + TEXT[1001:],
    "long-truncated-4-byte": TEXT + "🎉".encode()[:3],
}

REGRESSIONS = {
    "regression-avx2-edit-1": (
        "ceba30303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030"
        "3030303030303001000000303030303030303030303030303030303030303030303030303030303030303030303030ff"
        "ffffff303030303030303030303030303030303030cf8ccf0083cebcceb5f490"
    ),
    "regression-avx2-edit-2": (
        "efbfbeefbfbf536f636bcebcceb520e697a5e69cace8aa9ee38386e382802078787878787878787878407878c3bc4865"
        "6c6c6f0c20576562536f636b65742b7b7b7b7b000000007b7b7b7b7b7b7b7b7bf70000057b7bed7b7b7b7b7bbacf8ccf"
        "83cebcff0000e69c9ee38386e30082ad00"
    ),
}

KEY = bytes([0x37, 0xFA, 0x21, 0x3D])  # RFC 6455 §5.7


def chunk_lengths(lengths):
    """The Input::splits encoding: a count byte (pattern in the high nibble) and one length byte each."""
    assert len(lengths) < 16 and all(n < 0xC0 for n in lengths)
    return bytes([0x50 | len(lengths), *lengths])


def mask(data, key, phase=0):
    return bytes(b ^ key[(phase + i) % 4] for i, b in enumerate(data))


def c_abi_sequence(message):
    """New validator and masker, the message masked in two fragments through nvx_utf8vld_unmask_validate, the
    same message through nvx_utf8vld_validate in 3-byte chunks after a reset, finish, one-shot calls, frees."""
    ops = bytearray()
    ops += bytes([0, 0])  # nvx_utf8vld_new, slot 0
    ops += bytes([10, 0]) + KEY  # nvx_xormask_new, slot 0
    masked = mask(message[:191], KEY)
    half = len(masked) // 2
    for part in (masked[:half], masked[half:]):
        ops += bytes([16, 0, 0, len(part)]) + part  # nvx_utf8vld_unmask_validate
    ops += bytes([8, 0, 4, 0])  # nvx_utf8vld_finish, nvx_utf8vld_reset
    ops += bytes([5, 0, 5])  # nvx_utf8vld_set_impl(4)
    for i in range(0, min(len(message), 60), 3):
        part = message[i : i + 3]
        ops += bytes([2, 0, len(part)]) + part  # nvx_utf8vld_validate
    ops += bytes([8, 0])
    ops += bytes([17, min(len(message), 191)]) + message[:191]  # nvx_utf8_validate
    ops += bytes([20]) + KEY + bytes([1, len(masked)]) + mask(message[:191], KEY, 1)  # nvx_unmask_validate
    ops += bytes([9, 0, 15, 0])  # frees
    return bytes(ops)


def main():
    everything = {**VECTORS, **LONG}
    seeds = {
        "utf8_oneshot": everything,
        # Splits: byte by byte, and 1/2/3/64-byte chunks; then the key.
        "utf8_streaming": {
            name: (chunk_lengths([1]) if i % 2 else chunk_lengths([3, 1, 2, 64])) + KEY + data
            for i, (name, data) in enumerate(everything.items())
        },
        # Key, phase, alignment shift, splits, plain text.
        "mask": {
            name: KEY + bytes([i % 4, (7 * i) % 64]) + chunk_lengths([5, 1, 17]) + data
            for i, (name, data) in enumerate(everything.items())
        },
        "c_abi_sequence": {name: c_abi_sequence(data) for name, data in everything.items()},
    }
    seeds["c_abi_sequence"]["doc-example"] = b"\x00\x00\x02\x00\x04caf\xc3\x08\x00\x09\x00"
    seeds["c_abi_sequence"]["hostile-arguments"] = bytes(
        [0x00, 1]  # new validator in slot 1
        + [0xA2, 1, 4, *b"abcd"]  # validate, NULL data with a length
        + [0xC2, 1, 4, *b"abcd"]  # NULL data, length 0
        + [0xE3, 1, 4, *b"abcd"]  # length above PTRDIFF_MAX
        + [0x02, 2, 2, *b"ok"]  # empty slot: NULL handle
        + [0x05, 1, 0xFF, 0x00, 0x00, 0x00, 0x80]  # set_impl(INT_MIN)
        + [0x8A, 1, *KEY]  # nvx_xormask_new(NULL)
        + [0x0A, 0, *KEY]  # a masker in slot 0
        + [0x6C, 0, 3, *b"xyz"]  # nvx_xormask_process_to, destination too short
        + [0x53, *KEY, 1, 2, *b"hi"]  # nvx_mask_to, src == dst, phase 1
        + [0x18, 9, 0x18, 11, 0x18, 0]  # set_implementation: non-UTF-8, NULL, "scalar"
    )
    # Inputs the fuzzer found while the AVX2 kernel was being changed (an uncommitted edit accepted them as
    # valid): kept as regression seeds.
    for name, hex_bytes in REGRESSIONS.items():
        seeds["utf8_oneshot"][name] = bytes.fromhex(hex_bytes)
    seeds["mask"]["rfc6455-hello"] = KEY + bytes([0, 0, 0]) + b"Hello"
    for target, files in seeds.items():
        directory = CORPUS / target
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        for name, data in files.items():
            (directory / name).write_bytes(data)


if __name__ == "__main__":
    main()
