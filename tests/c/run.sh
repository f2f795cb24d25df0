#!/usr/bin/env bash
# Builds and runs the C ABI tests against a built libnvx, in one mode:
#   static    cc -std=c99 -Wall -Wextra -Wpedantic -Werror, linked with libnvx.a
#   dynamic   the same, linked with libnvx.so (rpath to its directory)
#   asan      gcc -fsanitize=address,undefined -fno-sanitize-recover=all, linked with libnvx.a
#   valgrind  the static build, run under valgrind --error-exitcode=1 --leak-check=full
#   cxx       the header compiled as C++11 and linked with libnvx.a
#
#   bash tests/c/run.sh MODE [LIBDIR]      # LIBDIR: target/release by default
# scripts/ci/c-abi.sh runs every mode after building the library; the test program prints "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?mode: static, dynamic, asan, valgrind or cxx}
libdir=$(cd "${2:-target/release}" && pwd)
out=target/c-tests
mkdir -p "$out"
CFLAGS=(-std=c99 -Wall -Wextra -Wpedantic -Werror -O1 -g -Iinclude)
# What rustc says a staticlib needs (`--print native-static-libs`), as far as glibc does not already provide it.
STATIC_LIBS=(-lpthread -ldl -lm)

case $mode in
static)
    cc "${CFLAGS[@]}" tests/c/test_nvx.c "$libdir/libnvx.a" "${STATIC_LIBS[@]}" -o "$out/test_static"
    "$out/test_static"
    ;;
dynamic)
    cc "${CFLAGS[@]}" tests/c/test_nvx.c -L"$libdir" -Wl,-rpath,"$libdir" -lnvx -lpthread -o "$out/test_dynamic"
    # The binary must really resolve libnvx.so (not a static copy).
    ldd "$out/test_dynamic" | grep -q "$libdir/libnvx.so"
    "$out/test_dynamic"
    ;;
asan)
    gcc "${CFLAGS[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
        tests/c/test_nvx.c "$libdir/libnvx.a" "${STATIC_LIBS[@]}" -o "$out/test_asan"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$out/test_asan"
    ;;
valgrind)
    cc "${CFLAGS[@]}" tests/c/test_nvx.c "$libdir/libnvx.a" "${STATIC_LIBS[@]}" -o "$out/test_valgrind"
    valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        "$out/test_valgrind"
    ;;
cxx)
    g++ -std=c++11 -Wall -Wextra -Werror -Iinclude -x c++ tests/c/cxx_header.cpp -x none "$libdir/libnvx.a" \
        "${STATIC_LIBS[@]}" -o "$out/test_cxx"
    "$out/test_cxx"
    ;;
*)
    echo "unknown mode: $mode" >&2
    exit 2
    ;;
esac
