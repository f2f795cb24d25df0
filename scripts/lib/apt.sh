# shellcheck shell=bash
# Sourced by scripts/ci/aarch64.sh and scripts/wheels/aarch64.sh. Not run on its own. Needs a `quiet` function
# (run a command, print its output only when it fails) in the sourcing script.

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

installed() {
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

# apt_install_with_arm64 PACKAGE...: installs those of the packages that are missing, enabling the arm64
# architecture first (for the `:arm64` ones).
apt_install_with_arm64() {
    local added_arch=0 missing=() pkg
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        as_root dpkg --add-architecture arm64
        added_arch=1
    fi
    for pkg in "$@"; do
        installed "$pkg" || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        return
    fi
    echo "   installing: ${missing[*]}"
    # The arm64 package lists exist only after an update that follows --add-architecture.
    if ((added_arch)) || ! apt-cache show libstd-rust-web-dev:arm64 >/dev/null 2>&1; then
        quiet as_root apt-get update
    fi
    quiet as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
