# shellcheck shell=bash
# Sourced by scripts/ci/cross.sh. Not run on its own. Needs `as_root` and `apt_install` (scripts/lib/apt.sh).
#
# The toolchain of the 32-bit and big-endian stages: a Debian 13 (trixie) amd64 root, made with debootstrap and
# cached in target/cross-root, holding Debian's rustc-web/cargo-web 1.96 with the standard library of every foreign
# target (libstd-rust-web-dev:i386, :s390x) and their cross C compilers and libcs. It runs natively under chroot.
#
# Why a root: rustup cannot add targets here (no network to static.rust-lang.org), and the host's bookworm cannot
# pair its rustc-web 1.96 with an s390x standard library (bookworm-security, where 1.96 lives, dropped s390x; the
# bookworm s390x library is 1.85, below the MSRV). trixie, Debian's stable suite, ships rustc-web 1.96 and
# libstd-rust-web-dev at one version for amd64, i386 and s390x: a Multi-Arch set apt can install together, which
# does not change from one day to the next (sid's does, and trixie-backports' s390x build lagged its amd64 one).
#
#   cross_root_ensure            builds the root unless target/cross-root matches CROSS_ROOT_PACKAGES (the stamp
#                                file lists them); about 2-3 minutes on a quiet machine, most of it downloads
#   in_cross_root COMMAND...     runs COMMAND as root inside the root, in a private mount namespace (mounts vanish
#                                with it): /proc, /dev, /tmp; this checkout at the same path; the host's cargo
#                                registry (cargo runs --offline inside: `cargo fetch` on the host fills it)
# Removing target/cross-root (rm -rf) reproduces a fresh machine for these stages.

CROSS_ROOT=${NVX_CROSS_ROOT:-$PWD/target/cross-root}
CROSS_ROOT_SUITE=trixie
CROSS_ROOT_MIRROR=http://deb.debian.org/debian
# The packages apt installs (with their dependencies): the host toolchain and the cross C compilers and libcs.
CROSS_ROOT_PACKAGES=(
    rustc-web cargo-web rust-web-clippy gcc libc6-dev
    gcc-i686-linux-gnu libc6-dev-i386-cross
    gcc-s390x-linux-gnu libc6-dev-s390x-cross
)
# The foreign dpkg architectures whose Rust standard library (libstd-rust-web-dev:ARCH, the rlibs under
# /usr/lib/rustlib/TARGET) is unpacked into the root without its dependencies: those are the shared runtime
# (libstd-rust-web-1.96:ARCH with librustc_driver, which pulls that architecture's libc6 and libllvm22: 100 MB that
# a statically linked test never uses, and whose s390x files the archive mirror here lacked on 2026-11-29). rustc
# refuses a standard library of another build, and the script checks the versions match.
CROSS_ROOT_ARCHES=(i386 s390x)

# The stamp: what the root was built from. A different list rebuilds it.
cross_root_stamp() {
    printf '%s\n' "suite $CROSS_ROOT_SUITE" "packages ${CROSS_ROOT_PACKAGES[*]}" "std ${CROSS_ROOT_ARCHES[*]}"
}

in_cross_root() {
    local registry=${CARGO_HOME:-$HOME/.cargo}/registry
    mkdir -p "$registry"
    # $1.. are passed to the inner shell as positional parameters, so no quoting is lost on the way in.
    as_root unshare --mount --propagation private bash -c '
        set -e
        root=$1 work=$2 registry=$3
        shift 3
        mount -t proc proc "$root/proc"
        mount --rbind /dev "$root/dev"
        mount -t tmpfs tmpfs "$root/tmp"
        mkdir -p "$root$work" "$root/root/.cargo/registry"
        mount --bind "$work" "$root$work"
        mount --bind "$registry" "$root/root/.cargo/registry"
        exec chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
            CARGO_TERM_COLOR=never bash -c "cd \"\$0\" && exec \"\$@\"" "$work" "$@"
    ' bash "$CROSS_ROOT" "$PWD" "$registry" "$@"
}

cross_root_ensure() {
    if [[ -f $CROSS_ROOT/.nvx-stamp ]] && [[ $(cat "$CROSS_ROOT/.nvx-stamp") == "$(cross_root_stamp)" ]]; then
        return 0
    fi
    apt_install debootstrap
    local start=$SECONDS tmp=$CROSS_ROOT.tmp log
    log=$(mktemp)
    echo "   cross root: building $CROSS_ROOT ($CROSS_ROOT_SUITE, ${CROSS_ROOT_PACKAGES[*]})"
    as_root rm -rf "$tmp" "$CROSS_ROOT"
    if ! as_root debootstrap --variant=minbase "$CROSS_ROOT_SUITE" "$tmp" "$CROSS_ROOT_MIRROR" >"$log" 2>&1; then
        tail -30 "$log"
        echo "cross root: debootstrap failed" >&2
        return 1
    fi
    echo "   cross root: debootstrap done ($((SECONDS - start)) s)"
    local arch
    for arch in "${CROSS_ROOT_ARCHES[@]}"; do
        as_root chroot "$tmp" dpkg --add-architecture "$arch"
    done
    if ! CROSS_ROOT=$tmp in_cross_root sh -c '
        export DEBIAN_FRONTEND=noninteractive
        apt-get -o Acquire::Retries=3 update -qq &&
        apt-get -o Acquire::Retries=3 install -y -qq --no-install-recommends "$@" &&
        apt-get clean' sh "${CROSS_ROOT_PACKAGES[@]}" >"$log" 2>&1; then
        tail -40 "$log"
        echo "cross root: apt-get install failed" >&2
        return 1
    fi
    # Each foreign standard library, unpacked; its version must be rustc-web's.
    if ! CROSS_ROOT=$tmp in_cross_root bash -c '
        set -e
        want=$(dpkg-query -W -f "\${Version}" rustc-web)
        cd /tmp
        for arch in "$@"; do
            apt-get -o Acquire::Retries=3 download -qq "libstd-rust-web-dev:$arch"
            deb=$(echo libstd-rust-web-dev_*_"$arch".deb)
            got=$(dpkg-deb -f "$deb" Version)
            [[ $got == "$want" ]] || { echo "libstd-rust-web-dev:$arch is $got, rustc-web $want"; exit 1; }
            dpkg-deb -x "$deb" /
            rm "$deb"
        done' bash "${CROSS_ROOT_ARCHES[@]}" >"$log" 2>&1; then
        tail -20 "$log"
        echo "cross root: unpacking the foreign standard libraries failed" >&2
        return 1
    fi
    rm -f "$log"
    cross_root_stamp | as_root tee "$tmp/.nvx-stamp" >/dev/null
    as_root mv "$tmp" "$CROSS_ROOT"
    echo "   cross root: ready in $((SECONDS - start)) s: $(in_cross_root rustc --version)"
}
