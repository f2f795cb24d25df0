#!/usr/bin/env bash
# The Python stage: builds libnvx (release), builds the CFFI extension nvx_ws._nvx against it (cffi_build.py,
# libnvx.a linked statically) and runs the pytest suite tests/python on CPython 3.11 (pyenv; venv .venv-cpy311:
# in place, then again from the wheel `pip wheel .` makes, installed), then the stock autobahn 26.10.2 wheel
# switched to nvx (integrations/autobahn/stock_wheel.sh: autobahn's tests, loopback end to end), autobahn built
# from its sdist on libnvx (integrations/autobahn/sdist_build.sh, venv .venv-autobahn-nvx), then PyPy (Debian's
# pypy3, venv .venv-pypy), then CPython 3.12 and 3.13 (venvs .venv-cpy312, .venv-cpy313). Installs what it needs
# (apt: pypy3; pip: by name). Prints pytest's closing lines and each step's time: about 30 s warm, 2.5 min clean.
# The reference for the tests is autobahn 26.10.2's pure-Python code, from its sdist (downloaded once into target/).
#
#   bash scripts/ci/python.sh
#   NVX_PYTHONS="cpython pypy" bash scripts/ci/python.sh   # a subset of: cpython autobahn autobahn_sdist pypy
#                                                            cpython312 cpython313
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/apt.sh    # apt_install
source scripts/lib/python.sh # pyenv_python, fetch_autobahn_sdist

ROOT=$PWD
TARGET_DIR=${CARGO_TARGET_DIR:-target}
export NVX_LIBDIR=$ROOT/$TARGET_DIR/release
AUTOBAHN_VERSION=26.10.2
AUTOBAHN_DIR=$ROOT/$TARGET_DIR/autobahn-$AUTOBAHN_VERSION
export NVX_AUTOBAHN_SRC=$AUTOBAHN_DIR/src/autobahn
PYTHONS="${NVX_PYTHONS:-cpython autobahn autobahn_sdist pypy cpython312 cpython313}"
PIP_DEPS=(pytest cffi "setuptools>=77")

step() {
    local name=$1
    shift
    local start=$SECONDS
    "$@"
    echo "python: $name: ok ($((SECONDS - start)) s)"
}

build_libnvx() { cargo build --locked --release -q -p nvx-ws-ffi; }

# venv_for NAME INTERPRETER: a venv with the test dependencies (and cffi where it is not built in).
venv_for() {
    local venv=$1 interpreter=$2
    [[ -x $venv/bin/python ]] || "$interpreter" -m venv "$venv"
    if ! "$venv/bin/python" -c "import pytest, cffi, setuptools as s; assert int(s.__version__.split('.')[0]) >= 77" \
        2>/dev/null; then
        "$venv/bin/python" -m pip install -q --disable-pip-version-check "${PIP_DEPS[@]}"
    fi
}

# run_suite VENV: builds the extension in place for that interpreter and runs pytest (its closing lines printed).
run_suite() {
    local venv=$1
    "$venv/bin/python" cffi_build.py
    PYTHONPATH=$ROOT/python "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/python 2>&1 | tail -n 12
    return "${PIPESTATUS[0]}"
}

# run_installed VENV: the wheel `pip wheel .` builds, installed into VENV, and the suite against it (no PYTHONPATH).
run_installed() {
    local venv=$1
    rm -rf "$TARGET_DIR/python-wheel"
    "$venv/bin/python" -m pip wheel -q --disable-pip-version-check --no-deps --no-build-isolation \
        -w "$TARGET_DIR/python-wheel" .
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
        "$TARGET_DIR"/python-wheel/nvx_ws-*.whl
    (cd /tmp && "$ROOT/$venv/bin/python" -c "import nvx_ws, sys; assert 'site-packages' in nvx_ws.__file__; \
print('installed', nvx_ws.__file__, nvx_ws.implementation())")
    "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/python 2>&1 | tail -n 2
    return "${PIPESTATUS[0]}"
}

cpython() {
    step "cpython 3.11 venv" venv_for .venv-cpy311 "$(pyenv_python 3.11)"
    step "cpython 3.11 tests (in place)" run_suite .venv-cpy311
    step "cpython 3.11 tests (wheel installed)" run_installed .venv-cpy311
}

autobahn() {
    [[ -x .venv-cpy311/bin/python ]] || venv_for .venv-cpy311 "$(pyenv_python 3.11)"
    [[ -n $(compgen -G "python/nvx_ws/_nvx.cpython-311-*.so") ]] || .venv-cpy311/bin/python cffi_build.py
    step "autobahn 26.10.2 stock wheel + nvx_ws.autobahn.install()" bash integrations/autobahn/stock_wheel.sh
}

autobahn_sdist() {
    step "autobahn 26.10.2 from its sdist on libnvx" bash integrations/autobahn/sdist_build.sh
}

cpython312() {
    step "cpython 3.12 venv" venv_for .venv-cpy312 "$(pyenv_python 3.12)"
    step "cpython 3.12 tests" run_suite .venv-cpy312
}

cpython313() {
    step "cpython 3.13 venv" venv_for .venv-cpy313 "$(pyenv_python 3.13)"
    step "cpython 3.13 tests" run_suite .venv-cpy313
}

pypy() {
    apt_install pypy3 pypy3-dev pypy3-venv
    step "pypy venv" venv_for .venv-pypy pypy3
    step "pypy tests" run_suite .venv-pypy
}

step "libnvx (release)" build_libnvx
step "autobahn $AUTOBAHN_VERSION sdist" fetch_autobahn_sdist "$AUTOBAHN_VERSION" "$ROOT/$TARGET_DIR"
for py in $PYTHONS; do
    "$py"
done
