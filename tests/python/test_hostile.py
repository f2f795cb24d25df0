"""Hostile input to nvx_ws: every wrong type, broken and odd buffers, bad keys and phases, buffers resized while
held, and handles (there is no way to get at a freed one). Every case must raise a Python exception or give the
exact result; none may crash, read outside the buffer or write to a read-only one. (test_inputs.py has the basic
type rules; these go further.)"""

import array
import copy
import gc
import mmap
import pickle
import sys

import pytest

import nvx_ws
from nvx_ws import _buffers
from nvx_ws._nvx import ffi, lib

KEY = b"\x37\xfa\x21\x3d"
TEXT = "héllo wörld € 😀".encode()


def is_utf8(data):
    """Python's own UTF-8 decoder as the oracle of validity."""
    try:
        bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def reference_mask(data, key=KEY, phase=0):
    """RFC 6455's masking, byte by byte in Python: the oracle (never nvx_ws itself)."""
    return bytes(b ^ key[(phase + i) % 4] for i, b in enumerate(bytes(data)))


def readers(data):
    """Every entry point that reads `data`."""
    return [
        ("validate", lambda: nvx_ws.validate(data)),
        ("is_valid", lambda: nvx_ws.is_valid(data)),
        ("Utf8Validator.validate", lambda: nvx_ws.Utf8Validator().validate(data)),
        ("mask", lambda: nvx_ws.mask(data, KEY)),
        ("unmask_validate", lambda: nvx_ws.unmask_validate(data, KEY)),
        ("XorMaskerSimple.process", lambda: nvx_ws.XorMaskerSimple(KEY).process(data)),
    ]


def writers(data):
    return [
        ("mask_inplace", lambda: nvx_ws.mask_inplace(data, KEY)),
        ("unmask_validate_inplace", lambda: nvx_ws.unmask_validate_inplace(data, KEY)),
    ]


class Opaque:
    pass


class LyingLength(bytes):
    """A bytes subclass whose len() lies: nvx must use the buffer's real size."""

    def __len__(self):
        return 1 << 40


class BrokenBuffer:
    """Python 3.12+ buffer protocol in Python: __buffer__ raises."""

    def __buffer__(self, flags):
        raise RuntimeError("broken __buffer__")


class WrongBuffer:
    """__buffer__ returning something that is not a memoryview."""

    def __buffer__(self, flags):
        return b"not a memoryview"


WRONG_TYPES = [
    None,
    0,
    -1,
    1 << 100,
    3.5,
    float("nan"),
    1j,
    "text",
    "",
    [1, 2],
    (1,),
    {1: 2},
    {1},
    Opaque(),
    Opaque,
    len,
    iter([1, 2]),
    NotImplemented,
    Ellipsis,
]


@pytest.mark.parametrize("data", WRONG_TYPES, ids=lambda d: type(d).__name__)
def test_every_wrong_type_raises_type_error_everywhere(data):
    for _name, call in readers(data) + writers(data):
        with pytest.raises(TypeError):
            call()


@pytest.mark.parametrize("obj", [BrokenBuffer(), WrongBuffer()], ids=["raises", "wrong-return"])
def test_broken_buffer_protocol_raises(obj):
    # Before 3.12 (and on PyPy 3.9) __buffer__ is not the buffer protocol: TypeError. From 3.12 the error of
    # __buffer__ itself (RuntimeError) or the interpreter's complaint about its result (TypeError) comes through.
    for _name, call in readers(obj) + writers(obj):
        with pytest.raises((TypeError, RuntimeError)):
            call()


def test_lying_len_is_ignored():
    data = LyingLength(TEXT)
    assert nvx_ws.is_valid(data)
    assert nvx_ws.mask(data, KEY) == reference_mask(TEXT)
    assert nvx_ws.Utf8Validator().validate(data) == (True, True, len(TEXT), len(TEXT))
    assert nvx_ws.XorMaskerSimple(LyingLength(KEY)).process(TEXT) == reference_mask(TEXT)


