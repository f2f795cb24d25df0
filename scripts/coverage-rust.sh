#!/usr/bin/env bash
# Rust line coverage of the workspace (the crates nvx-ws and nvx-ws-ffi) with cargo-tarpaulin: `just coverage-rust`.
# Not a CI stage: it rebuilds the tests with coverage instrumentation and runs them, about 25 minutes on a busy
# 2-vCPU machine (docs/development.md has the figures).
#
# Why tarpaulin: rustup on this machine kind has no llvm-tools component (and cannot add one), so cargo-llvm-cov and
# grcov have no llvm-profdata/llvm-cov matching rustc's LLVM; Debian 12's newest llvm-profdata (19) is older than
# rustc's LLVM (22). cargo-tarpaulin needs neither: its LLVM engine builds the tests with -C instrument-coverage and
# reads the raw profiles itself (its ptrace engine, the default, lost most lines here: the test profile is optimised,
# opt-level 3, and inlined code has no breakpoint left). It is built from crates.io into target/tools on first use
# (cargo install --locked; about 50 minutes on a busy 2-vCPU machine, once).
#
#   bash scripts/coverage-rust.sh                      # the workspace's library and integration tests
#   NVX_TARPAULIN_ARGS="--lib" bash scripts/coverage-rust.sh   # other cargo-tarpaulin arguments instead
#
# Report: the per-file table on stdout, target/coverage-rust/tarpaulin-report.html and .json.
set -euo pipefail
cd "$(dirname "$0")/.."
TARPAULIN_VERSION=0.37.5
TOOLS=$PWD/target/tools
OUT=target/coverage-rust
start=$SECONDS

if ! "$TOOLS/bin/cargo-tarpaulin" --version 2>/dev/null | grep -q "$TARPAULIN_VERSION"; then
    echo "coverage-rust: cargo install cargo-tarpaulin $TARPAULIN_VERSION into target/tools (once; slow)"
    cargo install --locked --quiet --root "$TOOLS" --version "$TARPAULIN_VERSION" cargo-tarpaulin
fi

# Counted: the two crates' sources (not fuzz/, benches/, examples/, tests/ themselves). --timeout: the exhaustive
# tests run for minutes under instrumentation (tarpaulin gives up after 60 s by default).
# shellcheck disable=SC2086 # NVX_TARPAULIN_ARGS is a list of arguments
PATH=$TOOLS/bin:$PATH cargo tarpaulin --locked --workspace --engine llvm --target-dir target/tarpaulin --skip-clean \
    --timeout 3600 \
    --exclude-files "fuzz/*" --exclude-files "benches/*" --exclude-files "examples/*" --exclude-files "tests/*" \
    --out Html --out Json --out Stdout --output-dir "$OUT" ${NVX_TARPAULIN_ARGS:---lib --tests}
echo "coverage-rust: $OUT/tarpaulin-report.html ($((SECONDS - start)) s)"
