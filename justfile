# nvx recipes: the WAMP stack's common recipe set (its modernisation plan, "Common Justfile Recipes Specification")
# and nvx's own (main, ci, bench, fuzz, conformance, the C ABI and aarch64 stages). `just` itself: `pip install
# rust-just`. Every recipe works from a fresh clone; docs/development.md explains the conventions.
#
# Python recipes take a venv name, as in the WAMP stack: cpy311 cpy312 cpy313 cpy314 (CPython) or pypy311 (PyPy);
# empty means the system python3's (cpy311 here). The venvs are made by uv under .venvs/<name>; the interpreter for
# a name comes from $NVX_PYTHON_<NAME>, target/interpreters/<name>, pyenv or PATH (scripts/lib/venvs.sh), and a
# recipe for a venv whose interpreter is missing says how to get one.

set shell := ["bash", "-euo", "pipefail", "-c"]

# The project's base directory (this justfile's).
PROJECT_DIR := justfile_directory()

# uv's cache inside the project (the plan's `./.uv-cache`).
export UV_CACHE_DIR := PROJECT_DIR / ".uv-cache"

# The one directory of every uv venv.
VENV_DIR := PROJECT_DIR / ".venvs"

export NVX_VENVS_DIR := VENV_DIR

# The Python environments of the platform matrix: what the -all recipes run over.
ENVS := "cpy314 cpy313 cpy312 cpy311 pypy311"

export NVX_ENVS := ENVS

# What ruff looks at (ty and mypy: pyproject.toml [tool.ty.src], [tool.mypy]).
PY_SOURCES := "python cffi_build.py hatch_build.py tests/python integrations benches/*.py scripts docs/conf.py"

# The project header, then every recipe.
default:
    #!/usr/bin/env bash
    set -euo pipefail
    echo
    echo "  nvx $(python3 scripts/version.py) (git $(git rev-parse --short HEAD 2>/dev/null || echo unknown)): exact UTF-8 validation and WebSocket XOR masking"
    echo "  Rust crate nvx-ws, C ABI libnvx (include/nvx.h), Python package nvx-ws (nvx_ws): a drop-in for autobahn's NVX"
    echo "  Documentation: https://nvx-ws.readthedocs.io (just docs), https://docs.rs/nvx-ws (just docs-rust)"
    echo "  Source: https://github.com/nvx-ws/nvx    License: MIT"
    echo
    {{ just_executable() }} --list --unsorted

# ---------------------------------------------------------------------------------------------------------------
# Helpers (the plan's standard three, plus the interpreter behind a venv name)
# ---------------------------------------------------------------------------------------------------------------

# The uv request for a venv name: cpy311 -> cpython-3.11, pypy311 -> pypy-3.11.
_get-spec short_name:
    @source scripts/lib/venvs.sh && nvx_spec "{{ short_name }}"

# The venv name of the system's python3 (cpy311 for CPython 3.11); fails if it is not one of ENVS.
_get-system-venv-name:
    @source scripts/lib/venvs.sh && nvx_venv_name ""

# The python executable of a venv (empty: the system's venv name); it may not exist yet (`just create`).
_get-venv-python venv="":
    @source scripts/lib/venvs.sh && echo "{{ VENV_DIR }}/$(nvx_venv_name "{{ venv }}")/bin/python"

# The interpreter a venv of that name is made from, or how to get one.
_get-interpreter venv="":
    @source scripts/lib/venvs.sh && nvx_interpreter "$(nvx_venv_name "{{ venv }}")"

# ---------------------------------------------------------------------------------------------------------------
# Environments
# ---------------------------------------------------------------------------------------------------------------

# Create a venv with uv (usage: `just create cpy312`; empty: the system's, cpy311).
create venv="":
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    name=$(nvx_venv_name "{{ venv }}")
    python=$(nvx_venv "$name")
    echo "{{ VENV_DIR }}/$name: $("$python" -c 'import platform, sys; print(platform.python_implementation(), platform.python_version(), "from", sys._base_executable)')"

