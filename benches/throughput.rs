//! The Rust benchmark: nvx beside its peers, every candidate of a group measured interleaved in one run.
//!
//! ```sh
//! cargo bench --bench throughput                    # everything (about 15 minutes), results in target/nvx-bench/
//! cargo bench --bench throughput -- utf8/mixed mask # only the groups whose name contains one of the filters
//! cargo bench --bench throughput -- --test          # every candidate runs once (CI), nothing is timed
//! bash scripts/bench-rust.sh                        # the whole run, then benches/RESULTS.md's tables and the charts
//! ```
//!
//! A group is one operation on one input (`utf8/mixed/1KiB`); its candidates are nvx's kernels and the peers. The
//! candidates of a group are measured in rounds: each round takes one sample of every candidate (a timed loop of
//! about a millisecond), starting with a different one each round, and a candidate's figure is the median of its
//! samples. A load spike from another process then hits every candidate of the group alike, so the ratios within a
//! group hold on a shared machine even when the absolute figures move.
//!
//! Groups:
//! - `utf8/<text>/<size>`: one-shot validation of a prefix of one text, the same input every call: `nvx` (the
//!   selected kernels), `nvx-<implementation>` for every implementation this CPU runs, `simdutf8-basic`,
//!   `simdutf8-compat` (its automatic choice: AVX2 here, `core::str::from_utf8` below 64 bytes), `simdutf8-avx2`
//!   and `simdutf8-sse42` (its kernels called directly, for the kernel-by-kernel comparison), `std`
//!   (`core::str::from_utf8`); from 4 KiB on also the incremental validator fed 1 KiB (`nvx-stream-1k`) and, from
//!   256 KiB, 64 KiB chunks (`nvx-stream-64k`), `simdutf8::compat` composed per 1 KiB chunk, and one-shot validation
//!   of each piece of about 1 KiB cut on code points (`nvx-oneshot-1k`: the per-call cost without the stream state).
//! - `utf8-distinct/<text>/<size>` (up to 4 KiB): the same peers on a ring of different inputs of that size (about
//!   256 KiB of them), one per call, so that no branch predictor learns the input.
//! - `mask/<size>`: in place and out of place, aligned and one byte off (`-misaligned`), every implementation;
//!   `ceiling`: an in-place load/XOR/store loop in the widest vectors this CPU has (AVX-512 with masked loads and
//!   stores for the last partial vector, else AVX2), which no masker can beat; `memcpy` (`copy_from_slice`);
//!   `naive` (a byte loop).
//! - `fused/<size>`: unmask + validate of mixed text in one pass against the two passes, in place and out of
//!   place. In place, the key is `01 01 01 01`, which maps this text to another valid text and back, so every call
//!   sees a valid frame without a copy between calls (masking costs the same whatever the key).
//!
//! Each result is appended as one JSON object per line to `target/nvx-bench/rust.jsonl` (or `$NVX_BENCH_OUT`):
//! `benches/summarize.py` turns that into the tables of `benches/RESULTS.md` and `benches/plot.py` into the charts.
//! `NVX_BENCH_MAX_SIZE` caps the input size (emulated runs only show that everything runs).

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write as _;
use std::time::{Duration, Instant};

use nvx_ws::utf8::Utf8Validator;
use nvx_ws::{Implementation, Kernels};

#[path = "texts.rs"]
mod texts;

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;
/// Message sizes of the UTF-8 and masking groups: the short frames of chat and events up to large transfers.
const SIZES: [usize; 18] =
    [1, 2, 4, 8, 16, 32, 64, 125, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB, 4 * MIB, 16 * MIB, 64 * MIB];
const FUSED_SIZES: [usize; 7] = [KIB, 16 * KIB, 256 * KIB, MIB, 4 * MIB, 16 * MIB, 64 * MIB];
/// The largest size with a `utf8-distinct` group.
const DISTINCT_MAX: usize = 4 * KIB;
const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];
/// A key under which the mixed benchmark text stays valid UTF-8 (see the module docs).
const FLIP_KEY: [u8; 4] = [1, 1, 1, 1];

/// Target duration of one sample (`NVX_BENCH_SAMPLE_US` overrides it).
const SAMPLE: Duration = Duration::from_millis(1);
/// Rounds per group (`NVX_BENCH_ROUNDS` overrides it), fewer when one sample of a candidate takes long.
const ROUNDS: usize = 21;
const SLOW_ROUNDS: usize = 7;

