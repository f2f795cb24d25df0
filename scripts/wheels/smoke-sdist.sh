#!/usr/bin/env bash
# The sdist smoke test: a fresh venv (CPython 3.11, .venv-wheels-sdist), `pip install --no-binary nvx-ws` from the
# sdist (pip's build isolation fetches hatchling, setuptools and cffi; the backend runs cargo on the sdist's own Cargo.lock in
# the unpacked tree: no NVX_LIBDIR, no CARGO_TARGET_DIR, nothing of this checkout), then, from another directory,
# import, validate, mask and the kernel in use. The pip log is target/wheels/sdist-install.log.
#
#   bash scripts/wheels/smoke-sdist.sh [dist/nvx_ws-<version>.tar.gz]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/wheels/common.sh
SDIST=${1:-$(ls dist/nvx_ws-*.tar.gz)}
SDIST=$(realpath "$SDIST")
VENV=.venv-wheels-sdist
LOG=target/wheels/sdist-install.log
mkdir -p target/wheels

rm -rf "$VENV"
"$(pyenv_python 3.11)" -m venv "$VENV"
start=$SECONDS
if ! env -u NVX_LIBDIR -u CARGO_TARGET_DIR -u CC -u LDSHARED "$VENV/bin/python" -m pip install -v --no-cache-dir \
    --disable-pip-version-check --no-binary nvx-ws "$SDIST" >"$LOG" 2>&1; then
    tail -n 40 "$LOG"
    echo "smoke-sdist: pip install from $SDIST failed (log: $LOG)" >&2
    exit 1
fi
grep -q "cargo build --locked --release -p nvx-ws-ffi" "$LOG" ||
    { echo "smoke-sdist: the build did not run cargo (log: $LOG)" >&2; exit 1; }
echo "   pip install --no-binary nvx-ws $(basename "$SDIST"): $((SECONDS - start)) s (cargo build and extension included)"
cd /tmp
"$OLDPWD/$VENV/bin/python" - <<'PY'
import sys

import nvx_ws

assert "site-packages" in nvx_ws.__file__, nvx_ws.__file__
assert nvx_ws.is_valid("κόσμε".encode()) and not nvx_ws.is_valid(b"caf\xc3\xa9 \xff")
try:
    nvx_ws.validate(b"caf\xc3\xa9 \xff")
    raise AssertionError("validate accepted invalid UTF-8")
except nvx_ws.Utf8Error as e:
    assert (e.valid_up_to, e.error_len, e.position) == (6, 1, 6), e
assert nvx_ws.mask(b"Hello", b"\x37\xfa\x21\x3d") == b"\x7f\x9fMQX"  # RFC 6455, 5.7
v = nvx_ws.Utf8Validator()
assert v.validate(b"caf\xc3") == (True, False, 4, 4) and v.validate(b"\xa9!") == (True, True, 2, 6)
print("   smoke: nvx_ws %s from %s on Python %s: validate ok, mask ok, implementation %s"
      % (nvx_ws.libnvx_version(), nvx_ws.__file__, sys.version.split()[0], nvx_ws.implementation()))
PY
