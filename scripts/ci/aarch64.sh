#!/usr/bin/env bash
# Cross-builds nvx-ws's tests for aarch64-unknown-linux-gnu and runs them under qemu-user (NEON kernels).
#
# Installs what it needs itself (Debian 12, root or sudo), skipping what is already there:
#   arm64 as a foreign dpkg architecture; Debian's rustc-web/cargo-web (1.96) with the aarch64 standard library
#   (libstd-rust-web-dev:arm64); the aarch64 cross gcc and libc; qemu-user-static, with its binfmt_misc entry
#   registered (tests/threads.rs re-executes its own test binary, which the host kernel starts only through it).
# The aarch64 build uses Debian's /usr/bin/cargo and /usr/bin/rustc (rustup's toolchain has no aarch64 std here);
# the host build keeps rustup's. Test executables are linked statically: a dynamically linked aarch64 program that
# starts threads hangs under qemu-user on this kind of machine, and libtest runs every test on a thread.
# Linker and runner come from .cargo/config.toml; artifacts go to target/aarch64 so the host build's lock is free.
#
#   bash scripts/ci/aarch64.sh                 # unit, integration and C ABI tests run; no_std lib built; benches run once
#   NVX_AARCH64_BENCHES=0 bash scripts/ci/aarch64.sh   # tests only
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/apt.sh    # as_root, apt_install
source scripts/lib/binfmt.sh # binfmt_register

TARGET=aarch64-unknown-linux-gnu
PACKAGES=(rustc-web cargo-web libstd-rust-web-dev:arm64 gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static)

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Runs a command quietly; prints its output only when it fails.
quiet() {
    if ! "$@" >"$log" 2>&1; then
        cat "$log"
        echo "failed: $*" >&2
        return 1
    fi
}

apt_install "${PACKAGES[@]}"
binfmt_register qemu-aarch64

# Debian's toolchain for this build only (rustup's proxies in ~/.cargo/bin come first on PATH).
CARGO=/usr/bin/cargo
export RUSTC=/usr/bin/rustc
export CARGO_TARGET_DIR=target/aarch64
export CARGO_TERM_COLOR=never
# Static linking for the target only; host build scripts are unaffected.
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C target-feature=+crt-static"
echo "toolchain: $($RUSTC --version), $($CARGO --version), $(qemu-aarch64-static --version | head -1)"

# Unit and integration tests (doc tests are not run: rustdoc cannot cross-run them without a nightly flag).
quiet "$CARGO" test --locked -p nvx-ws --target "$TARGET" --lib --tests --no-run
"$CARGO" test --locked -p nvx-ws --target "$TARGET" --lib --tests -- --quiet 2>&1 |
    grep -v -E '^\s+(Finished|Compiling)'

# Without `std`: the compile-time selection (NEON) must build too.
quiet "$CARGO" build --locked -p nvx-ws --target "$TARGET" --lib --no-default-features
echo "no_std: library built for $TARGET"

# The C ABI tests (every program: test_nvx, test_threads, test_hostile): libnvx.a for aarch64, each program
# cross-compiled and linked statically, run under qemu.
quiet "$CARGO" build --locked -p nvx-ws-ffi --release --target "$TARGET"
echo "C ABI tests (aarch64, qemu):"
NVX_CROSS_CC=aarch64-linux-gnu-gcc NVX_CROSS_RUNNER=qemu-aarch64-static NVX_C_TESTS_OUT=$CARGO_TARGET_DIR/c-tests \
    bash tests/c/run.sh cross "$CARGO_TARGET_DIR/$TARGET/release" | sed 's/^/   /'

if [[ ${NVX_AARCH64_BENCHES:-1} != 0 && -f benches/throughput.rs ]]; then
    # Under emulation timings mean nothing: each benchmark runs once (criterion's --test), on inputs up to 16 KiB.
    quiet "$CARGO" bench --locked -p nvx-ws --target "$TARGET" --no-run
    NVX_BENCH_MAX_SIZE=16384 "$CARGO" bench --locked -p nvx-ws --target "$TARGET" -- --test 2>&1 |
        grep -c '^Success' | sed 's/^/benches: ran once each under qemu: /'
fi
