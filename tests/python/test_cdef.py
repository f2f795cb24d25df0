"""The built extension agrees with include/nvx.h: every function with its exact type, every constant, the structs."""

import os
import re
import sys

import pytest
from cffi import FFI

from nvx_ws._nvx import ffi, lib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
import cffi_build  # noqa: E402

with open(os.path.join(ROOT, "include", "nvx.h"), encoding="utf-8") as _f:
    HEADER = _f.read()
CDEF = cffi_build.cdef_from_header(HEADER)
# Function declarations found in the raw header by a pattern independent of cdef_from_header.
DECLARED = re.findall(r"^[A-Za-z_][\w \*]*?\b(nvx_\w+)\(", HEADER, flags=re.M)


def header_ffi():
    fresh = FFI()
    fresh.cdef(CDEF)
    return fresh


def test_cdef_is_plain_c():
    assert "/*" not in CDEF and "//" not in CDEF and 'extern "C"' not in CDEF
    assert all(line.startswith("#define NVX_") for line in CDEF.splitlines() if line.startswith("#"))


def test_every_header_function_is_in_the_cdef_and_the_module():
    assert len(DECLARED) >= 25 and len(set(DECLARED)) == len(DECLARED)
    in_cdef = re.findall(r"\b(nvx_\w+)\(", CDEF)
    assert sorted(in_cdef) == sorted(DECLARED)
    exported = {name for name in dir(lib) if name.startswith("nvx_")}
    assert exported == set(DECLARED)


@pytest.mark.parametrize("name", DECLARED)
def test_function_types_agree(name):
    fresh = header_ffi()
    decl = re.search(r"(^|;|\})\s*([^;{}]*?)\b%s\s*\(([^)]*)\)\s*;" % name, CDEF, flags=re.S)
    ret, params = decl.group(2).strip(), decl.group(3)
    expected = fresh.typeof("%s (*)(%s)" % (ret, params))
    assert ffi.typeof(getattr(lib, name)).cname == expected.cname


def test_constants_and_layouts_agree():
    fresh = header_ffi()
    constants = re.findall(r"\b(NVX_\w+)\s*=\s*(-?\d+)", CDEF) + re.findall(r"#define (NVX_\w+) (-?\d+)", CDEF)
    assert len(constants) >= 9
    for name, value in constants:
        assert getattr(lib, name) == int(value), name
    for struct in ("nvx_utf8vld_state", "nvx_utf8_status"):
        assert ffi.sizeof(struct) == fresh.sizeof(struct)
        assert ffi.alignof(struct) == fresh.alignof(struct)
    for field in ("valid", "ends_on_codepoint", "current_index", "total_index"):
        assert ffi.offsetof("nvx_utf8_status", field) == fresh.offsetof("nvx_utf8_status", field)
    assert ffi.sizeof("nvx_utf8vld_state") == 128


def test_header_and_library_versions_agree():
    loaded = ffi.string(lib.nvx_version()).decode()
    assert loaded == "%d.%d.%d" % (lib.NVX_VERSION_MAJOR, lib.NVX_VERSION_MINOR, lib.NVX_VERSION_PATCH)


def test_type_stub_lists_every_function():
    with open(os.path.join(ROOT, "python", "nvx_ws", "_nvx.pyi"), encoding="utf-8") as f:
        stub = f.read()
    assert sorted(re.findall(r"def (nvx_\w+)\(", stub)) == sorted(DECLARED)


def test_module_adds_only_its_private_threshold():
    """Beyond nvx.h the module declares one name, the GIL threshold of its preamble (cffi_build.PRIVATE_CDEF); the
    preamble's helpers are static C, not functions of the module."""
    header_names = set(DECLARED)
    constants = set(re.findall(r"\b(NVX_\w+)\s*=", CDEF)) | set(re.findall(r"#define (NVX_\w+) ", CDEF))
    extra = set(dir(lib)) - header_names - constants
    assert extra == {"NVX_PY_GIL_RELEASE_MIN_BYTES"}
    assert lib.NVX_PY_GIL_RELEASE_MIN_BYTES == cffi_build.GIL_RELEASE_MIN_BYTES
    assert not any(name.startswith("nvx_py_") for name in dir(lib))