@pytest.mark.parametrize("typecode", ["b", "B", "h", "H", "i", "I", "l", "q", "Q", "f", "d"])
def test_arrays_of_every_item_size_count_bytes(typecode):
    arr = array.array(typecode, [1, 2, 3, 4, 5])
    raw = arr.tobytes()
    assert len(raw) == 5 * arr.itemsize
    assert nvx_ws.mask(arr, KEY) == reference_mask(raw)
    assert nvx_ws.is_valid(arr) == is_utf8(raw)
    assert nvx_ws.mask_inplace(arr, KEY, 1) == (1 + len(raw)) % 4
    assert arr.tobytes() == reference_mask(raw, KEY, 1)
    # A multi-dimensional, non-byte view of the same memory.
    view = memoryview(arr).cast("B").cast(typecode, (5, 1)) if arr.itemsize > 1 else memoryview(arr)
    assert nvx_ws.mask(view, KEY) == reference_mask(arr.tobytes())


def test_non_contiguous_views_refused_and_untouched():
    base = bytearray((TEXT * 8)[:64])
    before = bytes(base)
    for view in (memoryview(base)[::2], memoryview(base)[::-1], memoryview(base).cast("B", (8, 8))[::2]):
        for _name, call in readers(view) + writers(view):
            with pytest.raises(TypeError):
                call()
    assert base == before


def test_read_only_buffers_refused_for_writing_and_untouched():
    ro_mmap = mmap.mmap(-1, 64, access=mmap.ACCESS_READ)
    candidates = [TEXT, memoryview(TEXT), memoryview(bytearray(TEXT)).toreadonly(), ro_mmap, LyingLength(TEXT)]
    for data in candidates:
        before = bytes(data)
        for _name, call in writers(data):
            with pytest.raises(TypeError):
                call()
        assert bytes(data) == before
    ro_mmap.close()


def test_writable_mmap_and_released_views():
    m = mmap.mmap(-1, 64)
    m[:] = b"a" * 64
    assert nvx_ws.mask_inplace(m, KEY) == 0
    assert m[:] == reference_mask(b"a" * 64)
    m.close()
    with pytest.raises(ValueError):  # a closed mmap: no buffer
        nvx_ws.is_valid(m)
    view = memoryview(bytearray(8))
    view.release()
    for _name, call in readers(view) + writers(view):
        with pytest.raises(ValueError):  # "operation forbidden on released memoryview object"
            call()


@pytest.mark.parametrize(
    "key", [b"abc", b"abcde", b"", bytearray(3), [1, 2, 3, 4, 5], [256, 0, 0, 0], [-1, 0, 0, 0], iter([1, 2, 3])]
)
def test_keys_of_wrong_length_or_range_raise_value_error(key):
    with pytest.raises(ValueError):
        nvx_ws.mask(TEXT, key)


@pytest.mark.parametrize("key", [None, 1234, 4.0, "abcd", Opaque(), [1.0, 2.0, 3.0, 4.0], [None] * 4])
def test_keys_of_wrong_type_raise_type_error(key):
    for call in (
        lambda: nvx_ws.mask(TEXT, key),
        lambda: nvx_ws.mask_inplace(bytearray(TEXT), key),
        lambda: nvx_ws.unmask_validate(TEXT, key),
        lambda: nvx_ws.XorMaskerSimple(key),
    ):
        with pytest.raises(TypeError):
            call()


@pytest.mark.parametrize(
    "key",
    [
        bytearray(KEY),
        memoryview(KEY),
        list(KEY),
        tuple(KEY),
        array.array("B", KEY),
        memoryview(b"xx" + KEY)[2:],
        memoryview(KEY * 2)[::2],
    ],
)
def test_any_four_byte_key_works(key):
    assert nvx_ws.mask(TEXT, key) == reference_mask(TEXT, bytes(key))


