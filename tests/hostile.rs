//! Hostile input to the Rust API: inputs above 4 GiB (without 4 GiB of memory), payload offsets at and beyond
//! 2^32 and near `usize::MAX`, mismatched buffers.
//!
//! How more than 4 GiB is covered without allocating it (64-bit Linux):
//! - Validation: a private anonymous mapping of 4 GiB + 64 KiB with `MAP_NORESERVE`. Its untouched pages read as
//!   zeros (valid ASCII) from the kernel's shared zero page, so reading them costs page-table entries, not memory;
//!   only the pages around 2^32 and the tail are written (text, a code point across the 2^32 boundary, an error
//!   at a known offset above 2^32). Every kernel validates the whole 4 GiB in one call; the incremental validator
//!   is fed 1 GiB chunks split exactly at 2^32. Positions (`valid_up_to`, `total_index`, `current_index`) must
//!   come out above `u32::MAX`, exact: a 32-bit counter anywhere would truncate them.
//! - Masking writes every byte, so a zero-page mapping would become 4 GiB of memory. Instead one 2 MiB memfd is
//!   mapped 2049 times back to back: 4 GiB + 2 MiB of contiguous addresses backed by 2 MiB. Masking the whole
//!   range in place in one call XORs each physical byte 2049 times (an odd number) with the same key byte (2 MiB
//!   is a multiple of 4), i.e. masks it once: the window must equal the reference, and the masker's position must
//!   be the full length, above 2^32.
//! - Everything else: lengths are `usize` in every signature, counters `usize` (`total_index`, the masker's
//!   position, wrapping where autobahn's does), phases are reduced modulo 4 before any arithmetic; the phase
//!   tests below pass offsets of 2^32 and more, and up to `usize::MAX`.
//!
//! Cost: three 4 GiB reads and one 4 GiB masking pass with the selected kernel, about 3 to 4 s on a loaded 2-core
//! machine (mostly TLB and page-table work: a million 4 KiB pages), and a few MiB of memory. `NVX_HOSTILE_LARGE=all`
//! runs every kernel (about 20 s).

use std::panic::{AssertUnwindSafe, catch_unwind};

use nvx_ws::mask::Masker;
use nvx_ws::utf8::Utf8Validator;
use nvx_ws::{fused, mask};

#[allow(dead_code, reason = "each test binary uses a different subset of the shared helpers")]
mod common;

const KEY: [u8; 4] = [0x37, 0xFA, 0x21, 0x3D];

fn reference_mask(buf: &mut [u8], phase: usize) {
    for (i, b) in buf.iter_mut().enumerate() {
        *b ^= KEY[(phase % 4 + i % 4) % 4];
    }
}

/// The kernels the tests above 4 GiB run: the selected one, or every one with `NVX_HOSTILE_LARGE=all`. The kernels
/// are one generic algorithm instantiated per instruction set, so a 32-bit truncation would show in the selected
/// one; every kernel costs about 1 to 4 s more per test on a loaded 2-core machine (4 GiB of 4 KiB pages).
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn large_kernels() -> Vec<nvx_ws::Kernels> {
    if std::env::var("NVX_HOSTILE_LARGE").as_deref() == Ok("all") {
        common::kernels()
    } else {
        vec![nvx_ws::Kernels::selected()]
    }
}

