#!/usr/bin/env bash
# Builds the Linux aarch64 wheel dist/nvx_ws-<version>-cp311-abi3-manylinux_2_28_aarch64.whl on an x86_64 Debian 12
# host, checks it (auditwheel, abi3audit, glibc symbol versions), then installs it with pip into a venv inside a
# Debian bookworm arm64 root and runs the pytest suite and a smoke test there with the root's own python3 under
# qemu-user. docs/wheels-aarch64.md has the details and the measurements.
#
# Time (2 cores shared with other jobs): about 1 min warm (52-83 s: root cached in target/arm64-root, the install
# and the tests under qemu most of it); 11-20 min from scratch, of which the arm64 root takes 10-15.5 min
# (debootstrap's second stage configures every package under emulation: 9.5 min at load 2, 15 min at load 5.5).
#
# Needs root (debootstrap, chroot, binfmt_misc). Installs what it uses by package name, skipping what is there:
# debootstrap, qemu-user-static (its binfmt entry has the F flag, so chroot needs no qemu inside the root), Debian's
# rustc-web/cargo-web 1.96 with libstd-rust-web-dev:arm64 (rustup's toolchain has no aarch64 std here), python3-venv;
# from PyPI into .venv-wheels-aarch64: ziglang (C compiler and linker against glibc 2.28), cffi, setuptools,
# auditwheel, abi3audit.
#
#   bash scripts/wheels/aarch64.sh                  # everything; reuses target/arm64-root when it is complete
#   NVX_ARM64_ROOT_REBUILD=1 bash scripts/wheels/aarch64.sh   # makes the arm64 root afresh
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/apt.sh    # as_root, apt_install
source scripts/lib/binfmt.sh # binfmt_register
ROOT_DIR=$PWD

TARGET=aarch64-unknown-linux-gnu
PLATFORM=manylinux_2_28_aarch64
WHEEL_TAG=cp311-abi3-$PLATFORM
LIMITED_API=0x030B0000                      # Python 3.11: the oldest CPython the abi3 wheel serves
BUILD=target/wheels-aarch64                 # cargo's target dir, the extension, logs
ROOTFS=target/arm64-root                    # the Debian arm64 root (cached)
VENV=.venv-wheels-aarch64
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
# python3-ply: debootstrap does not resolve virtual packages, and python3-pycparser (for python3-cffi) depends on
# python3-ply-lex-3.10, which only python3-ply provides.
ROOT_PACKAGES=python3,python3-dev,python3-venv,python3-pip,python3-cffi,python3-ply,python3-pytest
HOST_PACKAGES=(debootstrap qemu-user-static rustc-web cargo-web libstd-rust-web-dev:arm64 python3-venv)
AUTOBAHN_VERSION=26.10.2                    # the tests' reference (tests/python/conftest.py)

mkdir -p "$BUILD/logs"
log=$BUILD/logs/last.log
# Runs a command with its output in $log; prints it only when the command fails.
quiet() {
    if ! "$@" >"$log" 2>&1; then
        cat "$log"
        echo "failed: $*" >&2
        return 1
    fi
}

started=$SECONDS
step_start=$SECONDS
step() {
    echo "== $* ($(date -u +%H:%M:%S))"
    step_start=$SECONDS
}
done_step() {
    echo "   done in $((SECONDS - step_start)) s"
}

unmount_below() {
    local dir=$1 m
    for m in sys proc dev/pts; do
        if mountpoint -q "$dir/$m" 2>/dev/null; then as_root umount -l "$dir/$m"; fi
    done
}

# `in_root SECONDS COMMAND...`: runs a command inside the arm64 root (its programs run under qemu-user through
# binfmt_misc), killed after SECONDS so that a hang under emulation fails the run instead of blocking it.
in_root() {
    local secs=$1
    shift
    as_root timeout "$secs" chroot "$ROOTFS" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 "$@"
}

