# shellcheck shell=bash
# Sourced by the justfile's recipes and the CI stages that make Python venvs (scripts/ci/python.sh, docs.sh,
# the fmt stage): uv, and the WAMP stack's venvs made by uv under .venvs/, named by interpreter. Not run on its own.
#
#   nvx_uv                 the path of uv (PATH's, else installed from PyPI into .venvs/.uv on first use)
#   nvx_spec NAME          the uv request for a venv name: cpy311 -> cpython-3.11, pypy311 -> pypy-3.11
#   nvx_interpreter NAME   the interpreter a venv of that name is made from (see below), or an error saying how
#                          to get one
#   nvx_venv NAME          makes .venvs/NAME with `uv venv --seed` if it is missing or broken; prints its python
#
# Venv names (ENVS in the justfile): cpy311 cpy312 cpy313 cpy314 (CPython 3.11-3.14), pypy311 (PyPy 3.11); other
# cpyXY/pypyXY names work the same way. The interpreter of NAME, first found:
#   1. $NVX_PYTHON_<NAME> (e.g. NVX_PYTHON_CPY314=/path/to/python3.14): an executable;
#   2. $NVX_INTERPRETERS/<NAME> (default target/interpreters/<NAME>): an executable or a symlink to one, where the
#      interpreter roots of the platform matrix (scripts/roots/) put the interpreters they provide;
#   3. CPython: pyenv's newest X.Y, else pythonX.Y on PATH; PyPy: pypyX.Y on PATH, or pypy3 if it is that version.
# uv never downloads an interpreter (UV_PYTHON_DOWNLOADS=never): the machine's are the ones tested.

source "$(dirname "${BASH_SOURCE[0]}")/python.sh" # pyenv_python

NVX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NVX_VENVS_DIR=${NVX_VENVS_DIR:-$NVX_ROOT/.venvs}
NVX_INTERPRETERS=${NVX_INTERPRETERS:-$NVX_ROOT/target/interpreters}
# uv's cache: the justfile sets the stack's ./.uv-cache; the CI scripts use uv's default (~/.cache/uv), shared by
# every clone on the machine, so that a fresh clone does not download every package again.
export UV_PYTHON_DOWNLOADS=never
export UV_NO_PROGRESS=1

nvx_uv() {
    if command -v uv >/dev/null; then
        command -v uv
        return
    fi
    local dir=$NVX_VENVS_DIR/.uv
    if [[ ! -x $dir/bin/uv ]]; then
        local python
        python=$(pyenv_python 3.11 2>/dev/null || command -v python3)
        "$python" -m venv "$dir" >&2
        "$dir/bin/python" -m pip install -q --disable-pip-version-check uv >&2
    fi
    echo "$dir/bin/uv"
}

# _nvx_split NAME: "cpython 3.11" or "pypy 3.11", or nothing for a name that is neither.
_nvx_split() {
    local name=$1
    if [[ $name =~ ^cpy3([0-9]+)$ ]]; then
        echo "cpython 3.${BASH_REMATCH[1]}"
    elif [[ $name =~ ^pypy3([0-9]+)$ ]]; then
        echo "pypy 3.${BASH_REMATCH[1]}"
    fi
}

# _nvx_is PYTHON IMPL VERSION WHAT: PYTHON runs and is that implementation and version (else an error naming WHAT).
_nvx_is() {
    local got
    got=$("$1" -c 'import sys; print(sys.implementation.name, "%d.%d" % sys.version_info[:2])' 2>/dev/null) ||
        { echo "$4 does not run" >&2; return 1; }
    [[ $got == "$2 $3" ]] || { echo "$4 is $got, not $2 $3" >&2; return 1; }
}

nvx_spec() {
    local parts
    parts=$(_nvx_split "$1")
    [[ -n $parts ]] || { echo "unknown venv name '$1': cpy311 cpy312 cpy313 cpy314 pypy311 (cpyXY, pypyXY)" >&2; return 1; }
    echo "${parts% *}-${parts#* }"
}

nvx_interpreter() {
    local name=$1 parts impl version var candidate
    parts=$(_nvx_split "$name")
    [[ -n $parts ]] || { nvx_spec "$name" >/dev/null; return 1; }
    impl=${parts% *} version=${parts#* }
    var=NVX_PYTHON_${name^^}
    if [[ -n ${!var:-} ]]; then
        [[ -x ${!var} ]] || { echo "$var=${!var} is not an executable" >&2; return 1; }
        _nvx_is "${!var}" "$impl" "$version" "$var=${!var}" || return 1
        echo "${!var}"
        return
    fi
    candidate=$NVX_INTERPRETERS/$name
    if [[ -x $candidate ]]; then
        _nvx_is "$candidate" "$impl" "$version" "$candidate" || return 1
        echo "$candidate"
        return
    fi
    if [[ $impl == cpython ]]; then
        candidate=$(pyenv_python "$version" 2>/dev/null) && { echo "$candidate"; return; }
    else
        candidate=$(command -v "pypy$version") && { echo "$candidate"; return; }
        if candidate=$(command -v pypy3) &&
            [[ $("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) == "$version" ]]; then
            echo "$candidate"
            return
        fi
    fi
    local what="CPython $version"
    [[ $impl == pypy ]] && what="PyPy $version"
    cat >&2 <<EOF
no $what interpreter for the venv '$name'. Give it one of:
  - NVX_PYTHON_${name^^}=/path/to/its/python (an executable that runs on this machine);
  - an executable or symlink at ${NVX_INTERPRETERS#"$NVX_ROOT"/}/$name: the interpreter roots of the platform
    matrix (scripts/roots/, Debian trixie and sid) provide CPython 3.14 and PyPy 3.11 there;
  - $( [[ $impl == cpython ]] && echo "pyenv install $version, or python$version on PATH" || echo "pypy$version on PATH")
EOF
    return 1
}

nvx_venv() {
    local name=$1 dir python uv
    dir=$NVX_VENVS_DIR/$name
    if [[ -x $dir/bin/python ]] && "$dir/bin/python" -c "" 2>/dev/null; then
        echo "$dir/bin/python"
        return
    fi
    python=$(nvx_interpreter "$name") || return 1
    uv=$(nvx_uv) || return 1
    rm -rf "$dir"
    mkdir -p "$NVX_VENVS_DIR"
    "$uv" venv -q --seed --python "$python" "$dir" >&2 || { echo "uv venv $dir from $python failed" >&2; return 1; }
    echo "$dir/bin/python"
}

# nvx_venv_name [NAME]: NAME, or (empty) the venv name of the system's python3 (cpy311 for 3.11), which must be one
# of $NVX_ENVS (the justfile's ENVS).
nvx_venv_name() {
    if [[ -n ${1:-} ]]; then
        nvx_spec "$1" >/dev/null || return 1
        echo "$1"
        return
    fi
    local name
    name=cpy$(python3 -c 'import sys; print("%d%d" % sys.version_info[:2])')
    if [[ " ${NVX_ENVS:-cpy314 cpy313 cpy312 cpy311 pypy311} " != *" $name "* ]]; then
        echo "the system's python3 maps to '$name', which is not one of: ${NVX_ENVS:-}" >&2
        return 1
    fi
    echo "$name"
}
