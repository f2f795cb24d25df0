#!/usr/bin/env bash
# The conformance stage: the Autobahn|Testsuite (wstest -m fuzzingclient, Python 2.7) on loopback against autobahn
# 26.10.2's asyncio echo server switched to nvx by nvx_ws.autobahn.install(), on CPython 3.11 and on PyPy 3.11
# (integrations/autobahn/conformance/: the server asserts that nvx's validator and maskers are the ones in use; the
# driver fails on any case that does not end OK, NON-STRICT or INFORMATIONAL with behaviorClose OK or
# INFORMATIONAL, and prints its id). Installs what it needs by name: wstest into .venv-wstest (pyenv's CPython 2.7,
# virtualenv 20.15, requirements-wstest.txt; about 50 s the first time, wsaccel is built with gcc), autobahn into
# .venv-conformance (CPython 3.11, requirements.txt; about 25 s) and into .venv-conformance-pypy (PyPy 3.11, 7.3.19,
# Debian trixie's from target/roots/trixie-amd64, scripts/roots/make.sh; requirements-pypy.txt, by uv), builds
# libnvx (release) and nvx_ws._nvx in place for both interpreters, and runs the servers on a copy of python/nvx_ws
# in target/conformance/python. Prints each server's summary and each step's time; reports (HTML and JSON) go to
# target/conformance/<cases>/reports.
#
#   bash scripts/ci/conformance.sh           # ci: cases 1-7, 9, 10 (301) against nvx on CPython and on PyPy
#   bash scripts/ci/conformance.sh bench     # the same cases against nvx, autobahn's NVX and autobahn's pure
#                                            # Python, on CPython and on PyPy, in one wstest run, then the 9.*
#                                            # durations side by side (a benchmark, not a test)
#   bash scripts/ci/conformance.sh deflate   # cases 12.* and 13.* (permessage-deflate, 216) against nvx; ~35 min
#   bash scripts/ci/conformance.sh all       # bench, then deflate
#   NVX_CONFORMANCE=bench bash scripts/ci/conformance.sh    # the mode from the environment
#
# Exit status: 0 when every case passed, 1 when a case failed, 2 when the harness failed (a server's check, a
# crash, wstest itself), anything else from a failed install or build.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/apt.sh    # apt_install
source scripts/lib/python.sh # pyenv_python, uv_path

MODE=${1:-${NVX_CONFORMANCE:-ci}}
HERE=integrations/autobahn/conformance
TARGET_DIR=${CARGO_TARGET_DIR:-target}
OUT=$TARGET_DIR/conformance
WSTEST_VENV=.venv-wstest
SERVER_VENV=.venv-conformance
PYPY_VENV=.venv-conformance-pypy
PYPY=target/roots/trixie-amd64/usr/bin/pypy3.11
VIRTUALENV_VERSION=20.15.1 # the 20.15 line still runs on Python 2.7 and seeds a pip that works there
export NVX_LIBDIR=$PWD/$TARGET_DIR/release

case $MODE in
    ci | bench | deflate | all) ;;
    *) echo "conformance: unknown mode '$MODE' (ci, bench, deflate, all)" >&2; exit 64 ;;
esac

step() {
    local name=$1
    shift
    local start=$SECONDS
    "$@"
    echo "conformance: $name: ok ($((SECONDS - start)) s)"
}

# fresh VENV REQUIREMENTS: whether VENV was installed from exactly this requirements file.
fresh() { [[ -f $1/.requirements.sha256 ]] && sha256sum --status -c "$1/.requirements.sha256"; }
stamp() { sha256sum "$2" >"$1/.requirements.sha256"; }

wstest_venv() {
    local requirements=$HERE/requirements-wstest.txt
    fresh "$WSTEST_VENV" && return
    apt_install gcc # wsaccel
    local py27 bootstrap=$OUT/virtualenv-$VIRTUALENV_VERSION-py27
    py27=$(pyenv_python 2.7)
    # virtualenv goes into a directory of its own, not into pyenv's interpreter.
    if [[ ! -d $bootstrap/virtualenv ]]; then
        PIP_NO_PYTHON_VERSION_WARNING=1 "$py27" -m pip install -q --disable-pip-version-check --target "$bootstrap" \
            "virtualenv==$VIRTUALENV_VERSION"
    fi
    rm -rf "$WSTEST_VENV"
    PYTHONPATH=$bootstrap "$py27" -m virtualenv -q "$WSTEST_VENV"
    PIP_NO_PYTHON_VERSION_WARNING=1 "$WSTEST_VENV/bin/python" -m pip install -q --disable-pip-version-check \
        -r "$requirements"
    stamp "$WSTEST_VENV" "$requirements"
}

