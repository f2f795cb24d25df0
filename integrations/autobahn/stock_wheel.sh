#!/usr/bin/env bash
# The stock autobahn 26.10.2 wheel from PyPI, switched to nvx by nvx_ws.autobahn.install(): runs autobahn's own
# NVX test module and WebSocket tests (unchanged, from the installed wheel, asyncio flavour as autobahn's
# `just test-asyncio` runs them) plus test_stock_wheel.py (autobahn's disabled incremental position test on nvx,
# and checks that nvx is what autobahn uses) and test_loopback.py (asyncio server and client on loopback: 0 B to
# 16 MiB, text and binary, fragmented or not; invalid UTF-8 closes with 1007). Prints pytest's closing lines.
#
#   bash integrations/autobahn/stock_wheel.sh [PYTHON]     # PYTHON: a CPython >= 3.11 venv's python
#                                                           # (default .venv-cpy311/bin/python)
# The interpreter needs pytest, cffi and autobahn==26.10.2 (installed by name if missing) and nvx_ws._nvx built
# for it in python/ (python cffi_build.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${1:-.venv-cpy311/bin/python}

if ! "$PY" -c "import autobahn, pytest, cffi, sys; sys.exit(autobahn.__version__ != '26.10.2')" 2>/dev/null; then
    "$PY" -m pip install -q --disable-pip-version-check "autobahn==26.10.2" pytest cffi
fi
USE_ASYNCIO=1 PYTHONPATH="$PWD/python:$PWD/integrations/autobahn" "$PY" -m pytest -q -p no:cacheprovider \
    -p nvx_autobahn_plugin --pyargs autobahn.nvx.test autobahn.websocket.test \
    integrations/autobahn/test_stock_wheel.py integrations/autobahn/test_loopback.py 2>&1 | tail -n 6
exit "${PIPESTATUS[0]}"