root_stamp="$SUITE $MIRROR $ROOT_PACKAGES"
make_root() {
    local tmp=$ROOTFS.tmp
    if [[ ${NVX_ARM64_ROOT_REBUILD:-0} != 1 && -f $ROOTFS/.nvx-root && $(cat "$ROOTFS/.nvx-root") == "$root_stamp" ]]; then
        echo "   reusing $ROOTFS"
        return
    fi
    unmount_below "$tmp"
    as_root rm -rf --one-file-system "$tmp"
    trap 'unmount_below "$ROOT_DIR/$ROOTFS.tmp"' EXIT
    local t=$SECONDS
    quiet as_root debootstrap --arch=arm64 --variant=minbase --foreign --include="$ROOT_PACKAGES" \
        "$SUITE" "$tmp" "$MIRROR"
    echo "   debootstrap first stage (download, unpack): $((SECONDS - t)) s"
    t=$SECONDS
    if ! as_root chroot "$tmp" /bin/true; then
        echo "cannot run the arm64 root's programs: binfmt_misc and qemu-user-static are needed" >&2
        return 1
    fi
    if ! quiet as_root chroot "$tmp" /debootstrap/debootstrap --second-stage; then
        tail -30 "$tmp/debootstrap/debootstrap.log" >&2 || true
        return 1
    fi
    echo "   debootstrap second stage (configure, under qemu): $((SECONDS - t)) s"
    unmount_below "$tmp"
    trap - EXIT
    echo "$root_stamp" | as_root tee "$tmp/.nvx-root" >/dev/null
    unmount_below "$ROOTFS"
    as_root rm -rf --one-file-system "$ROOTFS"
    as_root mv "$tmp" "$ROOTFS"
}

make_venv() {
    if [[ -x $VENV/bin/python ]] &&
        "$VENV/bin/python" -c 'import ziglang, cffi, setuptools, hatchling, auditwheel, abi3audit' 2>/dev/null; then
        return
    fi
    rm -rf "$VENV"
    /usr/bin/python3 -m venv "$VENV"
    quiet "$VENV/bin/pip" install -q --disable-pip-version-check ziglang cffi "setuptools>=77" hatchling auditwheel abi3audit
}

# ---------------------------------------------------------------------------------------------------------------
step "host packages, binfmt_misc, build venv"
apt_install "${HOST_PACKAGES[@]}"
binfmt_register qemu-aarch64
make_venv
echo "   $(/usr/bin/rustc --version), zig $("$VENV/bin/python" -m ziglang version), qemu $(qemu-aarch64-static --version | head -1 | awk '{print $3}')"
done_step

step "arm64 root $ROOTFS (debootstrap $SUITE, minbase + python3)"
make_root
echo "   $(du -sh "$ROOTFS" | cut -f1), $(in_root 60 python3 --version)"
done_step

step "libnvx.a for $TARGET (Debian's cargo/rustc, release)"
# The staticlib alone: no cross linker needed (the cdylib would need aarch64-linux-gnu-gcc).
RUSTC=/usr/bin/rustc CARGO_TERM_COLOR=never quiet /usr/bin/cargo rustc --locked -p nvx-ws-ffi --lib --release \
    --target "$TARGET" --target-dir "$BUILD" --crate-type staticlib
LIBDIR=$ROOT_DIR/$BUILD/$TARGET/release
ls -l "$LIBDIR/libnvx.a" | awk '{print "   libnvx.a: " $5 " bytes"}'
done_step

step "CFFI extension _nvx.abi3.so (zig cc, aarch64 glibc 2.28, limited API $LIMITED_API)"
EXT=$BUILD/ext
rm -rf "$EXT" && mkdir -p "$EXT/include/aarch64-linux-gnu"
pyinc=$(cd "$ROOTFS/usr/include" && ls -d python3.* | sort -V | tail -1)
# Debian's pyconfig.h includes <aarch64-linux-gnu/python3.X/pyconfig.h>; the root's whole /usr/include must not be on
# the path (its glibc 2.36 headers would shadow zig's 2.28 ones), so only that directory is made visible.
ln -s "$ROOT_DIR/$ROOTFS/usr/include/aarch64-linux-gnu/$pyinc" "$EXT/include/aarch64-linux-gnu/$pyinc"
# The C source and the compile and link flags come from cffi_build.make_ffi(), as `pip wheel .` would use them
# (Py_LIMITED_API, include dirs, libnvx.a, the system libraries, the version script exporting PyInit__nvx alone,
# gc-sections, strip-debug); zig answers -lgcc_s with its own libunwind, linked in.
NVX_LIBDIR=$LIBDIR "$VENV/bin/python" - "$EXT/_nvx.c" "$EXT/flags" "$LIMITED_API" >/dev/null <<'PY'
import sys

