/*
 * test_nvx.c: the C ABI of libnvx (include/nvx.h), every function, from C99.
 *
 * Run by tests/c/run.sh in four ways: linked statically, dynamically, under ASan+UBSan, under valgrind. Prints
 * "N passed, M failed" as its last line and exits non-zero on any failure. Threads: test_threads.c; hostile
 * arguments (lengths near SIZE_MAX, every set_impl id, handles of the wrong kind): test_hostile.c.
 *
 * Oracles, never libnvx itself: the expected positions of the known vectors (Markus Kuhn's UTF-8 stress test and
 * autobahn's cases, with the quads autobahn's pure-Python validator returned, as listed in tests/vectors.rs and
 * std's valid_up_to / error_len), a byte-at-a-time automaton of RFC 3629's table (ref_utf8.h: std's numbers for a
 * whole message, autobahn's quads for chunks; checked here against the known vectors first), and a trivial C loop
 * for masking (ref_mask in test_support.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "nvx.h"
#include "ref_utf8.h"
#include "test_support.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------------------------ */
/* Known vectors */

typedef struct {
    const char *name;
    const char *bytes;
    size_t len;
    /* nvx_utf8_validate: status, valid_up_to, error_len (std's numbers). */
    int status;
    size_t valid_up_to;
    int error_len;
    /* autobahn's quad for the whole vector fed in one call. */
    int valid, ends;
    size_t current, total;
} vector;

#define V(name, lit, st, up_to, elen, valid, ends, cur, tot) \
    { name, lit, sizeof(lit) - 1, st, up_to, elen, valid, ends, cur, tot }

#define OK NVX_STATUS_OK
#define INCOMPLETE NVX_STATUS_INCOMPLETE
#define INVALID NVX_STATUS_INVALID

