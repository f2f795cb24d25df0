#!/usr/bin/env bash
# The fuzzing stage: builds the cargo-fuzz targets of fuzz/ with the nightly toolchain and AddressSanitizer, then
# runs each for a bounded time (about 3 minutes in all by default) and fails on any crash, leak, timeout or
# disagreement with an oracle. Installs cargo-fuzz (pinned) into target/tools the first time (about 2 minutes).
# Prints one line per step with its time, and libFuzzer's final stats per run. docs/reliability.md tells what
# each target checks and what has been fuzzed so far.
#
#   bash scripts/ci/fuzz.sh
#   NVX_FUZZ_SECONDS=3600 bash scripts/ci/fuzz.sh              # long run: an hour per target
#   NVX_FUZZ_TARGETS="mask c_abi_sequence" bash scripts/ci/fuzz.sh
#   NVX_FUZZ_SANITIZER=none bash scripts/ci/fuzz.sh            # faster, catches panics and aborts only
#   taskset -c 0 bash scripts/ci/fuzz.sh                       # keep it to one CPU (libFuzzer runs one process)
#
# The work corpus (what libFuzzer finds) grows in fuzz/target/corpus/<target>, kept between runs and never
# committed; the seeds in fuzz/corpus/<target> are only read. A crash leaves its input in fuzz/artifacts/<target>/;
# the failure message prints the commands that reproduce and minimise it.
set -euo pipefail
cd "$(dirname "$0")/../.."

CARGO_FUZZ_VERSION=0.13.2
TOOLS=${CARGO_TARGET_DIR:-target}/tools
SECONDS_PER_TARGET=${NVX_FUZZ_SECONDS:-40}
SANITIZER=${NVX_FUZZ_SANITIZER:-address}
TARGETS=${NVX_FUZZ_TARGETS:-utf8_oneshot utf8_streaming mask c_abi_sequence}
MAX_LEN=4096
LARGE_MAX_LEN=65536
WORK=fuzz/target/corpus
LOGS=fuzz/target/logs
export PATH=$PWD/$TOOLS/bin:$PATH
# cargo fuzz's build flags, the same for build and run (so that run never rebuilds differently).
BUILD_FLAGS=(--release --debug-assertions --sanitizer "$SANITIZER")

step() {
    local name=$1
    shift
    local start=$SECONDS
    "$@"
    echo "fuzz: $name: ok ($((SECONDS - start)) s)"
}

check_nightly() {
    if ! cargo +nightly --version >/dev/null 2>&1; then
        echo "fuzz: the nightly toolchain is missing (rustup toolchain install nightly --profile minimal)" >&2
        exit 1
    fi
}

install_cargo_fuzz() {
    if command -v cargo-fuzz >/dev/null && [[ $(cargo-fuzz --version | head -1) == "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
        return
    fi
    cargo install --locked --quiet cargo-fuzz --version "$CARGO_FUZZ_VERSION" --root "$TOOLS"
}

build() {
    cargo +nightly fuzz build "${BUILD_FLAGS[@]}"
}

# run NAME TARGET SECONDS MAX_LEN [LIBFUZZER FLAGS...]: one bounded run; prints its final stats; 1 on a crash.
run() {
    local name=$1 target=$2 seconds=$3 max_len=$4
    shift 4
    local work=$WORK/$name log=$LOGS/$name.log start=$SECONDS
    mkdir -p "$work" "$LOGS" "fuzz/artifacts/$target"
    if cargo +nightly fuzz run "${BUILD_FLAGS[@]}" "$target" "$work" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="fuzz/artifacts/$target/" "$@" >"$log" 2>&1; then
        local runs cov
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        cov=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 | sed 's/^#[0-9]*[[:space:]]*DONE[[:space:]]*//')
        echo "fuzz: $name: $runs executions in $((SECONDS - start)) s, no crash ($(grep -E '^Done' "$log")); $cov"
        return 0
    fi
    echo "fuzz: $name: CRASH (log: $log)" >&2
    grep -E -A12 "panicked at|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)" "$log" | head -40 >&2 || tail -40 "$log" >&2
    local artifact
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    if [[ -n $artifact ]]; then
        echo "fuzz: reproducer ($(wc -c <"$artifact") bytes): $(od -An -tx1 -v "$artifact" | tr -d ' \n' | head -c 2000)" >&2
        echo "fuzz: reproduce: cargo +nightly fuzz run ${BUILD_FLAGS[*]} $target $artifact" >&2
        echo "fuzz: minimise:  cargo +nightly fuzz tmin ${BUILD_FLAGS[*]} $target $artifact" >&2
    fi
    return 1
}

# A seed near LARGE_MAX_LEN for the large-input run: the one-shot seeds, concatenated until long enough.
large_seed() {
    local seed=$WORK/utf8_oneshot-large/seed-concatenated
    mkdir -p "$(dirname "$seed")"
    : >"$seed"
    while (($(wc -c <"$seed") < LARGE_MAX_LEN - 1000)); do cat fuzz/corpus/utf8_oneshot/* >>"$seed"; done
    truncate -s $((LARGE_MAX_LEN - 1000)) "$seed"
}

check_nightly
step "cargo-fuzz $CARGO_FUZZ_VERSION" install_cargo_fuzz
step "build (sanitizer: $SANITIZER)" build

failed=0
start=$SECONDS
for target in $TARGETS; do
    run "$target" "$target" "$SECONDS_PER_TARGET" "$MAX_LEN" || failed=1
done
if [[ " $TARGETS " == *" utf8_oneshot "* ]]; then
    # Long messages: many blocks of every vector width, and the kernels' multi-block loops.
    large_seed
    run utf8_oneshot-large utf8_oneshot $((SECONDS_PER_TARGET / 2)) "$LARGE_MAX_LEN" -len_control=0 || failed=1
fi
if ((failed)); then
    echo "fuzz: FAILED: a target crashed (see above; docs/reliability.md: how to report a finding)" >&2
    exit 1
fi
echo "fuzz: all targets ran without a crash ($((SECONDS - start)) s)"
