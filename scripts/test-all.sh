#!/usr/bin/env bash
# Runs every test nvx has, stage by stage, printing how long each took. This is what .ci/run calls.
# It installs what it needs itself (apt, pip, cargo), so it works on a fresh Debian 12 machine with rustup.
#
#   bash scripts/test-all.sh            # everything
#   NVX_STAGES="fmt clippy test" bash scripts/test-all.sh   # a subset
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
ALL_STAGES="fmt clippy doc docs no-std test benches package aarch64 i686 s390x c-abi python wheels matrix conformance asan fuzz workflows"
STAGES="${NVX_STAGES:-$ALL_STAGES}"

declare -a SUMMARY=() FAILED=()
# Runs one stage in a subshell with errexit (a command that fails ends the stage), records its time and result and
# goes on: a failing stage does not hide the others' results. The run fails at the end if any stage failed.
run_stage() {
    local name=$1 rc
    shift
    echo
    echo "=== stage: $name ==="
    local start=$SECONDS
    set +e
    (
        set -e
        "$@"
    )
    rc=$?
    set -e
    local took=$((SECONDS - start))
    if ((rc == 0)); then
        SUMMARY+=("$(printf '%-11s %5d s' "$name" "$took")")
        echo "=== stage $name: ok in ${took} s ==="
    else
        SUMMARY+=("$(printf '%-11s %5d s  FAILED (exit %d)' "$name" "$took" "$rc")")
        FAILED+=("$name")
        echo "=== stage $name: FAILED (exit $rc) in ${took} s ==="
    fi
}

stage_fmt() {
    cargo fmt --all --check
    # Python, in the uv venv .venvs/cpy311 (scripts/lib/venvs.sh; config: pyproject.toml), the tools pinned: ruff
    # (lints incl. the S security rules, format) over every Python file, ty then mypy (types), and the one version.
    source scripts/lib/venvs.sh
    local python bin
    python=$(nvx_venv cpy311)
    bin=$(dirname "$python")
    "$(nvx_uv)" pip install -q --python "$python" "ruff==0.17.6" "ty==0.0.108" "mypy==2.4.1" hatchling cffi
    local py_sources=(python cffi_build.py hatch_build.py tests/python integrations benches/*.py scripts docs/conf.py)
    "$bin/ruff" check -q "${py_sources[@]}"
    "$bin/ruff" format -q --check "${py_sources[@]}"
    "$bin/ty" check -q --python "$python" --error-on-warning
    "$bin/mypy"
    python3 scripts/version.py check
}
stage_clippy() {
    # The MSRV is configured where clippy's incompatible_msrv lint reads it (denied in both crates' [lints.clippy]):
    # no std API newer than 1.89 passes. No 1.89 toolchain runs here; language features are not covered.
    local manifest
    for manifest in Cargo.toml ffi/Cargo.toml; do
        grep -qx 'rust-version = "1.89"' "$manifest" && grep -qx 'incompatible_msrv = "deny"' "$manifest" ||
            { echo "clippy: $manifest lacks rust-version 1.89 or incompatible_msrv = deny" >&2; return 1; }
    done
    cargo clippy --workspace --all-targets --locked -- -D warnings
    cargo clippy --locked -p nvx-ws --no-default-features --features detect --lib --tests -- -D warnings
    bash scripts/unsafe-count.sh >/dev/null # fails on an unsafe block without a SAFETY comment
}
stage_doc() { RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked; }
stage_docs() { bash scripts/ci/docs.sh; }
stage_no_std() {
    # The crate without `std`: compile-time kernel selection, for the baseline and with AVX2 enabled globally.
    cargo build --locked --no-default-features --lib
    RUSTFLAGS="-C target-feature=+avx2" cargo build --locked --no-default-features --lib --target-dir target/no-std-avx2
    # Run-time selection without std (`detect`): tests/selection.rs checks it against std's is_x86_feature_detected!,
    # on this CPU and on qemu-x86_64's models of CPUs without SSSE3 (qemu64), without AVX2 (Nehalem) and without
    # AVX-512 (Haswell): each must select what std's detection says.
    bash scripts/ci/no-std-detect.sh
}
stage_test() { cargo test --workspace --locked; }
stage_benches() {
    # Benchmarks are not tests: this only checks that every benchmark and the report run (once each, no timing).
    NVX_BENCH_MAX_SIZE=4194304 cargo bench --locked --bench throughput -- --test 2>&1 | grep -c "^Success" | sed "s/^/benchmarks run once each: /"
    cargo run --locked --release --example report >/dev/null
    echo "benchmarks and report ran"
}
stage_package() { cargo package --locked -p nvx-ws --allow-dirty 2>&1 | tail -3; }
stage_aarch64() { bash scripts/ci/aarch64.sh; }
stage_i686() { bash scripts/ci/cross.sh i686; }
stage_s390x() { bash scripts/ci/cross.sh s390x; }
stage_c_abi() { bash scripts/ci/c-abi.sh; }
stage_python() { bash scripts/ci/python.sh; }
stage_wheels() { bash scripts/ci/wheels.sh; }
stage_matrix() { bash scripts/ci/matrix.sh; }
stage_conformance() { bash scripts/ci/conformance.sh; }
stage_asan() { bash scripts/ci/asan.sh; }
stage_fuzz() { bash scripts/ci/fuzz.sh; }
stage_workflows() { bash scripts/ci/workflows.sh; }

total_start=$SECONDS
for stage in $STAGES; do
    fn="stage_${stage//-/_}"
    run_stage "$stage" "$fn"
done

echo
echo "=== stage timings ==="
printf '%s\n' "${SUMMARY[@]}"
printf '%-11s %5d s\n' total $((SECONDS - total_start))
if ((${#FAILED[@]})); then
    echo "FAILED stages: ${FAILED[*]}"
    exit 1
fi
echo "all stages passed"
