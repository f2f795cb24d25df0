#!/usr/bin/env bash
# The main job: builds nvx in release and runs the report (CPU features, the kernels nvx selected, and a short
# side-by-side throughput table against simdutf8, std and memcpy on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --locked --release --example report
