//! Criterion benchmarks: nvx beside its peers in one run, bytes per second.
//!
//! Groups (filter with `cargo bench --bench throughput -- <regex>`):
//! - `utf8/<text>/<size>`: every available nvx implementation forced (`nvx-<impl>`) and the auto choice
//!   (`nvx-auto`), the incremental validator streaming the input in 1 KiB and 64 KiB chunks (`nvx-stream-1k`,
//!   `nvx-stream-64k`), `simdutf8::basic`, `simdutf8::compat` (one-shot and composed per 1 KiB chunk, carrying a
//!   split code point, `simdutf8-compat-stream-1k`) and `core::str::from_utf8` (`std`).
//! - `mask/<size>`: nvx in place and out of place, aligned and misaligned by one byte; `memcpy`
//!   (`copy_from_slice`), an in-place loop that loads and stores every byte once (`inplace-ceiling`), the naive byte
//!   loop (`naive`).
//! - `fused/<size>`: `unmask_validate` against `mask` followed by `validate`, on mixed text.
//!
//! `benches/summarize.py` turns the results into the ratio tables of `benches/RESULTS.md`.

#![expect(missing_docs, reason = "criterion_group! generates an undocumented public function")]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use nvx_ws::utf8::Utf8Validator;
use nvx_ws::{Implementation, Kernels};

#[path = "texts.rs"]
mod texts;

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;
const UTF8_SIZES: [usize; 7] = [16, 125, KIB, 16 * KIB, 256 * KIB, 4 * MIB, 64 * MIB];
const MASK_SIZES: [usize; 7] = [16, 125, KIB, 16 * KIB, 256 * KIB, 4 * MIB, 64 * MIB];
const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// `sizes` up to `NVX_BENCH_MAX_SIZE` bytes (all of them when unset): emulated runs only show that benchmarks run.
fn sizes(sizes: &[usize]) -> Vec<usize> {
    let max = std::env::var("NVX_BENCH_MAX_SIZE").ok().and_then(|v| v.parse().ok()).unwrap_or(usize::MAX);
    sizes.iter().copied().filter(|&s| s <= max).collect()
}

fn size_label(size: usize) -> String {
    match size {
        s if s >= MIB => format!("{}MiB", s / MIB),
        s if s >= KIB => format!("{}KiB", s / KIB),
        s => format!("{s}B"),
    }
}

/// Streams `input` through a fresh validator in `chunk`-byte pieces.
fn stream_nvx(input: &[u8], chunk: usize) -> bool {
    let mut v = Utf8Validator::new();
    for piece in input.chunks(chunk) {
        if !v.feed(piece).valid {
            return false;
        }
    }
    v.finish().is_ok()
}

/// What a caller of `simdutf8::compat` has to do to stream: validate each chunk, carry an incomplete code point
/// (at most three bytes) into the next one and complete it there.
fn stream_simdutf8_compat(input: &[u8], chunk: usize) -> bool {
    let mut carry = [0u8; 4];
    let mut carried = 0;
    for piece in input.chunks(chunk) {
        let mut body = piece;
        if carried > 0 {
            let width = match carry[0] {
                0xF0.. => 4,
                0xE0.. => 3,
                _ => 2,
            };
            let take = (width - carried).min(body.len());
            carry[carried..carried + take].copy_from_slice(&body[..take]);
            carried += take;
            body = &body[take..];
            match simdutf8::compat::from_utf8(&carry[..carried]) {
                Ok(_) => carried = 0,
                Err(e) if e.error_len().is_none() => continue,
                Err(_) => return false,
            }
        }
        match simdutf8::compat::from_utf8(body) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => {
                let tail = &body[e.valid_up_to()..];
                carry[..tail.len()].copy_from_slice(tail);
                carried = tail.len();
            }
            Err(_) => return false,
        }
    }
    carried == 0
}

