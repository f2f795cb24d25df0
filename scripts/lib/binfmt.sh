# shellcheck shell=bash
# Sourced by the scripts that run foreign-architecture programs under qemu-user (scripts/ci/aarch64.sh,
# scripts/wheels/aarch64.sh). Not run on its own. Needs `as_root` (scripts/lib/apt.sh) and qemu-user-static.
#
# A foreign program that the kernel itself must start (a test that re-executes itself, any program inside a
# chroot of another architecture) runs only where binfmt_misc has an entry for its architecture. A fresh machine
# has none: /proc/sys/fs/binfmt_misc is not even mounted there. To reproduce that state on a used machine:
#   echo -1 > /proc/sys/fs/binfmt_misc/qemu-aarch64        # (as root) removes the entry; then run the stage alone

BINFMT=/proc/sys/fs/binfmt_misc

# binfmt_register NAME: mounts binfmt_misc if needed and registers qemu-user-static's entry NAME (qemu-aarch64,
# qemu-s390x, ...) from /usr/lib/binfmt.d/NAME.conf if it is missing. Its F flag opens the interpreter at
# registration, so the programs also run inside a chroot that has no qemu. An existing entry that is disabled or
# lacks the F flag (qemu-user-binfmt's, say) is reported, not replaced.
binfmt_register() {
    local name=$1
    if [[ ! -e $BINFMT/register ]]; then
        as_root mount -t binfmt_misc binfmt_misc "$BINFMT"
    fi
    if [[ ! -e $BINFMT/$name ]]; then
        if [[ ! -f /usr/lib/binfmt.d/$name.conf ]]; then
            echo "no /usr/lib/binfmt.d/$name.conf: is qemu-user-static installed?" >&2
            return 1
        fi
        as_root sh -c "cat /usr/lib/binfmt.d/$name.conf > $BINFMT/register"
        echo "   binfmt_misc: registered $name"
    fi
    if ! grep -q '^enabled' "$BINFMT/$name" || ! grep -q '^flags:.*F' "$BINFMT/$name"; then
        echo "the binfmt_misc entry $name is disabled or lacks the F flag (qemu-user-binfmt's?):" >&2
        cat "$BINFMT/$name" >&2
        echo "remove it (echo -1 > $BINFMT/$name) and run again" >&2
        return 1
    fi
}