/// One candidate of a group: runs its operation `iters` times and returns the elapsed time.
struct Candidate<'a> {
    name: String,
    run: Box<dyn FnMut(u64) -> Duration + 'a>,
}

/// A candidate from an operation; the timed loop is compiled for `f` (no dynamic call per iteration).
fn candidate<'a, R>(name: impl Into<String>, mut f: impl FnMut() -> R + 'a) -> Candidate<'a> {
    Candidate {
        name: name.into(),
        run: Box::new(move |iters| {
            let start = Instant::now();
            for _ in 0..iters {
                black_box(f());
            }
            start.elapsed()
        }),
    }
}

/// What is measured, for the JSON record.
struct Meta<'m> {
    op: &'m str,
    text: &'m str,
    size: usize,
    /// Input bytes per call (the size, or a few bytes less where text is cut on a code point boundary).
    bytes: f64,
}

struct Bench {
    filters: Vec<String>,
    test: bool,
    max_size: usize,
    sample: Duration,
    rounds: usize,
    out: Option<std::fs::File>,
}

impl Bench {
    fn from_env() -> Self {
        let mut filters = Vec::new();
        let mut test = false;
        for arg in std::env::args().skip(1) {
            match arg.as_str() {
                "--test" => test = true,
                // cargo bench passes --bench; criterion-style flags are accepted and ignored.
                a if a.starts_with("--") => {}
                a => filters.push(a.to_owned()),
            }
        }
        let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        let max_size = env("NVX_BENCH_MAX_SIZE").map_or(usize::MAX, |v| usize::try_from(v).unwrap_or(usize::MAX));
        let sample = env("NVX_BENCH_SAMPLE_US").map_or(SAMPLE, Duration::from_micros);
        let rounds = env("NVX_BENCH_ROUNDS").map_or(ROUNDS, |v| usize::try_from(v).unwrap_or(ROUNDS));
        let out = if test {
            None
        } else {
            let path = std::env::var("NVX_BENCH_OUT").unwrap_or_else(|_| "target/nvx-bench/rust.jsonl".into());
            let path = std::path::Path::new(&path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).expect("create the output directory");
            }
            let file = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("open the output");
            eprintln!("appending results to {}", path.display());
            Some(file)
        };
        Self { filters, test, max_size, sample, rounds, out }
    }

    fn wants(&self, group: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| group.contains(f.as_str()))
    }

    /// Whether any group whose name starts with `prefix` may be wanted.
    fn wants_any(&self, prefix: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| prefix.contains(f.as_str()) || f.starts_with(prefix))
    }

    /// Measures the candidates of `group` interleaved, prints and records the medians.
    fn run(&mut self, group: &str, meta: &Meta<'_>, mut candidates: Vec<Candidate<'_>>) {
        if self.test {
            for c in &mut candidates {
                println!("Testing {group}/{}", c.name);
                (c.run)(1);
                println!("Success");
            }
            return;
        }
        // Calibration: iterations per sample so that a sample takes about SAMPLE (at least one call).
        let mut iters = Vec::with_capacity(candidates.len());
        let mut slowest = Duration::ZERO;
        for c in &mut candidates {
            let mut n = 1u64;
            let elapsed = loop {
                let t = (c.run)(n);
                if t >= self.sample / 4 || n >= 1 << 30 {
                    break t;
                }
                n *= 4;
            };
            let per_call = elapsed.as_secs_f64() / to_f64(n);
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a positive count")]
            let n = ((self.sample.as_secs_f64() / per_call) as u64).max(1);
            slowest = slowest.max(Duration::from_secs_f64(per_call * to_f64(n)));
            iters.push(n);
        }
        let rounds = if slowest > 20 * SAMPLE { SLOW_ROUNDS.min(self.rounds) } else { self.rounds };
        let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); candidates.len()];
        for round in 0..rounds {
            for k in 0..candidates.len() {
                let i = (round + k) % candidates.len();
                let t = (candidates[i].run)(iters[i]);
                samples[i].push(t.as_secs_f64() * 1e9 / to_f64(iters[i]));
            }
        }
        for (c, s) in candidates.iter().zip(&mut samples) {
            s.sort_by(f64::total_cmp);
            let q = |p: f64| {
                #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "an index")]
                let at = ((to_f64(s.len() - 1)) * p).round() as usize;
                s[at]
            };
            let (median, q1, q3, min) = (q(0.5), q(0.25), q(0.75), s[0]);
            println!(
                "{group:<26} {:<26} {:>9.2} GB/s {:>13.2} ns  (min {:.2} GB/s, q1..q3 {:.2}..{:.2} ns)",
                c.name,
                meta.bytes / median,
                median,
                meta.bytes / min,
                q1,
                q3
            );
            let mut line = String::new();
            write!(
                line,
                r#"{{"group":"{group}","op":"{}","text":"{}","size":{},"bytes":{},"candidate":"{}","median_ns":{median:.4},"q1_ns":{q1:.4},"q3_ns":{q3:.4},"min_ns":{min:.4},"rounds":{rounds}}}"#,
                meta.op, meta.text, meta.size, meta.bytes, c.name,
            )
            .expect("write to a String");
            if let Some(out) = &mut self.out {
                writeln!(out, "{line}").expect("write the results");
            }
        }
    }
}

