#!/usr/bin/env bash
# Puts a used machine back into the state of a fresh one of this project's kind (Debian 12 x86_64, root, rustup,
# pyenv), as far as nvx's scripts changed it, so that a stage can be checked the way a new user or CI meets it:
#
#   - binfmt_misc: every qemu-* entry removed and binfmt_misc unmounted (a fresh machine has it unmounted);
#   - the Debian packages the stages installed (scripts/lib/apt.sh records each in /var/lib/nvx/apt-installed.list)
#     purged, with what apt then finds unused, and the foreign dpkg architectures the stages added removed;
#   - with --caches also pip's, uv's and cargo's download caches (~/.cache/pip, ~/.cache/uv, ~/.cargo/registry,
#     ~/.cargo/git), so that every download happens again.
#
# It does not touch the checkout: run the stage in a clean clone (`git clone -q . /tmp/nvx-fresh`), whose target/
# (roots, venvs, tools) starts empty. Destructive for the machine, hence --yes:
#
#   bash scripts/dev/fresh-state.sh --yes [--caches]
#   git clone -q . /tmp/nvx-fresh && cd /tmp/nvx-fresh && NVX_STAGES=aarch64 bash scripts/test-all.sh
#
# Only the binfmt entry, for the one check that needs it (issue 13: tests/threads.rs re-executes itself):
#   echo -1 > /proc/sys/fs/binfmt_misc/qemu-aarch64
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/apt.sh # as_root, installed, APT_OPTIONS, APT_INSTALLED_LIST

yes=0 caches=0
for arg in "$@"; do
    case $arg in
    --yes) yes=1 ;;
    --caches) caches=1 ;;
    *)
        echo "usage: $0 --yes [--caches]" >&2
        exit 2
        ;;
    esac
done
if ((!yes)); then
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    echo "(nothing done: pass --yes)" >&2
    exit 2
fi

BINFMT=/proc/sys/fs/binfmt_misc
if [[ -e $BINFMT/register ]]; then
    for entry in "$BINFMT"/qemu-*; do
        [[ -e $entry ]] || continue
        as_root sh -c "echo -1 > '$entry'"
        echo "binfmt_misc: removed $(basename "$entry")"
    done
    as_root umount "$BINFMT" 2>/dev/null && echo "binfmt_misc: unmounted" || true
fi

if [[ -s $APT_INSTALLED_LIST ]]; then
    mapfile -t recorded < <(sort -u "$APT_INSTALLED_LIST")
    present=()
    for pkg in "${recorded[@]}"; do
        installed "$pkg" && present+=("$pkg")
    done
    if ((${#present[@]})); then
        echo "apt: purging ${present[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTIONS[@]}" purge -y -qq "${present[@]}" >/dev/null
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTIONS[@]}" autoremove --purge -y -qq >/dev/null
    as_root rm -f "$APT_INSTALLED_LIST"
fi
for arch in $(dpkg --print-foreign-architectures); do
    # A fresh machine has no foreign architecture: its packages left behind (libc6:arm64 and the like, which apt's
    # autoremove keeps) go too. dpkg refuses to remove the architecture while some remain: those are reported.
    mapfile -t left < <(dpkg-query -W -f '${db:Status-Abbrev} ${Package}:${Architecture}\n' "*:$arch" 2>/dev/null |
        awk '$1 ~ /^.i/ {print $2}')
    if ((${#left[@]})); then
        echo "apt: purging the $arch packages ${left[*]}"
        # libc6:<arch> counts as essential to apt; the host's own libc6 is not among these.
        as_root env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTIONS[@]}" purge -y -qq --allow-remove-essential \
            "${left[@]}" >/dev/null
    fi
    if as_root dpkg --remove-architecture "$arch" 2>/dev/null; then
        echo "dpkg: removed foreign architecture $arch"
    else
        echo "dpkg: $arch stays (packages of it are still installed: dpkg -l '*:$arch')" >&2
    fi
done

if ((caches)); then
    rm -rf ~/.cache/pip ~/.cache/uv ~/.cargo/registry ~/.cargo/git
    echo "caches: removed pip's, uv's and cargo's"
fi
echo "fresh state: done"
