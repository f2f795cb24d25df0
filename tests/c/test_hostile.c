/*
 * test_hostile.c: libnvx given the arguments a careless or hostile C caller passes. Run by tests/c/run.sh in
 * every mode (static, dynamic, ASan+UBSan, valgrind). Prints "N passed, M failed" and exits non-zero on a failure.
 *
 * - Lengths no C object can have (above PTRDIFF_MAX, up to SIZE_MAX) with a real, small buffer: refused with the
 *   documented error value before any access (a read would fault or be flagged by ASan / valgrind), every buffer
 *   and output left as it was. A huge dst_len with a small src_len is only a capacity: exactly src_len written.
 * - NULL with every length, zero lengths with every pointer.
 * - set_impl with every int from INT_MIN to INT_MAX in a sweep (all ids near 0, both ends, a stride through the
 *   middle): the id in force comes back, nothing else is accepted, the handle keeps working.
 * - Handles of the wrong kind, as autobahn's void* signatures allow: a masker where a validator is expected and
 *   the reverse, caller-allocated storage passed to nvx_utf8vld_free, storage never initialised (zeroed), a
 *   misaligned pointer into a handle, the same pointer as validator and masker: each refused with the function's
 *   NULL-handle error value, nothing changed. Use after free (best effort; built only with -DNVX_TEST_USE_AFTER_FREE
 *   in the static and dynamic modes: ASan and valgrind rightly report the deliberate read of freed memory).
 * - nvx_set_implementation with names that are not names.
 * - 32-bit targets: a message of more than 4 GiB streamed through a validator (one zero-filled MAP_NORESERVE window
 *   fed 17 times): total_index and the positions saturate at SIZE_MAX, exact below it, never wrapped.
 * - A caller-allocated state at an address that is not 8-aligned: refused by init, nothing written.
 */
#define _POSIX_C_SOURCE 200809L

#include "nvx.h"
#include "test_support.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if SIZE_MAX == UINT32_MAX && defined(__linux__)
#include <sys/mman.h>
#define NVX_TEST_32_BIT_STREAM 1
#endif

static const uint8_t KEY[4] = {0x37, 0xfa, 0x21, 0x3d};

/* Lengths above PTRDIFF_MAX: no object has them, libnvx must refuse them without reading. */
static const size_t HUGE_LENGTHS[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 15, SIZE_MAX / 2 + 1, (size_t)PTRDIFF_MAX + 1,
                                      (size_t)PTRDIFF_MAX + 4096};
#define NHUGE (sizeof HUGE_LENGTHS / sizeof HUGE_LENGTHS[0])

