"""CFFI API-mode builder of ``nvx_ws._nvx``, the Python extension over nvx's C ABI.

    python cffi_build.py                     # cargo builds libnvx, then python/nvx_ws/_nvx.*.so, in place
    pip wheel . -w dist                      # the same through hatchling and hatch_build.py: a platform wheel

The extension links libnvx (``libnvx.a``; ``nvx.lib`` with MSVC) statically, so the installed package needs no
shared library beside it. The cdef is derived from ``include/nvx.h`` by :func:`cdef_from_header`
(``tests/python/test_cdef.py`` checks that the built module agrees with the header). No ``-march`` flag: libnvx
picks its kernel at run time.

Environment (docs/wheels.md):

- ``NVX_LIBDIR``: the directory holding a libnvx built elsewhere (cross builds). Unset, ``cargo build --locked
  --release -p nvx-ws-ffi`` builds it into ``$CARGO_TARGET_DIR`` (default ``target/``) first. Either way a missing
  library or a failed cargo is an error, never a silent fallback to a pure-Python package.
- ``NVX_CARGO``: the cargo to run (default ``cargo``); ``NVX_CARGO_TARGET``: a ``--target`` triple for it.
- ``NVX_LIMITED_API``: ``0`` builds a version-specific CPython wheel instead of the abi3 one (CPython 3.11 and later
  build ``cp311-abi3`` wheels by default; older CPythons and PyPy always build version-specific ones).
- ``NVX_NATIVE_STATIC_LIBS``: overrides the system libraries linked after libnvx (space-separated, e.g.
  ``"-framework Security c m"``), for a platform whose Rust std needs other ones than :data:`NATIVE_STATIC_LIBS`.
"""

import os
import re
import shlex
import subprocess
import sys
import sysconfig
from typing import Any

from cffi import FFI

ROOT = os.path.dirname(os.path.abspath(__file__))
HEADER = os.path.join(ROOT, "include", "nvx.h")

# The oldest CPython the abi3 wheel serves: the wheel tag `cp311-abi3` and the Py_LIMITED_API value.
LIMITED_API_TAG = "cp311"
LIMITED_API_HEX = "0x030B0000"

# What Rust's staticlib needs besides libc, per platform, as
# `cargo rustc -p nvx-ws-ffi --release --crate-type staticlib -- --print native-static-libs` prints it there.
# Linux (printed here): `-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc` (libc implicit). zig answers -lgcc_s with its
# own libunwind, linked in. macOS and Windows (MSVC): what Rust's std links on them (not run here: the CI runners
# build them, docs/wheels.md); unused system libraries cost nothing there.
NATIVE_STATIC_LIBS = {
    "linux": ["gcc_s", "util", "rt", "pthread", "m", "dl"],
    "darwin": ["iconv", "System", "c", "m"],
    "win32": ["kernel32", "advapi32", "bcrypt", "ntdll", "userenv", "ws2_32", "synchronization", "dbghelp"],
}

# The ELF symbols the extension exports: its init function (CPython: PyInit__nvx; PyPy: _cffi_pypyinit__nvx).
# Patterns, so that a linker refusing undefined versions (lld >= 16) accepts the one that is absent.
EXPORTS_MAP = "{\n  global: PyInit_*; _cffi_pypyinit_*;\n  local: *;\n};\n"


def platform_key():
    """``linux``, ``darwin`` or ``win32``: which platform's link conventions apply (other ELF systems: linux)."""
    if sys.platform == "win32" or sys.platform == "darwin":
        return sys.platform
    return "linux"


