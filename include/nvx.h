/*
 * nvx.h: the C ABI of nvx (libnvx), exact UTF-8 validation and WebSocket XOR masking.
 *
 * Generated from ffi/src by cbindgen 0.29.4 (ffi/cbindgen.toml); do not edit: CI regenerates it and fails on
 * any difference. Reference, the autobahn implementation id mapping, every error value and the ABI stability
 * promise: docs/c-abi.md.
 *
 * Link with -lnvx (libnvx.so), or libnvx.a plus -lpthread -ldl -lm. Handles are not thread-safe: use one from
 * one thread at a time (a concurrent call on the same handle is refused with NVX_STATUS_BUSY); distinct handles
 * may be used on distinct threads concurrently.
 */

#ifndef NVX_H
#define NVX_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* NVX_ALIGNED(n): the alignment of a type, for the compilers that can declare it (i386 is the only platform where
 * it changes anything). CFFI's cdef drops it (cffi_build.py). */
#if !defined(NVX_ALIGNED)
#if defined(__GNUC__) || defined(__clang__)
#define NVX_ALIGNED(n) __attribute__((aligned(n)))
#elif defined(_MSC_VER)
#define NVX_ALIGNED(n) __declspec(align(n))
#else
#define NVX_ALIGNED(n)
#endif
#endif

/**
 * Major version of the header: the ABI never changes incompatibly within one major version.
 */
#define NVX_VERSION_MAJOR 0

/**
 * Minor version of the header: new functions and new status values may appear.
 */
#define NVX_VERSION_MINOR 1

/**
 * Patch version of the header: fixes only.
 */
#define NVX_VERSION_PATCH 0

/**
 * The outcome of an nvx call.
 *
 * Only ever returned, never taken as an argument. Values are never renumbered or reused; new values may be
 * added in a minor version, so a `switch` needs a `default`. The first three are autobahn's return values of
 * `nvx_utf8vld_validate`, which returns these numbers too.
 */
typedef enum {
  /**
   * Success; for UTF-8: valid, and the input ends on a code point boundary.
   */
  NVX_STATUS_OK = 0,
  /**
   * UTF-8 valid so far, but the input ends inside a code point: more bytes may complete it (an error for a
   * complete message, the normal case for a fragment).
   */
  NVX_STATUS_INCOMPLETE = 1,
  /**
   * Invalid UTF-8.
   */
  NVX_STATUS_INVALID = -1,
  /**
   * A required pointer was NULL (or a data pointer was NULL with a length above 0, or a length exceeded
   * `PTRDIFF_MAX`, or an output buffer was too short, or a handle was not a live handle of the kind the function
   * takes: a masker for a validator, say); nothing was read or written.
   */
  NVX_STATUS_NULL_ARGUMENT = -2,
  /**
   * The implementation asked for is unknown, or this build or CPU cannot run it; nothing changed.
   */
  NVX_STATUS_UNSUPPORTED = -3,
  /**
   * An internal error (a Rust panic) was caught at the boundary. Never expected; report it as a bug.
   */
  NVX_STATUS_PANIC = -4,
  /**
   * The handle is being used by another call right now (two threads calling in on one handle at once); this
   * call did nothing. Handles are for one thread at a time: this detects the mistake, it does not make it work.
   */
  NVX_STATUS_BUSY = -5,
} nvx_status;

/**
 * Caller-allocated storage for a validator, for code that must not allocate: declare one (any storage
 * duration), call `nvx_utf8vld_init` on it, and pass its address as the handle to the `nvx_utf8vld_*`
 * functions (never to `nvx_utf8vld_free`; it owns no other resource, so simply stop using it).
 *
 * Its size (128 bytes) and alignment (8 bytes, declared with `NVX_ALIGNED(8)`, which matters on i386 only:
 * `uint64_t` alone is 4-aligned there) are fixed within a major version; the contents are private. Moving or
 * copying an initialised state with `memcpy` is allowed: the copy is an independent validator in the same state.
 * Not safe for concurrent use: one thread at a time per validator.
 */
typedef struct NVX_ALIGNED(8) {
  /**
   * Private.
   */
  uint64_t opaque[16];
} nvx_utf8vld_state;

