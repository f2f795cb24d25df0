//! nvx-ws: the two WebSocket hot paths, UTF-8 validation and XOR masking, as fast as the memory bus allows.
//!
//! ```
//! use nvx_ws::{mask, utf8};
//!
//! // One-shot validation, with core::str::from_utf8's exact error.
//! assert!(utf8::validate("ünïcödé ✓".as_bytes()).is_ok());
//! assert_eq!(utf8::validate(b"abc\xFF").unwrap_err().valid_up_to(), 3);
//!
//! // Streaming validation with autobahn's (valid, ends_on_codepoint, current_index, total_index).
//! let mut v = utf8::Utf8Validator::new();
//! assert!(v.feed(b"\xF0\x9F").valid && v.feed(b"\x98\x80").ends_on_codepoint);
//!
//! // Masking in place; the returned phase lets the next fragment continue.
//! let mut payload = *b"Hello";
//! let phase = mask::mask(&mut payload, [0x37, 0xfa, 0x21, 0x3d], 0);
//! assert_eq!((payload, phase), ([0x7f, 0x9f, 0x4d, 0x51, 0x58], 1));
//! ```
//!
//! # API
//! - [`utf8`]: [`utf8::validate`] (one-shot, errors as [`core::str::Utf8Error`]: `valid_up_to`, `error_len`),
//!   [`utf8::Utf8Validator`] (incremental; rejects are sticky until `reset`; `finish` tells whether the message
//!   is complete), [`utf8::scalar`] (the reference).
//! - [`mask`]: [`mask::mask`] (in place), [`mask::mask_to`] (out of place, one pass), [`mask::Masker`] (keeps the
//!   phase across fragments, as autobahn's `XorMaskerShifted1`), [`mask::scalar`] (the reference).
//! - [`fused`]: unmask and validate in one pass; [`utf8::Utf8Validator::feed_masked`] for fragments.
//! - [`Implementation`], [`selected`], [`available`], [`force`], [`Kernels`]: which kernels run.
//!
//! # Implementation selection
//! | implementation | needs | UTF-8 | masking |
//! |---|---|---|---|
//! | `avx512` | x86_64 `avx512f` + `avx512bw` | lookup kernel, 64-byte vectors | 64-byte vectors |
//! | `avx2` | x86_64 `avx2` | lookup kernel, 32-byte vectors | 32-byte vectors |
//! | `ssse3` | x86_64 `ssse3` | lookup kernel, 16-byte vectors | 16-byte vectors |
//! | `sse2` | x86_64 (baseline) | ASCII blocks skipped, the rest scalar | 16-byte vectors |
//! | `neon` | aarch64 | lookup kernel, 16-byte vectors | 16-byte vectors |
//! | `scalar` | anything | reference | 8-byte words |
//!
//! The first call detects the CPU (with the `std` or the `detect` feature) and caches the fastest implementation;
//! later calls pay one relaxed atomic load. [`force`] changes the process-wide choice (refusing one the CPU lacks);
//! [`Kernels::new`], [`utf8::Utf8Validator::with_implementation`] and [`mask::Masker::with_implementation`] pick
//! one per object. The build never assumes more than the target's baseline outside the kernels.
//!
//! # `no_std`
//! Without the default `std` feature the crate is `#![no_std]` (no allocation either). The implementation is then
//! chosen at compile time from the enabled target features (`-C target-feature=+avx2`, say), or, with the
//! `detect` feature, at run time as with `std`: on x86_64 nvx asks the CPU itself (CPUID, and XGETBV for whether
//! the OS saves the AVX and AVX-512 registers), with the answers std's `is_x86_feature_detected!` gives.
//!
//! ```toml
//! nvx-ws = { version = "0.1", default-features = false, features = ["detect"] }
//! ```
//!
//! On aarch64 there is nothing to detect: NEON is part of the target's baseline, chosen at compile time either
//! way, and the optional extensions (SVE, ...) are readable without an OS only at EL1 (nvx uses none of them).
//!
//! # Positions past `usize::MAX`
//! [`utf8::Utf8Validator`] validates messages of any length; the counts and positions it reports from the start
//! of the message saturate at `usize::MAX` (a 32-bit target reaches it after 4 GiB): exact below, `usize::MAX` at
//! or past it, never wrapped, never a panic. [`mask::Masker::pointer`] is autobahn's modular counter instead: it
//! wraps, and the phase it carries stays exact.
//!
//! # MSRV
//! Rust 1.89 (AVX-512 intrinsics), edition 2024. Clippy's `incompatible_msrv` lint (denied, reading
//! `rust-version` from Cargo.toml) rejects std APIs stabilised later; there is no 1.89 toolchain in CI.

#![no_std]
#![deny(missing_docs, unsafe_op_in_unsafe_fn)]

#[cfg(feature = "std")]
extern crate std;

// The generic SIMD algorithms are instantiated only for x86_64 and aarch64 (NEON); elsewhere the portable kernel
// alone is used (i686, s390x, ...).
#[cfg_attr(
    not(any(target_arch = "x86_64", all(target_arch = "aarch64", target_feature = "neon"))),
    expect(dead_code, unused_macros, unused_imports, reason = "no SIMD kernel on this target: only the portable one")
)]
mod arch;
#[cfg(all(target_arch = "x86_64", any(feature = "detect", test)))]
mod detect;
mod dispatch;
pub mod fused;
pub mod mask;
pub mod utf8;

pub use dispatch::{Implementation, Kernels, Unsupported, available, force, selected};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