@pytest.mark.parametrize("phase", [-1, -5, 4, 7, 1 << 32, (1 << 64) + 3, -(1 << 70), 1 << 200, True])
def test_phases_are_taken_modulo_4(phase):
    want = reference_mask(TEXT, KEY, phase % 4)
    assert nvx_ws.mask(TEXT, KEY, phase) == want
    buf = bytearray(TEXT)
    assert nvx_ws.mask_inplace(buf, KEY, phase) == (phase % 4 + len(TEXT)) % 4
    assert buf == want
    assert nvx_ws.unmask_validate(want, KEY, phase) == TEXT
    buf = bytearray(want)
    assert nvx_ws.unmask_validate_inplace(buf, KEY, phase) == (phase % 4 + len(TEXT)) % 4
    assert buf == TEXT


class WeirdPhase:
    """`phase & 3` returning something that is not a small int."""

    def __init__(self, result):
        self.result = result

    def __and__(self, other):
        return self.result


@pytest.mark.parametrize("phase", [1.5, "1", None, b"\x01", WeirdPhase(1 << 70), WeirdPhase(-1), WeirdPhase("x")])
def test_phases_of_wrong_type_or_range_raise(phase):
    for call in (
        lambda: nvx_ws.mask(TEXT, KEY, phase),
        lambda: nvx_ws.mask_inplace(bytearray(TEXT), KEY, phase),
        lambda: nvx_ws.unmask_validate(TEXT, KEY, phase),
    ):
        with pytest.raises((TypeError, OverflowError)):
            call()


def test_empty_inputs_everywhere():
    for data in (b"", bytearray(), memoryview(b""), array.array("I"), memoryview(b"abc")[3:]):
        assert nvx_ws.is_valid(data)
        nvx_ws.validate(data)
        assert nvx_ws.mask(data, KEY, 3) == b""
        assert nvx_ws.unmask_validate(data, KEY) == b""
        assert nvx_ws.Utf8Validator().validate(data) == (True, True, 0, 0)
    assert nvx_ws.mask_inplace(bytearray(), KEY, 3) == 3


def test_held_buffer_cannot_be_resized():
    """What keeps a buffer in place during a call: on CPython the export held by the pointer object locks a
    bytearray against resizing (BufferError), and the same lock holds during the C call; PyPy has no such lock,
    so there the C call gets a private copy instead (test_threads.py resizes during real calls)."""
    ba = bytearray(TEXT)
    p, n, view = _buffers.writable(ba)
    if _buffers.LINGERING_LOCKS:
        # PyPy 8.0: the view held for the call locks ba, as on CPython; write_back releases it, so no lock is left
        # for the garbage collector to end some time later.
        assert view is not None
        with pytest.raises(BufferError):
            ba.append(0)
        _buffers.write_back(p, view)
        ba.append(0)
        return
    if _buffers.COPY_MUTABLE:
        assert view is not None  # the private copy, written back after the call
        ba.append(0)  # PyPy 7.3: nothing locks ba, and nothing in C points into it
        with pytest.raises(BufferError):
            _buffers.write_back(p, view)  # the result no longer fits: refused, not written past the end
        return
    with pytest.raises(BufferError):
        ba.append(0)
    with pytest.raises(BufferError):
        del ba[:]
    del p
    gc.collect()
    ba.append(0)  # released with the pointer
    arr = array.array("B", TEXT)
    p, n = _buffers.readable(arr)
    with pytest.raises(BufferError):
        arr.append(0)
    del p


ZERO_KEY = bytes(4)  # masking with it leaves the text valid for the fused calls