/**
 * The four values of autobahn's `Utf8Validator.validate` tuple, filled in by one call.
 */
typedef struct {
  /**
   * No invalid byte so far in the message.
   */
  bool valid;
  /**
   * The message so far ends on a code point boundary (false whenever `valid` is false).
   */
  bool ends_on_codepoint;
  /**
   * Valid: this chunk's length. Invalid: the index in this chunk of the byte at which validation failed
   * (autobahn's byte-at-a-time position); 0 for every chunk after the one that failed.
   */
  size_t current_index;
  /**
   * Bytes of the message consumed: all of them while valid, up to the failing byte once invalid.
   */
  size_t total_index;
} nvx_utf8_status;

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * The version of the library actually loaded, `"MAJOR.MINOR.PATCH"` (static storage; never NULL, never freed).
 */
const char *nvx_version(void);

/**
 * The name of the implementation that new handles and the handle-free functions use: `"scalar"`, `"sse2"`,
 * `"ssse3"`, `"avx2"`, `"avx512"` or `"neon"` (static storage; never NULL, never freed). The first call of the
 * process detects the CPU.
 */
const char *nvx_implementation_name(void);

/**
 * Makes the implementation called `name` (as `nvx_implementation_name` spells it) the process-wide selection,
 * for diagnostics and benchmarks. Handles created before keep their implementation. Not meant to race with
 * other nvx calls' first use (any interleaving is memory-safe; which selection a racing call sees is not
 * specified).
 *
 * Returns `NVX_STATUS_OK`; `NVX_STATUS_UNSUPPORTED` (nothing changed) for an unknown name or one this build or
 * CPU cannot run; `NVX_STATUS_NULL_ARGUMENT` for NULL.
 *
 * # Safety
 * `name` is NULL or a NUL-terminated string.
 */
nvx_status nvx_set_implementation(const char *name);

/**
 * Validates `len` bytes at `data` as one complete UTF-8 message.
 *
 * Returns `NVX_STATUS_OK` (valid; `*valid_up_to = len`, `*error_len = 0`), `NVX_STATUS_INVALID` (`*valid_up_to`
 * is the length of the longest valid prefix, `*error_len` the length, 1 to 3, of the invalid sequence after it),
 * `NVX_STATUS_INCOMPLETE` (the data ends inside a code point that starts at `*valid_up_to`; `*error_len = 0`),
 * or `NVX_STATUS_NULL_ARGUMENT` (`data` NULL with `len > 0`; outputs untouched). The two numbers are those of
 * Rust's `core::str::from_utf8`. Either output may be NULL.
 *
 * # Safety
 * `data` is readable for `len` bytes (or `len` is 0); each output is NULL or writable.
 */
nvx_status nvx_utf8_validate(const uint8_t *data,
                             size_t len,
                             size_t *valid_up_to,
                             int *error_len);

/**
 * autobahn: a new validator for a new message, using the run-time selected implementation (id 0). NULL if the
 * allocation fails. Free it with `nvx_utf8vld_free`.
 */
void *nvx_utf8vld_new(void);

/**
 * Initialises caller-allocated storage as a new validator (as `nvx_utf8vld_new`, without allocating); its
 * address is then the handle. Initialising again starts over with id 0.
 *
 * Returns `NVX_STATUS_OK`, or `NVX_STATUS_NULL_ARGUMENT` for NULL or a pointer that is not 8-byte aligned
 * (nothing is written).
 *
 * # Safety
 * `state` is NULL or valid for writing an `nvx_utf8vld_state`, and not in use by another thread.
 */
nvx_status nvx_utf8vld_init(nvx_utf8vld_state *state);

/**
 * autobahn: forgets the message (the next chunk starts a new one); keeps the implementation. NULL: no-op.
 *
 * # Safety
 * `utf8vld` is NULL or a live handle (not freed before the call returns).
 */
void nvx_utf8vld_reset(void *utf8vld);