fn bench_utf8(c: &mut Criterion) {
    let implementations: Vec<Implementation> = nvx_ws::available().collect();
    for kind in texts::KINDS {
        let full = texts::text(kind, *sizes(&UTF8_SIZES).last().expect("a size"));
        for size in sizes(&UTF8_SIZES) {
            let input = &full[..texts::text(kind, size).len()];
            assert!(stream_simdutf8_compat(input, KIB), "the compat streaming helper must accept {kind}");
            let mut group = c.benchmark_group(format!("utf8/{kind}/{}", size_label(size)));
            group.throughput(Throughput::Bytes(input.len() as u64));
            if size >= 4 * MIB {
                // Ten equal samples: the scalar peers take a quarter of a second per 64 MiB call.
                group.sampling_mode(SamplingMode::Flat);
            }
            group.bench_function("nvx-auto", |b| b.iter(|| nvx_ws::utf8::validate(black_box(input)).is_ok()));
            for &imp in &implementations {
                let k = Kernels::new(imp).expect("available");
                group.bench_function(BenchmarkId::new("nvx", imp.name()), |b| {
                    b.iter(|| k.validate_utf8(black_box(input)).is_ok());
                });
            }
            if size >= 16 * KIB {
                group.bench_function("nvx-stream-1k", |b| b.iter(|| stream_nvx(black_box(input), KIB)));
                group.bench_function("simdutf8-compat-stream-1k", |b| {
                    b.iter(|| stream_simdutf8_compat(black_box(input), KIB));
                });
            }
            if size >= 256 * KIB {
                group.bench_function("nvx-stream-64k", |b| b.iter(|| stream_nvx(black_box(input), 64 * KIB)));
            }
            group.bench_function("simdutf8-basic", |b| b.iter(|| simdutf8::basic::from_utf8(black_box(input)).is_ok()));
            group.bench_function("simdutf8-compat", |b| {
                b.iter(|| simdutf8::compat::from_utf8(black_box(input)).is_ok());
            });
            group.bench_function("std", |b| b.iter(|| core::str::from_utf8(black_box(input)).is_ok()));
            group.finish();
        }
    }
}

/// The in-place ceiling: load and store every byte once, in the widest vectors this CPU has, doing the cheapest
/// possible change (add 1) so the store cannot be elided.
fn inplace_ceiling(buf: &mut [u8]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 was detected.
        unsafe { ceiling_avx2(buf) };
        return;
    }
    for b in buf.iter_mut() {
        *b = b.wrapping_add(1);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn ceiling_avx2(buf: &mut [u8]) {
    // With AVX2 enabled this loop compiles to 32-byte loads, adds and stores, unrolled.
    for b in buf.iter_mut() {
        *b = b.wrapping_add(1);
    }
}

fn bench_mask(c: &mut Criterion) {
    let selected = Kernels::selected();
    for size in sizes(&MASK_SIZES) {
        let mut group = c.benchmark_group(format!("mask/{}", size_label(size)));
        group.throughput(Throughput::Bytes(size as u64));
        // 64-byte aligned storage with room for a one-byte misalignment.
        let mut storage = vec![0u8; size + 128];
        let off = storage.as_ptr().align_offset(64);
        let src = vec![7u8; size + 1];
        for (label, shift) in [("aligned", 0), ("misaligned", 1)] {
            let buf = &mut storage[off + shift..off + shift + size];
            group.bench_function(format!("nvx-inplace-{label}"), |b| {
                b.iter(|| selected.mask(black_box(&mut *buf), KEY, 0));
            });
            group.bench_function(format!("nvx-outofplace-{label}"), |b| {
                b.iter(|| selected.mask_to(black_box(&src[shift..shift + size]), black_box(&mut *buf), KEY, 0));
            });
            group.bench_function(format!("inplace-ceiling-{label}"), |b| {
                b.iter(|| inplace_ceiling(black_box(&mut *buf)));
            });
            group.bench_function(format!("memcpy-{label}"), |b| {
                b.iter(|| black_box(&mut *buf).copy_from_slice(black_box(&src[shift..shift + size])));
            });
        }
        let buf = &mut storage[off..off + size];
        group.bench_function("naive", |b| b.iter(|| nvx_ws::mask::scalar::mask(black_box(&mut *buf), KEY, 0)));
        group.finish();
    }
}

fn bench_fused(c: &mut Criterion) {
    let selected = Kernels::selected();
    for size in sizes(&[16 * KIB, 256 * KIB, 4 * MIB, 64 * MIB]) {
        let text = texts::text("mixed", size);
        let mut masked = text.clone();
        selected.mask(&mut masked, KEY, 0);
        let mut group = c.benchmark_group(format!("fused/{}", size_label(size)));
        group.throughput(Throughput::Bytes(text.len() as u64));
        // Each iteration gets a fresh copy of the masked frame (the copy is not timed).
        group.bench_function("nvx-unmask-validate", |b| {
            b.iter_batched_ref(
                || masked.clone(),
                |buf| selected.unmask_validate(black_box(buf), KEY, 0),
                BatchSize::LargeInput,
            );
        });
        group.bench_function("mask-then-validate", |b| {
            b.iter_batched_ref(
                || masked.clone(),
                |buf| {
                    selected.mask(black_box(&mut *buf), KEY, 0);
                    selected.validate_utf8(black_box(buf))
                },
                BatchSize::LargeInput,
            );
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1200))
        .sample_size(10)
        .without_plots();
    targets = bench_mask, bench_fused, bench_utf8
}
criterion_main!(benches);
