#!/usr/bin/env bash
# Verifies every wheel and sdist in a directory (default dist/) and writes CHECKSUMS.sha256, VALIDATION.txt and
# build-info.txt beside them: twine check, auditwheel show, abi3audit, glibc symbol versions, exports, ISA (the
# checks are listed in scripts/wheels/verify.py). Works on foreign-architecture wheels (aarch64) too. Exits 1 when
# a check fails. Installs its tools into .venv-wheels-tools by package name.
#
#   bash scripts/wheels/verify.sh [dist]
set -euo pipefail
DIST=$(realpath "${1:-dist}")
cd "$(dirname "$0")/../.."
source scripts/wheels/common.sh
tools_venv
"$TOOLS_VENV/bin/python" scripts/wheels/verify.py "$DIST"
