# nvx recipes. `just` itself: `pip install rust-just`. Every recipe works from a fresh clone.
#
# Python recipes take a venv name, as in the WAMP stack: cpy311, cpy312, cpy313 (pyenv's CPythons) or pypy3
# (Debian's pypy3); the venv is .venv-<name>. Defaults to cpy311.

set shell := ["bash", "-euo", "pipefail", "-c"]

# Every venv `test-all` runs the suite in.
ENVS := "cpy311 cpy312 cpy313 pypy3"
# What ruff and mypy look at.
PY_SOURCES := "python cffi_build.py tests/python integrations benches/*.py scripts/wheels/*.py"

default:
    @just --list

# The main job: the Rust report (CPU, kernels, nvx vs peers), then autobahn on loopback with nvx vs its own NVX.
main:
    bash scripts/main.sh

# Every test (.ci/run's); STAGES limits it (`just test "fmt clippy"`); a venv name runs pytest there (`just test cpy312`).
test STAGES="":
    #!/usr/bin/env bash
    set -euo pipefail
    case "{{STAGES}}" in
        cpy3[0-9]*|pypy3) {{just_executable()}} _pytest "{{STAGES}}" ;;
        *) NVX_STAGES="{{STAGES}}" bash scripts/test-all.sh ;;
    esac

# The pytest suite in every venv (cpy311 cpy312 cpy313 pypy3), each created and installed as needed.
test-all:
    for env in {{ENVS}}; do {{just_executable()}} install-dev "$env" && {{just_executable()}} _pytest "$env"; done

# Unit, property, exhaustive and vector tests of the Rust workspace only.
test-rust:
    cargo test --workspace --locked

# Cross-built aarch64 tests under qemu-user.
test-aarch64:
    bash scripts/ci/aarch64.sh

# The C ABI: header drift check, C tests static / dynamic / ASan+UBSan / valgrind, C++ header check, symbols.
test-c:
    bash scripts/ci/c-abi.sh

# Formatting, lints and types: Rust (fmt, clippy) and Python (ruff, mypy).
check venv="cpy311": (check-format venv) (check-typing venv)
    cargo fmt --all --check
    cargo clippy --workspace --all-targets --locked -- -D warnings

# ruff: lints and formatting of the Python sources (config: pyproject.toml [tool.ruff]).
check-format venv="cpy311": (install-tools venv)
    .venv-{{venv}}/bin/ruff check {{PY_SOURCES}}
    .venv-{{venv}}/bin/ruff format --check {{PY_SOURCES}}

# mypy over the package and the build backend (config: pyproject.toml [tool.mypy]).
check-typing venv="cpy311": (install-tools venv)
    .venv-{{venv}}/bin/mypy

# The Python suite on CPython 3.11-3.13 and PyPy, autobahn's tests with nvx, the loopback test.
test-python:
    bash scripts/ci/python.sh

# The Rust tests under AddressSanitizer (nightly).
test-asan:
    bash scripts/ci/asan.sh

# A bounded fuzz run of every target (about 3 minutes); SECONDS per target for a long run, e.g. `just fuzz 3600`.
fuzz SECONDS="40":
    NVX_FUZZ_SECONDS={{SECONDS}} bash scripts/ci/fuzz.sh

# Autobahn|Testsuite, autobahn with nvx: MODE ci (1-7, 9, 10), bench (3 servers side by side), deflate (12, 13), all.
conformance MODE="ci":
    bash scripts/ci/conformance.sh {{MODE}}

# The Python benchmark on CPython 3.11 and PyPy (about 6 minutes), into target/bench-python/.
bench-python:
    bash scripts/bench-python.sh

# The aarch64 wheel alone: cross-built, tested in a Debian arm64 root under qemu.
build-aarch64:
    bash scripts/wheels/aarch64.sh

# The full criterion benchmark (about 15 minutes), then the ratio tables for benches/RESULTS.md.
bench FILTER="":
    cargo bench --locked --bench throughput -- {{FILTER}}
    python3 benches/summarize.py

# Ratio tables from the last benchmark run.
bench-summary:
    python3 benches/summarize.py

