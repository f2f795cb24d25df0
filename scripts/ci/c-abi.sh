#!/usr/bin/env bash
# The C ABI stage: builds libnvx (ffi/), checks that include/nvx.h is what the pinned cbindgen generates, that
# libnvx.so exports only nvx_* symbols, and runs the C test programs (tests/c/run.sh: test_nvx, test_threads,
# test_hostile) linked statically, dynamically, under ASan+UBSan and under valgrind, test_threads under TSan, plus
# a C++ compile of the header. Installs what it needs (apt: valgrind, g++; cargo: cbindgen into target/tools, about
# 2 minutes the first time). One line per step, with its time.
#
#   bash scripts/ci/c-abi.sh
#   NVX_C_MODES="static asan" bash scripts/ci/c-abi.sh   # a subset of the test modes
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/apt.sh # apt_install

CBINDGEN_VERSION=0.29.4
TARGET_DIR=${CARGO_TARGET_DIR:-target}
TOOLS=$TARGET_DIR/tools
CBINDGEN=$TOOLS/bin/cbindgen
LIBDIR=$TARGET_DIR/release
MODES="${NVX_C_MODES:-static dynamic asan tsan valgrind cxx}"

step() {
    local name=$1
    shift
    local start=$SECONDS
    "$@"
    echo "c-abi: $name: ok ($((SECONDS - start)) s)"
}

install_system_tools() {
    apt_install gcc g++ valgrind binutils
}

install_cbindgen() {
    if [[ -x $CBINDGEN ]] && [[ $($CBINDGEN --version) == "cbindgen $CBINDGEN_VERSION" ]]; then
        return
    fi
    cargo install --locked --quiet cbindgen --version "$CBINDGEN_VERSION" --root "$TOOLS"
}

build() {
    cargo build --locked --release -p nvx-ws-ffi --quiet
    test -f "$LIBDIR/libnvx.a" && test -f "$LIBDIR/libnvx.so"
}

header_is_current() {
    local fresh
    fresh=$(mktemp)
    $CBINDGEN -q --config ffi/cbindgen.toml --crate nvx-ws-ffi --output "$fresh" ffi
    if ! cmp -s "$fresh" include/nvx.h; then
        echo "c-abi: include/nvx.h is stale; regenerate it with:" >&2
        echo "  $CBINDGEN --config ffi/cbindgen.toml --crate nvx-ws-ffi --output include/nvx.h ffi" >&2
        diff -u include/nvx.h "$fresh" >&2 || true
        rm -f "$fresh"
        return 1
    fi
    rm -f "$fresh"
}

exports_only_nvx() {
    local symbols others
    symbols=$(nm -D --defined-only "$LIBDIR/libnvx.so" | awk '{print $3}')
    others=$(grep -v '^nvx_' <<<"$symbols" || true)
    if [[ -n $others ]]; then
        echo "c-abi: libnvx.so exports symbols outside nvx_*:" >&2
        echo "$others" >&2
        return 1
    fi
    echo "c-abi: libnvx.so exports $(wc -l <<<"$symbols") symbols, all nvx_*"
}

total=$SECONDS
step "install apt tools" install_system_tools
step "install cbindgen $CBINDGEN_VERSION" install_cbindgen
step "build libnvx (release)" build
step "header current" header_is_current
step "nm -D exports" exports_only_nvx
for mode in $MODES; do
    step "tests ($mode)" bash tests/c/run.sh "$mode" "$LIBDIR"
done
echo "c-abi: all ok in $((SECONDS - total)) s"
