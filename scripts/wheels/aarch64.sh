#!/usr/bin/env bash
# The Linux aarch64 wheels (abi3 and pp311), cross-built into dist/ and verified: scripts/wheels/build.sh with
# NVX_WHEELS="abi3-aarch64 pp311-aarch64" (scripts/wheels/cross.sh does the work; the x86_64 twins are built too
# when dist/ lacks them). The platform matrix (scripts/ci/matrix.sh) installs and tests them under qemu.
set -euo pipefail
cd "$(dirname "$0")/../.."
NVX_WHEELS="abi3-aarch64 pp311-aarch64" exec bash scripts/wheels/build.sh