static void test_huge_lengths(void) {
    uint8_t buf[64], copy[64], dst[64], dst_copy[64];
    size_t i, up_to, next;
    int elen;
    void *vld = nvx_utf8vld_new(), *m = nvx_xormask_new(KEY);
    nvx_utf8vld_state state;
    nvx_utf8_status st;
    CHECK(vld != NULL && m != NULL);
    if (!vld || !m) {
        return;
    }
    CHECK_EQ(nvx_utf8vld_init(&state), NVX_STATUS_OK);
    fill_random(buf, sizeof buf);
    memcpy(copy, buf, sizeof buf);
    memset(dst, 0x5a, sizeof dst);
    memcpy(dst_copy, dst, sizeof dst);
    CHECK_EQ(nvx_utf8vld_validate(vld, (const uint8_t *)"ab", 2), 0);
    for (i = 0; i < NHUGE; i++) {
        size_t len = HUGE_LENGTHS[i];
        up_to = 77;
        elen = 77;
        next = 77;
        memset(&st, 0x33, sizeof st);
        CHECK_EQ(nvx_utf8_validate(buf, len, &up_to, &elen), NVX_STATUS_NULL_ARGUMENT);
        CHECK_EQ(nvx_utf8vld_validate(vld, buf, len), NVX_STATUS_NULL_ARGUMENT);
        CHECK_EQ(nvx_utf8vld_validate_status(vld, buf, len, &st), NVX_STATUS_NULL_ARGUMENT);
        CHECK_EQ(nvx_utf8vld_validate_status(&state, buf, len, &st), NVX_STATUS_NULL_ARGUMENT);
        CHECK_EQ(nvx_mask(buf, len, KEY, 1), SIZE_MAX);
        CHECK_EQ(nvx_mask_to(buf, len, KEY, 1, dst, len), SIZE_MAX);
        CHECK_EQ(nvx_mask_to(buf, len, KEY, 1, buf, len), SIZE_MAX); /* in place */
        nvx_xormask_process(m, buf, len);
        CHECK_EQ(nvx_xormask_process_to(m, buf, len, dst, len), SIZE_MAX);
        CHECK_EQ(nvx_xormask_process_to(m, buf, len, buf, len), SIZE_MAX);
        CHECK_EQ(nvx_unmask_validate(buf, len, KEY, 0, &next, &up_to, &elen), NVX_STATUS_NULL_ARGUMENT);
        CHECK_EQ(nvx_unmask_validate_to(buf, len, KEY, 0, dst, len, &next, &up_to, &elen), NVX_STATUS_NULL_ARGUMENT);
        CHECK_EQ(nvx_unmask_validate_to(buf, len, KEY, 0, buf, len, &next, &up_to, &elen), NVX_STATUS_NULL_ARGUMENT);
        CHECK_EQ(nvx_utf8vld_unmask_validate(vld, m, buf, len, &st), NVX_STATUS_NULL_ARGUMENT);
        /* Nothing was written, and the handles did not move. */
        CHECK(memcmp(buf, copy, sizeof buf) == 0);
        CHECK(memcmp(dst, dst_copy, sizeof dst) == 0);
        CHECK(up_to == 77 && elen == 77 && next == 77);
        CHECK_EQ(st.total_index, 0x3333333333333333ull & SIZE_MAX);
        CHECK_EQ(nvx_utf8vld_get_total_index(vld), 2);
        CHECK_EQ(nvx_utf8vld_get_total_index(&state), 0);
        CHECK_EQ(nvx_xormask_pointer(m), 0);
    }
    /* A destination capacity above PTRDIFF_MAX with a small source is fine: only src_len bytes are touched. */
    memcpy(buf, copy, sizeof buf);
    CHECK_EQ(nvx_mask_to(copy, 10, KEY, 3, dst + 1, SIZE_MAX), 1);
    ref_mask(buf, 10, KEY, 3);
    CHECK(memcmp(dst + 1, buf, 10) == 0);
    CHECK(dst[0] == 0x5a && dst[11] == 0x5a);
    CHECK_EQ(nvx_xormask_process_to(m, copy, 10, dst + 1, SIZE_MAX), 10);
    CHECK(dst[0] == 0x5a && dst[11] == 0x5a);
    /* src_len above dst_len: refused, however large. */
    CHECK_EQ(nvx_mask_to(copy, SIZE_MAX, KEY, 0, dst, SIZE_MAX - 1), SIZE_MAX);
    CHECK_EQ(nvx_unmask_validate_to(copy, SIZE_MAX, KEY, 0, dst, 3, NULL, NULL, NULL), NVX_STATUS_NULL_ARGUMENT);
    /* A phase near SIZE_MAX is taken modulo 4. */
    memcpy(buf, copy, sizeof buf);
    CHECK_EQ(nvx_mask(buf, 7, KEY, SIZE_MAX), (SIZE_MAX % 4 + 7) % 4);
    ref_mask(buf, 7, KEY, SIZE_MAX % 4);
    CHECK(memcmp(buf, copy, 7) == 0);
    nvx_utf8vld_free(vld);
    nvx_xormask_free(m);
}