/**
 * autobahn: validates the next `length` bytes of the message. Returns 0 (valid, ends on a code point boundary),
 * 1 (valid, ends inside a code point), -1 (invalid; sticky: every later call returns -1 until
 * `nvx_utf8vld_reset`), or `NVX_STATUS_NULL_ARGUMENT` (-2: `utf8vld` NULL or not a validator, or `data` NULL with
 * `length > 0`; nothing changes), `NVX_STATUS_BUSY` (-5: another thread is using this validator right now;
 * nothing changes) or `NVX_STATUS_PANIC` (-4). The indices are then read with
 * `nvx_utf8vld_get_current_index` and `nvx_utf8vld_get_total_index`, or all at once with
 * `nvx_utf8vld_validate_status`.
 *
 * # Safety
 * `utf8vld` is NULL or a live handle (not freed before the call returns); `data` is readable for `length`
 * bytes (or `length` is 0).
 */
int nvx_utf8vld_validate(void *utf8vld,
                         const uint8_t *data,
                         size_t length);

/**
 * Validates the next `length` bytes of the message and fills `*status` with autobahn's four values in one call.
 *
 * Returns what `nvx_utf8vld_validate` returns: `NVX_STATUS_OK`, `NVX_STATUS_INCOMPLETE`, `NVX_STATUS_INVALID`
 * (sticky until reset), `NVX_STATUS_NULL_ARGUMENT` or `NVX_STATUS_BUSY` (nothing changes, `*status` untouched).
 * `status` may be NULL.
 *
 * # Safety
 * As `nvx_utf8vld_validate`; `status` is NULL or writable.
 */
nvx_status nvx_utf8vld_validate_status(void *utf8vld,
                                       const uint8_t *data,
                                       size_t length,
                                       nvx_utf8_status *status);

/**
 * Whether the message fed so far is complete, valid UTF-8: call it after the last chunk.
 *
 * Returns `NVX_STATUS_OK` (`*valid_up_to` = bytes fed, `*error_len = 0`), `NVX_STATUS_INVALID` (the message's
 * first error: `*valid_up_to` counts from the start of the message, `*error_len` is 1 to 3),
 * `NVX_STATUS_INCOMPLETE` (the message ends inside a code point starting at `*valid_up_to`; `*error_len = 0`),
 * or `NVX_STATUS_NULL_ARGUMENT` (outputs untouched). Either output may be NULL. The validator is unchanged.
 *
 * # Safety
 * `utf8vld` is NULL or a live handle (not freed before the call returns); each output is NULL or writable.
 */
nvx_status nvx_utf8vld_finish(void *utf8vld,
                              size_t *valid_up_to,
                              int *error_len);

/**
 * autobahn: frees a validator from `nvx_utf8vld_new`. NULL: no-op. An `nvx_utf8vld_state` or a handle of another
 * kind is recognised by its tag and not freed (a no-op); freeing twice is still undefined behaviour (the cleared
 * tag catches it only while the memory is not reused).
 *
 * # Safety
 * `utf8vld` is NULL or a handle from `nvx_utf8vld_new` not yet freed; it is dangling afterwards.
 */
void nvx_utf8vld_free(void *utf8vld);

/**
 * autobahn: selects the implementation by autobahn's id (0 optimal, 1 table, 2 unrolled, 3 SSE2, 4 SSE4.1;
 * mapped onto nvx's as `docs/c-abi.md` tells) for the following chunks; the message state is kept. Returns the
 * id now in force: `impl` if accepted; the previous id if `impl` is unknown or this build or CPU cannot run it
 * (nothing changes). -1 for a NULL handle.
 *
 * # Safety
 * `utf8vld` is NULL or a live handle (not freed before the call returns).
 */
int nvx_utf8vld_set_impl(void *utf8vld,
                         int impl);

/**
 * autobahn: the id last accepted by `nvx_utf8vld_set_impl` (0 after `_new`, `_init`). -1 for a NULL handle.
 *
 * # Safety
 * `utf8vld` is NULL or a live handle (not freed before the call returns).
 */
int nvx_utf8vld_get_impl(void *utf8vld);

/**
 * autobahn: the last call's `current_index` (see `nvx_utf8_status`); 0 before any. `SIZE_MAX` for a NULL handle.
 *
 * # Safety
 * `utf8vld` is NULL or a live handle (not freed before the call returns).
 */