def cdef_from_header(text):
    """The declarations of ``nvx.h`` as CFFI's ``cdef`` takes them.

    Drops comments, the ``__cplusplus`` blocks, every preprocessor line except ``#define NAME <integer>``
    (CFFI reads those as integer constants) and the ``NVX_ALIGNED(n)`` alignment attributes (the C compiler that
    builds the module sees them). Whatever else is left is the header's C, unchanged.
    """
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\bNVX_ALIGNED\(\d+\)\s*", "", text)
    text = re.sub(r"//[^\n]*", "", text)
    out = []
    skipping = 0  # depth inside `#ifdef __cplusplus` ... `#endif`
    depth = 0  # depth of other conditionals
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            directive = stripped[1:].strip()
            if skipping:
                if directive.startswith(("if", "ifdef", "ifndef")):
                    skipping += 1
                elif directive.startswith("endif"):
                    skipping -= 1
                continue
            if re.match(r"ifdef\s+__cplusplus\b", directive):
                skipping = 1
            elif directive.startswith(("if", "ifdef", "ifndef")):
                depth += 1
            elif directive.startswith("endif"):
                depth -= 1
            elif re.match(r"define\s+NVX_\w+\s+-?\d+\s*$", directive):
                out.append("#" + directive)
            continue
        if not skipping and stripped:
            out.append(line.rstrip())
    if skipping or depth:
        raise SystemExit("cffi_build.py: unbalanced conditionals in %s" % HEADER)
    return "\n".join(out) + "\n"


def _msvc():
    return platform_key() == "win32" and "GCC" not in sys.version


def libnvx_name():
    """``nvx.lib`` for MSVC, ``libnvx.a`` everywhere else (Rust's staticlib naming)."""
    return "nvx.lib" if _msvc() else "libnvx.a"


def cargo_libdir():
    """Where ``cargo build --release -p nvx-ws-ffi`` leaves libnvx (honouring CARGO_TARGET_DIR, NVX_CARGO_TARGET)."""
    target_dir = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    if not os.path.isabs(target_dir):
        target_dir = os.path.join(ROOT, target_dir)
    triple = os.environ.get("NVX_CARGO_TARGET")
    return os.path.join(target_dir, triple, "release") if triple else os.path.join(target_dir, "release")


def libnvx_path():
    """The static library to link: in ``NVX_LIBDIR`` if set, else where cargo builds it (it may not exist yet)."""
    return os.path.join(os.environ.get("NVX_LIBDIR") or cargo_libdir(), libnvx_name())


def _fail(message):
    sys.stderr.write("cffi_build.py: %s\n" % message)
    raise SystemExit(1)


def build_libnvx():
    """Makes sure libnvx exists: runs cargo unless ``NVX_LIBDIR`` supplies it; exits loudly on any failure."""
    if not os.environ.get("NVX_LIBDIR"):
        cargo = os.environ.get("NVX_CARGO") or "cargo"
        cmd = [cargo, "build", "--locked", "--release", "-p", "nvx-ws-ffi"]
        if os.environ.get("NVX_CARGO_TARGET"):
            cmd += ["--target", os.environ["NVX_CARGO_TARGET"]]
        sys.stderr.write("cffi_build.py: %s\n" % " ".join(cmd))
        sys.stderr.flush()
        try:
            rc = subprocess.call(cmd, cwd=ROOT)
        except OSError as e:
            _fail(
                "cannot run %s (%s): install Rust (https://rustup.rs) or set NVX_LIBDIR to a built libnvx" % (cargo, e)
            )
        if rc != 0:
            _fail("%s failed (exit status %d): the native part of nvx_ws did not build" % (" ".join(cmd), rc))
    path = libnvx_path()
    if not os.path.isfile(path):
        _fail("%s is missing.\nBuild it: cargo build --release -p nvx-ws-ffi (or set NVX_LIBDIR)." % path)
    return path


def limited_api_default():
    """True where the abi3 wheel is built: CPython 3.11 or later, not a debug or free-threaded build."""
    return (
        sys.implementation.name == "cpython"
        and sys.version_info >= (3, 11)
        and not hasattr(sys, "gettotalrefcount")
        and not sysconfig.get_config_var("Py_GIL_DISABLED")
        and os.environ.get("NVX_LIMITED_API", "1") != "0"
    )


def _exports_map():
    """A linker version script exporting the init function alone (written once under build/)."""
    path = os.path.join(ROOT, "build", "nvx_exports.map")
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="ascii") as f:
            f.write(EXPORTS_MAP)
    except OSError:
        import tempfile

        fd, path = tempfile.mkstemp(prefix="nvx_exports", suffix=".map")
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(EXPORTS_MAP)
    return path