#[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
fn to_f64<T: TryInto<u64>>(n: T) -> f64 {
    n.try_into().unwrap_or(u64::MAX) as f64
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

/// simdutf8's kernels called directly (its `public_imp` feature), for the comparison kernel by kernel.
fn simdutf8_kernels(input: &[u8]) -> Vec<Candidate<'_>> {
    let mut out = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 was detected.
            out.push(candidate("simdutf8-avx2", move || unsafe {
                simdutf8::basic::imp::x86::avx2::validate_utf8(black_box(input)).is_ok()
            }));
        }
        if std::arch::is_x86_feature_detected!("sse4.2") {
            // SAFETY: SSE4.2 was detected.
            out.push(candidate("simdutf8-sse42", move || unsafe {
                simdutf8::basic::imp::x86::sse42::validate_utf8(black_box(input)).is_ok()
            }));
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        // SAFETY: NEON is part of the aarch64 targets this crate builds for.
        out.push(candidate("simdutf8-neon", move || unsafe {
            simdutf8::basic::imp::aarch64::neon::validate_utf8(black_box(input)).is_ok()
        }));
    }
    let _ = input;
    out
}

fn bench_utf8(bench: &mut Bench) {
    let implementations: Vec<Implementation> = nvx_ws::available().collect();
    let sizes: Vec<usize> = SIZES.into_iter().filter(|&s| s <= bench.max_size).collect();
    for kind in texts::KINDS {
        if !bench.wants_any(&format!("utf8/{kind}/")) && !bench.wants_any(&format!("utf8-distinct/{kind}/")) {
            continue;
        }
        let full = texts::text(kind, *sizes.last().expect("a size"));
        for &size in &sizes {
            let input = texts::prefix(&full, size);
            if input.is_empty() {
                continue; // e.g. one byte of CJK text
            }
            assert!(stream_simdutf8_compat(input, KIB), "the compat streaming helper must accept {kind}");
            let group = format!("utf8/{kind}/{}", size_label(size));
            if bench.wants(&group) {
                let mut c = vec![
                    candidate("nvx", || nvx_ws::utf8::validate(black_box(input)).is_ok()),
                    candidate("simdutf8-basic", || simdutf8::basic::from_utf8(black_box(input)).is_ok()),
                    candidate("simdutf8-compat", || simdutf8::compat::from_utf8(black_box(input)).is_ok()),
                    candidate("std", || core::str::from_utf8(black_box(input)).is_ok()),
                ];
                for &imp in &implementations {
                    let k = Kernels::new(imp).expect("available");
                    c.push(candidate(format!("nvx-{}", imp.name()), move || k.validate_utf8(black_box(input)).is_ok()));
                }
                c.extend(simdutf8_kernels(input));
                if size >= 4 * KIB {
                    c.push(candidate("nvx-stream-1k", || stream_nvx(black_box(input), KIB)));
                    // The same pieces validated one-shot, cut on code points: the per-call cost without the stream.
                    let pieces = texts::pieces(input, KIB);
                    c.push(candidate("nvx-oneshot-1k", move || {
                        pieces.iter().all(|p| nvx_ws::utf8::validate(black_box(p)).is_ok())
                    }));
                    c.push(candidate("simdutf8-compat-stream-1k", || stream_simdutf8_compat(black_box(input), KIB)));
                }
                if size >= 256 * KIB {
                    c.push(candidate("nvx-stream-64k", || stream_nvx(black_box(input), 64 * KIB)));
                }
                let meta = Meta { op: "utf8", text: kind, size, bytes: to_f64(input.len()) };
                bench.run(&group, &meta, c);
            }
            let group = format!("utf8-distinct/{kind}/{}", size_label(size));
            if size <= DISTINCT_MAX && bench.wants(&group) {
                let ring = texts::windows(&full, size, (256 * KIB / size).clamp(16, 1024));
                let bytes = to_f64(ring.iter().map(|w| w.len()).sum::<usize>()) / to_f64(ring.len());
                let cycle = |f: fn(&[u8]) -> bool| {
                    let ring = &ring;
                    let mut i = 0;
                    move || {
                        i = if i + 1 == ring.len() { 0 } else { i + 1 };
                        f(black_box(ring[i]))
                    }
                };
                let c = vec![
                    candidate("nvx", cycle(|s| nvx_ws::utf8::validate(s).is_ok())),
                    candidate("simdutf8-basic", cycle(|s| simdutf8::basic::from_utf8(s).is_ok())),
                    candidate("simdutf8-compat", cycle(|s| simdutf8::compat::from_utf8(s).is_ok())),
                    candidate("std", cycle(|s| core::str::from_utf8(s).is_ok())),
                ];
                let meta = Meta { op: "utf8-distinct", text: kind, size, bytes };
                bench.run(&group, &meta, c);
            }
        }
    }
}