sys.path.insert(0, ".")
import cffi_build

c_file, flags_file, limited_api = sys.argv[1:]
ffi = cffi_build.make_ffi()
ffi.emit_c_code(c_file)
kwds = ffi._assigned_source[3]  # what ffi.set_source() was given
macros = ["-D%s" % k if v is None else "-D%s=%s" % (k, v) for k, v in kwds.get("define_macros", [])]
if not any(m.startswith("-DPy_LIMITED_API=") for m in macros):
    macros.append("-DPy_LIMITED_API=" + limited_api)
flags = macros + ["-I" + d for d in kwds.get("include_dirs", [])] + [c_file] + kwds.get("extra_objects", [])
flags += ["-l" + lib for lib in kwds.get("libraries", [])] + kwds.get("extra_link_args", [])
with open(flags_file, "w") as f:
    f.write("\n".join(flags) + "\n")
PY
mapfile -t flags <"$EXT/flags"
echo "   flags from cffi_build: ${flags[*]/#$ROOT_DIR\//}"
quiet "$VENV/bin/python" -m ziglang cc -target aarch64-linux-gnu.2.28 -shared -fPIC -O2 \
    -I"$ROOTFS/usr/include/$pyinc" -I"$EXT/include" "${flags[@]}" -o "$EXT/_nvx.abi3.so"
ls -l "$EXT/_nvx.abi3.so" | awk '{print "   _nvx.abi3.so: " $5 " bytes"}'
done_step

step "wheel"
mkdir -p dist
rm -f dist/nvx_ws-*-"$WHEEL_TAG".whl
WHEEL=$(NVX_LIBDIR=$LIBDIR "$VENV/bin/python" scripts/wheels/aarch64_wheel.py \
    --so "$EXT/_nvx.abi3.so" --tag "$WHEEL_TAG" --out dist 2>"$log" | tail -1) || { cat "$log"; exit 1; }
ls -l "$WHEEL" | awk '{print "   " $9 ": " $5 " bytes"}'
done_step

step "checks: auditwheel, abi3audit, glibc versions, exports"
"$VENV/bin/auditwheel" show "$WHEEL" >"$BUILD/logs/auditwheel.txt" 2>&1 || { cat "$BUILD/logs/auditwheel.txt"; exit 1; }
tr '\n' ' ' <"$BUILD/logs/auditwheel.txt" | tr -s ' ' | grep -o "is consistent with the following platform tag: \"[^\"]*\"" |
    sed 's/^/   auditwheel: /'
grep -q "\"$PLATFORM\"" <(tr '\n' ' ' <"$BUILD/logs/auditwheel.txt" | tr -s ' ') ||
    { echo "auditwheel does not report $PLATFORM:" >&2; cat "$BUILD/logs/auditwheel.txt" >&2; exit 1; }
"$VENV/bin/abi3audit" --strict --summary "$WHEEL" >"$BUILD/logs/abi3audit.txt" 2>&1 ||
    { cat "$BUILD/logs/abi3audit.txt"; exit 1; }