@pytest.mark.parametrize(
    "call",
    [
        lambda b: nvx_ws.mask(b, ZERO_KEY),
        lambda b: nvx_ws.mask_inplace(b, ZERO_KEY),
        lambda b: nvx_ws.create_xor_masker(ZERO_KEY, len(b)).process(b),
        lambda b: nvx_ws.is_valid(b),
        lambda b: nvx_ws.Utf8Validator().validate(b),
        lambda b: nvx_ws.unmask_validate(b, ZERO_KEY),
        lambda b: nvx_ws.unmask_validate_inplace(b, ZERO_KEY),
    ],
    ids=["mask", "mask_inplace", "masker", "is_valid", "Utf8Validator", "unmask_validate", "unmask_validate_inplace"],
)
def test_no_lock_outlives_the_call(call):
    """Once a call returns, the caller's buffer is its own again, on every implementation: a bytearray can be
    resized and a memoryview released at once (PyPy 8.0 locks exports as CPython does but ends them only when its
    garbage collector runs, so nvx_ws must release what it took itself)."""
    for size in (16, 100_000):  # below and above the size from which the GIL is released
        ba = bytearray(b"caf\xc3\xa9 " * (size // 6))
        call(ba)
        ba.append(0)
        del ba[:]
        ba = bytearray(b"caf\xc3\xa9 " * (size // 6))
        view = memoryview(ba)
        call(view)
        view.release()
        ba.append(0)


def test_no_freed_handle_is_reachable():
    """The validator's libnvx state is owned by the Python object (caller-allocated, nothing to free), so there is
    no close()/free() to call twice and no dangling handle: even the private state keeps its memory alive, a copy
    is independent, and pickling is refused."""
    v = nvx_ws.Utf8Validator()
    assert not any(hasattr(v, name) for name in ("free", "close", "__del__", "__exit__"))
    v.validate(b"\xe2\x82")
    state = v._state
    twin = copy.copy(v)
    deep = copy.deepcopy(v)
    del v
    gc.collect()
    # The state object alone is still a live validator: mid-code-point at 2 bytes.
    st = ffi.new("nvx_utf8_status *")
    assert lib.nvx_utf8vld_validate_status(state, b"\xac", 1, st) == lib.NVX_STATUS_OK
    assert st.total_index == 3
    # The copies did not see that: each continues on its own.
    assert twin.validate(b"\xac") == (True, True, 1, 3)
    assert deep.validate(b"X") == (False, False, 0, 2)
    with pytest.raises(TypeError):
        pickle.dumps(twin)


def test_raw_lib_refuses_wrong_handles():
    """Through the raw CFFI lib (autobahn's NVX names), handles of the wrong kind are refused, not misread."""
    masker = lib.nvx_xormask_new(KEY)
    try:
        assert lib.nvx_utf8vld_validate(masker, b"abc", 3) == lib.NVX_STATUS_NULL_ARGUMENT
        assert lib.nvx_utf8vld_get_total_index(masker) == (1 << (8 * ffi.sizeof("size_t"))) - 1
        state = ffi.new("nvx_utf8vld_state *")  # zeroed, never initialised
        assert lib.nvx_utf8vld_validate(state, b"abc", 3) == lib.NVX_STATUS_NULL_ARGUMENT
        lib.nvx_utf8vld_init(state)
        lib.nvx_xormask_process(state, ffi.new("uint8_t[]", 4), 4)
        assert lib.nvx_xormask_pointer(state) == (1 << (8 * ffi.sizeof("size_t"))) - 1
        lib.nvx_utf8vld_free(state)  # caller-allocated: recognised, not freed
        assert lib.nvx_utf8vld_validate(state, b"abc", 3) == 0
        assert lib.nvx_xormask_pointer(masker) == 0
    finally:
        lib.nvx_xormask_free(masker)


def test_set_implementation_hostile_names():
    before = nvx_ws.implementation()
    for name in ["", "AVX2", "avx2 ", "x" * 10000, "sse4.1"]:
        with pytest.raises(ValueError):
            nvx_ws.set_implementation(name)
    for name in ["é", "\x00avx2", "\udcff"]:
        with pytest.raises((ValueError, UnicodeEncodeError)):
            nvx_ws.set_implementation(name)
    with pytest.raises((TypeError, AttributeError)):
        nvx_ws.set_implementation(None)
    assert nvx_ws.implementation() == before


@pytest.mark.skipif(sys.maxsize < 1 << 32, reason="64-bit only")
def test_huge_length_through_raw_lib_is_refused():
    buf = ffi.new("uint8_t[]", 16)
    size_max = (1 << 64) - 1
    assert lib.nvx_utf8_validate(buf, size_max, ffi.NULL, ffi.NULL) == lib.NVX_STATUS_NULL_ARGUMENT
    assert lib.nvx_mask(buf, size_max, KEY, 0) == size_max
    assert lib.nvx_mask(buf, 1 << 63, KEY, 0) == size_max
    assert bytes(ffi.buffer(buf)) == bytes(16)