static void test_null_and_empty(void) {
    static const size_t LENGTHS[] = {0, 1, 4, 4096, SIZE_MAX};
    size_t i, up_to, next;
    int elen;
    uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    void *vld = nvx_utf8vld_new(), *m = nvx_xormask_new(KEY);
    nvx_utf8_status st;
    CHECK(vld != NULL && m != NULL);
    for (i = 0; i < sizeof LENGTHS / sizeof LENGTHS[0]; i++) {
        size_t len = LENGTHS[i];
        int empty = len == 0;
        CHECK_EQ(nvx_utf8_validate(NULL, len, NULL, NULL), empty ? NVX_STATUS_OK : NVX_STATUS_NULL_ARGUMENT);
        CHECK_EQ(nvx_utf8vld_validate(vld, NULL, len), empty ? 0 : NVX_STATUS_NULL_ARGUMENT);
        CHECK_EQ(nvx_mask(NULL, len, KEY, 2), empty ? 2u : SIZE_MAX);
        CHECK_EQ(nvx_mask_to(NULL, len, KEY, 2, NULL, len), empty ? 2u : SIZE_MAX);
        CHECK_EQ(nvx_mask_to(buf, empty ? 0 : 4, KEY, 2, NULL, len), empty ? 2u : SIZE_MAX);
        CHECK_EQ(nvx_unmask_validate(NULL, len, KEY, 1, &next, &up_to, &elen),
                 empty ? NVX_STATUS_OK : NVX_STATUS_NULL_ARGUMENT);
        CHECK_EQ(nvx_utf8vld_unmask_validate(vld, m, NULL, len, &st), empty ? NVX_STATUS_OK : NVX_STATUS_NULL_ARGUMENT);
        nvx_xormask_process(m, NULL, len);
        CHECK_EQ(nvx_xormask_process_to(m, NULL, len, NULL, len), empty ? 0u : SIZE_MAX);
        /* A NULL key is refused even for empty buffers. */
        CHECK_EQ(nvx_mask(buf, len > 8 ? 8 : len, NULL, 0), SIZE_MAX);
        CHECK_EQ(nvx_unmask_validate(buf, len > 8 ? 8 : len, NULL, 0, NULL, NULL, NULL), NVX_STATUS_NULL_ARGUMENT);
        /* Every NULL output is optional. */
        CHECK_EQ(nvx_utf8vld_validate_status(vld, buf, 0, NULL), NVX_STATUS_OK);
        CHECK_EQ(nvx_utf8vld_finish(vld, NULL, NULL), NVX_STATUS_OK);
    }
    CHECK(buf[0] == 1 && buf[7] == 8);
    CHECK_EQ(nvx_xormask_pointer(m), 0);
    CHECK_EQ(nvx_utf8vld_get_total_index(vld), 0);
    /* Zero-length buffers at any address (one past the end of an array, NULL) are empty and read nothing. */
    CHECK_EQ(nvx_utf8_validate(buf + sizeof buf, 0, &up_to, &elen), NVX_STATUS_OK);
    CHECK_EQ(up_to, 0);
    CHECK_EQ(nvx_mask(buf + sizeof buf, 0, KEY, 3), 3);
    CHECK(nvx_xormask_new(NULL) == NULL);
    CHECK_EQ(nvx_utf8vld_init(NULL), NVX_STATUS_NULL_ARGUMENT);
    nvx_utf8vld_free(vld);
    nvx_xormask_free(m);
}

/* set_impl with id: the result is the id in force, which only a known id the CPU runs can change. */
static unsigned long impl_failures, impl_calls;

static void sweep_one(void *vld, void *m, int id) {
    int before = nvx_utf8vld_get_impl(vld), got = nvx_utf8vld_set_impl(vld, id);
    int mbefore = nvx_xormask_get_impl(m), mgot = nvx_xormask_set_impl(m, id);
    impl_calls++;
    if (id >= 0 && id <= 4) {
        impl_failures += got != id && got != before; /* accepted, or refused for this CPU */
    } else {
        impl_failures += got != before;
    }
    if (id >= 0 && id <= 2) {
        impl_failures += mgot != id && mgot != mbefore;
    } else {
        impl_failures += mgot != mbefore;
    }
    impl_failures += nvx_utf8vld_get_impl(vld) != got || nvx_xormask_get_impl(m) != mgot;
}

