# nvx recipes. `just` itself: `pip install rust-just`. Every recipe works from a fresh clone.

default:
    @just --list

# The main job: build in release, print CPU features, the kernels selected and nvx beside its peers.
main:
    bash scripts/main.sh

# Every test (what .ci/run runs); STAGES limits it, e.g. `just test "fmt clippy test"`.
test STAGES="":
    NVX_STAGES="{{STAGES}}" bash scripts/test-all.sh

# Unit, property, exhaustive and vector tests of the Rust workspace only.
test-rust:
    cargo test --workspace --locked

# Cross-built aarch64 tests under qemu-user.
test-aarch64:
    bash scripts/ci/aarch64.sh

# The C ABI: header drift check, C tests static / dynamic / ASan+UBSan / valgrind, C++ header check, symbols.
test-c:
    bash scripts/ci/c-abi.sh

# Formatting and lints.
check:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets --locked -- -D warnings

# The full criterion benchmark (about 15 minutes), then the ratio tables for benches/RESULTS.md.
bench FILTER="":
    cargo bench --locked --bench throughput -- {{FILTER}}
    python3 benches/summarize.py

# Ratio tables from the last benchmark run.
bench-summary:
    python3 benches/summarize.py

# Remove build outputs.
clean-build:
    cargo clean