# Create every venv of ENVS; lists the ones whose interpreter is missing (and fails) at the end.
create-all:
    #!/usr/bin/env bash
    set -uo pipefail
    failed=()
    for venv in {{ ENVS }}; do {{ just_executable() }} create "$venv" || failed+=("$venv"); done
    [[ ${#failed[@]} -eq 0 ]] || { echo "create-all: no venv for: ${failed[*]} (see above how to get their interpreters)" >&2; exit 1; }

# The Python implementation, interpreter and venv of every ENVS name, found or not.
list-all:
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    echo "uv: $(nvx_uv) ($("$(nvx_uv)" --version))"
    for venv in {{ ENVS }}; do
        spec=$(nvx_spec "$venv")
        if interpreter=$(nvx_interpreter "$venv" 2>/dev/null); then
            state="interpreter $interpreter"
        else
            state="no interpreter (just create $venv says how to get one)"
        fi
        [[ -x {{ VENV_DIR }}/$venv/bin/python ]] && state="$state; venv .venvs/$venv"
        printf '  %-8s %-14s %s\n' "$venv" "$spec" "$state"
    done

# The Python version of a venv (usage: `just version cpy313`).
version venv="":
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    name=$(nvx_venv_name "{{ venv }}")
    if [[ -x {{ VENV_DIR }}/$name/bin/python ]]; then
        echo "$name: $({{ VENV_DIR }}/$name/bin/python -c 'import platform; print(platform.python_implementation(), platform.python_version())')"
    else
        echo "$name: no venv (just create $name)"
    fi

# The Python version of every venv of ENVS.
version-all:
    @for venv in {{ ENVS }}; do {{ just_executable() }} version "$venv"; done

# ---------------------------------------------------------------------------------------------------------------
# Installation
# ---------------------------------------------------------------------------------------------------------------

# Install nvx-ws from this checkout (a wheel build: cargo, then the extension) with its run-time dependencies.
install venv="": (create venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    name=$(nvx_venv_name "{{ venv }}")
    "$(nvx_uv)" pip install -q --python "{{ VENV_DIR }}/$name/bin/python" --reinstall-package nvx-ws .
    echo "installed nvx-ws $(cd /tmp && {{ VENV_DIR }}/$name/bin/python -c 'import nvx_ws; print(nvx_ws.__version__, "kernel", nvx_ws.implementation())') into .venvs/$name"

# install on every venv of ENVS.
install-all:
    #!/usr/bin/env bash
    set -uo pipefail
    failed=()
    for venv in {{ ENVS }}; do {{ just_executable() }} install "$venv" || failed+=("$venv"); done
    [[ ${#failed[@]} -eq 0 ]] || { echo "install-all: failed for: ${failed[*]}" >&2; exit 1; }

# Install nvx-ws editable (python/ on sys.path, the extension built in place) with the dev tools and the tests' reference.
install-dev venv="": (create venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    name=$(nvx_venv_name "{{ venv }}")
    python={{ VENV_DIR }}/$name/bin/python
    "$(nvx_uv)" pip install -q --python "$python" -e ".[dev]"
    "$python" scripts/wheels/fetch_autobahn.py .   # autobahn 26.10.2's pure-Python classes: the tests' reference
    echo "installed nvx-ws editable into .venvs/$name: $(cd /tmp && "$python" -c 'import nvx_ws; print(nvx_ws.__file__)')"

# install-dev on every venv of ENVS.
install-dev-all:
    #!/usr/bin/env bash
    set -uo pipefail
    failed=()
    for venv in {{ ENVS }}; do {{ just_executable() }} install-dev "$venv" || failed+=("$venv"); done
    [[ ${#failed[@]} -eq 0 ]] || { echo "install-dev-all: failed for: ${failed[*]}" >&2; exit 1; }

# Install the development tools (pyproject.toml's dev extra: ruff, ty, mypy, pytest, coverage, build, twine, ...).
install-tools venv="": (create venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    name=$(nvx_venv_name "{{ venv }}")
    "$(nvx_uv)" pip install -q --python "{{ VENV_DIR }}/$name/bin/python" -r pyproject.toml --extra dev

# install-tools on every venv of ENVS.
install-tools-all:
    #!/usr/bin/env bash
    set -uo pipefail
    failed=()
    for venv in {{ ENVS }}; do {{ just_executable() }} install-tools "$venv" || failed+=("$venv"); done
    [[ ${#failed[@]} -eq 0 ]] || { echo "install-tools-all: failed for: ${failed[*]}" >&2; exit 1; }

# Upgrade pip, the dev tools and nvx-ws (editable) in a venv to the newest versions its lower bounds allow.
upgrade venv="": (create venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    name=$(nvx_venv_name "{{ venv }}")
    "$(nvx_uv)" pip install -q --python "{{ VENV_DIR }}/$name/bin/python" --upgrade pip -e ".[dev]"
    "$(nvx_uv)" pip list --python "{{ VENV_DIR }}/$name/bin/python" --outdated 2>/dev/null || true

# upgrade on every venv of ENVS.
upgrade-all:
    #!/usr/bin/env bash
    set -uo pipefail
    failed=()
    for venv in {{ ENVS }}; do {{ just_executable() }} upgrade "$venv" || failed+=("$venv"); done
    [[ ${#failed[@]} -eq 0 ]] || { echo "upgrade-all: failed for: ${failed[*]}" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------------------
# Quality checks
# ---------------------------------------------------------------------------------------------------------------

# All checks: ruff (lint, format, security: S rules), ty and mypy, the one version, rustfmt and clippy.
check venv="": (check-format venv) (check-typing venv)
    python3 scripts/version.py check
    cargo fmt --all --check
    cargo clippy --workspace --all-targets --locked -- -D warnings

# ruff: lints (incl. flake8-bandit's S security rules) and formatting of every Python file.
check-format venv="": (install-tools venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    bin={{ VENV_DIR }}/$(nvx_venv_name "{{ venv }}")/bin
    "$bin/ruff" check {{ PY_SOURCES }}
    "$bin/ruff" format --check {{ PY_SOURCES }}

# ruff format and ruff check --fix over every Python file; rustfmt over the Rust.
fix-format venv="": (install-tools venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    bin={{ VENV_DIR }}/$(nvx_venv_name "{{ venv }}")/bin
    "$bin/ruff" format {{ PY_SOURCES }}
    "$bin/ruff" check --fix {{ PY_SOURCES }}
    cargo fmt --all

# Static types: ty (the stack's checker, pyproject.toml [tool.ty.src]), then mypy ([tool.mypy]).
check-typing venv="": (install-tools venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    bin={{ VENV_DIR }}/$(nvx_venv_name "{{ venv }}")/bin
    "$bin/ty" check --python "$bin/python" --error-on-warning
    "$bin/mypy"

# Line and branch coverage of nvx_ws: the pytest suite and autobahn's tests with nvx; fails under the floor.
check-coverage venv="": (install-dev venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    NVX_COVERAGE_VENV={{ VENV_DIR }}/$(nvx_venv_name "{{ venv }}") bash scripts/ci/python.sh coverage

# ---------------------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------------------

# The pytest suite (tests/python) on nvx-ws installed editable into a venv (usage: `just test cpy313`).
test venv="": (install-dev venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    {{ VENV_DIR }}/$(nvx_venv_name "{{ venv }}")/bin/python -m pytest -q -p no:cacheprovider tests/python

# test on every venv of ENVS; lists the ones that failed (a missing interpreter among them) at the end.
test-all:
    #!/usr/bin/env bash
    set -uo pipefail
    failed=()
    for venv in {{ ENVS }}; do
        echo "=== test $venv"
        {{ just_executable() }} test "$venv" || failed+=("$venv")
    done
    [[ ${#failed[@]} -eq 0 ]] || { echo "test-all: failed for: ${failed[*]}" >&2; exit 1; }

# The whole CI suite (.ci/run's), stage by stage; STAGES picks some (`just ci "fmt python docs"`).
ci STAGES="":
    NVX_STAGES="{{ STAGES }}" bash scripts/test-all.sh

# The Python stage: the pytest suite with coverage, autobahn's tests with nvx inside (stock wheel and sdist build).
test-python:
    bash scripts/ci/python.sh

# Unit, property, exhaustive and vector tests of the Rust workspace only.
test-rust:
    cargo test --workspace --locked

# Cross-built aarch64 tests under qemu-user.
test-aarch64:
    bash scripts/ci/aarch64.sh

# The C ABI: header drift check, C tests static / dynamic / ASan+UBSan / valgrind, C++ header check, symbols.
test-c:
    bash scripts/ci/c-abi.sh

# The Rust tests under AddressSanitizer (nightly).
test-asan:
    bash scripts/ci/asan.sh

# Rust line coverage of the crates (cargo-tarpaulin, built from crates.io into target/tools on first use; slow).
coverage-rust:
    bash scripts/coverage-rust.sh

# ---------------------------------------------------------------------------------------------------------------
# Build and package
# ---------------------------------------------------------------------------------------------------------------

# The wheel a release ships for this platform and venv (manylinux, verified) into dist/, then installed into the venv.
build venv="": (create venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    name=$(nvx_venv_name "{{ venv }}")
    [[ $(uname -m) == x86_64 ]] || { echo "build: scripts/wheels/build.sh builds on x86_64 hosts; aarch64: just build-aarch64" >&2; exit 1; }
    interpreter=$(nvx_interpreter "$name")
    version=$("$interpreter" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    case $name in
        # One abi3 wheel (built with CPython 3.11) serves every CPython >= 3.11.
        cpy*) kind=abi3-x86_64 ;;
        # The PyPy 3.11 wheel is built with Debian trixie's PyPy (scripts/roots), the one the matrix tests.
        pypy311) kind=pp311-x86_64 ;;
        *) echo "build: no wheel kind for $name (PyPy $version)" >&2; exit 1 ;;
    esac
    NVX_WHEELS=$kind bash scripts/wheels/build.sh
    case $kind in
        abi3-x86_64) wheel=$(ls dist/nvx_ws-*-cp311-abi3-manylinux_*_x86_64.whl) ;;
        pp311-x86_64) wheel=$(ls dist/nvx_ws-*-pp311-pypy311_pp73-manylinux_*_x86_64.whl) ;;
    esac
    # Installed into the venv from dist/ (the platform matrix tests it on every interpreter: bash scripts/ci/matrix.sh).
    "$(nvx_uv)" pip install -q --python "{{ VENV_DIR }}/$name/bin/python" --reinstall-package nvx-ws "$wheel"
    echo "installed $wheel into .venvs/$name: kernel $(cd /tmp && {{ VENV_DIR }}/$name/bin/python -c 'import nvx_ws; print(nvx_ws.implementation())')"

# Every artifact buildable here (abi3 and pp311 for x86_64 and aarch64, the sdist), all verified, into dist/.
build-all:
    bash scripts/wheels/build.sh

# The sdist into dist/ (hatchling: every git-tracked file but .github/, .ci/ and fuzz/; pyproject.toml).
build-sourcedist venv="": (install-tools venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    {{ VENV_DIR }}/$(nvx_venv_name "{{ venv }}")/bin/python -m build --sdist --no-isolation -o dist .

# twine, auditwheel, abi3audit, symbol versions, exports and ISA over dist/; CHECKSUMS.sha256, VALIDATION.txt.
verify-wheels venv="":
    bash scripts/wheels/verify.sh dist

# Remove build outputs: cargo's target/, build/, dist/, in-place extension modules, egg-info.
clean-build:
    cargo clean
    rm -rf build dist python/nvx_ws/_nvx.*.so python/*.egg-info

# The aarch64 wheel alone: cross-built, tested in a Debian arm64 root under qemu.
build-aarch64:
    bash scripts/wheels/aarch64.sh

# Write a new version into Cargo.toml and every copy (scripts/version.py), e.g. `just set-version 0.2.0`.
set-version new_version:
    python3 scripts/version.py set {{ new_version }}
    cargo metadata --locked --format-version 1 --no-deps >/dev/null

# ---------------------------------------------------------------------------------------------------------------
# Documentation
# ---------------------------------------------------------------------------------------------------------------

# The HTML documentation with Sphinx (Furo, sphinx-autoapi, MyST) into docs/_build/html, warnings as errors.
docs venv="":
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    NVX_DOCS_VENV={{ VENV_DIR }}/$(nvx_venv_name "{{ venv }}") bash scripts/ci/docs.sh html

# Remove the built documentation.
docs-clean:
    rm -rf docs/_build docs/autoapi

# Build the documentation and open it (xdg-open or open; else print where it is).
docs-view venv="": (docs venv)
    #!/usr/bin/env bash
    page={{ PROJECT_DIR }}/docs/_build/html/index.html
    for opener in xdg-open open; do
        command -v "$opener" >/dev/null && "$opener" "$page" 2>/dev/null && exit 0
    done
    echo "no viewer to open it here (no display?): $page"

# Spelling of the documentation (sphinxcontrib-spelling, docs/spelling_wordlist.txt); fails on a misspelt word.
docs-check venv="":
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    NVX_DOCS_VENV={{ VENV_DIR }}/$(nvx_venv_name "{{ venv }}") bash scripts/ci/docs.sh spelling

# The Rust API docs (target/doc; published at https://docs.rs/nvx-ws), warnings as errors.
docs-rust:
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked
    @echo "target/doc/nvx_ws/index.html"

# ---------------------------------------------------------------------------------------------------------------
# Publishing (a maintainer's, with credentials; NVX_DRY_RUN=1 shows what would be done)
# ---------------------------------------------------------------------------------------------------------------

# Publish a release: PyPI, then Read the Docs.
publish venv="" tag="": (publish-pypi venv tag) (publish-rtd tag)

# Download a release's artifacts from GitHub (or take $NVX_RELEASE_DIR) and upload them to PyPI with twine.
publish-pypi venv="" tag="": (install-tools venv)
    #!/usr/bin/env bash
    set -euo pipefail
    source scripts/lib/venvs.sh
    bin={{ VENV_DIR }}/$(nvx_venv_name "{{ venv }}")/bin
    tag="{{ tag }}"
    [[ -n $tag ]] || tag=$(git describe --tags --abbrev=0 2>/dev/null) || { echo "publish-pypi: no tag given and none in git: just publish-pypi cpy311 v0.1.0" >&2; exit 1; }
    [[ $tag =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "publish-pypi: '$tag' is not a release tag (vMAJOR.MINOR.PATCH)" >&2; exit 1; }
    [[ ${tag#v} == "$(python3 scripts/version.py)" ]] || echo "publish-pypi: warning: $tag is not this checkout's version $(python3 scripts/version.py)" >&2
    dir=${NVX_RELEASE_DIR:-}
    if [[ -z $dir ]]; then
        {{ just_executable() }} download-github-release "$tag"
        dir=target/release-artifacts/$tag
    fi
    shopt -s nullglob
    files=("$dir"/nvx_ws-*.whl "$dir"/nvx_ws-*.tar.gz)
    [[ ${#files[@]} -gt 0 ]] || { echo "publish-pypi: no nvx_ws wheels or sdist in $dir" >&2; exit 1; }
    ls "$dir"/nvx_ws-*.tar.gz >/dev/null 2>&1 || { echo "publish-pypi: no sdist in $dir" >&2; exit 1; }
    "$bin/twine" check --strict "${files[@]}"
    if [[ ${NVX_DRY_RUN:-0} == 1 ]]; then
        echo "dry run: would run: twine upload ${files[*]}"
        exit 0
    fi
    [[ -n ${TWINE_PASSWORD:-}${TWINE_API_KEY:-} || -f ~/.pypirc ]] || { echo "publish-pypi: no PyPI credentials: set TWINE_USERNAME=__token__ TWINE_PASSWORD=<token> (or ~/.pypirc); releases normally go through the workflow's trusted publishing" >&2; exit 1; }
    "$bin/twine" upload "${files[@]}"

# Trigger the Read the Docs build of a tag (needs RTD_TOKEN).
publish-rtd tag="":
    #!/usr/bin/env bash
    set -euo pipefail
    tag="{{ tag }}"
    [[ -n $tag ]] || tag=$(git describe --tags --abbrev=0 2>/dev/null) || { echo "publish-rtd: no tag given and none in git: just publish-rtd v0.1.0" >&2; exit 1; }
    [[ $tag =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "publish-rtd: '$tag' is not a release tag (vMAJOR.MINOR.PATCH)" >&2; exit 1; }
    url=https://readthedocs.org/api/v3/projects/nvx-ws/versions/$tag/builds/
    if [[ ${NVX_DRY_RUN:-0} == 1 ]]; then
        echo "dry run: would POST $url with Authorization: Token \$RTD_TOKEN"
        exit 0
    fi
    [[ -n ${RTD_TOKEN:-} ]] || { echo "publish-rtd: RTD_TOKEN is not set (a token from https://readthedocs.org/accounts/tokens/)" >&2; exit 1; }
    code=$(curl -sS -X POST -H "Authorization: Token $RTD_TOKEN" -o target/rtd-response.json -w '%{http_code}' "$url") ||
        { echo "publish-rtd: cannot reach readthedocs.org" >&2; exit 1; }
    cat target/rtd-response.json; echo
    [[ $code == 201 || $code == 202 ]] || { echo "publish-rtd: HTTP $code" >&2; exit 1; }
    echo "build triggered: https://nvx-ws.readthedocs.io/en/$tag/"

# Download a GitHub release's artifacts into target/release-artifacts/<tag>: nightly|development (newest pre-release), stable|latest, or a tag.
download-github-release release_type="nightly":
    #!/usr/bin/env bash
    set -euo pipefail
    repo=nvx-ws/nvx
    api=https://api.github.com/repos/$repo/releases
    auth=()
    [[ -n ${GITHUB_TOKEN:-} ]] && auth=(-H "Authorization: Bearer $GITHUB_TOKEN")
    get() { curl -fsSL --max-time 30 "${auth[@]}" -H "Accept: application/vnd.github+json" "$1"; }
    case "{{ release_type }}" in
        stable | latest) query=$api/latest ;;
        nightly | development | dev) query="$api?per_page=30" ;;
        *) query=$api/tags/{{ release_type }} ;;
    esac
    json=$(get "$query") || { echo "download-github-release: cannot read $query (no network to GitHub, no such release, or rate-limited: set GITHUB_TOKEN)" >&2; exit 1; }
    release=$(python3 -c '
    import json, sys
    data = json.loads(sys.stdin.read())
    if isinstance(data, list):
        data = next((r for r in data if r.get("prerelease")), None)
        if data is None:
            sys.exit("no pre-release among the newest releases")
    print(data["tag_name"])
    for asset in data.get("assets", []):
        print(asset["name"], asset["browser_download_url"])
    ' <<<"$json")
    tag=$(head -n 1 <<<"$release")
    dir=target/release-artifacts/$tag
    rm -rf "$dir"
    mkdir -p "$dir"
    tail -n +2 <<<"$release" | while read -r name url; do
        echo "  $name"
        curl -fsSL --max-time 300 "${auth[@]}" -o "$dir/$name" "$url"
    done
    if [[ -f $dir/CHECKSUMS.sha256 ]]; then (cd "$dir" && sha256sum --ignore-missing -c CHECKSUMS.sha256); fi
    echo "release $tag: $dir"

# ---------------------------------------------------------------------------------------------------------------
# nvx's own
# ---------------------------------------------------------------------------------------------------------------

# The main job: the Rust report (CPU, kernels, nvx vs peers), then autobahn on loopback with nvx vs its own NVX.
main:
    bash scripts/main.sh

# A bounded fuzz run of every target (about 3 minutes); SECONDS per target for a long run, e.g. `just fuzz 3600`.
fuzz SECONDS="40":
    NVX_FUZZ_SECONDS={{ SECONDS }} bash scripts/ci/fuzz.sh

# Autobahn|Testsuite, autobahn with nvx: MODE ci (1-7, 9, 10), bench (3 servers side by side), deflate (12, 13), all.
conformance MODE="ci":
    bash scripts/ci/conformance.sh {{ MODE }}

# The Rust benchmark (2.5 min on an idle 2-vCPU VM), then RESULTS.md's tables and the charts; FILTER: some groups.
bench FILTER="":
    bash scripts/bench-rust.sh {{ FILTER }}

# benches/RESULTS.md's tables again from the recorded results (benches/results/).
bench-summary:
    python3 benches/summarize.py benches/results --write

# The Python benchmark on CPython 3.11 and PyPy 3.11 (about 6 minutes), into target/bench-python/ and the charts.
bench-python:
    bash scripts/bench-python.sh

# ---------------------------------------------------------------------------------------------------------------
# Cleanup and shell
# ---------------------------------------------------------------------------------------------------------------

# Remove every generated file: clean-build, the venvs, uv's cache, the tool caches, coverage data, built docs.
distclean: clean-build
    rm -rf .venvs .venv* .uv-cache .pytest_cache .mypy_cache .ruff_cache .ty htmlcov docs/_build docs/autoapi fuzz/target
    rm -f .coverage .coverage.*
    find . -name __pycache__ -type d -prune -not -path "./.git/*" -exec rm -rf {} +

# Bash tab completion of recipes for the current user (then: source ~/.config/bash_completion).
setup-completion:
    #!/usr/bin/env bash
    set -euo pipefail
    file=${XDG_CONFIG_HOME:-$HOME/.config}/bash_completion
    marker="# --- just completion ---"
    if [[ -f $file ]] && grep -qF -- "$marker" "$file"; then echo "just completion already in $file"; exit 0; fi
    mkdir -p "$(dirname "$file")"
    { echo; echo "$marker"; {{ just_executable() }} --completions bash; } >>"$file"
    echo "added just completion to $file: source \"$file\""