# Creates the venv .venv-<venv> (cpy311, cpy312, cpy313: pyenv; pypy3: Debian's pypy3, apt-installed if missing).
create venv="cpy311":
    #!/usr/bin/env bash
    set -euo pipefail
    dir=.venv-{{venv}}
    [[ -x $dir/bin/python ]] && exit 0
    case "{{venv}}" in
        cpy3[0-9]*)
            minor="3.$(echo {{venv}} | sed "s/^cpy3//")"
            version=$(pyenv versions --bare | grep -xE "${minor//./\\.}\.[0-9]+" | sort -V | tail -n 1)
            [[ -n $version ]] || { echo "no CPython $minor in pyenv" >&2; exit 1; }
            "$(pyenv root)/versions/$version/bin/python" -m venv "$dir" ;;
        pypy3)
            command -v pypy3 >/dev/null && dpkg -s pypy3-dev pypy3-venv >/dev/null 2>&1 ||
                { apt-get update -qq && apt-get install -y -qq pypy3 pypy3-dev pypy3-venv >/dev/null; }
            pypy3 -m venv "$dir" ;;
        *) echo "unknown venv {{venv}}: cpy311 cpy312 cpy313 pypy3" >&2; exit 1 ;;
    esac
    "$dir/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    echo "created $dir: $("$dir/bin/python" --version)"

# Installs nvx-ws from this checkout into the venv (a wheel build: cargo builds libnvx, then the extension).
install venv="cpy311": (create venv)
    .venv-{{venv}}/bin/python -m pip install -q --disable-pip-version-check --force-reinstall .

# Installs nvx-ws with the test dependencies (pytest, autobahn's sources as the tests' reference).
install-dev venv="cpy311": (install venv)
    .venv-{{venv}}/bin/python -m pip install -q --disable-pip-version-check pytest
    .venv-{{venv}}/bin/python scripts/wheels/fetch_autobahn.py .

# The development tools: ruff, mypy, pytest, build, twine, auditwheel, abi3audit, ziglang, rust-just.
install-tools venv="cpy311": (create venv)
    .venv-{{venv}}/bin/python -c "import ruff, mypy, pytest, build, twine" 2>/dev/null || \
        .venv-{{venv}}/bin/python -m pip install -q --disable-pip-version-check \
            ruff mypy pytest build twine auditwheel abi3audit ziglang rust-just "setuptools>=77" cffi

_pytest venv:
    .venv-{{venv}}/bin/python -c "import nvx_ws; assert 'site-packages' in nvx_ws.__file__" || \
        { echo "nvx_ws is not installed in .venv-{{venv}}: just install-dev {{venv}}" >&2; exit 1; }
    .venv-{{venv}}/bin/python -m pytest -q -p no:cacheprovider tests/python

# A wheel for that venv's interpreter into dist/ (local platform tag; `build-all` makes the manylinux ones).
build venv="cpy311": (create venv)
    .venv-{{venv}}/bin/python -m pip wheel -q --disable-pip-version-check --no-deps -w dist .

# The release matrix buildable here (x86_64 abi3 + PyPy + sdist + aarch64), tested and verified, into dist/.
build-all:
    bash scripts/wheels/build.sh

# The sdist into dist/.
build-sourcedist venv="cpy311": (install-tools venv)
    .venv-{{venv}}/bin/python -m build --sdist -o dist .

# twine, auditwheel, abi3audit, symbol checks over dist/; writes CHECKSUMS.sha256, VALIDATION.txt, build-info.txt.
verify-wheels:
    bash scripts/wheels/verify.sh dist

# Remove build outputs: cargo's target/, build/, dist/, egg-info, in-place extension modules.
clean-build:
    cargo clean
    rm -rf build dist python/nvx_ws.egg-info python/nvx_ws/_nvx.*.so

# clean-build, and the venvs and the fuzz build too.
distclean: clean-build
    rm -rf .venv-* fuzz/target

# The Rust API docs (target/doc); the Python and C docs are docs/*.md.
docs:
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked
    @echo "target/doc/nvx_ws/index.html; docs/python.md, docs/c-abi.md, docs/wheels.md"
