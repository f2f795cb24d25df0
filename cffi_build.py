"""CFFI API-mode builder of ``nvx_ws._nvx``, the Python extension over nvx's C ABI.

    cargo build --release -p nvx-ws-ffi      # target/release/libnvx.a
    python cffi_build.py                     # python/nvx_ws/_nvx.*.so, in place

The extension links ``libnvx.a`` statically, so the installed package needs no shared library beside it. The cdef
is derived from ``include/nvx.h`` by :func:`cdef_from_header` (``tests/python/test_cdef.py`` checks that the built
module agrees with the header). No ``-march`` flag: libnvx picks its kernel at run time.

Environment: ``NVX_LIBDIR`` overrides the directory holding ``libnvx.a`` (default ``$CARGO_TARGET_DIR/release``,
``target/release``). A missing ``libnvx.a`` is an error, never a silent fallback.
"""

import os
import re
import sys

from cffi import FFI

ROOT = os.path.dirname(os.path.abspath(__file__))
HEADER = os.path.join(ROOT, "include", "nvx.h")

# What Rust's staticlib needs besides libc on Linux, as
# `cargo rustc -p nvx-ws-ffi --release --crate-type staticlib -- --print native-static-libs` prints it
# (`-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc`, libc being implicit).
NATIVE_STATIC_LIBS = ["gcc_s", "util", "rt", "pthread", "m", "dl"]


def cdef_from_header(text):
    """The declarations of ``nvx.h`` as CFFI's ``cdef`` takes them.

    Drops comments, the ``__cplusplus`` blocks and every preprocessor line except ``#define NAME <integer>``
    (CFFI reads those as integer constants). Whatever else is left is the header's C, unchanged.
    """
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
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


def libnvx_path():
    """The static library to link, or a loud exit when it is missing."""
    libdir = os.environ.get("NVX_LIBDIR") or os.path.join(
        os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target"), "release"
    )
    path = os.path.join(libdir, "libnvx.a")
    if not os.path.isfile(path):
        sys.stderr.write(
            "cffi_build.py: %s is missing.\n"
            "Build it first: cargo build --release -p nvx-ws-ffi (or set NVX_LIBDIR).\n" % path
        )
        raise SystemExit(1)
    return path


def make_ffi():
    with open(HEADER, encoding="utf-8") as f:
        header = f.read()
    ffi = FFI()
    ffi.cdef(cdef_from_header(header))
    ffi.set_source(
        "nvx_ws._nvx",
        '#include "nvx.h"\n',
        include_dirs=[os.path.join(ROOT, "include")],
        extra_objects=[libnvx_path()],
        libraries=NATIVE_STATIC_LIBS,
        # Keep libnvx's symbols private to the extension (autobahn's own NVX modules export the same names),
        # drop the parts of libnvx the extension does not reach, and its debug info (2 MB -> a few hundred kB).
        extra_link_args=["-Wl,--exclude-libs,ALL", "-Wl,--gc-sections", "-Wl,--strip-debug"],
    )
    return ffi


# setuptools' `cffi_modules = ["cffi_build.py:ffi"]` runs this file as `__cffi__` and reads `ffi`; importing it
# (the tests do, for cdef_from_header) builds nothing.
if __name__ == "__cffi__":
    ffi = make_ffi()

if __name__ == "__main__":
    # In place: python/nvx_ws/_nvx.<abi>.so next to the package sources (intermediates in build/cffi/<tag>).
    import shutil

    tmpdir = os.path.join(ROOT, "build", "cffi", sys.implementation.cache_tag)
    built = make_ffi().compile(tmpdir=tmpdir, verbose="-v" in sys.argv)
    target = os.path.join(ROOT, "python", "nvx_ws", os.path.basename(built))
    shutil.copy2(built, target)
    print("built %s" % os.path.relpath(target, ROOT))


# PEP 517 build backend (pyproject.toml: `build-backend = "cffi_build"`, `backend-path = ["."]`): setuptools'
# own, with the one thing a pyproject-only setuptools project cannot say: `cffi_modules`. `pip wheel .` then
# compiles nvx_ws._nvx through the `ffi` above into a platform wheel, or fails loudly without libnvx.a.
def _setuptools_backend():
    from setuptools import build_meta

    class Backend(build_meta._BuildMetaBackend):
        def run_setup(self, setup_script="setup.py"):
            from setuptools import setup

            setup(cffi_modules=["cffi_build.py:ffi"])

    return Backend()


def get_requires_for_build_wheel(config_settings=None):
    return _setuptools_backend().get_requires_for_build_wheel(config_settings)


def get_requires_for_build_sdist(config_settings=None):
    return _setuptools_backend().get_requires_for_build_sdist(config_settings)


def get_requires_for_build_editable(config_settings=None):
    return _setuptools_backend().get_requires_for_build_editable(config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    return _setuptools_backend().prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    return _setuptools_backend().prepare_metadata_for_build_editable(metadata_directory, config_settings)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _setuptools_backend().build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _setuptools_backend().build_editable(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    return _setuptools_backend().build_sdist(sdist_directory, config_settings)