def link_args():
    """Linker flags per platform, each only where the linker takes it."""
    key = platform_key()
    if key == "win32":
        return ["/OPT:REF", "/OPT:ICF"] if _msvc() else ["-Wl,--gc-sections"]
    if key == "darwin":
        return ["-Wl,-dead_strip"]
    # GNU ld, gold, lld, zig: export the init function alone (libnvx's symbols stay private to the extension:
    # autobahn's own NVX modules export the same names), drop the parts of libnvx the extension does not reach,
    # and its debug info (2 MB -> a few hundred kB). A version script rather than --exclude-libs: zig takes no
    # --exclude-libs, and the script also hides the unwinder and compiler runtime zig links in.
    return ["-Wl,--version-script=" + _exports_map(), "-Wl,--gc-sections", "-Wl,--strip-debug"]


def native_static_libs():
    override = os.environ.get("NVX_NATIVE_STATIC_LIBS")
    if override is None:
        return NATIVE_STATIC_LIBS[platform_key()], []
    libraries, extra = [], []
    words = shlex.split(override)
    while words:
        word = words.pop(0)
        if word == "-framework" and words:
            extra += ["-framework", words.pop(0)]
        else:
            libraries.append(word[2:] if word.startswith("-l") else word)
    return libraries, extra


# Calls into libnvx from CPython keep the GIL unless they work on at least this many bytes (docs/python.md, "Threads
# and the GIL", has the measurement behind the number). The module carries it as lib.NVX_PY_GIL_RELEASE_MIN_BYTES.
GIL_RELEASE_MIN_BYTES = 65536

# The functions of nvx.h whose work grows with their input, and which argument is that input's length: from
# GIL_RELEASE_MIN_BYTES bytes up, CPython calls them with the GIL released.
LONG_CALLS = {
    "nvx_utf8_validate": "len",
    "nvx_utf8vld_validate": "length",
    "nvx_utf8vld_validate_status": "length",
    "nvx_mask": "len",
    "nvx_mask_to": "src_len",
    "nvx_xormask_process": "length",
    "nvx_xormask_process_to": "src_len",
    "nvx_unmask_validate": "len",
    "nvx_unmask_validate_to": "src_len",
    "nvx_utf8vld_unmask_validate": "length",
}


# What the module declares beyond nvx.h: the threshold above, so that Python (tests/python/test_gil.py) reads the
# value the module was built with.
PRIVATE_CDEF = "#define NVX_PY_GIL_RELEASE_MIN_BYTES %d\n" % GIL_RELEASE_MIN_BYTES


def _declarations(cdef):
    """``{name: (return type, [(parameter type, parameter name), ...])}`` of the functions in ``cdef``."""
    out = {}
    for m in re.finditer(r"(?:^|(?<=[;}]))\s*([^;{}()]*?)\b(nvx_\w+)\s*\(([^)]*)\)\s*;", cdef, flags=re.S):
        params = []
        for param in m.group(3).split(","):
            param = " ".join(param.split())
            if param and param != "void":
                name = re.findall(r"\w+", param)[-1]
                params.append((param[: -len(name)].strip(), name))
        out[m.group(2)] = (" ".join(m.group(1).split()), params)
    return out