static void test_set_impl_every_int(void) {
    void *vld = nvx_utf8vld_new(), *m = nvx_xormask_new(KEY);
    nvx_utf8vld_state state;
    long long id;
    uint8_t buf[300];
    size_t up_to;
    int elen;
    CHECK(vld != NULL && m != NULL);
    if (!vld || !m) {
        return;
    }
    CHECK_EQ(nvx_utf8vld_init(&state), NVX_STATUS_OK);
    CHECK_EQ(nvx_utf8vld_set_impl(vld, 2), 2);
    CHECK_EQ(nvx_xormask_set_impl(m, 1), 1);
    for (id = -100000; id <= 100000; id++) {
        sweep_one(vld, m, (int)id);
    }
    for (id = 0; id < 100000; id++) {
        sweep_one(vld, m, INT_MIN + (int)id);
        sweep_one(vld, m, INT_MAX - (int)id);
    }
    for (id = INT_MIN; id <= INT_MAX; id += 65521) { /* a prime stride through the whole range */
        sweep_one(vld, m, (int)id);
        sweep_one(&state, m, (int)id);
    }
    CHECK_EQ(impl_failures, 0);
    CHECK(impl_calls > 400000);
    /* The handles still work, on whatever id the sweep left them (one of the runnable ones). */
    CHECK(nvx_utf8vld_get_impl(vld) >= 0 && nvx_utf8vld_get_impl(vld) <= 4);
    CHECK(nvx_xormask_get_impl(m) >= 0 && nvx_xormask_get_impl(m) <= 2);
    memset(buf, 'a', sizeof buf);
    buf[200] = 0xc1;
    nvx_utf8vld_reset(vld);
    CHECK_EQ(nvx_utf8vld_validate(vld, buf, sizeof buf), -1);
    CHECK_EQ(nvx_utf8vld_get_current_index(vld), 200);
    CHECK_EQ(nvx_utf8vld_validate(&state, buf, 200), 0);
    CHECK_EQ(nvx_utf8vld_finish(&state, &up_to, &elen), NVX_STATUS_OK);
    CHECK_EQ(up_to, 200);
    nvx_xormask_process(m, buf, 5);
    CHECK_EQ(nvx_xormask_pointer(m), 5);
    nvx_utf8vld_free(vld);
    nvx_xormask_free(m);
}

/* Handles of the wrong kind: every entry point answers as for NULL, and nothing changes. */
static void test_wrong_kind(void) {
    void *vld = nvx_utf8vld_new(), *m = nvx_xormask_new(KEY);
    nvx_utf8vld_state state, zeroed;
    nvx_utf8_status st;
    uint8_t buf[16];
    uint8_t copy[16];
    size_t up_to = 9;
    int elen = 9;
    CHECK(vld != NULL && m != NULL);
    if (!vld || !m) {
        return;
    }
    CHECK_EQ(nvx_utf8vld_init(&state), NVX_STATUS_OK);
    memset(&zeroed, 0, sizeof zeroed);
    memcpy(buf, "hello, world! ok", 16);
    memcpy(copy, buf, 16);
    CHECK_EQ(nvx_utf8vld_validate(vld, (const uint8_t *)"\xe2\x82", 2), 1);
    nvx_xormask_process(m, buf, 3);
    ref_mask(buf, 3, KEY, 0); /* back to the copy; the masker is at 3 */
    /* A masker given to the validator functions. */
    CHECK_EQ(nvx_utf8vld_validate(m, buf, 16), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_validate_status(m, buf, 16, &st), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_finish(m, &up_to, &elen), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_set_impl(m, 1), -1);
    CHECK_EQ(nvx_utf8vld_get_impl(m), -1);
    CHECK_EQ(nvx_utf8vld_get_current_index(m), SIZE_MAX);
    CHECK_EQ(nvx_utf8vld_get_total_index(m), SIZE_MAX);
    nvx_utf8vld_reset(m);
    nvx_utf8vld_free(m); /* not freed: the masker is used below (ASan and valgrind would see a double free) */
    /* A validator (heap or storage) given to the masker functions. */
    nvx_xormask_process(vld, buf, 16);
    nvx_xormask_process(&state, buf, 16);
    CHECK(memcmp(buf, copy, 16) == 0);
    CHECK_EQ(nvx_xormask_process_to(vld, buf, 16, buf, 16), SIZE_MAX);
    CHECK_EQ(nvx_xormask_pointer(vld), SIZE_MAX);
    CHECK_EQ(nvx_xormask_pointer(&state), SIZE_MAX);
    CHECK_EQ(nvx_xormask_set_impl(vld, 1), -1);
    CHECK_EQ(nvx_xormask_get_impl(vld), -1);
    nvx_xormask_reset(vld);
    nvx_xormask_free(vld);    /* not freed */
    nvx_xormask_free(&state); /* not freed (it is on the stack) */
    /* Swapped in the fused call, or the same handle twice. */
    CHECK_EQ(nvx_utf8vld_unmask_validate(m, vld, buf, 16, &st), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_unmask_validate(vld, vld, buf, 16, &st), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_unmask_validate(m, m, buf, 16, &st), NVX_STATUS_NULL_ARGUMENT);
    CHECK(memcmp(buf, copy, 16) == 0);
    /* Caller-allocated storage given to nvx_utf8vld_free: recognised and not freed (free() of the stack). */
    nvx_utf8vld_free(&state);
    CHECK_EQ(nvx_utf8vld_validate(&state, (const uint8_t *)"ok", 2), 0);
    /* Storage never initialised (zeroed here): refused, not misread. */
    CHECK_EQ(nvx_utf8vld_validate(&zeroed, buf, 16), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_get_total_index(&zeroed), SIZE_MAX);
    nvx_utf8vld_free(&zeroed);
    /* A misaligned pointer into a handle. */
    CHECK_EQ(nvx_utf8vld_validate((uint8_t *)vld + 1, buf, 16), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_xormask_pointer((uint8_t *)m + 4), SIZE_MAX);
    /* Nothing changed: the validator is still mid-code-point at 2, the masker at 3, with their ids. */
    CHECK(memcmp(buf, copy, 16) == 0);
    CHECK(up_to == 9 && elen == 9);
    CHECK_EQ(nvx_utf8vld_get_total_index(vld), 2);
    CHECK_EQ(nvx_utf8vld_get_impl(vld), 0);
    CHECK_EQ(nvx_xormask_pointer(m), 3);
    CHECK_EQ(nvx_xormask_get_impl(m), 0);
    CHECK_EQ(nvx_utf8vld_validate(vld, (const uint8_t *)"\xac", 1), 0);
    CHECK_EQ(nvx_utf8vld_unmask_validate(vld, m, buf, 0, &st), NVX_STATUS_OK);
    nvx_utf8vld_free(vld);
    nvx_xormask_free(m);
#ifdef NVX_TEST_USE_AFTER_FREE
    /* Best effort: a freed handle, while its memory is not reused, no longer carries its tag. With glibc the
     * allocator also overwrites the first words of a freed block. Undefined behaviour in C terms: never in the
     * sanitizer and valgrind builds, which report it (correctly) as a use after free. */
    CHECK_EQ(nvx_utf8vld_validate(vld, buf, 16), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_xormask_pointer(m), SIZE_MAX);
    nvx_utf8vld_free(vld); /* a double free, caught */
    nvx_xormask_free(m);
#endif
}