#[test]
fn phases_at_and_beyond_2_pow_32_and_near_usize_max() {
    let text = "κόσμε, 😀 and some ASCII to fill a few vectors: 0123456789abcdef".repeat(5).into_bytes();
    // 2^32 + k and 2^33 + k exist on 64-bit targets only.
    let phases: Vec<usize> = (0..8u64)
        .flat_map(|k| [(1 << 32) + k, (1 << 33) + k, u64::from(u32::MAX) - k])
        .filter_map(|p| usize::try_from(p).ok())
        .chain((0..8).map(|k| usize::MAX - k))
        .collect();
    for kernels in common::kernels() {
        for &phase in &phases {
            for len in [0, 1, 3, 4, 31, 64, 65, text.len()] {
                let want_after = ((phase as u128 + len as u128) % 4) as usize;
                let mut want = text[..len].to_vec();
                reference_mask(&mut want, phase);
                let mut buf = text[..len].to_vec();
                assert_eq!(kernels.mask(&mut buf, KEY, phase), want_after, "{kernels:?} phase {phase:#x} len {len}");
                assert_eq!(buf, want);
                let mut dst = vec![0; len];
                assert_eq!(kernels.mask_to(&text[..len], &mut dst, KEY, phase), want_after);
                assert_eq!(dst, want);
                let (after, result) = kernels.unmask_validate(&mut buf, KEY, phase);
                assert_eq!((after, &buf[..]), (want_after, &text[..len]));
                assert_eq!(common::verdict(result), common::std_verdict(&text[..len]));
                let (after, result) = kernels.unmask_validate_to(&want, &mut dst, KEY, phase);
                assert_eq!((after, &dst[..]), (want_after, &text[..len]));
                assert_eq!(common::verdict(result), common::std_verdict(&text[..len]));
            }
        }
    }
    // The free functions take the same offsets.
    let mut buf = text.clone();
    assert_eq!(mask::mask(&mut buf, KEY, usize::MAX), (3 + text.len()) % 4);
    let mut want = text.clone();
    reference_mask(&mut want, 3);
    assert_eq!(buf, want);
    assert_eq!(fused::unmask_validate(&mut buf, KEY, usize::MAX - 4).0, (3 + text.len()) % 4);
    assert_eq!(buf, text);
}

#[test]
fn mismatched_buffers_panic_before_writing() {
    let src = [1u8; 40];
    for kernels in common::kernels() {
        for dst_len in [0, 39, 41] {
            let mut dst = vec![0xAA; dst_len];
            let r = catch_unwind(AssertUnwindSafe(|| kernels.mask_to(&src, &mut dst, KEY, 0)));
            assert!(r.is_err(), "mask_to with {dst_len} != 40 must panic");
            let r = catch_unwind(AssertUnwindSafe(|| kernels.unmask_validate_to(&src, &mut dst, KEY, 0)));
            assert!(r.is_err(), "unmask_validate_to with {dst_len} != 40 must panic");
            assert!(dst.iter().all(|&b| b == 0xAA), "nothing written before the panic");
        }
        let mut m = Masker::with_implementation(KEY, kernels.implementation()).expect("available");
        let mut dst = [0xAA; 3];
        assert!(catch_unwind(AssertUnwindSafe(|| m.process_to(&src, &mut dst))).is_err());
        assert_eq!((m.pointer(), dst), (0, [0xAA; 3]), "position and destination unchanged");
    }
}

/// A rejected validator stays rejected whatever it is fed, and its numbers do not move.
#[test]
fn rejected_validator_ignores_everything_after() {
    for implementation in common::implementations() {
        let mut v = Utf8Validator::with_implementation(implementation).expect("available");
        let s = v.feed(b"ab\xC0\xAFcd");
        assert_eq!((s.valid, s.current_index, s.total_index), (false, 2, 2));
        for chunk in [&b""[..], b"ok", &[0xFF; 5000], "é".as_bytes(), &[0xE2]] {
            let s = v.feed(chunk);
            assert_eq!((s.valid, s.ends_on_codepoint, s.current_index, s.total_index), (false, false, 0, 2));
        }
        assert_eq!(common::verdict(v.finish()), Err((2, Some(1))));
    }
}

/// An anonymous mapping, unmapped on drop (the tests above 4 GiB, 64- and 32-bit).
#[cfg(target_os = "linux")]
struct Mapping {
    base: *mut u8,
    len: usize,
}