/// The in-place ceiling: every byte loaded, XORed with the key and stored once, in the widest vectors this CPU
/// has, with no dispatch, phase or alignment handling: a direct call of a loop compiled for AVX-512 (masked loads
/// and stores for the last partial vector), else for AVX2, else the portable loop.
fn ceiling<'a>(name: &str, buf: impl Fn() -> &'a mut [u8] + 'a, key: u32) -> Candidate<'a> {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512bw") {
            // SAFETY: AVX-512F and BW were detected.
            return candidate(name, move || unsafe { ceiling_avx512(black_box(buf()), key) });
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 was detected.
            return candidate(name, move || unsafe { ceiling_avx2(black_box(buf()), key) });
        }
    }
    candidate(name, move || ceiling_portable(black_box(buf()), key))
}

#[inline(never)]
fn ceiling_portable(buf: &mut [u8], key: u32) {
    let bytes = key.to_le_bytes();
    for (i, b) in buf.iter_mut().enumerate() {
        *b ^= bytes[i % 4];
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
#[inline(never)]
fn ceiling_avx512(buf: &mut [u8], key: u32) {
    use core::arch::x86_64::{
        _mm512_loadu_si512, _mm512_mask_storeu_epi8, _mm512_maskz_loadu_epi8, _mm512_set1_epi32, _mm512_storeu_si512,
        _mm512_xor_si512,
    };
    let k = _mm512_set1_epi32(key.cast_signed());
    let mut chunks = buf.chunks_exact_mut(64);
    for c in &mut chunks {
        // SAFETY: `c` is 64 bytes.
        unsafe {
            _mm512_storeu_si512(c.as_mut_ptr().cast(), _mm512_xor_si512(_mm512_loadu_si512(c.as_ptr().cast()), k));
        };
    }
    let rest = chunks.into_remainder();
    if !rest.is_empty() {
        let m = (1u64 << rest.len()) - 1;
        // SAFETY: masked to the `rest.len() < 64` bytes of `rest`; masked-off bytes are neither read nor written.
        unsafe {
            let v = _mm512_maskz_loadu_epi8(m, rest.as_ptr().cast());
            _mm512_mask_storeu_epi8(rest.as_mut_ptr().cast(), m, _mm512_xor_si512(v, k));
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline(never)]
fn ceiling_avx2(buf: &mut [u8], key: u32) {
    let bytes = key.to_le_bytes();
    // With AVX2 enabled this loop compiles to 32-byte loads, XORs and stores.
    for (i, b) in buf.iter_mut().enumerate() {
        *b ^= bytes[i % 4];
    }
}

fn bench_mask(bench: &mut Bench) {
    let key32 = u32::from_le_bytes(KEY);
    let max = bench.max_size;
    for size in SIZES.into_iter().filter(|&s| s <= max) {
        let group = format!("mask/{}", size_label(size));
        if !bench.wants(&group) {
            continue;
        }
        // 64-byte aligned storage with room for a one-byte misalignment, for the destination and the source.
        let mut storage = vec![0u8; 2 * size + 192];
        let off = storage.as_ptr().align_offset(64);
        let mut src_storage = vec![7u8; 2 * size + 192];
        let src_off = src_storage.as_ptr().align_offset(64);
        let (dst_a, dst_m) = split_aligned(&mut storage[off..], size);
        let (src_a, src_m) = split_aligned(&mut src_storage[src_off..], size);
        let (src_a, src_m) = (&*src_a, &*src_m);
        let selected = Kernels::selected();
        let mut c: Vec<Candidate<'_>> = Vec::new();
        // The destination buffers are shared by several candidates, one at a time: raw pointers, used serially.
        let (pa, pm) = (dst_a.as_mut_ptr(), dst_m.as_mut_ptr());
        // SAFETY (for every `buf` below): `pa`/`pm` point to `size` bytes of `storage`, alive and otherwise unused
        // for the whole group; the candidates run one after the other, so no two of these slices are live at once.
        let buf = move |p: *mut u8| unsafe { core::slice::from_raw_parts_mut(p, size) };
        c.push(candidate("nvx-inplace", move || nvx_ws::mask::mask(black_box(buf(pa)), KEY, 0)));
        c.push(candidate("nvx-inplace-misaligned", move || nvx_ws::mask::mask(black_box(buf(pm)), KEY, 0)));
        c.push(candidate("nvx-outofplace", move || nvx_ws::mask::mask_to(black_box(src_a), buf(pa), KEY, 0)));
        c.push(candidate("nvx-outofplace-misaligned", move || {
            nvx_ws::mask::mask_to(black_box(src_m), buf(pm), KEY, 0)
        }));
        c.push(ceiling("ceiling", move || buf(pa), key32));
        c.push(ceiling("ceiling-misaligned", move || buf(pm), key32));
        c.push(candidate("memcpy", move || buf(pa).copy_from_slice(black_box(src_a))));
        c.push(candidate("memcpy-misaligned", move || buf(pm).copy_from_slice(black_box(src_m))));
        c.push(candidate("naive", move || nvx_ws::mask::scalar::mask(black_box(buf(pa)), KEY, 0)));
        for imp in nvx_ws::available() {
            let k = Kernels::new(imp).expect("available");
            if k != selected {
                c.push(candidate(format!("nvx-inplace-{}", imp.name()), move || k.mask(black_box(buf(pa)), KEY, 0)));
            }
        }
        let meta = Meta { op: "mask", text: "", size, bytes: to_f64(size) };
        bench.run(&group, &meta, c);
    }
}

/// Two `size`-byte slices of `storage` (64-byte aligned): one aligned, one starting a byte past a 64-byte
/// boundary.
fn split_aligned(storage: &mut [u8], size: usize) -> (&mut [u8], &mut [u8]) {
    let (a, rest) = storage.split_at_mut(size);
    let skip = 64 - size % 64 + 1;
    (a, &mut rest[skip..skip + size])
}

fn bench_fused(bench: &mut Bench) {
    let selected = Kernels::selected();
    let max = bench.max_size;
    for size in FUSED_SIZES.into_iter().filter(|&s| s <= max) {
        let group = format!("fused/{}", size_label(size));
        if !bench.wants(&group) {
            continue;
        }
        let text = texts::text("mixed", size);
        // In place: the buffer alternates between the text and the text XOR 01 (both valid).
        let mut inplace = text.clone();
        selected.mask(&mut inplace, FLIP_KEY, 0);
        assert!(core::str::from_utf8(&inplace).is_ok(), "the flipped text must be valid");
        let mut inplace_two = inplace.clone();
        // Out of place: the masked frame as received, unmasked into `dst`.
        let mut masked = text.clone();
        selected.mask(&mut masked, KEY, 0);
        let masked = &masked;
        let mut dst = vec![0u8; text.len()];
        let mut dst_two = vec![0u8; text.len()];
        let c = vec![
            candidate("fused-inplace", || selected.unmask_validate(black_box(&mut inplace), FLIP_KEY, 0).1.is_ok()),
            candidate("two-pass-inplace", || {
                selected.mask(black_box(&mut inplace_two), FLIP_KEY, 0);
                selected.validate_utf8(black_box(&inplace_two)).is_ok()
            }),
            candidate("fused-outofplace", || {
                selected.unmask_validate_to(black_box(masked), black_box(&mut dst), KEY, 0).1.is_ok()
            }),
            candidate("two-pass-outofplace", || {
                selected.mask_to(black_box(masked), black_box(&mut dst_two), KEY, 0);
                selected.validate_utf8(black_box(&dst_two)).is_ok()
            }),
        ];
        let meta = Meta { op: "fused", text: "mixed", size, bytes: to_f64(text.len()) };
        bench.run(&group, &meta, c);
    }
}

fn main() {
    let mut bench = Bench::from_env();
    if !bench.test {
        eprintln!("nvx-ws benchmark: selected implementation {}", nvx_ws::selected());
    }
    bench_mask(&mut bench);
    bench_fused(&mut bench);
    bench_utf8(&mut bench);
}
