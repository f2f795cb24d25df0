# shellcheck shell=bash
# Sourced by the scripts that make venvs (scripts/ci/python.sh, conformance.sh, matrix.sh, scripts/main.sh,
# bench-python.sh, scripts/wheels/common.sh, integrations/autobahn/sdist_build.sh). Not run on its own.

# pyenv_python 3.12: the newest pyenv CPython of that minor version (2.7 works too); without pyenv, or without that
# version in it (CI runners with actions/setup-python), python3.12 from PATH.
pyenv_python() {
    local version
    if command -v pyenv >/dev/null; then
        version=$(pyenv versions --bare 2>/dev/null | grep -xE "${1//./\\.}\.[0-9]+" | sort -V | tail -n 1)
        [[ -n $version ]] && { echo "$(pyenv root)/versions/$version/bin/python"; return; }
    fi
    command -v "python$1" && return
    echo "no CPython $1: pyenv install $1" >&2
    return 1
}

# fetch_autobahn_sdist VERSION DIR: autobahn's sdist (its pure-Python classes are the tests' reference, its NVX
# sources the benchmark's peer), unpacked once into DIR/autobahn-VERSION. `--no-binary autobahn`, not `:all:`: pip
# prepares the sdist's metadata in a build environment, and with `:all:` it builds that environment's packages (cffi
# among them) from source too (141 s with an empty pip cache here, against 52 s).
fetch_autobahn_sdist() {
    local version=$1 dir=$2 tmp
    [[ -f $dir/autobahn-$version/src/autobahn/websocket/utf8validator.py ]] && return
    tmp=$(mktemp -d)
    python3 -m pip download -q --no-deps --no-binary autobahn -d "$tmp" "autobahn==$version"
    mkdir -p "$dir"
    tar xzf "$tmp/autobahn-$version.tar.gz" -C "$dir"
    rm -rf "$tmp"
}

# uv_path: uv from PATH, else installed from PyPI into .venvs/.uv on first use (where scripts/lib/venvs.sh puts it
# too). The matrix makes its venvs and installs into them with uv: it runs natively even for an emulated
# interpreter, which it only asks for its tags and paths (pip itself under qemu costs 1.5 CPU minutes an install).
uv_path() {
    if command -v uv >/dev/null; then
        command -v uv
        return
    fi
    local dir
    dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.venvs/.uv
    if [[ ! -x $dir/bin/uv ]]; then
        "$(pyenv_python 3.11 2>/dev/null || command -v python3)" -m venv "$dir" >&2
        "$dir/bin/python" -m pip install -q --disable-pip-version-check uv >&2
    fi
    echo "$dir/bin/uv"
}
