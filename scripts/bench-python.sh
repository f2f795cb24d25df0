#!/usr/bin/env bash
# The Python benchmark (benches/python_bench.py) on CPython 3.11 and on PyPy, each pinned to CPU 1 (taskset -c 1),
# writing target/bench-python/{cpython,pypy}.{json,md}, then benches/python_charts.py: the charts of
# benches/PYTHON.md (benches/img/python-*.png; a --quick run writes them to target/bench-python/img instead) and
# the CPython/PyPy comparison, target/bench-python/compare.md. Sets up what it needs, fresh-machine safe:
#   .venv-bench       pyenv's CPython 3.11: autobahn==26.10.2 (the stock wheel, with its NVX), wsaccel, websockets,
#                     aiohttp, cffi, setuptools, matplotlib (the charts); nvx_ws built in place
#                     (python/nvx_ws/_nvx.*.so).
#   .venv-bench-pypyXY  the PyPy of $NVX_BENCH_PYPY (default: PyPy 3.11, Debian trixie's 7.3.19, from the root
#                     scripts/roots/python.sh makes), XY its Python version: wsaccel, websockets, aiohttp, autobahn
#                     (whatever versions install there; where autobahn 26 does not (it needs Python >= 3.11),
#                     autobahn's NVX is built from its sdist's own C and CFFI wrappers into
#                     target/bench-python/autobahn-nvx, and its pure-Python classes come from the sdist,
#                     target/autobahn-26.10.2).
# About 6 minutes in all on the 2-vCPU development VM (CPython 2.5 min, PyPy 3.5 min, venvs warm); a fresh machine
# adds the venvs and the build (a few minutes).
#
#   bash scripts/bench-python.sh                 # both interpreters
#   NVX_BENCH_PYTHONS=cpython bash scripts/bench-python.sh
#   NVX_BENCH_PYPY=/usr/bin/pypy3 bash scripts/bench-python.sh       # another PyPy (Debian 12's: 7.3.11, Python 3.9)
#   NVX_BENCH_ARGS=--quick bash scripts/bench-python.sh     # the smoke run (seconds), e.g. to try the setup
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/python.sh # pyenv_python, fetch_autobahn_sdist

ROOT=$PWD
TARGET_DIR=${CARGO_TARGET_DIR:-target}
OUT=$TARGET_DIR/bench-python
AUTOBAHN_VERSION=26.10.2
export NVX_AUTOBAHN_SRC=$ROOT/$TARGET_DIR/autobahn-$AUTOBAHN_VERSION/src/autobahn
export NVX_BENCH_AUTOBAHN_NVX=$ROOT/$OUT/autobahn-nvx
PYTHONS="${NVX_BENCH_PYTHONS:-cpython pypy}"
PYPY=${NVX_BENCH_PYPY:-}
read -r -a BENCH_ARGS <<<"${NVX_BENCH_ARGS:-}"
CHARTS=benches/img
if [[ " ${BENCH_ARGS[*]} " == *" --quick "* ]]; then
    CHARTS=$OUT/img
fi
PIP=(-m pip install -q --disable-pip-version-check)

step() {
    local name=$1
    shift
    local start=$SECONDS
    "$@"
    echo "bench-python: $name: done ($((SECONDS - start)) s)"
}

# bench NAME VENV: nvx_ws built in place for VENV's interpreter, then the benchmark pinned to CPU 1.
bench() {
    local name=$1 venv=$2
    "$venv/bin/python" cffi_build.py >/dev/null
    mkdir -p "$OUT"
    PYTHONPATH=$ROOT/python taskset -c 1 "$venv/bin/python" benches/python_bench.py --markdown \
        --json "$OUT/$name.json" "${BENCH_ARGS[@]}" >"$OUT/$name.md" 2>"$OUT/$name.log"
    sed -n '/^### Targets/,$p' "$OUT/$name.md"
}

