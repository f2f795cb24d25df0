/*
 * test_support.h: what the C test programs share: the CHECK macros and their counters, a xorshift generator,
 * text with known code point starts, and the reference masking loop. Header-only (static functions): each test
 * program includes it once.
 *
 * Oracles, never libnvx itself: make_text() knows where every code point starts, ref_mask() is the trivial loop.
 */
#ifndef NVX_TEST_SUPPORT_H
#define NVX_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static unsigned long passed, failed;

static inline void check(int ok, const char *what, const char *file, int line) {
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
    }
}

static inline void check_eq(unsigned long long got, unsigned long long want, const char *what, const char *file,
                     int line) {
    if (got == want) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "%s:%d: FAILED: %s: got %llu (%lld), want %llu (%lld)\n", file, line, what, got,
                (long long)got, want, (long long)want);
    }
}

#define CHECK(cond) check((cond) ? 1 : 0, #cond, __FILE__, __LINE__)
/* Compares as unsigned long long: negative ints print as their two's complement and as a signed value. */
#define CHECK_EQ(got, want) \
    check_eq((unsigned long long)(got), (unsigned long long)(want), #got " == " #want, __FILE__, __LINE__)

/* The last line of every test program; its exit status. */
static inline int report(void) {
    printf("%lu passed, %lu failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

static inline void ref_mask(uint8_t *buf, size_t len, const uint8_t key[4], size_t phase) {
    size_t i;
    for (i = 0; i < len; i++) {
        buf[i] ^= key[(phase + i) % 4];
    }
}

static uint32_t rng_state = 0x9e3779b9u;

static inline uint32_t rng(void) { /* xorshift32 */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static inline void fill_random(uint8_t *buf, size_t len) {
    size_t i;
    for (i = 0; i < len; i++) {
        buf[i] = (uint8_t)rng();
    }
}

/* Valid UTF-8 of exactly `len` bytes mixing 1- to 4-byte code points; `starts[i]` is 1 where a code point starts.
 * Thread-safe (its generator is local). */
static inline void make_text(uint8_t *buf, size_t len, uint8_t *starts, uint32_t seed) {
    static const char *const chars[] = {"a", "Z", " ", "\xc3\xa9", "\xce\xba", "\xe2\x82\xac", "\xe6\x97\xa5",
                                        "\xef\xbf\xbd", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", "~", "\x7f"};
    uint32_t s = seed ? seed : 1;
    size_t at = 0;
    memset(starts, 0, len);
    while (at < len) {
        const char *c;
        size_t n;
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        c = chars[s % (sizeof chars / sizeof chars[0])];
        n = strlen(c);
        if (at + n > len) {
            c = "x";
            n = 1;
        }
        memcpy(buf + at, c, n);
        starts[at] = 1;
        at += n;
    }
}

#endif
