#!/usr/bin/env bash
# autobahn 26.10.2 built from its sdist with its NVX CFFI modules compiled against include/nvx.h and libnvx.a
# instead of its own C sources; its Python code (and its cdefs) unchanged. The two C files autobahn's CFFI builders
# read (src/autobahn/nvx/_utf8validator.c, _xormasker.c) become `#include "nvx.h"`, and the link pulls in
# libnvx.a (whole: distutils puts LDFLAGS before the objects). The wheel is built with autobahn's own build
# (hatchling, AUTOBAHN_USE_NVX=1 so a failed NVX build is an error), installed into the venv .venv-autobahn-nvx
# (pyenv's CPython 3.11), and then autobahn's own NVX test module and WebSocket tests run unchanged, plus
# test_sdist_build.py (the incremental position test autobahn disables for its NVX; checks that libnvx is what
# its _nvx_* modules run). Prints pytest's closing lines.
#
#   bash integrations/autobahn/sdist_build.sh       # after cargo build --release -p nvx-ws-ffi
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source scripts/lib/python.sh # pyenv_python
TARGET_DIR=${CARGO_TARGET_DIR:-target}
LIBNVX=$ROOT/$TARGET_DIR/release/libnvx.a
VERSION=26.10.2
WORK=$ROOT/$TARGET_DIR/autobahn-nvx-build
VENV=.venv-autobahn-nvx

[[ -f $LIBNVX ]] || { echo "sdist_build: $LIBNVX missing: cargo build --release -p nvx-ws-ffi" >&2; exit 1; }

if [[ ! -x $VENV/bin/python ]]; then
    "$(pyenv_python 3.11)" -m venv "$VENV"
fi
"$VENV/bin/python" -c "import pytest" 2>/dev/null || "$VENV/bin/python" -m pip install -q --disable-pip-version-check pytest

# The wheel is rebuilt when libnvx.a, nvx.h or this script is newer than it.
wheel=$(ls "$WORK"/dist/autobahn-$VERSION-*.whl 2>/dev/null || true)
if [[ -z $wheel || $LIBNVX -nt $wheel || include/nvx.h -nt $wheel || $0 -nt $wheel ]]; then
    # The sdist (downloaded once), unpacked afresh: its two C sources are replaced.
    mkdir -p "$WORK"
    rm -rf "$WORK/dist" "$WORK/autobahn-$VERSION"
    [[ -f $WORK/autobahn-$VERSION.tar.gz ]] ||
        "$VENV/bin/python" -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: -d "$WORK" \
            "autobahn==$VERSION"
    tar xzf "$WORK/autobahn-$VERSION.tar.gz" -C "$WORK"
    SRC=$WORK/autobahn-$VERSION
    for c in _utf8validator.c _xormasker.c; do
        printf '/* autobahn NVX on nvx: the functions come from libnvx.a. */\n#include "nvx.h"\n' \
            >"$SRC/src/autobahn/nvx/$c"
    done
    CFLAGS="-I$ROOT/include" \
        LDFLAGS="-Wl,--whole-archive $LIBNVX -Wl,--no-whole-archive -lgcc_s -lutil -lrt -lpthread -lm -ldl" \
        AUTOBAHN_USE_NVX=1 \
        "$VENV/bin/python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$WORK/dist" "$SRC"
    wheel=$(ls "$WORK"/dist/autobahn-$VERSION-*.whl)
    for module in _nvx_utf8validator _nvx_xormasker; do
        unzip -l "$wheel" | grep -q " $module\." || { echo "sdist_build: $module missing from $wheel" >&2; exit 1; }
    done
    echo "sdist_build: built $(basename "$wheel") with libnvx"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall "$wheel"
elif ! "$VENV/bin/python" -c "import _nvx_utf8validator, _nvx_xormasker" 2>/dev/null; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall "$wheel"
fi

cd "$WORK"  # not the repository: nothing of nvx_ws on the path, autobahn alone
USE_ASYNCIO=1 "$ROOT/$VENV/bin/python" -m pytest -q -p no:cacheprovider --rootdir "$WORK" \
    --pyargs autobahn.nvx.test autobahn.websocket.test "$ROOT/integrations/autobahn/test_sdist_build.py" 2>&1 |
    tail -n 6
exit "${PIPESTATUS[0]}"