static const vector VECTORS[] = {
    V("Kuhn 1", "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", OK, 11, 0, 1, 1, 11, 11),
    V("Kuhn 2.1.1", "\x00", OK, 1, 0, 1, 1, 1, 1),
    V("Kuhn 2.1.4", "\xf0\x90\x80\x80", OK, 4, 0, 1, 1, 4, 4),
    V("Kuhn 2.2.4", "\xf7\xbf\xbf\xbf", INVALID, 0, 1, 0, 0, 0, 0),
    V("Kuhn 2.3.4", "\xf4\x8f\xbf\xbf", OK, 4, 0, 1, 1, 4, 4),
    V("Kuhn 2.3.5", "\xf4\x90\x80\x80", INVALID, 0, 1, 0, 0, 1, 1),
    V("Kuhn 3.1.1", "\x80", INVALID, 0, 1, 0, 0, 0, 0),
    V("Kuhn 3.2.2 (start)", "\xe0 \xe1 ", INVALID, 0, 1, 0, 0, 1, 1),
    V("Kuhn 3.3.2", "\xe0\x80", INVALID, 0, 1, 0, 0, 1, 1),
    V("Kuhn 3.3.6", "\xdf", INCOMPLETE, 0, 0, 1, 0, 1, 1),
    V("Kuhn 3.3.7", "\xef\xbf", INCOMPLETE, 0, 0, 1, 0, 2, 2),
    V("Kuhn 3.3.8", "\xf7\xbf\xbf", INVALID, 0, 1, 0, 0, 0, 0),
    V("Kuhn 3.5.3", "\xfe\xfe\xff\xff", INVALID, 0, 1, 0, 0, 0, 0),
    V("Kuhn 4.1.1", "\xc0\xaf", INVALID, 0, 1, 0, 0, 0, 0),
    V("Kuhn 4.2.3", "\xf0\x8f\xbf\xbf", INVALID, 0, 1, 0, 0, 1, 1),
    V("Kuhn 5.1.1", "\xed\xa0\x80", INVALID, 0, 1, 0, 0, 1, 1),
    V("Kuhn 5.2.1", "\xed\xa0\x80\xed\xb0\x80", INVALID, 0, 1, 0, 0, 1, 1),
    V("Kuhn 5.3.1", "\xef\xbf\xbe", OK, 3, 0, 1, 1, 3, 3),
    V("empty", "", OK, 0, 0, 1, 1, 0, 0),
    V("surrogate after ASCII", "ab\xed\xa0\x80", INVALID, 2, 1, 0, 0, 3, 3),
    V("0xFF after ASCII", "abc\xff", INVALID, 3, 1, 0, 0, 3, 3),
    V("4-byte cut by ASCII", "\xf0\x9f\x98" "X", INVALID, 0, 3, 0, 0, 3, 3),
    V("3-byte cut by ASCII", "\xe2\x82" "X", INVALID, 0, 2, 0, 0, 2, 2),
    V("mixed", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", OK, 14, 0, 1, 1, 14, 14),
    V("truncated 4-byte", "ok\xf0\x9f\x98", INCOMPLETE, 2, 0, 1, 0, 5, 5),
};
#define NVECTORS (sizeof VECTORS / sizeof VECTORS[0])

static const uint8_t *bytes_of(const vector *v) { return (const uint8_t *)v->bytes; }

/* The status nvx_utf8vld_validate returns for the quad. */
static int quad_status(int valid, int ends) { return !valid ? -1 : ends ? 0 : 1; }

/* ------------------------------------------------------------------------------------------------------------ */
/* Version and implementation */

static const char *const NAMES[] = {"scalar", "sse2", "ssse3", "avx2", "avx512", "neon"};

static int is_known_name(const char *name) {
    size_t i;
    for (i = 0; name && i < sizeof NAMES / sizeof NAMES[0]; i++) {
        if (strcmp(name, NAMES[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static void test_version(void) {
    char want[64];
    snprintf(want, sizeof want, "%d.%d.%d", NVX_VERSION_MAJOR, NVX_VERSION_MINOR, NVX_VERSION_PATCH);
    CHECK(nvx_version() != NULL);
    CHECK(strcmp(nvx_version(), want) == 0);
    CHECK_EQ(sizeof(nvx_utf8vld_state), 128);
    CHECK_EQ(NVX_STATUS_OK, 0);
    CHECK_EQ(NVX_STATUS_INCOMPLETE, 1);
    CHECK_EQ(NVX_STATUS_INVALID, -1);
    CHECK_EQ(NVX_STATUS_NULL_ARGUMENT, -2);
    CHECK_EQ(NVX_STATUS_UNSUPPORTED, -3);
    CHECK_EQ(NVX_STATUS_PANIC, -4);
}

/* Runs last: it changes the process-wide selection (and restores it). */
static void test_set_implementation(void) {
    char selected[16];
    size_t i;
    int accepted = 0;
    CHECK(is_known_name(nvx_implementation_name()));
    snprintf(selected, sizeof selected, "%s", nvx_implementation_name());
    CHECK_EQ(nvx_set_implementation(NULL), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_set_implementation("bogus"), NVX_STATUS_UNSUPPORTED);
    CHECK_EQ(nvx_set_implementation(""), NVX_STATUS_UNSUPPORTED);
    CHECK_EQ(nvx_set_implementation("SCALAR"), NVX_STATUS_UNSUPPORTED);
    CHECK(strcmp(nvx_implementation_name(), selected) == 0);
    for (i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++) {
        nvx_status st = nvx_set_implementation(NAMES[i]);
        CHECK(st == NVX_STATUS_OK || st == NVX_STATUS_UNSUPPORTED);
        if (st == NVX_STATUS_OK) {
            uint8_t buf[300];
            size_t up_to = 0;
            int elen = -1;
            accepted++;
            CHECK(strcmp(nvx_implementation_name(), NAMES[i]) == 0);
            /* The handle-free functions now run this implementation: still exact. */
            memset(buf, 'a', sizeof buf);
            buf[257] = 0xc0;
            CHECK_EQ(nvx_utf8_validate(buf, sizeof buf, &up_to, &elen), NVX_STATUS_INVALID);
            CHECK_EQ(up_to, 257);
            CHECK_EQ(elen, 1);
        } else {
            CHECK(strcmp(nvx_implementation_name(), NAMES[i]) != 0);
        }
    }
    CHECK(accepted >= 1); /* scalar, at least */
#if defined(__x86_64__)
    CHECK_EQ(nvx_set_implementation("neon"), NVX_STATUS_UNSUPPORTED);
    CHECK_EQ(nvx_set_implementation("sse2"), NVX_STATUS_OK);
#endif
    CHECK_EQ(nvx_set_implementation(selected), NVX_STATUS_OK);
    CHECK(strcmp(nvx_implementation_name(), selected) == 0);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* One-shot validation */

static void test_utf8_validate(void) {
    size_t i, up_to;
    int elen;
    uint8_t big[4096], starts[4096];
    for (i = 0; i < NVECTORS; i++) {
        const vector *v = &VECTORS[i];
        nvx_utf8_status st;
        ref_vld ref;
        /* The oracle first: it must give the known numbers too. */
        CHECK_EQ(ref_utf8_validate(bytes_of(v), v->len, &up_to, &elen), v->status);
        CHECK_EQ(up_to, v->valid_up_to);
        CHECK_EQ(elen, v->error_len);
        ref_vld_reset(&ref);
        CHECK_EQ(ref_vld_feed(&ref, bytes_of(v), v->len, &st), quad_status(v->valid, v->ends));
        CHECK(st.valid == v->valid && st.ends_on_codepoint == v->ends);
        CHECK_EQ(st.current_index, v->current);
        CHECK_EQ(st.total_index, v->total);
        up_to = 12345;
        elen = 12345;
        CHECK_EQ(nvx_utf8_validate(bytes_of(v), v->len, &up_to, &elen), v->status);
        CHECK_EQ(up_to, v->valid_up_to);
        CHECK_EQ(elen, v->error_len);
        CHECK_EQ(nvx_utf8_validate(bytes_of(v), v->len, NULL, NULL), v->status); /* outputs optional */
    }
    /* NULL data: an empty buffer with length 0, an error (outputs untouched) otherwise. */
    up_to = 7;
    elen = 7;
    CHECK_EQ(nvx_utf8_validate(NULL, 0, &up_to, &elen), NVX_STATUS_OK);
    CHECK_EQ(up_to, 0);
    CHECK_EQ(elen, 0);
    up_to = 7;
    elen = 7;
    CHECK_EQ(nvx_utf8_validate(NULL, 1, &up_to, &elen), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(up_to, 7);
    CHECK_EQ(elen, 7);
    /* A length no C object can have is refused before any access. */
    CHECK_EQ(nvx_utf8_validate(big, SIZE_MAX, &up_to, &elen), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8_validate(big, (size_t)PTRDIFF_MAX + 1, NULL, NULL), NVX_STATUS_NULL_ARGUMENT);
    /* Long inputs (the vector kernels), an error at every code point start of a stretch. */
    make_text(big, sizeof big, starts, 3);
    CHECK_EQ(nvx_utf8_validate(big, sizeof big, &up_to, &elen), NVX_STATUS_OK);
    CHECK_EQ(up_to, sizeof big);
    for (i = 1000; i < 1300; i++) {
        uint8_t saved = big[i];
        if (!starts[i]) {
            continue;
        }
        big[i] = 0x80; /* a lone continuation byte */
        CHECK_EQ(nvx_utf8_validate(big, sizeof big, &up_to, &elen), NVX_STATUS_INVALID);
        CHECK_EQ(up_to, i);
        CHECK_EQ(elen, 1);
        big[i] = saved;
    }
}

/* ------------------------------------------------------------------------------------------------------------ */
/* The incremental validator */

/* Feeds every vector to `vld` whole, byte by byte, and split in two at every point; checks autobahn's quads. */
static void check_vectors_incremental(void *vld) {
    size_t i, s, k;
    for (i = 0; i < NVECTORS; i++) {
        const vector *v = &VECTORS[i];
        const uint8_t *b = bytes_of(v);
        nvx_utf8_status st;
        int rc;
        /* Whole, through both entry points. */
        nvx_utf8vld_reset(vld);
        CHECK_EQ(nvx_utf8vld_get_current_index(vld), 0);
        CHECK_EQ(nvx_utf8vld_get_total_index(vld), 0);
        rc = nvx_utf8vld_validate(vld, b, v->len);
        CHECK_EQ(rc, quad_status(v->valid, v->ends));
        CHECK_EQ(nvx_utf8vld_get_current_index(vld), v->current);
        CHECK_EQ(nvx_utf8vld_get_total_index(vld), v->total);
        nvx_utf8vld_reset(vld);
        memset(&st, 0x55, sizeof st);
        CHECK_EQ(nvx_utf8vld_validate_status(vld, b, v->len, &st), quad_status(v->valid, v->ends));
        CHECK_EQ(st.valid, v->valid);
        CHECK_EQ(st.ends_on_codepoint, v->ends);
        CHECK_EQ(st.current_index, v->current);
        CHECK_EQ(st.total_index, v->total);
        /* Sticky: after a reject every call returns -1, current 0, total unchanged, until reset. */
        if (!v->valid) {
            CHECK_EQ(nvx_utf8vld_validate_status(vld, (const uint8_t *)"ok", 2, &st), NVX_STATUS_INVALID);
            CHECK(!st.valid && !st.ends_on_codepoint);
            CHECK_EQ(st.current_index, 0);
            CHECK_EQ(st.total_index, v->total);
            CHECK_EQ(nvx_utf8vld_validate(vld, NULL, 0), -1);
            CHECK_EQ(nvx_utf8vld_get_current_index(vld), 0);
            CHECK_EQ(nvx_utf8vld_get_total_index(vld), v->total);
            nvx_utf8vld_reset(vld);
            CHECK_EQ(nvx_utf8vld_validate(vld, (const uint8_t *)"ok", 2), 0);
        }
        /* One byte per call: the reject comes at the failing byte's call, with current 0 and total = index. */
        nvx_utf8vld_reset(vld);
        rc = 0;
        for (k = 0; k < v->len; k++) {
            rc = nvx_utf8vld_validate(vld, b + k, 1);
            if (rc == -1) {
                break;
            }
        }
        if (v->valid) {
            CHECK_EQ(k, v->len);
            CHECK_EQ(rc, v->len == 0 ? 0 : quad_status(1, v->ends));
            CHECK_EQ(nvx_utf8vld_get_total_index(vld), v->total);
        } else {
            CHECK_EQ(rc, -1);
            CHECK_EQ(k, v->current);
            CHECK_EQ(nvx_utf8vld_get_current_index(vld), 0);
            CHECK_EQ(nvx_utf8vld_get_total_index(vld), v->total);
        }
        /* Two chunks split at every point. */
        for (s = 0; s <= v->len; s++) {
            int rc1, rc2;
            size_t cur1, cur2;
            nvx_utf8vld_reset(vld);
            rc1 = nvx_utf8vld_validate(vld, b, s);
            cur1 = nvx_utf8vld_get_current_index(vld);
            rc2 = nvx_utf8vld_validate(vld, b + s, v->len - s);
            cur2 = nvx_utf8vld_get_current_index(vld);
            CHECK_EQ(rc2, quad_status(v->valid, v->ends));
            CHECK_EQ(nvx_utf8vld_get_total_index(vld), v->total);
            if (!v->valid && v->current < s) {
                CHECK_EQ(rc1, -1);
                CHECK_EQ(cur1, v->current);
                CHECK_EQ(cur2, 0);
            } else if (!v->valid) {
                CHECK(rc1 >= 0);
                CHECK_EQ(cur2, v->current - s);
            } else {
                CHECK(rc1 >= 0);
                CHECK_EQ(cur2, v->len - s);
            }
        }
    }
}

/* `finish` after feeding a vector whole: std's verdict for the whole message. */
static void check_finish(void *vld) {
    size_t i, up_to;
    int elen;
    for (i = 0; i < NVECTORS; i++) {
        const vector *v = &VECTORS[i];
        nvx_utf8vld_reset(vld);
        nvx_utf8vld_validate(vld, bytes_of(v), v->len);
        up_to = 999;
        elen = 999;
        CHECK_EQ(nvx_utf8vld_finish(vld, &up_to, &elen), v->status);
        CHECK_EQ(up_to, v->valid_up_to);
        CHECK_EQ(elen, v->error_len);
        CHECK_EQ(nvx_utf8vld_finish(vld, NULL, NULL), v->status);
    }
}

static void test_utf8vld(void) {
    void *vld = nvx_utf8vld_new();
    int id, accepted = 0;
    CHECK(vld != NULL);
    if (!vld) {
        return;
    }
    CHECK_EQ(nvx_utf8vld_get_impl(vld), 0);
    CHECK_EQ(nvx_utf8vld_get_current_index(vld), 0);
    CHECK_EQ(nvx_utf8vld_get_total_index(vld), 0);
    /* Every autobahn id this CPU runs gives the same results. */
    for (id = 0; id <= 4; id++) {
        int got = nvx_utf8vld_set_impl(vld, id);
        CHECK_EQ(nvx_utf8vld_get_impl(vld), got);
        if (got != id) {
            continue;
        }
        accepted++;
        check_vectors_incremental(vld);
        check_finish(vld);
    }
    CHECK(accepted >= 3); /* 0, 1 and 2 run everywhere */
#if defined(__x86_64__)
    CHECK_EQ(accepted, 5); /* 3 needs SSE2 (x86_64 baseline); 4 needs SSSE3, which every x86_64 CI machine has */
#endif
    /* Refused ids: unknown, negative; the handle keeps its id (autobahn returns the id in force). */
    CHECK_EQ(nvx_utf8vld_set_impl(vld, 2), 2);
    CHECK_EQ(nvx_utf8vld_set_impl(vld, 5), 2);
    CHECK_EQ(nvx_utf8vld_set_impl(vld, -1), 2);
    CHECK_EQ(nvx_utf8vld_set_impl(vld, INT_MAX), 2);
    CHECK_EQ(nvx_utf8vld_set_impl(vld, INT_MIN), 2);
    CHECK_EQ(nvx_utf8vld_get_impl(vld), 2);
    CHECK_EQ(nvx_utf8vld_set_impl(vld, 0), 0);
    /* The message state survives set_impl and reset keeps the id. */
    nvx_utf8vld_reset(vld);
    CHECK_EQ(nvx_utf8vld_validate(vld, (const uint8_t *)"\xe2\x82", 2), 1);
    CHECK_EQ(nvx_utf8vld_set_impl(vld, 1), 1);
    CHECK_EQ(nvx_utf8vld_validate(vld, (const uint8_t *)"\xac", 1), 0);
    CHECK_EQ(nvx_utf8vld_get_total_index(vld), 3);
    nvx_utf8vld_reset(vld);
    CHECK_EQ(nvx_utf8vld_get_impl(vld), 1);
    /* NULL data: empty with length 0; error with length > 0, and nothing changes (no reject). */
    CHECK_EQ(nvx_utf8vld_validate(vld, (const uint8_t *)"ab", 2), 0);
    CHECK_EQ(nvx_utf8vld_validate(vld, NULL, 0), 0);
    CHECK_EQ(nvx_utf8vld_get_current_index(vld), 0);
    CHECK_EQ(nvx_utf8vld_get_total_index(vld), 2);
    CHECK_EQ(nvx_utf8vld_validate(vld, NULL, 3), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_validate_status(vld, NULL, 3, NULL), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_validate(vld, (const uint8_t *)"ab", SIZE_MAX), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_get_total_index(vld), 2);
    CHECK_EQ(nvx_utf8vld_validate_status(vld, (const uint8_t *)"c", 1, NULL), NVX_STATUS_OK); /* status optional */
    CHECK_EQ(nvx_utf8vld_get_total_index(vld), 3);
    nvx_utf8vld_free(vld);
}

static void test_utf8vld_state(void) {
    nvx_utf8vld_state a, b;
    nvx_utf8_status st;
    size_t up_to;
    int elen;
    CHECK_EQ(nvx_utf8vld_init(NULL), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_init(&a), NVX_STATUS_OK);
    CHECK_EQ(nvx_utf8vld_get_impl(&a), 0);
    check_vectors_incremental(&a);
    check_finish(&a);
    CHECK_EQ(nvx_utf8vld_set_impl(&a, 1), 1);
    check_vectors_incremental(&a);
    /* A memcpy'd state is an independent validator in the same state. */
    nvx_utf8vld_reset(&a);
    CHECK_EQ(nvx_utf8vld_validate(&a, (const uint8_t *)"x\xf0\x9f", 3), 1);
    memcpy(&b, &a, sizeof a);
    CHECK_EQ(nvx_utf8vld_validate_status(&a, (const uint8_t *)"\x98\x80", 2, &st), NVX_STATUS_OK);
    CHECK_EQ(st.total_index, 5);
    CHECK_EQ(nvx_utf8vld_validate_status(&b, (const uint8_t *)"\x98" "A", 2, &st), NVX_STATUS_INVALID);
    CHECK_EQ(st.current_index, 1);
    CHECK_EQ(st.total_index, 4);
    CHECK_EQ(nvx_utf8vld_finish(&a, &up_to, &elen), NVX_STATUS_OK);
    CHECK_EQ(up_to, 5);
    CHECK_EQ(nvx_utf8vld_finish(&b, &up_to, &elen), NVX_STATUS_INVALID);
    CHECK_EQ(up_to, 1);
    CHECK_EQ(elen, 3);
    CHECK_EQ(nvx_utf8vld_get_impl(&b), 1);
    /* Initialising again starts over. */
    CHECK_EQ(nvx_utf8vld_init(&b), NVX_STATUS_OK);
    CHECK_EQ(nvx_utf8vld_get_impl(&b), 0);
    CHECK_EQ(nvx_utf8vld_get_total_index(&b), 0);
    CHECK_EQ(nvx_utf8vld_finish(&b, &up_to, &elen), NVX_STATUS_OK);
    CHECK_EQ(up_to, 0);
}

/* A long message in random chunks, with an error at a code point start: the total index at the reject. */
static void test_utf8vld_long(void) {
    enum { LEN = 70000 };
    uint8_t *text = malloc(LEN), *starts = malloc(LEN);
    void *vld = nvx_utf8vld_new();
    int round, id;
    CHECK(text && starts && vld);
    if (!text || !starts || !vld) {
        free(text);
        free(starts);
        nvx_utf8vld_free(vld);
        return;
    }
    make_text(text, LEN, starts, 11);
    for (id = 0; id <= 4; id++) {
        if (nvx_utf8vld_set_impl(vld, id) != id) {
            continue;
        }
        for (round = 0; round < 6; round++) {
            size_t bad = (size_t)rng() % LEN, at = 0;
            int rc = 0;
            uint8_t saved;
            while (!starts[bad]) {
                bad--;
            }
            saved = text[bad];
            text[bad] = 0xf8; /* can never start a sequence: autobahn rejects at it */
            nvx_utf8vld_reset(vld);
            while (at < LEN && rc != -1) {
                size_t n = (size_t)rng() % (round < 3 ? 64 : 9000);
                if (n > LEN - at) {
                    n = LEN - at;
                }
                rc = nvx_utf8vld_validate(vld, text + at, n);
                if (rc == -1) {
                    CHECK_EQ(nvx_utf8vld_get_current_index(vld), bad - at);
                }
                at += n;
            }
            CHECK_EQ(rc, -1);
            CHECK_EQ(nvx_utf8vld_get_total_index(vld), bad);
            text[bad] = saved;
        }
    }
    nvx_utf8vld_free(vld);
    free(text);
    free(starts);
}

/* Damaged text and random bytes, whole and in random chunks, on every autobahn id this CPU runs: every verdict and
 * every quad from the reference automaton. */
static void test_against_reference(void) {
    enum { MAXLEN = 600, ROUNDS = 400 };
    uint8_t text[MAXLEN], starts[MAXLEN];
    void *vld = nvx_utf8vld_new();
    int round, id;
    CHECK(vld != NULL);
    if (!vld) {
        return;
    }
    for (round = 0; round < ROUNDS; round++) {
        size_t len = (size_t)rng() % MAXLEN, k, damage = (size_t)rng() % 4, up_to, want_up_to;
        int elen, want_elen;
        nvx_status want;
        if (round % 5 == 0) {
            fill_random(text, len);
        } else {
            make_text(text, len, starts, (uint32_t)round + 1);
            for (k = 0; k < damage && len > 0; k++) {
                /* A random byte, a continuation, a lead or one that never appears, anywhere. */
                static const uint8_t bytes[] = {0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xed, 0xf0, 0xf4, 0xf5, 0xff};
                text[(size_t)rng() % len] = rng() % 2 ? (uint8_t)rng() : bytes[rng() % sizeof bytes];
            }
        }
        want = ref_utf8_validate(text, len, &want_up_to, &want_elen);
        CHECK_EQ(nvx_utf8_validate(text, len, &up_to, &elen), want);
        CHECK_EQ(up_to, want_up_to);
        CHECK_EQ(elen, want_elen);
        for (id = 0; id <= 4; id++) {
            ref_vld ref;
            size_t at = 0;
            if (nvx_utf8vld_set_impl(vld, id) != id) {
                continue;
            }
            nvx_utf8vld_reset(vld);
            ref_vld_reset(&ref);
            do {
                nvx_utf8_status st, want_st;
                nvx_status want_rc;
                size_t n = (size_t)rng() % (round % 2 ? 7 : 200);
                if (n > len - at) {
                    n = len - at;
                }
                want_rc = ref_vld_feed(&ref, text + at, n, &want_st);
                CHECK_EQ(nvx_utf8vld_validate_status(vld, text + at, n, &st), want_rc);
                CHECK(st.valid == want_st.valid && st.ends_on_codepoint == want_st.ends_on_codepoint);
                CHECK_EQ(st.current_index, want_st.current_index);
                CHECK_EQ(st.total_index, want_st.total_index);
                at += n;
            } while (at < len);
            CHECK_EQ(nvx_utf8vld_finish(vld, &up_to, &elen), want);
            CHECK_EQ(up_to, want_up_to);
            CHECK_EQ(elen, want_elen);
        }
    }
    nvx_utf8vld_free(vld);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Masking */

static const uint8_t KEY[4] = {0x37, 0xfa, 0x21, 0x3d};

static void test_mask(void) {
    enum { MAX = 300 };
    uint8_t src[MAX + 16], want[MAX + 16], got[MAX + 16], dst[MAX + 32];
    uint8_t key[4];
    size_t len, off, phase;
    uint8_t hello[5] = {'H', 'e', 'l', 'l', 'o'};
    static const uint8_t rfc[5] = {0x7f, 0x9f, 0x4d, 0x51, 0x58};
    /* RFC 6455 section 5.7, in two pieces. */
    CHECK_EQ(nvx_mask(hello, 3, KEY, 0), 3);
    CHECK_EQ(nvx_mask(hello + 3, 2, KEY, 3), 1);
    CHECK(memcmp(hello, rfc, 5) == 0);
    for (len = 0; len <= MAX; len += (len < 70 ? 1 : 23)) {
        for (off = 0; off < 8; off++) {
            for (phase = 0; phase < 8; phase++) {
                fill_random(key, 4);
                fill_random(src, sizeof src);
                memcpy(want, src, sizeof src);
                ref_mask(want + off, len, key, phase);
                /* In place, at every alignment. */
                memcpy(got, src, sizeof src);
                CHECK_EQ(nvx_mask(got + off, len, key, phase), (phase + len) % 4);
                CHECK(memcmp(got, want, sizeof got) == 0);
                /* Out of place: src untouched, nothing written past dst's len bytes. */
                memset(dst, 0xAA, sizeof dst);
                CHECK_EQ(nvx_mask_to(src + off, len, key, phase, dst + (7 - off), len + 3), (phase + len) % 4);
                CHECK(memcmp(dst + (7 - off), want + off, len) == 0);
                CHECK(dst[7 - off + len] == 0xAA && (7 - off == 0 || dst[6 - off] == 0xAA));
                /* src == dst is in place. */
                memcpy(got, src, sizeof src);
                CHECK_EQ(nvx_mask_to(got + off, len, key, phase, got + off, len), (phase + len) % 4);
                CHECK(memcmp(got, want, sizeof got) == 0);
            }
        }
    }
    /* Errors: SIZE_MAX, nothing written. */
    memcpy(got, src, sizeof src);
    CHECK_EQ(nvx_mask(got, 4, NULL, 0), SIZE_MAX);
    CHECK_EQ(nvx_mask(NULL, 4, KEY, 0), SIZE_MAX);
    CHECK_EQ(nvx_mask(got, SIZE_MAX, KEY, 0), SIZE_MAX);
    CHECK_EQ(nvx_mask_to(src, 4, NULL, 0, got, 4), SIZE_MAX);
    CHECK_EQ(nvx_mask_to(NULL, 4, KEY, 0, got, 4), SIZE_MAX);
    CHECK_EQ(nvx_mask_to(src, 4, KEY, 0, NULL, 4), SIZE_MAX);
    CHECK_EQ(nvx_mask_to(src, 4, KEY, 0, got, 3), SIZE_MAX); /* dst too short */
    CHECK(memcmp(got, src, sizeof src) == 0);
    /* NULL with length 0 is an empty buffer. */
    CHECK_EQ(nvx_mask(NULL, 0, KEY, 6), 2);
    CHECK_EQ(nvx_mask_to(NULL, 0, KEY, 1, NULL, 0), 1);
}

static void test_xormask(void) {
    enum { LEN = 5000 };
    uint8_t *src = malloc(LEN), *want = malloc(LEN), *got = malloc(LEN), *dst = malloc(LEN);
    void *m = nvx_xormask_new(KEY);
    int id, accepted = 0;
    CHECK(m != NULL);
    if (!src || !want || !got || !dst || !m) {
        failed++;
        goto out;
    }
    CHECK_EQ(nvx_xormask_get_impl(m), 0);
    CHECK_EQ(nvx_xormask_pointer(m), 0);
    fill_random(src, LEN);
    memcpy(want, src, LEN);
    ref_mask(want, LEN, KEY, 0);
    for (id = 0; id <= 2; id++) {
        int round;
        int got_id = nvx_xormask_set_impl(m, id);
        CHECK_EQ(nvx_xormask_get_impl(m), got_id);
        if (got_id != id) {
            continue;
        }
        accepted++;
        for (round = 0; round < 8; round++) {
            size_t at = 0;
            memcpy(got, src, LEN);
            nvx_xormask_reset(m);
            CHECK_EQ(nvx_xormask_pointer(m), 0);
            while (at < LEN) {
                size_t n = (size_t)rng() % (round < 4 ? 9 : 700);
                if (n > LEN - at) {
                    n = LEN - at;
                }
                if (round % 2) {
                    nvx_xormask_process(m, got + at, n);
                } else {
                    CHECK_EQ(nvx_xormask_process_to(m, src + at, n, dst + at, LEN - at), at + n);
                }
                at += n;
                CHECK_EQ(nvx_xormask_pointer(m), at);
            }
            CHECK(memcmp(round % 2 ? got : dst, want, LEN) == 0);
        }
    }
    CHECK(accepted >= 2);
#if defined(__x86_64__)
    CHECK_EQ(accepted, 3);
#endif
    /* Refused ids keep the id in force; the position survives set_impl. */
    CHECK_EQ(nvx_xormask_set_impl(m, 1), 1);
    CHECK_EQ(nvx_xormask_set_impl(m, 3), 1);
    CHECK_EQ(nvx_xormask_set_impl(m, -1), 1);
    CHECK_EQ(nvx_xormask_set_impl(m, INT_MIN), 1);
    nvx_xormask_reset(m);
    memcpy(got, src, 10);
    nvx_xormask_process(m, got, 3);
    CHECK_EQ(nvx_xormask_set_impl(m, 0), 0);
    nvx_xormask_process(m, got + 3, 7);
    CHECK(memcmp(got, want, 10) == 0);
    CHECK_EQ(nvx_xormask_pointer(m), 10);
    /* process_to in place, and its errors (nothing written, position unchanged). */
    memcpy(got, src, LEN);
    nvx_xormask_reset(m);
    CHECK_EQ(nvx_xormask_process_to(m, got, LEN, got, LEN), LEN);
    CHECK(memcmp(got, want, LEN) == 0);
    CHECK_EQ(nvx_xormask_process_to(m, src, 4, dst, 3), SIZE_MAX);
    CHECK_EQ(nvx_xormask_process_to(m, NULL, 4, dst, 4), SIZE_MAX);
    CHECK_EQ(nvx_xormask_process_to(m, src, 4, NULL, 4), SIZE_MAX);
    CHECK_EQ(nvx_xormask_process_to(m, NULL, 0, NULL, 0), LEN);
    /* process with NULL data: empty with length 0, nothing happens with length > 0. */
    nvx_xormask_process(m, NULL, 0);
    nvx_xormask_process(m, NULL, 5);
    CHECK_EQ(nvx_xormask_pointer(m), LEN);
    /* The key is copied at creation. */
    {
        uint8_t key[4];
        void *m2;
        memcpy(key, KEY, 4);
        m2 = nvx_xormask_new(key);
        memset(key, 0, 4);
        memcpy(got, src, 8);
        nvx_xormask_process(m2, got, 8);
        CHECK(memcmp(got, want, 8) == 0);
        nvx_xormask_free(m2);
    }
    CHECK(nvx_xormask_new(NULL) == NULL);
out:
    nvx_xormask_free(m);
    free(src);
    free(want);
    free(got);
    free(dst);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Fused unmasking and validation */

static void test_fused(void) {
    enum { LEN = 3000 };
    uint8_t text[LEN], starts[LEN], masked[LEN], buf[LEN], dst[LEN];
    size_t i, phase, next, up_to, want_up_to;
    int elen, want_elen;
    nvx_status want;
    make_text(text, LEN, starts, 5);
    for (i = 0; i < NVECTORS + 3; i++) {
        const uint8_t *plain = i < NVECTORS ? bytes_of(&VECTORS[i]) : text;
        size_t len = i < NVECTORS ? VECTORS[i].len : LEN - i;
        for (phase = 0; phase < 4; phase++) {
            want = ref_utf8_validate(plain, len, &want_up_to, &want_elen);
            memcpy(masked, plain, len);
            ref_mask(masked, len, KEY, phase);
            /* In place. */
            memcpy(buf, masked, len);
            next = 99;
            CHECK_EQ(nvx_unmask_validate(buf, len, KEY, phase, &next, &up_to, &elen), want);
            CHECK(memcmp(buf, plain, len) == 0);
            CHECK_EQ(next, (phase + len) % 4);
            CHECK_EQ(up_to, want_up_to);
            CHECK_EQ(elen, want_elen);
            /* Out of place. */
            CHECK_EQ(nvx_unmask_validate_to(masked, len, KEY, phase, dst, len, &next, &up_to, &elen), want);
            CHECK(memcmp(dst, plain, len) == 0);
            CHECK_EQ(up_to, want_up_to);
            /* src == dst. */
            memcpy(buf, masked, len);
            CHECK_EQ(nvx_unmask_validate_to(buf, len, KEY, phase, buf, len, NULL, NULL, NULL), want);
            CHECK(memcmp(buf, plain, len) == 0);
        }
    }
    /* An error deep in a long frame. */
    memcpy(buf, text, LEN);
    for (i = 2000; !starts[i]; i--) {
    }
    buf[i] = 0xff;
    ref_mask(buf, LEN, KEY, 1);
    CHECK_EQ(nvx_unmask_validate(buf, LEN, KEY, 1, &next, &up_to, &elen), NVX_STATUS_INVALID);
    CHECK_EQ(up_to, i);
    CHECK_EQ(elen, 1);
    /* Errors: nothing written. */
    next = 7;
    memcpy(buf, masked, 16);
    CHECK_EQ(nvx_unmask_validate(buf, 16, NULL, 0, &next, NULL, NULL), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_unmask_validate(NULL, 16, KEY, 0, &next, NULL, NULL), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_unmask_validate_to(masked, 16, KEY, 0, dst, 15, &next, NULL, NULL), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_unmask_validate_to(NULL, 16, KEY, 0, dst, 16, &next, NULL, NULL), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_unmask_validate_to(masked, 16, KEY, 0, NULL, 16, &next, NULL, NULL), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_unmask_validate_to(masked, 16, NULL, 0, dst, 16, &next, NULL, NULL), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(next, 7);
    CHECK(memcmp(buf, masked, 16) == 0);
    CHECK_EQ(nvx_unmask_validate(NULL, 0, KEY, 2, &next, &up_to, &elen), NVX_STATUS_OK);
    CHECK_EQ(next, 2);
    CHECK_EQ(up_to, 0);
}

/* Fragments through a validator and a masker: the same as process, then validate. */
static void test_utf8vld_unmask_validate(void) {
    enum { LEN = 4000 };
    uint8_t text[LEN], starts[LEN], buf[LEN], plain[LEN];
    void *vld = nvx_utf8vld_new(), *m = nvx_xormask_new(KEY);
    ref_vld ref;
    nvx_utf8_status st, want;
    int round;
    CHECK(vld && m);
    if (!vld || !m) {
        goto out;
    }
    make_text(text, LEN, starts, 9);
    for (round = 0; round < 12; round++) {
        size_t at = 0;
        nvx_status rc = NVX_STATUS_OK, want_rc = NVX_STATUS_OK;
        memcpy(plain, text, LEN);
        if (round % 3 == 1) {
            plain[(size_t)rng() % LEN] = 0xc0;
        } else if (round % 3 == 2) {
            plain[LEN - 1] = 0xe2; /* ends inside a code point */
        }
        memcpy(buf, plain, LEN);
        ref_mask(buf, LEN, KEY, 0);
        nvx_utf8vld_reset(vld);
        ref_vld_reset(&ref);
        nvx_xormask_reset(m);
        while (at < LEN) {
            size_t n = (size_t)rng() % (round < 6 ? 7 : 900);
            if (n > LEN - at) {
                n = LEN - at;
            }
            rc = nvx_utf8vld_unmask_validate(vld, m, buf + at, n, &st);
            want_rc = ref_vld_feed(&ref, plain + at, n, &want);
            CHECK_EQ(rc, want_rc);
            CHECK(st.valid == want.valid && st.ends_on_codepoint == want.ends_on_codepoint);
            CHECK_EQ(st.current_index, want.current_index);
            CHECK_EQ(st.total_index, want.total_index);
            at += n;
        }
        CHECK(memcmp(buf, plain, LEN) == 0);
        CHECK_EQ(nvx_xormask_pointer(m), LEN);
        CHECK_EQ(nvx_utf8vld_get_current_index(vld), want.current_index);
        CHECK_EQ(nvx_utf8vld_get_total_index(vld), want.total_index);
    }
    /* Errors: nothing changes. */
    nvx_utf8vld_reset(vld);
    nvx_xormask_reset(m);
    memcpy(buf, text, 8);
    CHECK_EQ(nvx_utf8vld_unmask_validate(NULL, m, buf, 8, &st), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_unmask_validate(vld, NULL, buf, 8, &st), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_unmask_validate(vld, m, NULL, 8, &st), NVX_STATUS_NULL_ARGUMENT);
    CHECK(memcmp(buf, text, 8) == 0);
    CHECK_EQ(nvx_xormask_pointer(m), 0);
    CHECK_EQ(nvx_utf8vld_get_total_index(vld), 0);
    CHECK_EQ(nvx_utf8vld_unmask_validate(vld, m, NULL, 0, NULL), NVX_STATUS_OK);
out:
    nvx_utf8vld_free(vld);
    nvx_xormask_free(m);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* NULL handles: every function's documented error value */

static void test_null_handles(void) {
    nvx_utf8_status st;
    size_t up_to = 5;
    int elen = 5;
    uint8_t buf[4] = {1, 2, 3, 4};
    nvx_utf8vld_reset(NULL);  /* no-op */
    nvx_utf8vld_free(NULL);   /* no-op */
    nvx_xormask_reset(NULL);  /* no-op */
    nvx_xormask_free(NULL);   /* no-op */
    nvx_xormask_process(NULL, buf, 4); /* no-op */
    CHECK(buf[0] == 1 && buf[3] == 4);
    CHECK_EQ(nvx_utf8vld_validate(NULL, buf, 4), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_validate(NULL, NULL, 0), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_validate_status(NULL, buf, 4, &st), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(nvx_utf8vld_finish(NULL, &up_to, &elen), NVX_STATUS_NULL_ARGUMENT);
    CHECK_EQ(up_to, 5);
    CHECK_EQ(elen, 5);
    CHECK_EQ(nvx_utf8vld_set_impl(NULL, 0), -1);
    CHECK_EQ(nvx_utf8vld_get_impl(NULL), -1);
    CHECK_EQ(nvx_utf8vld_get_current_index(NULL), SIZE_MAX);
    CHECK_EQ(nvx_utf8vld_get_total_index(NULL), SIZE_MAX);
    CHECK_EQ(nvx_xormask_pointer(NULL), SIZE_MAX);
    CHECK_EQ(nvx_xormask_set_impl(NULL, 0), -1);
    CHECK_EQ(nvx_xormask_get_impl(NULL), -1);
    CHECK_EQ(nvx_xormask_process_to(NULL, buf, 4, buf, 4), SIZE_MAX);
    CHECK_EQ(nvx_utf8vld_unmask_validate(NULL, NULL, NULL, 0, NULL), NVX_STATUS_NULL_ARGUMENT);
}

/* Many handles, created and freed in bulk: leaks and double frees show under ASan and valgrind. */
static void test_handles_lifecycle(void) {
    enum { N = 64 };
    void *v[N], *m[N];
    int i;
    for (i = 0; i < N; i++) {
        uint8_t key[4] = {(uint8_t)i, 1, 2, 3};
        v[i] = nvx_utf8vld_new();
        m[i] = nvx_xormask_new(key);
        CHECK(v[i] != NULL && m[i] != NULL);
    }
    for (i = 0; i < N; i++) {
        CHECK(v[i] != m[i] && (i == 0 || v[i] != v[i - 1]));
        nvx_utf8vld_free(v[i]);
        nvx_xormask_free(m[i]);
    }
}

/* ------------------------------------------------------------------------------------------------------------ */

int main(void) {
    test_version();
    test_utf8_validate();
    test_utf8vld();
    test_utf8vld_state();
    test_utf8vld_long();
    test_against_reference();
    test_mask();
    test_xormask();
    test_fused();
    test_utf8vld_unmask_validate();
    test_null_handles();
    test_handles_lifecycle();
    test_set_implementation(); /* last: it changes the process-wide selection */
    return report();
}
