#!/usr/bin/env bash
# Run-time kernel selection without std (the `detect` feature, src/detect.rs), checked against std's detection.
#
# tests/selection.rs asserts that the implementation nvx selects, and the list it calls available, are those that
# std's is_x86_feature_detected! implies, on whatever CPU runs it. Built with `--no-default-features --features
# detect`, nvx's own CPUID/XGETBV detection makes that choice, so the test compares the two. It runs on this CPU,
# then under qemu-x86_64 (user mode, TCG) with CPU models that lack features this one has, where CPUID answers
# differently: qemu64 (no SSSE3: sse2), Nehalem (SSSE3, no AVX: ssse3), Haswell (AVX2, no AVX-512: avx2). The unit
# tests of src/detect.rs add XCR0 states no machine here shows (AVX-512 in CPUID, not enabled by the OS).
#
#   bash scripts/ci/no-std-detect.sh         # installs qemu-user-static if missing
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/apt.sh # apt_install

apt_install qemu-user-static
test_binary=$(cargo test --locked --no-default-features --features detect --test selection --no-run \
    --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable"):
        print(message["executable"])')
cargo test --locked --no-default-features --features detect --lib -q detect 2>&1 | grep '^test result' |
    sed 's/^/no-std detect: unit tests: /'
run() {
    local where=$1 out
    shift
    if ! out=$("$@" "$test_binary" --test-threads=1 --nocapture 2>&1); then
        echo "$out"
        echo "no-std detect: $where: FAILED" >&2
        return 1
    fi
    echo "no-std detect: $where: selects $(grep -o 'selected implementation: [a-z0-9]*' <<<"$out" | head -1 |
        cut -d' ' -f3), as std's detection says"
}
run "this CPU"
for cpu in qemu64 Nehalem Haswell; do
    run "qemu-x86_64 -cpu $cpu" qemu-x86_64-static -cpu "$cpu"
done
