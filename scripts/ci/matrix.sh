#!/usr/bin/env bash
# The matrix stage: every interpreter of the platform matrix, each with the wheel (or the sdist) that serves it
# installed from dist/ and tested: the pytest suite, autobahn 26.10.2's own NVX and WebSocket tests with
# nvx_ws.autobahn.install(), the loopback test (scripts/matrix/run.py has the rows and the steps). Linux x86_64:
# CPython 3.11-3.13 (pyenv), 3.14 and 3.15 (Debian sid), PyPy 3.11 (trixie) and PyPy 8.0 (sid); Linux aarch64 under
# qemu-user: CPython 3.11 (bookworm), 3.13 (trixie), 3.14 (sid), PyPy 3.11 (trixie). Two rows at a time.
#
# What it needs it makes itself: the Debian roots (scripts/roots/make.sh), uv, autobahn's sdist (the tests'
# reference), the artifacts (scripts/wheels/build.sh, unless dist/ holds all five, verified, from this very commit
# with no uncommitted change), and runs the rows with qemu-aarch64 11 registered in a binfmt_misc of their own
# (scripts/lib/qemu.sh): nothing relies on an earlier stage or on the machine's binfmt_misc entries. First it checks
# that the README's platform table is the one scripts/matrix/table.py makes from docs/platform-matrix.json.
# Writes target/matrix/platform-matrix.json (copy it to docs/ with `python scripts/matrix/table.py --update`).
#
#   bash scripts/ci/matrix.sh
#   bash scripts/ci/matrix.sh 'aarch64-*'        # some rows (shell patterns of their ids)
#   NVX_MATRIX_JOBS=1 bash scripts/ci/matrix.sh  # one row at a time
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/apt.sh    # apt_install
source scripts/lib/binfmt.sh # binfmt_register (the fallback of with_qemu)
source scripts/lib/python.sh # pyenv_python, fetch_autobahn_sdist, uv_path
source scripts/lib/qemu.sh   # with_qemu
start=$SECONDS

step() {
    local name=$1 t=$SECONDS
    shift
    "$@"
    echo "matrix: $name: ok ($((SECONDS - t)) s)"
}

# fresh_dist: whether dist/ holds every artifact, verified, built from HEAD with no uncommitted change.
fresh_dist() {
    local info=dist/build-info.txt kind
    [[ -f $info && -f dist/VALIDATION.txt ]] || return 1
    grep -q "^git commit   $(git rev-parse HEAD)$" "$info" || return 1
    grep -q ", 0 failed$" dist/VALIDATION.txt || return 1
    for kind in cp311-abi3-manylinux_2_28_x86_64.whl pp311-pypy311_pp73-manylinux_2_28_x86_64.whl \
        cp311-abi3-manylinux_2_28_aarch64.whl pp311-pypy311_pp73-manylinux_2_28_aarch64.whl; do
        compgen -G "dist/nvx_ws-*-$kind" >/dev/null || return 1
    done
    compgen -G "dist/nvx_ws-*.tar.gz" >/dev/null
}

artifacts() {
    if fresh_dist; then
        echo "   dist/ holds this commit's artifacts, verified (dist/build-info.txt)"
    else
        bash scripts/wheels/build.sh
    fi
}

step "README platform table matches docs/platform-matrix.json" "$(pyenv_python 3.11)" scripts/matrix/table.py --check
# gcc: PyPy 8.0 builds nvx from the sdist; the aarch64 cross compilers: source builds for the aarch64 interpreters
# (ujson has no PyPy aarch64 wheel).
apt_install gcc g++ gcc-aarch64-linux-gnu g++-aarch64-linux-gnu
step "roots" bash scripts/roots/make.sh
uv_installed() { uv_path >/dev/null; }
step "uv" uv_installed
step "autobahn 26.10.2 sdist (the tests' reference)" fetch_autobahn_sdist 26.10.2 target
step "artifacts" artifacts
export NVX_UV
NVX_UV=$(uv_path)
step "rows" with_qemu "$(pyenv_python 3.11)" scripts/matrix/run.py "$@"
echo "matrix stage: $((SECONDS - start)) s"