#[cfg(target_os = "linux")]
impl Mapping {
    /// `len` bytes of `MAP_NORESERVE` private anonymous memory: zeros, no memory until written.
    fn sparse(len: usize) -> Self {
        // SAFETY: a fresh anonymous mapping; the result is checked.
        let base = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        assert_ne!(base, libc::MAP_FAILED, "mmap of {len} bytes (NORESERVE)");
        // Where transparent huge pages are enabled on request, a read fault then maps the huge zero page: 2048
        // faults for 4 GiB instead of a million (best effort: the test is only slower without it).
        // SAFETY: advice about the mapping just made.
        unsafe { libc::madvise(base, len, libc::MADV_HUGEPAGE) };
        Self { base: base.cast(), len }
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `len` mapped, readable bytes owned by `self`.
        unsafe { core::slice::from_raw_parts(self.base, self.len) }
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: `len` mapped, writable bytes owned by `self` and borrowed mutably.
        unsafe { core::slice::from_raw_parts_mut(self.base, self.len) }
    }
}

#[cfg(target_os = "linux")]
impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: unmapping exactly what this mapping covers.
        unsafe { libc::munmap(self.base.cast(), self.len) };
    }
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod beyond_4_gib {
    use super::*;

    const GIB: usize = 1 << 30;
    const FOUR_GIB: usize = 1 << 32;

    impl Mapping {
        /// `windows` copies of one `window`-byte memfd, back to back: `windows * window` bytes of addresses, `window`
        /// bytes of memory. Byte `i` and byte `i + k * window` are the same byte.
        fn aliased(window: usize, windows: usize) -> Self {
            let len = window * windows;
            let reserved = Self::sparse(len);
            // SAFETY: plain FFI calls with valid arguments, results checked; each MAP_FIXED mapping replaces a part
            // of the reservation this function owns.
            unsafe {
                let fd = libc::memfd_create(c"nvx-hostile".as_ptr(), libc::MFD_CLOEXEC);
                assert!(fd >= 0, "memfd_create");
                assert_eq!(libc::ftruncate(fd, i64::try_from(window).expect("small")), 0, "ftruncate");
                for k in 0..windows {
                    let at = reserved.base.add(k * window);
                    let p = libc::mmap(
                        at.cast(),
                        window,
                        libc::PROT_READ | libc::PROT_WRITE,
                        libc::MAP_SHARED | libc::MAP_FIXED | libc::MAP_POPULATE,
                        fd,
                        0,
                    );
                    assert_eq!(p.cast::<u8>(), at, "mmap of window {k}");
                }
                libc::close(fd);
            }
            reserved
        }
    }

    /// The resident memory of the mapping that starts at `base`, in bytes (its `Rss` in /proc/self/smaps; pages
    /// that map the shared zero page are not counted). Per mapping, so other tests running meanwhile do not count.
    fn resident(base: *const u8) -> usize {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("smaps");
        let start = format!("{:x}-", base as usize);
        let block = smaps.split_once(&format!("\n{start}")).map(|(_, b)| b).or_else(|| smaps.strip_prefix(&start));
        let rss = block.and_then(|b| b.lines().find_map(|l| l.strip_prefix("Rss:")));
        let kib: usize =
            rss.and_then(|r| r.trim().trim_end_matches("kB").trim().parse().ok()).expect("Rss of the mapping");
        kib * 1024
    }

    #[test]
    fn validation_of_more_than_4_gib_reports_positions_above_u32() {
        const TAIL: usize = 64 * 1024;
        let mut m = Mapping::sparse(FOUR_GIB + TAIL);
        let data = m.bytes_mut();
        // "€" (E2 82 AC) across the 2^32 boundary, then text, then 0xFF at a code point start.
        data[FOUR_GIB - 1..FOUR_GIB + 2].copy_from_slice("€".as_bytes());
        let text = "κόσμε 😀 abc ".repeat(1000).into_bytes();
        data[FOUR_GIB + 2..FOUR_GIB + 2 + text.len()].copy_from_slice(&text);
        let bad = FOUR_GIB + 2 + text.len() / 2 - (text.len() / 2) % "κόσμε 😀 abc ".len();
        data[bad] = 0xFF;
        let data = m.bytes();
        assert!(bad > u32::MAX as usize);
        for kernels in large_kernels() {
            let name = kernels.implementation();
            assert_eq!(common::verdict(kernels.validate_utf8(data)), Err((bad, Some(1))), "{name}: whole");
        }
        // Cut inside the code point that straddles 2^32.
        assert_eq!(common::verdict(nvx_ws::utf8::validate(&data[..=FOUR_GIB])), Err((FOUR_GIB - 1, None)));
        // The incremental validator, in 1 GiB chunks: the code point is split by the chunk boundary at 2^32.
        let mut v = Utf8Validator::new();
        for k in 0..4 {
            let s = v.feed(&data[k * GIB..(k + 1) * GIB]);
            assert_eq!(
                (s.valid, s.ends_on_codepoint, s.current_index, s.total_index),
                (true, k < 3, GIB, (k + 1) * GIB)
            );
        }
        let s = v.feed(&data[FOUR_GIB..]);
        assert_eq!((s.valid, s.current_index, s.total_index), (false, bad - FOUR_GIB, bad));
        assert_eq!(common::verdict(v.finish()), Err((bad, Some(1))));
        // Reading 4 GiB of never-written pages took page-table entries, not memory (the zero page): only the
        // written pages (or the huge pages around them) are resident.
        let rss = resident(m.base);
        assert!(rss <= 8 << 20, "the sparse mapping has {rss} bytes resident");
    }

    #[test]
    fn masking_more_than_4_gib_in_one_call() {
        const WINDOW: usize = 2 << 20;
        const WINDOWS: usize = 2049;
        let mut m = Mapping::aliased(WINDOW, WINDOWS);
        let len = WINDOW * WINDOWS;
        assert!(len > FOUR_GIB);
        let plain: Vec<u8> = (0..WINDOW).map(|i| (i.wrapping_mul(2_654_435_761) >> 7).to_le_bytes()[0]).collect();
        for kernels in large_kernels() {
            let name = kernels.implementation();
            m.bytes_mut()[..WINDOW].copy_from_slice(&plain);
            // Three bytes elsewhere first: the big call starts at phase 3, and ends at position 3 + len.
            let mut masker = Masker::with_implementation(KEY, name).expect("available");
            masker.process(&mut [0; 3]);
            masker.process(m.bytes_mut());
            assert_eq!(masker.pointer(), 3 + len, "{name}");
            assert!(masker.pointer() > u32::MAX as usize);
            let mut want = plain.clone();
            reference_mask(&mut want, 3);
            assert!(m.bytes()[..WINDOW] == want[..], "{name}: 2049 passes over each byte = one masking from phase 3");
            // The last window is the same memory.
            assert!(m.bytes()[len - WINDOW..] == want[..]);
            // After 2^32 bytes the phase is still right: the next fragment continues the payload.
            let mut next = *b"tail";
            masker.process(&mut next);
            let mut want_next = *b"tail";
            reference_mask(&mut want_next, 3 + len);
            assert_eq!(next, want_next, "{name}");
        }
    }
}