static void test_set_implementation_names(void) {
    char selected[16], long_name[4096];
    static const char *const BAD[] = {"", " ", "avx2 ", " avx2", "AVX2", "avx", "sse", "sse4.1", "scalar\n",
                                      "\xff\xfe", "neon\xff", "avx512f", "0", "-1"};
    size_t i;
    snprintf(selected, sizeof selected, "%s", nvx_implementation_name());
    for (i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        CHECK_EQ(nvx_set_implementation(BAD[i]), NVX_STATUS_UNSUPPORTED);
    }
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;
    CHECK_EQ(nvx_set_implementation(long_name), NVX_STATUS_UNSUPPORTED);
    CHECK_EQ(nvx_set_implementation(NULL), NVX_STATUS_NULL_ARGUMENT);
    CHECK(strcmp(nvx_implementation_name(), selected) == 0);
}

#ifdef NVX_TEST_32_BIT_STREAM
/* Feeds one chunk; checks the quad and the status. */
static void feed(void *vld, const uint8_t *data, size_t len, int valid, int ends, size_t current, size_t total) {
    nvx_utf8_status st;
    CHECK_EQ(nvx_utf8vld_validate_status(vld, data, len, &st), !valid ? NVX_STATUS_INVALID
                                                               : ends ? NVX_STATUS_OK
                                                                      : NVX_STATUS_INCOMPLETE);
    CHECK(st.valid == (valid != 0) && st.ends_on_codepoint == (ends != 0));
    CHECK_EQ(st.current_index, current);
    CHECK_EQ(st.total_index, total);
}

