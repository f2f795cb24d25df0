# shellcheck shell=bash
# Sourced by the scripts that run the aarch64 interpreters of the platform matrix. Not run on its own. Needs
# scripts/lib/apt.sh and scripts/lib/binfmt.sh.
#
#   with_qemu COMMAND...   runs COMMAND (and everything it starts) where aarch64 programs run under qemu-aarch64
#                          11 from Debian sid (target/roots/sid-amd64, scripts/roots/make.sh makes it)
#
# How: in a user and mount namespace of its own, with a binfmt_misc instance of its own (Linux 6.7 and later mount
# one per user namespace), in which that qemu-aarch64 is registered with the F flag. Nothing outside changes: the
# machine's own binfmt_misc entries (another job's qemu-aarch64, or none at all) are neither used nor touched.
# Why that qemu: bookworm's qemu-user-static 7.2 runs the pytest suite of CPython 3.13 aarch64 about 8 times slower
# (docs/wheels.md, "aarch64 under qemu"). Where the kernel cannot mount binfmt_misc in a user namespace, the
# machine's entry is registered (binfmt_register, qemu-user-static 7.2) and used instead, with a warning.

QEMU_AARCH64=target/roots/sid-amd64/usr/bin/qemu-aarch64
# qemu-user-static's own entry for aarch64 ELF programs (/usr/lib/binfmt.d/qemu-aarch64.conf), without the P flag.
QEMU_AARCH64_MAGIC='\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
QEMU_AARCH64_MASK='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'

# Whether this kernel lets a user namespace have a binfmt_misc of its own.
private_binfmt_works() {
    unshare --user --map-root-user --mount --propagation private \
        sh -c 'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc' 2>/dev/null
}

with_qemu() {
    if [[ ! -x $QEMU_AARCH64 ]]; then
        echo "with_qemu: $QEMU_AARCH64 missing (bash scripts/roots/make.sh sid-amd64)" >&2
        return 1
    fi
    if private_binfmt_works; then
        local entry=":qemu-aarch64:M::$QEMU_AARCH64_MAGIC:$QEMU_AARCH64_MASK:$PWD/$QEMU_AARCH64:F"
        # shellcheck disable=SC2016 # the inner script's own $1 and $@
        unshare --user --map-root-user --mount --propagation private bash -c '
            mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || exit 125
            printf "%s" "$1" >/proc/sys/fs/binfmt_misc/register || exit 125
            shift
            exec "$@"' with_qemu "$entry" "$@"
    else
        echo "with_qemu: no binfmt_misc of its own in a user namespace here (Linux < 6.7?): using the machine's" \
            "qemu-aarch64 entry (qemu-user-static 7.2, about 8 times slower)" >&2
        apt_install qemu-user-static
        binfmt_register qemu-aarch64
        "$@"
    fi
}