/// 32-bit targets: a message of more than 4 GiB cannot be in memory, but it can stream through. One zero-filled
/// window (a `MAP_NORESERVE` mapping: zeros from the shared zero page, no memory) is fed again and again, so the
/// validator's count passes `usize::MAX` (2^32 - 1) for real: counts and positions then saturate there, exact
/// below it, never wrapped, never a panic (the test profile has overflow checks on). The masker's position is
/// autobahn's modular counter: it wraps at 2^32, a multiple of 4, so the phase stays right.
#[cfg(all(target_os = "linux", target_pointer_width = "32"))]
mod beyond_4_gib_on_32_bit {
    use super::*;

    const MAX: usize = usize::MAX;

    fn quad(s: nvx_ws::utf8::Status) -> (bool, bool, usize, usize) {
        (s.valid, s.ends_on_codepoint, s.current_index, s.total_index)
    }

    #[test]
    fn validator_counts_saturate_past_4_gib() {
        const WINDOW: usize = 256 << 20;
        let zeros = Mapping::sparse(WINDOW);
        let window = zeros.bytes();
        for implementation in common::implementations() {
            let mut v = Utf8Validator::with_implementation(implementation).expect("available");
            // 15 windows and a bit less than one more: 2^32 - 20 bytes, exactly counted.
            for k in 1..=15 {
                assert_eq!(quad(v.feed(window)), (true, true, WINDOW, k * WINDOW));
            }
            assert_eq!(quad(v.feed(&window[..WINDOW - 20])), (true, true, WINDOW - 20, MAX - 19));
            // Just below 2^32 every position is exact.
            let mut below = v.clone();
            assert_eq!(quad(below.feed(b"abc\xFFdef")), (false, false, 3, MAX - 16));
            assert_eq!(common::verdict(below.finish()), Err((MAX - 16, Some(1))));
            // A code point that starts at 2^32 - 2 and ends past 2^32 - 1: the count saturates, the start is exact.
            let mut across = v.clone();
            assert_eq!(quad(across.feed(&window[..18])), (true, true, 18, MAX - 1));
            assert_eq!(quad(across.feed(b"\xE2\x82")), (true, false, 2, MAX));
            assert_eq!(quad(across.feed(b"X")), (false, false, 0, MAX));
            assert_eq!(common::verdict(across.finish()), Err((MAX - 1, Some(2))));
            // Up to usize::MAX exactly: a code point completes on the last countable byte.
            assert_eq!(quad(v.feed(&window[..17])), (true, true, 17, MAX - 2));
            assert_eq!(quad(v.feed(b"\xE2")), (true, false, 1, MAX - 1));
            assert_eq!(quad(v.feed(b"\x82\xAC")), (true, true, 2, MAX));
            // Past 2^32: another whole window, then an error. Counts and positions saturate.
            assert_eq!(quad(v.feed(window)), (true, true, WINDOW, MAX));
            assert_eq!(v.finish(), Ok(()));
            let mut open = v.clone();
            assert_eq!(quad(open.feed(b"\xF0\x9F")), (true, false, 2, MAX));
            assert_eq!(common::verdict(open.finish()), Err((MAX, None)));
            assert_eq!(quad(v.feed(b"ok \xC0\xAF")), (false, false, 3, MAX));
            assert_eq!(quad(v.feed(b"more")), (false, false, 0, MAX));
            let error = v.error().expect("rejected");
            assert_eq!(common::verdict(Err(error)), Err((MAX, Some(1))));
            assert_eq!(error.failure_index(b""), Some(MAX));
        }
    }

