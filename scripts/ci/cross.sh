#!/usr/bin/env bash
# The 32-bit and big-endian stages: nvx built for another target and tested there.
#
#   bash scripts/ci/cross.sh i686     # 32-bit x86 (i686-unknown-linux-gnu): run natively (the kernel's IA-32 mode)
#   bash scripts/ci/cross.sh s390x    # 64-bit big-endian (s390x-unknown-linux-gnu): run under qemu-user
#
# What runs, for the target: the whole Rust test suite of the workspace (unit, integration and doc tests; on i686
# that includes the streams of more than 4 GiB in tests/hostile.rs), built with -D warnings; the `no_std` library;
# the C ABI tests (test_nvx, test_threads, test_hostile: libnvx.a for the target, each program cross-compiled and
# linked statically, tests/c/run.sh cross); and on i686 clippy (pedantic, -D warnings) on the two libraries, whose
# code for targets without SIMD kernels the host's clippy never sees (the tests are left to rustc's -D warnings:
# clippy on them would check every dev-dependency a second time). Neither target has a SIMD kernel: the scalar
# reference and the word-at-a-time masker run, which is what a 32-bit `usize` and big-endian words can break.
#
# The toolchain is Debian's rustc-web 1.96 in a Debian 13 root (scripts/targets/root.sh says why, and caches it in
# target/cross-root); cargo runs there --offline against the host's registry, filled by `cargo fetch` here first.
# Test programs are linked statically (+crt-static): they then run on the host kernel without the target's libc
# installed anywhere, and under qemu-user without the dynamic-loader hang seen on aarch64 (docs in
# ../shared/notes/toolchains.md). s390x programs are started through binfmt_misc (qemu-s390x, registered here):
# tests/threads.rs re-executes its own binary, which only the kernel can start. Artifacts: target/cross/<name>.
#
# Reproduce a fresh machine for these stages: rm -rf target/cross-root target/cross;
# echo -1 > /proc/sys/fs/binfmt_misc/qemu-s390x; apt-get purge qemu-user-static debootstrap.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/apt.sh        # as_root, apt_install
source scripts/lib/binfmt.sh     # binfmt_register
source scripts/targets/root.sh   # cross_root_ensure, in_cross_root

name=${1:?which target: i686 or s390x}
# CLIPPY: lint for this target too. EXHAUSTIVE: tests/exhaustive.rs's sweeps, full or narrowed (its docs).
case $name in
i686)
    TARGET=i686-unknown-linux-gnu
    CROSS_CC=i686-linux-gnu-gcc
    CLIPPY=1
    EXHAUSTIVE=full
    ;;
s390x)
    TARGET=s390x-unknown-linux-gnu
    CROSS_CC=s390x-linux-gnu-gcc
    # No cfg of nvx's is s390x's own: i686's clippy sees the code of targets without SIMD kernels.
    CLIPPY=0
    # Under qemu the full sweeps would take many minutes; they run natively in the test and i686 stages.
    EXHAUSTIVE=narrow
    ;;
*)
    echo "unknown target name: $name (i686 or s390x)" >&2
    exit 2
    ;;
esac
OUT=target/cross/$name
ENV_TARGET=${TARGET^^}
ENV_TARGET=${ENV_TARGET//-/_}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# step NAME COMMAND...: runs COMMAND, printing one line with its time; its output only when it fails.
step() {
    local what=$1 start=$SECONDS
    shift
    if ! "$@" >"$log" 2>&1; then
        cat "$log"
        echo "$name: $what: FAILED" >&2
        return 1
    fi
    echo "$name: $what: ok ($((SECONDS - start)) s)"
}

# cargo for the target, inside the root.
cross_cargo() {
    in_cross_root env CARGO_TARGET_DIR="$OUT" NVX_EXHAUSTIVE="$EXHAUSTIVE" \
        "CARGO_TARGET_${ENV_TARGET}_LINKER=$CROSS_CC" \
        "CARGO_TARGET_${ENV_TARGET}_RUSTFLAGS=-C target-feature=+crt-static -D warnings" \
        "RUSTDOCFLAGS=-C target-feature=+crt-static -C linker=$CROSS_CC" \
        cargo "$@"
}

host_setup() {
    if [[ $name == s390x ]]; then
        apt_install qemu-user-static
        binfmt_register qemu-s390x
    fi
    cross_root_ensure
    cargo fetch --locked --quiet
}

step "toolchain (root, registry, binfmt)" host_setup
echo "$name: $(in_cross_root rustc --version), target $TARGET"

if ((CLIPPY)); then
    step "clippy (pedantic, -D warnings, the libraries)" cross_cargo clippy --offline --locked --workspace --lib \
        --target "$TARGET" -- -D warnings
fi
[[ $EXHAUSTIVE == full ]] || echo "$name: tests/exhaustive.rs narrowed (NVX_EXHAUSTIVE=$EXHAUSTIVE): every lead byte," \
    "boundary bytes after it; the full sweeps run natively in the test and i686 stages"
step "build the tests" cross_cargo test --offline --locked --workspace --target "$TARGET" --lib --tests --no-run

# The suite: one line per test binary (its name, counts and time), everything when a test fails.
run_tests() {
    cross_cargo test --offline --locked --workspace --target "$TARGET" "$@" 2>&1 |
        awk -v name="$name" '
            /Running / { binary = $NF; sub(/.*\//, "", binary); sub(/-[0-9a-f]+\)$/, "", binary) }
            /Doc-tests / { binary = "doc tests " $2 }
            /^test result/ { passed += $4; failed += $6; printf "%s:   %s: %s\n", name, binary, $0 }
            { all = all $0 "\n" }
            END { if (failed > 0 || passed == 0) { printf "%s", all; exit 1 } }'
}
start=$SECONDS
run_tests --lib --tests
echo "$name: Rust tests: ok ($((SECONDS - start)) s)"
start=$SECONDS
run_tests --doc
echo "$name: doc tests: ok ($((SECONDS - start)) s)"

step "no_std library" cross_cargo build --offline --locked -p nvx-ws --no-default-features --lib --target "$TARGET"

step "libnvx (release)" cross_cargo build --offline --locked -p nvx-ws-ffi --release --target "$TARGET"
start=$SECONDS
in_cross_root env NVX_CROSS_CC="$CROSS_CC" NVX_CROSS_RUNNER= NVX_C_TESTS_OUT="$OUT/c-tests" \
    bash tests/c/run.sh cross "$OUT/$TARGET/release" | sed "s/^/$name: C ABI: /"
echo "$name: C ABI tests: ok ($((SECONDS - start)) s)"
