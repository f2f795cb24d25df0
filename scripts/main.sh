#!/usr/bin/env bash
# The main job:
#   1. builds nvx in release and runs the report (CPU features, the kernels nvx selected, and a short side-by-side
#      throughput table against simdutf8, std and memcpy on this machine);
#   2. builds libnvx (target/release/libnvx.a) and the Python package nvx_ws on it, in place (cffi_build.py), in the
#      venv .venv-demo (CPython 3.11 from pyenv, else python3.11 on PATH; pip installs autobahn==26.10.2, the stock
#      wheel with its own NVX, plus cffi and setuptools, by name, when missing);
#   3. runs the demonstration integrations/autobahn/demo.py: autobahn's asyncio WebSocket server and client on
#      loopback exchanging a fixed mix of 2,000 text and binary messages (chat lines, JSON, KiB blobs, up to 4 MiB),
#      on nvx (nvx_ws.autobahn.install()) and on autobahn's own NVX, in fresh processes (two each, alternating),
#      printing round trips/s, MB/s, the implementation each used (checked on the live connection) and that every
#      echo matched.
# About 50 s warm on the shared 2-vCPU VM (the demo about 15 s of it); a first run adds the release build and the
# venv (a minute or two).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/python.sh # pyenv_python

cargo run --locked --release --example report

VENV=.venv-demo
AUTOBAHN_VERSION=26.10.2

echo
echo "== nvx_ws and autobahn $AUTOBAHN_VERSION"
cargo build --locked --release -q -p nvx-ws-ffi
[[ -x $VENV/bin/python ]] || "$(pyenv_python 3.11)" -m venv "$VENV"
if ! "$VENV/bin/python" -c "import autobahn, cffi, setuptools, sys; sys.exit(autobahn.__version__ != '$AUTOBAHN_VERSION')" \
    2>/dev/null; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "autobahn==$AUTOBAHN_VERSION" cffi "setuptools>=77"
fi
"$VENV/bin/python" cffi_build.py
PYTHONPATH=$PWD/python "$VENV/bin/python" integrations/autobahn/demo.py
