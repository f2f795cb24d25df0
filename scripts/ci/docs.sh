#!/usr/bin/env bash
# The docs stage: the Sphinx documentation (docs/conf.py: Furo, sphinx-autoapi, MyST; the pages are the repository's
# Markdown files) built to HTML with warnings as errors (-W --keep-going: every warning is listed, then the build
# fails), offline (intersphinx is off unless READTHEDOCS or NVX_DOCS_INTERSPHINX=1 is set). The venv is the uv venv
# .venvs/cpy311 (scripts/lib/venvs.sh) with pyproject.toml's docs extra, installed by name from PyPI; nvx itself
# is not built: sphinx-autoapi reads the Python sources and the stub.
#
#   bash scripts/ci/docs.sh             # HTML into docs/_build/html
#   bash scripts/ci/docs.sh spelling    # sphinxcontrib-spelling with docs/spelling_wordlist.txt (apt: enchant, the en_GB dictionary)
#
# NVX_DOCS_VENV: another venv (the justfile passes .venvs/<name>).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/venvs.sh # nvx_venv, nvx_uv
MODE=${1:-html}
start=$SECONDS

if [[ -n ${NVX_DOCS_VENV:-} ]]; then
    nvx_venv "$(basename "$NVX_DOCS_VENV")" >/dev/null
    VENV=$NVX_DOCS_VENV
else
    nvx_venv cpy311 >/dev/null
    VENV=$NVX_VENVS_DIR/cpy311
fi
"$(nvx_uv)" pip install -q --python "$VENV/bin/python" -r pyproject.toml --extra docs
echo "docs: venv $(basename "$VENV") with the docs extra: $((SECONDS - start)) s"

case $MODE in
html)
    "$VENV/bin/python" -m sphinx -W --keep-going -q -b html -d docs/_build/doctrees docs docs/_build/html
    echo "docs: $(find docs/_build/html -name '*.html' | wc -l) HTML pages in docs/_build/html ($((SECONDS - start)) s)"
    ;;
spelling)
    source scripts/lib/apt.sh # apt_install
    apt_install libenchant-2-2 hunspell-en-gb
    NVX_DOCS_SPELLING=1 "$VENV/bin/python" -m sphinx -W --keep-going -q -b spelling -d docs/_build/doctrees-spelling \
        docs docs/_build/spelling
    echo "docs: spelling ok ($((SECONDS - start)) s)"
    ;;
*)
    echo "docs.sh: html or spelling, not '$MODE'" >&2
    exit 2
    ;;
esac
