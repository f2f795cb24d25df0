//! The main job of the Rust core: what this CPU has, which kernels nvx picked, and a short side-by-side table.
//!
//! `cargo run --release --example report` (about 20 s). Numbers are the median of repeated timed loops; the full,
//! statistically careful comparison is `cargo bench --bench throughput` (see benches/RESULTS.md).

use std::hint::black_box;
use std::time::{Duration, Instant};

use nvx_ws::Kernels;
use nvx_ws::utf8::Utf8Validator;

#[path = "../benches/texts.rs"]
#[expect(dead_code, reason = "shared with the benchmarks, which use all of it")]
mod texts;

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;
const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// Median bytes per second of `f` over `bytes`, from 9 runs of about 20 ms each.
fn throughput<R>(bytes: usize, mut f: impl FnMut() -> R) -> f64 {
    let mut iters = 1u32;
    loop {
        let t = Instant::now();
        for _ in 0..iters {
            black_box(f());
        }
        if t.elapsed() > Duration::from_millis(5) {
            break;
        }
        iters *= 2;
    }
    let iters = iters * 4;
    let mut rates: Vec<f64> = (0..9)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                black_box(f());
            }
            f64::from(iters) * to_f64(bytes) / t.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

#[expect(clippy::cast_precision_loss, reason = "byte counts far below 2^52")]
fn to_f64(bytes: usize) -> f64 {
    bytes as f64
}

fn gbps(rate: f64) -> String {
    format!("{:7.2}", rate / 1e9)
}

fn size_label(size: usize) -> String {
    match size {
        s if s >= MIB => format!("{} MiB", s / MIB),
        s if s >= KIB => format!("{} KiB", s / KIB),
        s => format!("{s} B"),
    }
}

fn cpu_features() -> String {
    #[cfg(target_arch = "x86_64")]
    {
        macro_rules! detect {
            ($($f:tt),*) => { [$((($f), std::arch::is_x86_feature_detected!($f))),*] };
        }
        let found = detect!["sse2", "ssse3", "sse4.1", "sse4.2", "avx2", "avx512f", "avx512bw", "avx512vbmi"];
        found.iter().filter(|(_, on)| *on).map(|(f, _)| *f).collect::<Vec<_>>().join(" ")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        String::from(std::env::consts::ARCH)
    }
}

fn stream(input: &[u8], chunk: usize) -> bool {
    let mut v = Utf8Validator::new();
    input.chunks(chunk).all(|c| v.feed(c).valid) && v.finish().is_ok()
}

fn main() {
    println!("nvx-ws {} report", env!("CARGO_PKG_VERSION"));
    println!("CPU features: {}", cpu_features());
    let available: Vec<_> = nvx_ws::available().map(nvx_ws::Implementation::name).collect();
    println!("available implementations: {}", available.join(", "));
    println!("selected: {}", nvx_ws::selected());
    let k = Kernels::selected();

    println!("\nUTF-8 validation, GB/s (higher is better); ratio = nvx / simdutf8::basic");
    println!(
        "{:<6} {:>8} | {:>7} {:>7} {:>7} {:>7} | {:>6}",
        "text", "size", "nvx", "simdutf8", "std", "stream1k", "ratio"
    );
    for kind in ["ascii", "mixed", "cjk"] {
        for size in [16, KIB, 256 * KIB, 16 * MIB] {
            let input = texts::text(kind, size);
            let input = input.as_slice();
            let nvx = throughput(input.len(), || k.validate_utf8(black_box(input)));
            let simd = throughput(input.len(), || simdutf8::basic::from_utf8(black_box(input)));
            let std = throughput(input.len(), || core::str::from_utf8(black_box(input)));
            let streamed = if size >= 16 * KIB {
                gbps(throughput(input.len(), || stream(black_box(input), KIB)))
            } else {
                format!("{:>7}", "-")
            };
            println!(
                "{kind:<6} {:>8} | {} {} {} {} | {:6.2}",
                size_label(size),
                gbps(nvx),
                gbps(simd),
                gbps(std),
                streamed,
                nvx / simd
            );
        }
    }

    println!("\nXOR masking, GB/s; ratio = nvx in place / memcpy");
    println!("{:>8} | {:>7} {:>7} {:>7} {:>7} | {:>6}", "size", "inplace", "to-dst", "memcpy", "naive", "ratio");
    for size in [16, KIB, 256 * KIB, 16 * MIB] {
        let mut buf = vec![1u8; size];
        let src = vec![2u8; size];
        let inplace = throughput(size, || k.mask(black_box(&mut buf), KEY, 0));
        let to_dst = throughput(size, || k.mask_to(black_box(&src), &mut buf, KEY, 0));
        let memcpy = throughput(size, || black_box(&mut buf).copy_from_slice(black_box(&src)));
        let naive = throughput(size, || nvx_ws::mask::scalar::mask(black_box(&mut buf), KEY, 0));
        println!(
            "{:>8} | {} {} {} {} | {:6.2}",
            size_label(size),
            gbps(inplace),
            gbps(to_dst),
            gbps(memcpy),
            gbps(naive),
            inplace / memcpy
        );
    }
}