echo "   abi3audit --strict: $(grep -v '^ *$' "$BUILD/logs/abi3audit.txt" | tail -1 | tr -s ' ' | sed 's/^ //')"
glibc_max=$(readelf --dyn-syms -W "$EXT/_nvx.abi3.so" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
needed=$(readelf -d "$EXT/_nvx.abi3.so" | grep -o 'NEEDED.*\[.*\]' | sed 's/.*\[\(.*\)\]/\1/' | tr '\n' ' ')
exported=$(readelf --dyn-syms -W "$EXT/_nvx.abi3.so" | awk '$7 != "UND" && $5 == "GLOBAL" {print $8}' | tr '\n' ' ')
echo "   newest glibc symbol version: $glibc_max; NEEDED: $needed; exported: $exported"
if [[ $(printf '%s\n' "$glibc_max" GLIBC_2.28 | sort -V | tail -1) != GLIBC_2.28 ]]; then
    echo "a symbol needs $glibc_max, newer than manylinux_2_28 allows" >&2
    exit 1
fi
if [[ $exported != "PyInit__nvx " ]]; then
    echo "the extension exports more than PyInit__nvx: $exported" >&2
    exit 1
fi
done_step

step "install into a venv in the arm64 root and test there (python3 under qemu-user)"
# The tests' reference: autobahn's pure-Python classes from its sdist (tests/python/conftest.py), where
# scripts/ci/python.sh unpacked it, else downloaded here. `--no-binary autobahn`, not `:all:`: pip prepares the
# sdist's metadata, and with `:all:` it would first build its build dependencies (cffi among them) from source.
AUTOBAHN_DIR=target/autobahn-$AUTOBAHN_VERSION
if [[ ! -f $AUTOBAHN_DIR/src/autobahn/websocket/utf8validator.py ]]; then
    AUTOBAHN_DIR=$BUILD/autobahn-$AUTOBAHN_VERSION
fi
if [[ ! -f $AUTOBAHN_DIR/src/autobahn/websocket/utf8validator.py ]]; then
    tmp=$(mktemp -d)
    quiet "$VENV/bin/pip" download -q --disable-pip-version-check --no-deps --no-binary autobahn -d "$tmp" \
        "autobahn==$AUTOBAHN_VERSION"
    tar xzf "$tmp/autobahn-$AUTOBAHN_VERSION.tar.gz" -C "$BUILD"
    rm -rf "$tmp"
fi
# What the suite reads besides the installed package: the header, cffi_build.py and the stub python/nvx_ws/_nvx.pyi
# (test_cdef), the tests, the reference. Nothing else of python/ (and it is not on sys.path): nvx_ws must come
# from the wheel.
stage=$ROOTFS/opt/nvx
as_root rm -rf "$stage" "$ROOTFS/opt/nvx-venv"
as_root mkdir -p "$stage/dist" "$stage/tests" "$stage/python/nvx_ws" "$stage/target/autobahn-$AUTOBAHN_VERSION/src/autobahn"
as_root cp -r cffi_build.py pyproject.toml include "$stage/"
as_root cp -r tests/python "$stage/tests/"
as_root cp python/nvx_ws/_nvx.pyi "$stage/python/nvx_ws/"
as_root cp -r "$AUTOBAHN_DIR/src/autobahn/websocket" "$stage/target/autobahn-$AUTOBAHN_VERSION/src/autobahn/"
as_root cp scripts/wheels/aarch64_smoke.py "$stage/"
as_root cp "$WHEEL" "$stage/dist/"
t=$SECONDS
# The root's pip installs into the venv (--python): a venv of its own pip would take 3 times as long under qemu.
quiet in_root 600 python3 -m venv --system-site-packages --without-pip /opt/nvx-venv
quiet in_root 900 python3 -m pip --python /opt/nvx-venv/bin/python install --no-index --no-cache-dir \
    --disable-pip-version-check "/opt/nvx/dist/$(basename "$WHEEL")"
echo "   venv + pip install (cffi from the root's python3-cffi): $((SECONDS - t)) s"
t=$SECONDS
in_root 120 /opt/nvx-venv/bin/python /opt/nvx/aarch64_smoke.py | sed 's/^/   smoke: /'
echo "   smoke test: $((SECONDS - t)) s"
t=$SECONDS
in_root 1800 sh -c 'cd /opt/nvx && exec /opt/nvx-venv/bin/python -m pytest -q -p no:cacheprovider tests/python' \
    >"$BUILD/logs/pytest.txt" 2>&1 || { tail -40 "$BUILD/logs/pytest.txt"; echo "pytest failed under qemu" >&2; exit 1; }
echo "   pytest under qemu ($((SECONDS - t)) s): $(tail -1 "$BUILD/logs/pytest.txt")"
done_step

echo "== $WHEEL built, checked, installed and tested on aarch64 in $((SECONDS - started)) s"
