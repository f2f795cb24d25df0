#!/usr/bin/env bash
# Verifies every wheel and sdist in a directory (default dist/) and writes CHECKSUMS.sha256, VALIDATION.txt and
# build-info.txt beside them: twine check, what each wheel holds, auditwheel show, abi3audit, symbol versions,
# exports, instruction sets (the checks are listed in scripts/wheels/verify.py). Works on any directory of artifacts
# (the aarch64 wheels are read and disassembled here too). Exits 1 when a check fails or cannot run. Installs its
# tools by package name: .venv-wheels-tools (PyPI), binutils and binutils-aarch64-linux-gnu (apt: objdump).
#
#   bash scripts/wheels/verify.sh [dist]
set -euo pipefail
DIST=$(realpath "${1:-dist}")
cd "$(dirname "$0")/../.."
source scripts/wheels/common.sh
apt_install binutils binutils-aarch64-linux-gnu
tools_venv
"$TOOLS_VENV/bin/python" scripts/wheels/verify.py "$DIST"