size_t nvx_utf8vld_get_current_index(void *utf8vld);

/**
 * autobahn: bytes of the message consumed (see `nvx_utf8_status`). `SIZE_MAX` for a NULL handle.
 *
 * # Safety
 * `utf8vld` is NULL or a live handle (not freed before the call returns).
 */
size_t nvx_utf8vld_get_total_index(void *utf8vld);

/**
 * Masks (or unmasks: the same operation) `len` bytes at `buf` in place with the 4-byte `key`, starting at
 * `phase`. Returns the phase after the buffer, `(phase + len) % 4`; `SIZE_MAX` (nothing written) if `key` is
 * NULL or `buf` is NULL with `len > 0`. Allocation-free.
 *
 * # Safety
 * `buf` is readable and writable for `len` bytes (or `len` is 0); `key` is NULL or readable for 4 bytes.
 */
size_t nvx_mask(uint8_t *buf,
                size_t len,
                const uint8_t *key,
                size_t phase);

/**
 * Masks `src_len` bytes from `src` into `dst` in one pass, starting at `phase`; `dst_len` is the capacity of
 * `dst` (at least `src_len`; only `src_len` bytes are written). `src == dst` masks in place; other overlap is not
 * allowed. Returns the phase after the bytes; `SIZE_MAX` (nothing written) if `key` is NULL, a buffer is NULL
 * with a length above 0, or `dst_len < src_len`. Allocation-free.
 *
 * # Safety
 * `src` is readable for `src_len` bytes and `dst` writable for `dst_len` bytes (or the length is 0); the two do
 * not overlap unless equal; `key` is NULL or readable for 4 bytes.
 */
size_t nvx_mask_to(const uint8_t *src,
                   size_t src_len,
                   const uint8_t *key,
                   size_t phase,
                   uint8_t *dst,
                   size_t dst_len);

/**
 * autobahn: a new masker for the 4-byte key `mask` at position 0, using the run-time selected implementation
 * (id 0). NULL if `mask` is NULL or the allocation fails. Free it with `nvx_xormask_free`.
 *
 * # Safety
 * `mask` is NULL or readable for 4 bytes (copied; it need not outlive the call).
 */
void *nvx_xormask_new(const uint8_t *mask);

/**
 * autobahn: back to position 0 (same key, same implementation). NULL: no-op.
 *
 * # Safety
 * `xormask` is NULL or a live handle (not freed before the call returns).
 */
void nvx_xormask_reset(void *xormask);

/**
 * autobahn: bytes processed since `_new` or the last `_reset` (wrapping; `% 4` is the phase of the next byte).
 * `SIZE_MAX` for a NULL handle.
 *
 * # Safety
 * `xormask` is NULL or a live handle (not freed before the call returns).
 */
size_t nvx_xormask_pointer(void *xormask);

/**
 * autobahn: masks (or unmasks) the next `length` bytes of the payload at `data` in place and advances the
 * position. A NULL handle, or `data` NULL with `length > 0`: nothing happens (the position is unchanged).
 *
 * # Safety
 * `xormask` is NULL or a live handle (not freed before the call returns); `data` is readable and writable for
 * `length` bytes (or `length` is 0).
 */
void nvx_xormask_process(void *xormask,
                         uint8_t *data,
                         size_t length);

/**
 * Masks the next `src_len` bytes of the payload from `src` into `dst` (capacity `dst_len >= src_len`) and
 * advances the position: `nvx_xormask_process` without a copy first. `src == dst` works in place; other overlap
 * is not allowed. Returns the new `nvx_xormask_pointer`; `SIZE_MAX` (nothing written, position unchanged) for a
 * NULL handle, a NULL buffer with a length above 0, or `dst_len < src_len`.
 *
 * # Safety
 * `xormask` is NULL or a live handle (not freed before the call returns); `src` is readable for `src_len` bytes
 * and `dst` writable for `dst_len` bytes (or the length is 0), not overlapping unless equal.
 */
