#!/usr/bin/env bash
# The unsafe audit: per Rust source file of the core crate (src/) and the C ABI crate (ffi/src), how many
# `unsafe { }` blocks, `unsafe fn`s (including `unsafe extern "C" fn`) and `unsafe impl`s it has, as a Markdown
# table for docs/reliability.md; then every `unsafe {` that has no `// SAFETY:` comment above it (in the comment
# block right above the statement it is in, at most a few lines up, with no other statement in between; a
# `// SAFETY (whole body):` comment counts too).
# Exits 1 if one is missing. Comment lines are not counted. The Python package has no unsafe code (CFFI).
#
#   bash scripts/unsafe-count.sh           # table + check
set -euo pipefail
cd "$(dirname "$0")/.."

files=$(find src ffi/src -name '*.rs' | sort)
printf '| file | `unsafe {}` blocks | `unsafe fn` | `unsafe impl` |\n|---|---:|---:|---:|\n'
total_b=0 total_f=0 total_i=0
for f in $files; do
    read -r b fn im < <(awk '
        /^[[:space:]]*\/\// { next }
        { line = $0; sub(/\/\/.*$/, "", line)
          b += gsub(/unsafe[[:space:]]*\{/, "", line)
          fn += gsub(/unsafe[[:space:]]+(extern[[:space:]]+"C"[[:space:]]+)?fn[[:space:]]/, "", line)
          im += gsub(/unsafe[[:space:]]+impl[[:space:]<]/, "", line) }
        END { print b + 0, fn + 0, im + 0 }' "$f")
    if ((b + fn + im > 0)); then
        printf '| `%s` | %d | %d | %d |\n' "$f" "$b" "$fn" "$im"
    fi
    total_b=$((total_b + b)) total_f=$((total_f + fn)) total_i=$((total_i + im))
done
printf '| **total** | **%d** | **%d** | **%d** |\n' "$total_b" "$total_f" "$total_i"

missing=0
for f in $files; do
    while IFS= read -r report; do
        echo "missing // SAFETY: $report" >&2
        missing=$((missing + 1))
    done < <(awk -v file="$f" '
        { lines[NR] = $0 }
        END {
            for (n = 1; n <= NR; n++) {
                code = lines[n]
                if (code ~ /^[[:space:]]*\/\//) continue
                sub(/\/\/.*$/, "", code)
                if (code !~ /unsafe[[:space:]]*\{/) continue
                if (lines[n] ~ /SAFETY( \([^)]*\))?:/) continue
                ok = 0
                # Walk up: continuation lines of the same statement, then the comment block above it.
                for (k = n - 1; k >= 1 && k >= n - 8; k--) {
                    l = lines[k]
                    if (l ~ /^[[:space:]]*\/\//) { if (l ~ /SAFETY( \([^)]*\))?:/) { ok = 1; break } continue }
                    if (l ~ /[;{}][[:space:]]*$/ && l !~ /\|\|[[:space:]]*\{[[:space:]]*$/) break
                }
                if (!ok) print file ":" n ": " lines[n]
            }
        }' "$f")
done
if ((missing > 0)); then
    echo "unsafe-count: $missing unsafe block(s) without a // SAFETY: comment" >&2
    exit 1
fi
echo "unsafe-count: every unsafe block has a // SAFETY: comment" >&2