cpython() {
    local venv=.venv-bench
    [[ -x $venv/bin/python ]] || "$(pyenv_python 3.11)" -m venv "$venv"
    if ! "$venv/bin/python" -c "import autobahn, wsaccel, websockets, aiohttp, cffi, setuptools, matplotlib, sys
sys.exit(autobahn.__version__ != '$AUTOBAHN_VERSION')" 2>/dev/null; then
        "$venv/bin/python" "${PIP[@]}" "autobahn==$AUTOBAHN_VERSION" wsaccel websockets aiohttp cffi "setuptools>=77" \
            matplotlib
    fi
    step "CPython 3.11 benchmark ($OUT/cpython.md)" bench cpython "$venv"
}

# autobahn's NVX for PyPy: its sdist's CFFI builders (autobahn/nvx/_utf8validator.py, _xormasker.py), run as
# autobahn's own build runs them, compile its C into _nvx_utf8validator / _nvx_xormasker (same flags as its wheels).
build_autobahn_nvx() {
    local python=$ROOT/$1/bin/python suffix
    suffix=$("$python" -c "import importlib.machinery as m; print(m.EXTENSION_SUFFIXES[0])")
    [[ -f $NVX_BENCH_AUTOBAHN_NVX/_nvx_xormasker$suffix ]] && return
    mkdir -p "$NVX_BENCH_AUTOBAHN_NVX"
    (cd "$NVX_BENCH_AUTOBAHN_NVX" && "$python" "$NVX_AUTOBAHN_SRC/nvx/_utf8validator.py" \
        && "$python" "$NVX_AUTOBAHN_SRC/nvx/_xormasker.py") >/dev/null 2>&1
}

pypy() {
    local venv tag
    [[ -n $PYPY ]] || PYPY=$(bash scripts/roots/python.sh pypy311)
    tag=$("$PYPY" -c "import sys; assert sys.implementation.name == 'pypy', sys.version; print('%d%d' % sys.version_info[:2])")
    venv=.venv-bench-pypy$tag
    # uv makes the venv (with pip seeded): a PyPy from the roots has no ensurepip (Debian's pypy3-venv is not there).
    [[ -x $venv/bin/python ]] || "$(uv_path)" venv -q --seed --python "$PYPY" "$venv"
    if ! "$venv/bin/python" -c "import wsaccel, websockets, aiohttp, setuptools as s
assert int(s.__version__.split('.')[0]) >= 77" 2>/dev/null; then
        # One by one: a peer that does not install on PyPy is reported missing by the benchmark, not fatal here.
        for package in wsaccel websockets aiohttp "setuptools>=77"; do
            "$venv/bin/python" "${PIP[@]}" "$package" || echo "bench-python: $package does not install on PyPy"
        done
        # autobahn itself where it installs (Python >= 3.11): its NVX then comes from the installed package.
        "$venv/bin/python" -c "import sys; sys.exit(sys.version_info < (3, 11))" &&
            { "$venv/bin/python" "${PIP[@]}" "autobahn==$AUTOBAHN_VERSION" || echo "bench-python: autobahn does not install"; }
    fi
    step "autobahn $AUTOBAHN_VERSION NVX for PyPy (from its sdist)" build_autobahn_nvx "$venv"
    step "PyPy benchmark ($OUT/pypy.md)" bench pypy "$venv"
}

charts() {
    local runs=() run
    for run in cpython pypy; do
        [[ -f $OUT/$run.json ]] && runs+=("$OUT/$run.json")
    done
    .venv-bench/bin/python benches/python_charts.py "${runs[@]}" --charts "$CHARTS" --markdown >"$OUT/compare.md"
    cat "$OUT/compare.md"
}

step "libnvx (release)" cargo build --locked --release -q -p nvx-ws-ffi
step "autobahn $AUTOBAHN_VERSION sdist" fetch_autobahn_sdist "$AUTOBAHN_VERSION" "$ROOT/$TARGET_DIR"
for py in $PYTHONS; do
    "$py"
done
if [[ -x .venv-bench/bin/python ]]; then
    step "charts ($CHARTS) and CPython/PyPy comparison ($OUT/compare.md)" charts
fi
