/*
 * ref_utf8.h: the C tests' own UTF-8 oracle, independent of libnvx: the table of well-formed byte sequences of
 * RFC 3629, section 4, as a byte-at-a-time automaton. From it:
 *   ref_utf8_validate   a whole message: the status, valid_up_to and error_len Rust's core::str::from_utf8 gives
 *                       (error_len: the length of the longest valid prefix of the sequence at valid_up_to, 1 to 3)
 *   ref_vld_feed        a message fed in chunks: autobahn's four values (valid, ends_on_codepoint, current_index:
 *                       the index in the chunk of the byte the automaton rejects, total_index)
 * Header-only (static functions). test_nvx.c checks the oracle itself against its table of known vectors.
 */
#ifndef NVX_REF_UTF8_H
#define NVX_REF_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nvx.h"

/* The automaton: how many continuation bytes the open code point still needs, and the range the next one must
 * fall in (narrower than 80..BF only for the second byte after E0, ED, F0, F4). */
typedef struct {
    unsigned need;
    uint8_t lo, hi;
} ref_dfa;

/* Feeds one byte: 0 if it is accepted, -1 if no valid message can continue with it. */
static inline int ref_dfa_step(ref_dfa *d, uint8_t b) {
    if (d->need == 0) {
        d->lo = 0x80;
        d->hi = 0xBF;
        if (b <= 0x7F) {
            return 0;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            d->need = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            d->need = 2;
            if (b == 0xE0) {
                d->lo = 0xA0; /* no overlong 3-byte forms */
            } else if (b == 0xED) {
                d->hi = 0x9F; /* no surrogates */
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            d->need = 3;
            if (b == 0xF0) {
                d->lo = 0x90; /* no overlong 4-byte forms */
            } else if (b == 0xF4) {
                d->hi = 0x8F; /* nothing above U+10FFFF */
            }
        } else {
            return -1; /* 80..C1, F5..FF never start a sequence */
        }
        return 0;
    }
    if (b < d->lo || b > d->hi) {
        return -1;
    }
    d->need--;
    d->lo = 0x80;
    d->hi = 0xBF;
    return 0;
}

/* A whole message, as core::str::from_utf8 judges it. Either output may be NULL. */
static inline nvx_status ref_utf8_validate(const uint8_t *data, size_t len, size_t *valid_up_to, int *error_len) {
    ref_dfa d = {0, 0x80, 0xBF};
    size_t i, start = 0, up_to = len;
    int elen = 0;
    nvx_status status = NVX_STATUS_OK;
    for (i = 0; i < len; i++) {
        if (d.need == 0) {
            start = i;
        }
        if (ref_dfa_step(&d, data[i]) != 0) {
            up_to = start;
            elen = i == start ? 1 : (int)(i - start);
            status = NVX_STATUS_INVALID;
            break;
        }
    }
    if (status == NVX_STATUS_OK && d.need != 0) {
        up_to = start;
        status = NVX_STATUS_INCOMPLETE;
    }
    if (valid_up_to) {
        *valid_up_to = up_to;
    }
    if (error_len) {
        *error_len = elen;
    }
    return status;
}

/* A message fed in chunks, with autobahn's semantics: a reject is sticky until ref_vld_reset. */
typedef struct {
    ref_dfa d;
    size_t total;
    bool rejected;
} ref_vld;

static inline void ref_vld_reset(ref_vld *v) {
    v->d.need = 0;
    v->d.lo = 0x80;
    v->d.hi = 0xBF;
    v->total = 0;
    v->rejected = false;
}

/* Feeds the next chunk; fills *st (if not NULL) and returns what nvx_utf8vld_validate_status returns. */
static inline nvx_status ref_vld_feed(ref_vld *v, const uint8_t *data, size_t len, nvx_utf8_status *st) {
    nvx_utf8_status s;
    size_t i;
    nvx_status status;
    s.valid = false;
    s.ends_on_codepoint = false;
    s.current_index = 0;
    if (v->rejected) {
        status = NVX_STATUS_INVALID;
    } else {
        for (i = 0; i < len && ref_dfa_step(&v->d, data[i]) == 0; i++) {
        }
        s.current_index = i;
        v->total += i;
        if (i < len) {
            v->rejected = true;
            status = NVX_STATUS_INVALID;
        } else {
            s.valid = true;
            s.ends_on_codepoint = v->d.need == 0;
            status = s.ends_on_codepoint ? NVX_STATUS_OK : NVX_STATUS_INCOMPLETE;
        }
    }
    s.total_index = v->total;
    if (st) {
        *st = s;
    }
    return status;
}

#endif
