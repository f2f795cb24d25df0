#!/usr/bin/env bash
# The python stage: nvx_ws built in the tree on one interpreter, CPython 3.11, in the uv venv .venvs/cpy311 (the WAMP
# stack's name; scripts/lib/venvs.sh): an editable install (hatchling's build hook runs cargo for libnvx and builds
# the extension in place), then, all under coverage (line and branch, pyproject.toml [tool.coverage]):
#   - the pytest suite tests/python;
#   - the stock autobahn 26.10.2 wheel switched to nvx by nvx_ws.autobahn.install(): autobahn's own NVX and
#     WebSocket tests and the loopback test (integrations/autobahn/stock_wheel.sh);
# then autobahn built from its sdist against libnvx (integrations/autobahn/sdist_build.sh: its own venv, no nvx_ws),
# and the coverage report, which fails under the floor (fail_under). Every other interpreter (CPython 3.12-3.15,
# PyPy) is tested from the built wheels by the wheels and matrix stages. Installs what it needs (uv and the test
# tools from PyPI, by name); prints pytest's closing lines, the coverage total and each step's time.
#
#   bash scripts/ci/python.sh              # the stage
#   bash scripts/ci/python.sh coverage     # the coverage runs and report alone, in $NVX_COVERAGE_VENV (default
#                                          # .venvs/cpy311) where nvx-ws is installed already (just check-coverage)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/venvs.sh # nvx_venv, nvx_uv (and pyenv_python, fetch_autobahn_sdist)

ROOT=$PWD
TARGET_DIR=${CARGO_TARGET_DIR:-target}
AUTOBAHN_VERSION=26.10.2
export NVX_AUTOBAHN_SRC=$ROOT/$TARGET_DIR/autobahn-$AUTOBAHN_VERSION/src/autobahn
MODE=${1:-stage}
VENV=${NVX_COVERAGE_VENV:-$NVX_VENVS_DIR/cpy311}
# The stage's venv: the build backend and hook (--no-build-isolation), the test runner and coverage.
DEPS=(hatchling "cffi>=1.15" "setuptools>=70" "pytest>=8" "coverage>=7.10")

step() {
    local name=$1
    shift
    local start=$SECONDS
    "$@"
    echo "python: $name: ok ($((SECONDS - start)) s)"
}

build_libnvx() { cargo build --locked --release -q -p nvx-ws-ffi; }

venv() {
    nvx_venv cpy311 >/dev/null
    "$(nvx_uv)" pip install -q --python "$VENV/bin/python" "${DEPS[@]}"
}

# The editable install: python/ on sys.path, python/nvx_ws/_nvx.cpython-311-*.so built by the hook.
install_editable() {
    "$(nvx_uv)" pip install -q --python "$VENV/bin/python" --no-deps --no-build-isolation --reinstall-package nvx-ws \
        -e .
    (cd /tmp && "$VENV/bin/python" -c "import nvx_ws; print('   nvx_ws', nvx_ws.__version__, 'from', nvx_ws.__file__, \
'kernel', nvx_ws.implementation())")
}

# Every Python process started in the venv while COVERAGE_PROCESS_START is set measures itself (pytest's own and
# the subprocesses the tests start, and autobahn's tests, whose pytest plugin imports nvx_ws before pytest-cov
# could start): coverage's documented start-up hook, a .pth file; a no-op when the variable is unset.
coverage_hook() {
    local site
    "$VENV/bin/python" -c "import coverage" 2>/dev/null || "$(nvx_uv)" pip install -q --python "$VENV/bin/python" \
        "coverage>=7.10"
    site=$("$VENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    echo "import coverage; coverage.process_startup()" >"$site/nvx-coverage-startup.pth"
    rm -f .coverage .coverage.*
}

covered() { COVERAGE_PROCESS_START=$ROOT/pyproject.toml "$@"; }

run_pytest() {
    covered "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests/python 2>&1 | tail -n 12
    return "${PIPESTATUS[0]}"
}

run_autobahn_stock() { covered bash integrations/autobahn/stock_wheel.sh "$VENV/bin/python"; }

run_autobahn_sdist() { bash integrations/autobahn/sdist_build.sh; }

# The combined report: fails under pyproject.toml's fail_under (coverage's exit status 2).
coverage_report() {
    "$VENV/bin/python" -m coverage combine -q
    "$VENV/bin/python" -m coverage report
}

if [[ $MODE == coverage ]]; then
    step "autobahn $AUTOBAHN_VERSION sdist (the tests' reference)" fetch_autobahn_sdist "$AUTOBAHN_VERSION" \
        "$ROOT/$TARGET_DIR"
    step "coverage start-up hook" coverage_hook
    step "pytest tests/python (coverage)" run_pytest
    step "autobahn $AUTOBAHN_VERSION stock wheel + nvx_ws.autobahn.install() (coverage)" run_autobahn_stock
    step "coverage report" coverage_report
    exit 0
fi

step "libnvx (release)" build_libnvx
step "autobahn $AUTOBAHN_VERSION sdist (the tests' reference)" fetch_autobahn_sdist "$AUTOBAHN_VERSION" "$ROOT/$TARGET_DIR"
step "venv .venvs/cpy311 (uv)" venv
step "nvx-ws editable install (hatchling, build hook: cargo + extension in place)" install_editable
step "coverage start-up hook" coverage_hook
step "pytest tests/python, CPython 3.11 (coverage)" run_pytest
step "autobahn $AUTOBAHN_VERSION stock wheel + nvx_ws.autobahn.install() (coverage)" run_autobahn_stock
step "autobahn $AUTOBAHN_VERSION from its sdist on libnvx" run_autobahn_sdist
step "coverage report (line and branch, floor: pyproject.toml fail_under)" coverage_report
