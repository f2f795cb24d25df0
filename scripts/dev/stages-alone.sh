#!/usr/bin/env bash
# Runs CI stages one at a time, each alone in a clean clone of HEAD (`NVX_STAGES=<stage> bash scripts/test-all.sh`),
# so that a stage which relies on an earlier one (its packages, its binfmt_misc entry, its dist/ or target/) fails
# here instead of hiding behind the full run. With --fresh the machine is put back into the fresh state before each
# stage (scripts/dev/fresh-state.sh --yes: destructive for the machine, see there).
#
#   bash scripts/dev/stages-alone.sh                          # every stage of scripts/test-all.sh, in its order
#   bash scripts/dev/stages-alone.sh --fresh aarch64 matrix   # these, each on a fresh-state machine
#   NVX_ALONE_ORDER=reverse bash scripts/dev/stages-alone.sh  # last stage first
#
# Clones go to ${TMPDIR:-/tmp}/nvx-alone/<stage> (removed first), logs to target/stages-alone/<stage>.log of this
# checkout. Prints one line per stage (result, seconds) and exits 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
fresh=0
stages=()
for arg in "$@"; do
    case $arg in
    --fresh) fresh=1 ;;
    -*)
        echo "usage: $0 [--fresh] [STAGE...]" >&2
        exit 2
        ;;
    *) stages+=("$arg") ;;
    esac
done
if ((${#stages[@]} == 0)); then
    read -r -a stages < <(sed -n 's/^ALL_STAGES="\(.*\)"$/\1/p' scripts/test-all.sh)
fi
if [[ ${NVX_ALONE_ORDER:-} == reverse ]]; then
    mapfile -t stages < <(printf '%s\n' "${stages[@]}" | tac)
fi

base=${TMPDIR:-/tmp}/nvx-alone
logs=$PWD/target/stages-alone
mkdir -p "$base" "$logs"
results=()
failed=0
for stage in "${stages[@]}"; do
    ((fresh)) && bash scripts/dev/fresh-state.sh --yes >"$logs/$stage.fresh.log" 2>&1
    rm -rf "${base:?}/$stage"
    git clone -q . "$base/$stage"
    start=$SECONDS
    if (cd "$base/$stage" && NVX_STAGES=$stage bash scripts/test-all.sh) >"$logs/$stage.log" 2>&1; then
        result=ok
    else
        result=FAILED
        failed=1
    fi
    results+=("$(printf '%-12s %-7s %5d s' "$stage" "$result" $((SECONDS - start)))")
    echo "${results[-1]}   (log: target/stages-alone/$stage.log)"
    rm -rf "${base:?}/$stage"
done
echo "=== stages alone$( ((fresh)) && echo ", each on a fresh-state machine") ($(git rev-parse --short HEAD)) ==="
printf '%s\n' "${results[@]}"
exit $failed
