#!/usr/bin/env bash
# Cross-builds a Linux aarch64 wheel on this x86_64 host into dist/, from its x86_64 twin in dist/:
#
#   bash scripts/wheels/cross.sh abi3    # nvx_ws-*-cp311-abi3-manylinux_2_28_aarch64.whl
#   bash scripts/wheels/cross.sh pp311   # nvx_ws-*-pp311-pypy311_pp73-manylinux_2_28_aarch64.whl
#
# 1. libnvx.a for aarch64-unknown-linux-gnu: Debian's cargo and rustc 1.96 with their aarch64 std (rustup's
#    toolchain has none here), the staticlib alone (no cross linker needed), in target/wheels-aarch64.
# 2. The extension's C source and its compile and link flags from cffi_build.make_ffi(), as the build backend uses
#    them, emitted by the interpreter family's own cffi: for abi3 the tools venv's CPython 3.11 (limited API 3.11);
#    for pp311 PyPy 3.11 x86_64 from target/roots/trixie-amd64, whose cffi (built into PyPy, the code it generates
#    must match) is checked to be byte for byte the one of the aarch64 PyPy in target/roots/trixie-arm64.
# 3. Compiled and linked by scripts/wheels/zig-cc for aarch64-linux-gnu.2.28 against the headers of the aarch64
#    interpreter: CPython 3.11's from target/roots/bookworm-arm64 (only its aarch64-linux-gnu/python3.11 directory
#    besides: the root's glibc 2.36 headers must not shadow zig's 2.28 ones), PyPy's from target/roots/trixie-arm64.
# 4. scripts/wheels/cross_wheel.py: the x86_64 twin's files and metadata (the build backend's own), this extension
#    in place of the twin's, the manylinux_2_28_aarch64 tag. verify.py checks the result like every wheel.
#
# Installs what it needs (apt: rustc-web cargo-web libstd-rust-web-dev:arm64 binutils-aarch64-linux-gnu; the
# roots by scripts/roots/make.sh). No emulation: nothing aarch64 runs here (the matrix tests the wheel).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/wheels/common.sh
KIND=${1:?usage: cross.sh abi3|pp311}
TARGET=aarch64-unknown-linux-gnu
PLATFORM=manylinux_2_28_aarch64
BUILD=target/wheels-aarch64
OUT=$BUILD/$KIND
LIBDIR=$PWD/$BUILD/$TARGET/release
log=$BUILD/$KIND.log

case $KIND in
abi3)
    TAG=cp311-abi3-$PLATFORM
    TWIN=$(ls dist/nvx_ws-*-cp311-abi3-manylinux_*_x86_64.whl)
    ROOTS=(bookworm-arm64)
    EMITTER=$TOOLS_VENV/bin/python
    MODULE=_nvx.abi3.so
    ;;
pp311)
    TAG=pp311-pypy311_pp73-$PLATFORM
    TWIN=$(ls dist/nvx_ws-*-pp311-pypy311_pp73-manylinux_*_x86_64.whl)
    ROOTS=(trixie-amd64 trixie-arm64)
    EMITTER=target/roots/trixie-amd64/usr/bin/pypy3.11
    MODULE=_nvx.pypy311-pp73-aarch64-linux-gnu.so
    ;;
*)
    echo "cross.sh: abi3 or pp311, not '$KIND'" >&2
    exit 2
    ;;
esac

apt_install rustc-web cargo-web libstd-rust-web-dev:arm64 binutils-aarch64-linux-gnu
bash scripts/roots/make.sh "${ROOTS[@]}"
tools_venv
mkdir -p "$BUILD"

# 1. libnvx.a
RUSTC=/usr/bin/rustc CARGO_TERM_COLOR=never /usr/bin/cargo rustc --locked -q -p nvx-ws-ffi --lib --release \
    --target "$TARGET" --target-dir "$BUILD" --crate-type staticlib
echo "   libnvx.a ($TARGET, $(/usr/bin/rustc --version)): $(stat -c %s "$LIBDIR/libnvx.a") bytes"

# 2. C source and flags
rm -rf "$OUT" && mkdir -p "$OUT/include"
if [[ $KIND == abi3 ]]; then
    pyinc=target/roots/bookworm-arm64/usr/include/python3.11
    # Debian's pyconfig.h includes <aarch64-linux-gnu/python3.11/pyconfig.h>: that directory alone is made visible.
    mkdir -p "$OUT/include/aarch64-linux-gnu"
    ln -s "$PWD/target/roots/bookworm-arm64/usr/include/aarch64-linux-gnu/python3.11" \
        "$OUT/include/aarch64-linux-gnu/python3.11"
    limited=True
else
    pyinc=target/roots/trixie-arm64/usr/include/pypy3.11
    if ! diff -r target/roots/trixie-amd64/usr/lib/pypy3.11/cffi target/roots/trixie-arm64/usr/lib/pypy3.11/cffi \
        -x __pycache__ >/dev/null; then
        echo "cross.sh: the x86_64 and aarch64 PyPy of trixie carry different cffi packages" >&2
        exit 1
    fi
    limited=None
fi
NVX_LIBDIR=$LIBDIR "$EMITTER" - "$OUT/_nvx.c" "$OUT/flags" "$limited" >"$log" 2>&1 <<'PY' || { cat "$log"; exit 1; }
import sys

sys.path.insert(0, ".")
import cffi_build

c_file, flags_file, limited = sys.argv[1:]
ffi = cffi_build.make_ffi(limited_api={"True": True, "None": None}[limited])
ffi.emit_c_code(c_file)
kwds = ffi._assigned_source[3]  # what make_ffi() gave ffi.set_source()
flags = ["-D%s" % k if v is None else "-D%s=%s" % (k, v) for k, v in kwds.get("define_macros", [])]
flags += ["-I" + d for d in kwds.get("include_dirs", [])] + [c_file] + kwds.get("extra_objects", [])
flags += ["-l" + lib for lib in kwds.get("libraries", [])] + kwds.get("extra_link_args", [])
with open(flags_file, "w") as f:
    f.write("\n".join(flags) + "\n")
PY
mapfile -t flags <"$OUT/flags"
if [[ $KIND == abi3 ]] && ! printf '%s\n' "${flags[@]}" | grep -q '^-DPy_LIMITED_API='; then
    echo "cross.sh: make_ffi(limited_api=True) gave no Py_LIMITED_API" >&2
    exit 1
fi
echo "   flags from cffi_build.make_ffi() ($("$EMITTER" -c 'import sys, cffi; print(sys.implementation.name, "cffi", cffi.__version__)')):" \
    "${flags[*]//$PWD\//}"

# 3. compile and link
NVX_ZIG=$(zig_path) NVX_ZIG_TARGET=aarch64-linux-gnu.2.28 scripts/wheels/zig-cc -shared -fPIC -O2 \
    -I"$pyinc" -I"$OUT/include" "${flags[@]}" -o "$OUT/$MODULE" >"$log" 2>&1 || { cat "$log"; exit 1; }
echo "   $MODULE: $(stat -c %s "$OUT/$MODULE") bytes"

# 4. the wheel
rm -f dist/nvx_ws-*-"$TAG".whl
wheel=$("$TOOLS_VENV/bin/python" scripts/wheels/cross_wheel.py --template "$TWIN" --so "$OUT/$MODULE" --tag "$TAG" \
    --out dist)
echo "   $wheel: $(stat -c %s "$wheel") bytes (from $(basename "$TWIN"))"
