#!/usr/bin/env bash
# The Rust test suite under AddressSanitizer (nightly): the core crate's unit and integration tests and the C ABI
# crate's unit tests, built with -Zsanitizer=address into target/asan. No rust-src is needed (no -Zbuild-std): the
# standard library stays the prebuilt, uninstrumented one, whose allocations ASan still intercepts (so a read one
# byte past a Vec is caught). `--target` is explicit so that build scripts and proc macros are built without the
# sanitizer (they run on the host and would need an instrumented std to link).
#
#   bash scripts/ci/asan.sh
#   NVX_ASAN_EXHAUSTIVE=1 bash scripts/ci/asan.sh      # also the exhaustive tests (about 100 million inputs per
#                                                      # kernel: hours under ASan)
#
# Bounded: the exhaustive test binary runs only its 1- and 2-byte tests by default; everything else runs in full
# (property tests with their usual case counts, guard pages, threads with their fresh-process races, the tests
# above 4 GiB on the selected kernel). Doctests are not run (rustdoc would need its own sanitizer flags; they are
# examples, covered uninstrumented by `cargo test`). Prints the time of each step.
set -euo pipefail
cd "$(dirname "$0")/../.."

TARGET=$(rustc +nightly -vV | sed -n 's/^host: //p')
export RUSTFLAGS="-Zsanitizer=address -Cdebug-assertions=on"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1"
CARGO=(cargo +nightly test --locked --target "$TARGET" --target-dir target/asan)

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "asan: the nightly toolchain is missing (rustup toolchain install nightly --profile minimal)" >&2
    exit 1
fi

step() {
    local name=$1
    shift
    local start=$SECONDS
    "$@"
    echo "asan: $name: ok ($((SECONDS - start)) s)"
}

total=$SECONDS
step "build" "${CARGO[@]}" --workspace --lib --tests --no-run --quiet
# The exhaustive 3- and 4-byte sweeps (about 110 million inputs per kernel) are skipped unless asked for.
SKIP=(--skip every_three_byte_sequence --skip four_byte_neighbourhood)
[[ ${NVX_ASAN_EXHAUSTIVE:-0} == 1 ]] && SKIP=()
step "nvx-ws unit and integration tests" "${CARGO[@]}" -p nvx-ws --lib --tests --quiet -- "${SKIP[@]}"
step "nvx-ws-ffi unit tests" "${CARGO[@]}" -p nvx-ws-ffi --lib --quiet
echo "asan: all ok in $((SECONDS - total)) s"