server_venv() {
    local requirements=$HERE/requirements.txt
    fresh "$SERVER_VENV" && return
    rm -rf "$SERVER_VENV"
    "$(pyenv_python 3.11)" -m venv "$SERVER_VENV"
    # Wheels only: autobahn's stock wheel carries its compiled NVX, the peer of the bench.
    "$SERVER_VENV/bin/python" -m pip install -q --disable-pip-version-check --only-binary :all: -r "$requirements"
    stamp "$SERVER_VENV" "$requirements"
}

# The PyPy 3.11 servers' venv: Debian trixie's PyPy from its root (scripts/roots/make.sh), autobahn's pp311 wheel.
pypy_venv() {
    local requirements=$HERE/requirements-pypy.txt uv
    bash scripts/roots/make.sh trixie-amd64
    fresh "$PYPY_VENV" && return
    uv=$(uv_path)
    rm -rf "$PYPY_VENV"
    "$uv" venv -q --python "$PYPY" "$PYPY_VENV"
    "$uv" pip install -q --python "$PYPY_VENV/bin/python" --only-binary autobahn -r "$requirements"
    stamp "$PYPY_VENV" "$requirements"
}

build_libnvx() { cargo build --locked --release -q -p nvx-ws-ffi; }

# build_extension VENV SUFFIX: nvx_ws._nvx for a server's interpreter, in python/ (as scripts/ci/python.sh builds
# it), rebuilt when libnvx.a or the header is newer than it.
build_extension() {
    local venv=$1 so
    so=$(compgen -G "python/nvx_ws/_nvx.$2-*.so" || true)
    if [[ -n $so && $so -nt $NVX_LIBDIR/libnvx.a && $so -nt include/nvx.h ]]; then
        return
    fi
    "$venv/bin/python" cffi_build.py
}

# The run's own copy of the package, so that rebuilding python/nvx_ws/_nvx.*.so meanwhile (scripts/ci/python.sh, a
# developer) cannot rewrite the library under a running server: that crashes it (seen here: SIGSEGV).
stage_package() {
    rm -rf "$OUT/python"
    mkdir -p "$OUT/python"
    cp -a python/nvx_ws "$OUT/python/"
}

# fuzzingclient CASES [driver options...]: the driver, on the server venv's interpreter, with the staged nvx_ws.
fuzzingclient() {
    local cases=$1
    shift
    PYTHONPATH=$PWD/$OUT/python "$SERVER_VENV/bin/python" "$HERE/fuzzingclient.py" --cases "$cases" \
        --wstest "$WSTEST_VENV/bin/wstest" --pypy "$PWD/$PYPY_VENV/bin/python" --outdir "$OUT/$cases" "$@"
}

ci() { step "cases 1-7, 9, 10 against nvx on CPython 3.11 and PyPy 3.11" fuzzingclient ci --impl nvx --impl pypy-nvx; }

bench() {
    step "cases 1-7, 9, 10 against nvx, autobahn NVX, pure Python on CPython and PyPy" \
        fuzzingclient ci --impl nvx --impl autobahn-nvx --impl python --impl pypy-nvx --impl pypy-autobahn-nvx \
        --impl pypy-python --table
    echo "conformance: 9.* table in $OUT/ci/cases-9.md: wstest's duration per case (onOpen to close), and the CPU" \
        "time the echo server and wstest used meanwhile"
}

deflate() { step "cases 12, 13 (permessage-deflate) against nvx" fuzzingclient deflate --impl nvx; }

mkdir -p "$OUT"
step "wstest (Autobahn|Testsuite 25.10.1, Python 2.7) in $WSTEST_VENV" wstest_venv
step "autobahn 26.10.2 (CPython 3.11) in $SERVER_VENV" server_venv
step "autobahn 26.10.2 (PyPy 3.11) in $PYPY_VENV" pypy_venv
step "libnvx (release)" build_libnvx
step "nvx_ws._nvx (CPython 3.11)" build_extension "$SERVER_VENV" cpython-311
step "nvx_ws._nvx (PyPy 3.11)" build_extension "$PYPY_VENV" pypy311-pp73
stage_package
case $MODE in
    ci) ci ;;
    bench) bench ;;
    deflate) deflate ;;
    all) bench; deflate ;;
esac