def preamble(cdef):
    """The C that precedes CFFI's generated wrappers in ``_nvx.c``: nvx.h, then how CPython calls into libnvx.

    CFFI wraps every call in ``Py_BEGIN_ALLOW_THREADS`` / ``Py_END_ALLOW_THREADS``, and saves and restores ``errno``
    around it. For a 16-byte message that is most of the cost of the call and buys nothing: libnvx reports through
    its return values, never ``errno``, and releasing the GIL for a call shorter than the release itself lets no
    other thread do anything useful. So on CPython the generated wrappers keep the GIL (the two macros become plain
    braces; they are defined by Python.h, which comes first) and skip ``errno``; the functions of
    :data:`LONG_CALLS` are routed (a function-like macro of the same name, which the wrappers' calls expand) to a
    ``static`` helper that releases the GIL itself when the length argument is at least
    :data:`GIL_RELEASE_MIN_BYTES`. The helpers are private to the extension: the module's functions, their names
    and their C types are nvx.h's (tests/python/test_cdef.py), and ``tests/python/test_gil.py`` shows which calls
    release the GIL. PyPy calls C functions directly and releases its GIL around each call itself: nothing changes
    there.
    """
    decls = _declarations(cdef)
    lines = [
        '#include "nvx.h"',
        "#define NVX_PY_GIL_RELEASE_MIN_BYTES %d" % GIL_RELEASE_MIN_BYTES,
        "#ifndef PYPY_VERSION",
        "#undef Py_BEGIN_ALLOW_THREADS",
        "#undef Py_END_ALLOW_THREADS",
        "#define Py_BEGIN_ALLOW_THREADS {",
        "#define Py_END_ALLOW_THREADS }",
        "#undef _cffi_restore_errno",
        "#undef _cffi_save_errno",
        "#define _cffi_restore_errno() ((void)0)",
        "#define _cffi_save_errno() ((void)0)",
    ]
    for name, length in LONG_CALLS.items():
        ret, params = decls[name]
        names = [p for _, p in params]
        if length not in names:
            raise SystemExit("cffi_build.py: %s has no parameter %r any more (LONG_CALLS)" % (name, length))
        args = ", ".join(names)
        assign = "" if ret == "void" else "result = "
        call = "%s(%s)(%s);" % (assign, name, args)  # parenthesised: the function itself, not the macro below
        lines += [
            "static %s nvx_py_%s(%s)" % (ret, name[4:], ", ".join("%s %s" % p for p in params)),
            "{",
            "" if ret == "void" else "    %s result;" % ret,
            "    if (%s < (size_t)NVX_PY_GIL_RELEASE_MIN_BYTES) {" % length,
            "        " + call,
            "    } else {",
            "        PyThreadState *save = PyEval_SaveThread();",
            "        " + call,
            "        PyEval_RestoreThread(save);",
            "    }",
            "" if ret == "void" else "    return result;",
            "}",
            "#define %s(%s) nvx_py_%s(%s)" % (name, args, name[4:], args),
        ]
    lines.append("#endif")
    return "\n".join(line for line in lines if line) + "\n"


def make_ffi(limited_api=None, require_lib=True):
    """The FFI builder of ``nvx_ws._nvx``.

    ``limited_api``: build against CPython's limited API (the module is then ``_nvx.abi3.so``); None: where
    :func:`limited_api_default` says so. ``require_lib``: exit loudly when libnvx is missing (the setuptools path
    passes False: metadata needs no library, and its build runs :func:`build_libnvx` first).
    """
    if limited_api is None:
        limited_api = limited_api_default()
    with open(HEADER, encoding="utf-8") as f:
        header = f.read()
    lib = libnvx_path()
    if require_lib and not os.path.isfile(lib):
        _fail("%s is missing.\nBuild it: cargo build --release -p nvx-ws-ffi (or set NVX_LIBDIR)." % lib)
    libraries, extra_link = native_static_libs()
    kwds: dict[str, Any] = {}
    if sys.implementation.name == "cpython":
        kwds["py_limited_api"] = bool(limited_api)
        if limited_api:
            kwds["define_macros"] = [("Py_LIMITED_API", LIMITED_API_HEX)]
    cdef = cdef_from_header(header)
    ffi = FFI()
    ffi.cdef(cdef + PRIVATE_CDEF)
    ffi.set_source(
        "nvx_ws._nvx",
        preamble(cdef),
        include_dirs=[os.path.join(ROOT, "include")],
        extra_objects=[lib],
        libraries=libraries,
        extra_link_args=link_args() + extra_link,
        **kwds,
    )
    return ffi


def build_in_place(verbose=False):
    """libnvx, then ``python/nvx_ws/_nvx.<cache tag>.so`` next to the package sources (intermediates in
    ``build/cffi/<tag>``): version-specific, so that every interpreter's build can sit side by side. What
    ``python cffi_build.py`` and an editable install (``pip install -e .``, hatch_build.py) run; wheels are abi3."""
    import shutil

    build_libnvx()
    tmpdir = os.path.join(ROOT, "build", "cffi", sys.implementation.cache_tag)
    built = make_ffi(limited_api=False).compile(tmpdir=tmpdir, verbose=verbose)
    target = os.path.join(ROOT, "python", "nvx_ws", os.path.basename(built))
    shutil.copy2(built, target)
    return target


# The build backend is hatchling (pyproject.toml); hatch_build.py, its build hook, runs build_libnvx, make_ffi and
# build_in_place above.


if __name__ == "__main__":
    print("built %s" % os.path.relpath(build_in_place(verbose="-v" in sys.argv), ROOT))