static void test_beyond_4_gib_32_bit(void) {
    enum { WINDOW = 256 << 20 };
    uint8_t *zeros = mmap(NULL, WINDOW, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    /* Caller-allocated states (malloc: 8-aligned), so that a validator can be forked with memcpy. */
    nvx_utf8vld_state *vld = malloc(sizeof *vld), *fork = malloc(sizeof *fork);
    size_t k, up_to;
    int elen;
    CHECK(zeros != MAP_FAILED && vld && fork);
    if (zeros == MAP_FAILED || !vld || !fork) {
        free(vld);
        free(fork);
        return;
    }
    CHECK_EQ(nvx_utf8vld_init(vld), NVX_STATUS_OK);
    /* 2^32 - 20 bytes in 16 calls, counted exactly. */
    for (k = 1; k <= 15; k++) {
        feed(vld, zeros, WINDOW, 1, 1, WINDOW, k * WINDOW);
    }
    feed(vld, zeros, WINDOW - 20, 1, 1, WINDOW - 20, SIZE_MAX - 19);
    /* Just below 2^32 every position is exact. */
    memcpy(fork, vld, sizeof *vld);
    feed(fork, (const uint8_t *)"abc\xff", 4, 0, 0, 3, SIZE_MAX - 16);
    CHECK_EQ(nvx_utf8vld_finish(fork, &up_to, &elen), NVX_STATUS_INVALID);
    CHECK_EQ(up_to, SIZE_MAX - 16);
    /* A code point from 2^32 - 2 to past 2^32 - 1, then rejected: the count saturates, its start is exact. */
    memcpy(fork, vld, sizeof *vld);
    feed(fork, zeros, 18, 1, 1, 18, SIZE_MAX - 1);
    feed(fork, (const uint8_t *)"\xe2\x82", 2, 1, 0, 2, SIZE_MAX);
    feed(fork, (const uint8_t *)"X", 1, 0, 0, 0, SIZE_MAX);
    CHECK_EQ(nvx_utf8vld_finish(fork, &up_to, &elen), NVX_STATUS_INVALID);
    CHECK_EQ(up_to, SIZE_MAX - 1);
    CHECK_EQ(elen, 2);
    /* Past 2^32: another window, then an error. Counts and positions saturate. */
    feed(vld, zeros, WINDOW, 1, 1, WINDOW, SIZE_MAX);
    CHECK_EQ(nvx_utf8vld_finish(vld, &up_to, &elen), NVX_STATUS_OK);
    CHECK_EQ(up_to, SIZE_MAX);
    feed(vld, (const uint8_t *)"ok \xc0\xaf", 5, 0, 0, 3, SIZE_MAX);
    feed(vld, (const uint8_t *)"more", 4, 0, 0, 0, SIZE_MAX);
    CHECK_EQ(nvx_utf8vld_get_total_index(vld), SIZE_MAX);
    CHECK_EQ(nvx_utf8vld_finish(vld, &up_to, &elen), NVX_STATUS_INVALID);
    CHECK_EQ(up_to, SIZE_MAX);
    CHECK_EQ(elen, 1);
    free(vld);
    free(fork);
    munmap(zeros, WINDOW);
}
#endif

/* A state pointer that is not 8-aligned is refused by init (nothing written) and by every call; the type is
 * declared 8-aligned (NVX_ALIGNED), which only i386 needs, but a cast can always make one. */
struct align_probe {
    char c;
    nvx_utf8vld_state state;
};

static void test_misaligned_state(void) {
    uint64_t storage[17];
    uint8_t *base = (uint8_t *)storage, before[128];
    uint8_t *aligned = base + (8 - (uintptr_t)base % 8) % 8;
    void *misaligned = aligned + 4;
    CHECK_EQ(offsetof(struct align_probe, state), 8); /* the type's alignment, in C99 */
    memset(storage, 0x5a, sizeof storage);
    memcpy(before, misaligned, sizeof before);
    CHECK_EQ(nvx_utf8vld_init(misaligned), NVX_STATUS_NULL_ARGUMENT);
    CHECK(memcmp(before, misaligned, sizeof before) == 0);
    CHECK_EQ(nvx_utf8vld_validate(misaligned, (const uint8_t *)"ab", 2), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_init((void *)aligned), NVX_STATUS_OK);
    CHECK_EQ(nvx_utf8vld_validate(aligned, (const uint8_t *)"ab", 2), NVX_STATUS_OK);
    CHECK_EQ(nvx_utf8vld_get_total_index(aligned), 2);
}

int main(void) {
    test_huge_lengths();
    test_null_and_empty();
    test_set_impl_every_int();
    test_wrong_kind();
    test_set_implementation_names();
#ifdef NVX_TEST_32_BIT_STREAM
    test_beyond_4_gib_32_bit();
#endif
    test_misaligned_state();
    return report();
}
