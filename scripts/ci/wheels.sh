#!/usr/bin/env bash
# The wheels stage (what CI runs): scripts/wheels/build.sh for the x86_64 abi3 wheel (manylinux_2_28, zig-linked,
# tested installed under CPython 3.11, 3.12 and 3.13), the PyPy wheel (Debian's pypy3, tested installed), the sdist
# and its smoke test (fresh venv, pip install --no-binary nvx-ws, cargo included), then the validation
# (scripts/wheels/verify.sh: twine, auditwheel, abi3audit, symbol versions, exports, ISA, CHECKSUMS.sha256,
# VALIDATION.txt, build-info.txt in dist/). Prints pytest's closing lines per interpreter and each step's time.
# Then the aarch64 wheel (scripts/wheels/aarch64.sh: cross-built, installed and tested in a Debian arm64 root under
# qemu; about 14 min with a fresh arm64 root, 1 min cached). About 3 min warm without aarch64 (docs/wheels.md).
#
#   bash scripts/ci/wheels.sh
#   NVX_CI_WHEELS="x86_64 sdist" bash scripts/ci/wheels.sh     # a subset
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
NVX_WHEELS="${NVX_CI_WHEELS:-x86_64 pypy sdist aarch64}" bash scripts/wheels/build.sh
echo "wheels stage: $((SECONDS - start)) s"
