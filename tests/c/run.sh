#!/usr/bin/env bash
# Builds and runs the C ABI test programs (test_nvx.c: every function; test_threads.c: pthreads; test_hostile.c:
# hostile arguments) against a built libnvx, in one mode:
#   static    cc -std=c99 -Wall -Wextra -Wpedantic -Werror, linked with libnvx.a
#   dynamic   the same, linked with libnvx.so (rpath to its directory)
#   asan      gcc -fsanitize=address,undefined -fno-sanitize-recover=all, linked with libnvx.a
#   tsan      gcc -fsanitize=thread, linked with libnvx.a: test_threads.c only (libnvx's Rust is not instrumented:
#             TSan checks the C side and what it sees of the synchronisation, see docs/reliability.md)
#   valgrind  the static build, run under valgrind --error-exitcode=1 --leak-check=full
#   cxx       the header compiled as C++11 and linked with libnvx.a
#   cross     every program built by $NVX_CROSS_CC (a cross compiler, or `cc -m32`) with the static flags, linked
#             statically (-static) with a libnvx.a of that target, and run by $NVX_CROSS_RUNNER (qemu-aarch64-static,
#             say; empty: run directly). Used by the foreign-target stages (scripts/ci/aarch64.sh).
#
#   bash tests/c/run.sh MODE [LIBDIR]      # LIBDIR: target/release by default
# scripts/ci/c-abi.sh runs every mode after building the library; each program prints "N passed, M failed".
# test_hostile.c's deliberate use after free (a best-effort check) is compiled in the static and dynamic modes only.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?mode: static, dynamic, asan, tsan, valgrind, cxx or cross}
libdir=$(cd "${2:-target/release}" && pwd)
out=${NVX_C_TESTS_OUT:-target/c-tests}
mkdir -p "$out"
CFLAGS=(-std=c99 -Wall -Wextra -Wpedantic -Werror -O1 -g -Iinclude -Itests/c)
# What rustc says a staticlib needs (`--print native-static-libs`), as far as glibc does not already provide it.
STATIC_LIBS=(-lpthread -ldl -lm)
PROGRAMS=(test_nvx test_threads test_hostile)

# extra_flags PROGRAM: per-program flags of the modes that run the program natively.
native_flags() {
    [[ $1 == test_hostile ]] && echo -DNVX_TEST_USE_AFTER_FREE
    return 0
}

for program in "${PROGRAMS[@]}"; do
    src=tests/c/$program.c
    case $mode in
    static)
        # shellcheck disable=SC2046
        cc "${CFLAGS[@]}" $(native_flags "$program") "$src" "$libdir/libnvx.a" "${STATIC_LIBS[@]}" \
            -o "$out/${program}_static"
        "$out/${program}_static"
        ;;
    dynamic)
        # shellcheck disable=SC2046
        cc "${CFLAGS[@]}" $(native_flags "$program") "$src" -L"$libdir" -Wl,-rpath,"$libdir" -lnvx -lpthread \
            -o "$out/${program}_dynamic"
        # The binary must really resolve libnvx.so (not a static copy).
        ldd "$out/${program}_dynamic" | grep -q "$libdir/libnvx.so"
        "$out/${program}_dynamic"
        ;;
    asan)
        gcc "${CFLAGS[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
            "$src" "$libdir/libnvx.a" "${STATIC_LIBS[@]}" -o "$out/${program}_asan"
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            "$out/${program}_asan"
        ;;
    tsan)
        [[ $program == test_threads ]] || continue
        gcc "${CFLAGS[@]}" -fsanitize=thread -fno-omit-frame-pointer "$src" "$libdir/libnvx.a" \
            "${STATIC_LIBS[@]}" -o "$out/${program}_tsan"
        TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 setarch "$(uname -m)" -R "$out/${program}_tsan"
        ;;
    valgrind)
        # valgrind serialises threads: test_threads then checks results, not that two threads met in a handle.
        cc "${CFLAGS[@]}" -DNVX_TEST_SERIALISED_THREADS "$src" "$libdir/libnvx.a" "${STATIC_LIBS[@]}" \
            -o "$out/${program}_valgrind"
        valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
            "$out/${program}_valgrind"
        ;;
    cross)
        # shellcheck disable=SC2046,SC2086
        # The linker's output is shown only on failure: a static glibc warns about getaddrinfo and getpwuid_r,
        # which libnvx.a's copy of Rust's std references and nvx never calls.
        if ! ${NVX_CROSS_CC:?NVX_CROSS_CC: the compiler for the target} "${CFLAGS[@]}" $(native_flags "$program") \
            -static -pthread "$src" "$libdir/libnvx.a" "${STATIC_LIBS[@]}" -o "$out/${program}_cross" \
            >"$out/${program}_cross.log" 2>&1; then
            cat "$out/${program}_cross.log" >&2
            exit 1
        fi
        # shellcheck disable=SC2086
        result=$(${NVX_CROSS_RUNNER:-} "$out/${program}_cross") || { echo "$result"; exit 1; }
        echo "$program: $(tail -1 <<<"$result")"
        ;;
    cxx)
        [[ $program == test_nvx ]] || continue
        g++ -std=c++11 -Wall -Wextra -Werror -Iinclude -x c++ tests/c/cxx_header.cpp -x none "$libdir/libnvx.a" \
            "${STATIC_LIBS[@]}" -o "$out/test_cxx"
        "$out/test_cxx"
        ;;
    *)
        echo "unknown mode: $mode" >&2
        exit 2
        ;;
    esac
done
