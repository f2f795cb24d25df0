#!/usr/bin/env bash
# The Rust benchmark, start to finish: runs benches/throughput.rs (every group; 138 s on an idle 2-vCPU VM, far longer
# on a busy one), writes its results and the machine's description to benches/results/, regenerates the tables in
# benches/RESULTS.md (benches/summarize.py) and the charts in benches/charts/ (benches/plot.py; matplotlib, pinned,
# installed from PyPI into target/bench-venv).
#
#   bash scripts/bench-rust.sh                   # everything, then tables and charts
#   bash scripts/bench-rust.sh utf8/mixed mask/  # only the groups whose name contains a filter (their results
#                                                # replace the earlier ones; the rest stay as they were)
#   NVX_BENCH_CPU=none bash scripts/bench-rust.sh   # do not pin the benchmark to one CPU (default: the last one)
#
# Run it on a machine that is otherwise idle: the candidates of a group are measured interleaved, so load spikes hit
# them alike and the ratios hold, but a busy machine still shifts cache- and memory-bound figures.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

results=benches/results
mkdir -p "$results"
start=$SECONDS

echo "== building the benchmark"
cargo bench --locked --bench throughput --no-run 2>&1 | tail -1

pin=()
if [[ ${NVX_BENCH_CPU:-last} != none ]] && command -v taskset >/dev/null; then
    cpu=${NVX_BENCH_CPU:-last}
    [[ $cpu == last ]] && cpu=$(($(nproc) - 1))
    pin=(taskset -c "$cpu")
fi

# A full run starts the results afresh; a filtered one appends (summarize.py and plot.py keep the latest record).
(($# == 0)) && rm -f "$results/rust.jsonl"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== running the benchmark ${pin[*]:+(pinned: ${pin[*]})}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
NVX_BENCH_OUT="$results/rust.jsonl" "${pin[@]}" cargo bench --locked --bench throughput -- "$@" 2>&1 |
    grep -v -E '^\s+(Finished|Running|Compiling)' | tee "$log"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
selected=$(sed -n 's/.*selected implementation //p' "$log" | head -1)

python3 benches/machine.py "$results/machine.json" "$load_before / $load_after" "$selected" "$*"

echo "== tables"
python3 benches/summarize.py "$results" --write

echo "== charts"
venv=target/bench-venv
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
"$venv/bin/python" -c "import matplotlib" 2>/dev/null ||
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "matplotlib==3.11.2"
"$venv/bin/python" benches/plot.py "$results" benches/charts

echo "== done in $((SECONDS - start)) s: benches/RESULTS.md, benches/charts/*.png, $results/"
