# shellcheck shell=bash
# Sourced by every script that installs Debian packages. Not run on its own.
#
#   apt_install PACKAGE...     installs those of the packages that are missing (`name:arch` adds that dpkg
#                              architecture first), after an `apt-get update` (lists on a fresh machine may be
#                              stale: a download would fail) when anything is to be installed;
#                              prints what it installs, and apt's output only when apt fails
# apt waits up to 10 minutes for another apt or dpkg to let go of its lock instead of failing at once.
# Every package it installs is appended to $APT_INSTALLED_LIST, which scripts/dev/fresh-state.sh reads to put a
# used machine back into the fresh state (those packages purged).

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

installed() {
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

APT_OPTIONS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
APT_INSTALLED_LIST=/var/lib/nvx/apt-installed.list

apt_install() {
    local missing=() pkg arch log
    for pkg in "$@"; do
        if [[ $pkg == *:* ]]; then
            arch=${pkg##*:}
            if [[ $arch != "$(dpkg --print-architecture)" ]] &&
                ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
                as_root dpkg --add-architecture "$arch"
            fi
        fi
        installed "$pkg" || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    echo "   apt: installing ${missing[*]}"
    log=$(mktemp)
    as_root apt-get "${APT_OPTIONS[@]}" update -qq >"$log" 2>&1 || { cat "$log"; rm -f "$log"; return 1; }
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTIONS[@]}" install -y -qq \
        --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
        cat "$log"
        rm -f "$log"
        echo "apt: installing ${missing[*]} failed" >&2
        return 1
    fi
    rm -f "$log"
    as_root mkdir -p "$(dirname "$APT_INSTALLED_LIST")"
    printf '%s\n' "${missing[@]}" | as_root tee -a "$APT_INSTALLED_LIST" >/dev/null
}
