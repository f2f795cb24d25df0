#!/usr/bin/env bash
# The wheels stage (what CI runs): scripts/wheels/build.sh builds every release artifact buildable on this host into
# dist/ (abi3 and pp311 wheels for Linux x86_64 and aarch64, manylinux_2_28, zig-linked; the aarch64 ones
# cross-built; the sdist and its smoke test) and verifies them (scripts/wheels/verify.sh: twine, auditwheel,
# abi3audit, each wheel's files, RECORD, exports, NEEDED, glibc versions, instruction sets; CHECKSUMS.sha256,
# VALIDATION.txt, build-info.txt in dist/). The matrix stage (scripts/ci/matrix.sh) then installs and tests them on
# every interpreter they serve. Prints each step's time (docs/wheels.md has the measurements).
#
#   bash scripts/ci/wheels.sh
#   NVX_CI_WHEELS="abi3-x86_64 sdist" bash scripts/ci/wheels.sh     # some (scripts/wheels/build.sh's kinds)
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
if [[ -n ${NVX_CI_WHEELS:-} ]]; then
    NVX_WHEELS=$NVX_CI_WHEELS bash scripts/wheels/build.sh
else
    bash scripts/wheels/build.sh
fi
echo "wheels stage: $((SECONDS - start)) s"