    #[test]
    fn masker_position_wraps_at_2_pow_32_with_the_right_phase() {
        const WINDOW: usize = 16 << 20;
        const WINDOWS: usize = 257; // 4 GiB + 16 MiB in all
        let mut zeros = Mapping::sparse(WINDOW);
        let plain: Vec<u8> = (0..WINDOW).map(|i| (i.wrapping_mul(2_654_435_761) >> 7).to_le_bytes()[0]).collect();
        for implementation in common::implementations() {
            zeros.bytes_mut().copy_from_slice(&plain);
            let mut masker = Masker::with_implementation(KEY, implementation).expect("available");
            masker.process(&mut [0; 3]);
            let mut fed: u64 = 3;
            for _ in 0..WINDOWS {
                masker.process(zeros.bytes_mut());
                fed += WINDOW as u64;
                assert_eq!(masker.pointer() as u64, fed % (1 << 32), "{implementation}");
            }
            assert!(fed > 1 << 32);
            assert_eq!(masker.phase(), 3);
            // 257 passes (an odd number) over the same bytes from phase 3: masked once.
            let mut want = plain.clone();
            reference_mask(&mut want, 3);
            assert!(zeros.bytes() == &want[..], "{implementation}");
            let mut next = *b"tail";
            masker.process(&mut next);
            let mut want_next = *b"tail";
            reference_mask(&mut want_next, 3);
            assert_eq!(next, want_next, "{implementation}");
        }
    }
}