size_t nvx_xormask_process_to(void *xormask,
                              const uint8_t *src,
                              size_t src_len,
                              uint8_t *dst,
                              size_t dst_len);

/**
 * autobahn: frees a masker from `nvx_xormask_new`. NULL, or a handle of another kind (recognised by its tag): no-op.
 *
 * # Safety
 * `xormask` is NULL or a handle from `nvx_xormask_new` not yet freed; it is dangling afterwards.
 */
void nvx_xormask_free(void *xormask);

/**
 * autobahn: selects the implementation by autobahn's id (0 optimal, 1 simple, 2 SSE2; mapped onto nvx's as
 * `docs/c-abi.md` tells); the position is kept. Returns the id now in force: `impl` if accepted; the previous id
 * if `impl` is unknown or this build or CPU cannot run it (nothing changes). -1 for a NULL handle.
 *
 * # Safety
 * `xormask` is NULL or a live handle (not freed before the call returns).
 */
int nvx_xormask_set_impl(void *xormask,
                         int impl);

/**
 * autobahn: the id last accepted by `nvx_xormask_set_impl` (0 after `_new`). -1 for a NULL handle.
 *
 * # Safety
 * `xormask` is NULL or a live handle (not freed before the call returns).
 */
int nvx_xormask_get_impl(void *xormask);

/**
 * Unmasks `len` bytes at `buf` in place with the 4-byte `key` from `phase`, and validates the result as one
 * complete UTF-8 message. `buf` is always unmasked whole.
 *
 * Returns what `nvx_utf8_validate` returns for the unmasked bytes, with the same outputs, and writes the phase
 * after the buffer to `*next_phase`; `NVX_STATUS_NULL_ARGUMENT` (nothing written) if `key` is NULL or `buf` is
 * NULL with `len > 0`. Each output may be NULL.
 *
 * # Safety
 * `buf` is readable and writable for `len` bytes (or `len` is 0); `key` is NULL or readable for 4 bytes; each
 * output is NULL or writable.
 */
nvx_status nvx_unmask_validate(uint8_t *buf,
                               size_t len,
                               const uint8_t *key,
                               size_t phase,
                               size_t *next_phase,
                               size_t *valid_up_to,
                               int *error_len);

/**
 * Unmasks `src_len` bytes from `src` into `dst` (capacity `dst_len >= src_len`) and validates the result, in one
 * pass: `nvx_unmask_validate` without a copy first. `src == dst` works in place; other overlap is not allowed.
 * `NVX_STATUS_NULL_ARGUMENT` (nothing written) also when `dst_len < src_len`.
 *
 * # Safety
 * `src` is readable for `src_len` bytes and `dst` writable for `dst_len` bytes (or the length is 0), not
 * overlapping unless equal; `key` is NULL or readable for 4 bytes; each output is NULL or writable.
 */
nvx_status nvx_unmask_validate_to(const uint8_t *src,
                                  size_t src_len,
                                  const uint8_t *key,
                                  size_t phase,
                                  uint8_t *dst,
                                  size_t dst_len,
                                  size_t *next_phase,
                                  size_t *valid_up_to,
                                  int *error_len);

/**
 * Unmasks the next `length` bytes of a fragmented message in place with the masker `xormask` (advancing it) and
 * feeds them to the validator `utf8vld`, in one pass where possible: the same as `nvx_xormask_process` followed
 * by `nvx_utf8vld_validate_status`, and the same return value and `*status`. `data` is always unmasked whole.
 * `NVX_STATUS_NULL_ARGUMENT` (nothing changes) if a handle is NULL or not of its kind, or `data` is NULL with
 * `length > 0`; `NVX_STATUS_BUSY` (nothing changes) if another thread is using either handle. `status` may be NULL.
 *
 * # Safety
 * `utf8vld` and `xormask` are each NULL or a live handle (not freed before the call returns); `data` is readable
 * and writable for `length` bytes (or `length` is 0); `status` is NULL or writable.
 */
nvx_status nvx_utf8vld_unmask_validate(void *utf8vld,
                                       void *xormask,
                                       uint8_t *data,
                                       size_t length,
                                       nvx_utf8_status *status);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* NVX_H */
