#!/usr/bin/env bash
# Prints the path of an interpreter of the roots (scripts/roots/interpreters.txt), making its root first if needed
# (progress on stderr). It runs on the host like any other Python: venvs, pip and uv work with it.
#
#   bash scripts/roots/python.sh pypy311     # PyPy 3.11 (7.3.19, Debian trixie), e.g. for NVX_BENCH_PYPY
#   NVX_BENCH_PYPY=$(bash scripts/roots/python.sh pypy311) bash scripts/bench-python.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
name=${1:?usage: python.sh NAME (cpy314 cpy315 pypy311: scripts/roots/interpreters.txt)}
read -r root program < <(awk -v n="$name" '$1 == n && !/^#/ {print $2, $3}' scripts/roots/interpreters.txt) ||
    { echo "python.sh: no interpreter '$name' in scripts/roots/interpreters.txt" >&2; exit 2; }
bash scripts/roots/make.sh "$root" >&2
path=$PWD/target/roots/$root/usr/bin/$program
"$path" -c "" || { echo "python.sh: $path does not run" >&2; exit 1; }
echo "$path"
