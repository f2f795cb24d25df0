//! Exhaustive tests: every 1-, 2- and 3-byte sequence, and every 4-byte sequence around the valid ones, embedded in
//! ASCII at positions chosen against the kernels' vectors and 64-byte blocks, validated by every implementation of
//! `nvx_ws::available()` and compared with `core::str::from_utf8`.
//!
//! The frame is a 100-byte ASCII buffer that starts on a 64-byte boundary, so the first block is `0..64`, the main
//! loop's block `64..128` is cut short and the last partial block is re-read as `36..100`; the sequence sits at the
//! start, in the middle of the first block, across the boundary between the first two blocks (starting at 61, 62,
//! 63, 64), and at the very end (where a truncated sequence is incomplete rather than invalid). 1- and 2-byte
//! sequences are also checked on their own.
//!
//! Size: the 3-byte part is 2^24 sequences at six positions (about 100 million inputs, each checked by every
//! kernel); the 4-byte part covers leads 0xF0..=0xF7 with each following byte in 0x70..=0xCF (the ASCII/continuation
//! and continuation/lead edges, with every continuation byte in between) at one position across the block boundary,
//! 7 million inputs. The tests are split by position so the harness spreads them over the cores.
//!
//! Under emulation (a test binary built with `NVX_EXHAUSTIVE=narrow` in its environment: the s390x stage, where
//! qemu would take many minutes for the full sweeps) the 3- and 4-byte sweeps keep every lead byte but take the
//! bytes after it from [`BOUNDARY_BYTES`], the edges of every byte class of RFC 3629's table, at every position;
//! the 1- and 2-byte sweeps stay complete. The full sweeps of the same kernels run natively in the `test` stage
//! (x86_64: every kernel, the scalar one included) and the `i686` stage.

#[allow(dead_code, reason = "each test binary uses a different subset of the shared helpers")]
mod common;

use core::ops::{Range, RangeInclusive};

use common::{kernels, std_verdict, verdict};
use nvx_ws::Kernels;

/// Length of the ASCII frame the sequences are embedded in.
const FRAME: usize = 100;

/// Length of the frame whose middle blocks go through the kernels' main loop.
const LONG_FRAME: usize = 200;

/// Filler byte of the frame.
const FILL: u8 = b'a';

/// A 64-byte aligned frame of `FRAME` ASCII bytes inside `storage`.
struct Frame {
    storage: Vec<u8>,
    at: Range<usize>,
}

impl Frame {
    fn new(len: usize) -> Self {
        let storage = vec![FILL; len + 64];
        let start = (64 - storage.as_ptr() as usize % 64) % 64;
        Self { storage, at: start..start + len }
    }

    fn bytes(&self) -> &[u8] {
        &self.storage[self.at.clone()]
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.storage[self.at.clone()]
    }
}

/// Checks `input` with every kernel against std.
#[inline]
fn check(all: &[Kernels], input: &[u8]) {
    let expected = std_verdict(input);
    for k in all {
        let got = verdict(k.validate_utf8(input));
        assert!(got == expected, "{k:?} on {input:02X?}: got {got:?}, std says {expected:?}");
    }
}

/// Writes every combination of bytes from `ranges` at `position` of a frame of `len` bytes and checks each; returns
/// how many.
fn sweep(all: &[Kernels], len: usize, position: usize, ranges: &[RangeInclusive<u8>]) -> usize {
    let mut frame = Frame::new(len);
    let at = position..position + ranges.len();
    assert!(at.end <= len);
    let mut digits: Vec<u8> = ranges.iter().map(|r| *r.start()).collect();
    let mut count = 0;
    loop {
        frame.bytes_mut()[at.clone()].copy_from_slice(&digits);
        check(all, frame.bytes());
        count += 1;
        // Odometer: the last byte turns fastest.
        let mut i = ranges.len();
        loop {
            if i == 0 {
                return count;
            }
            i -= 1;
            if digits[i] < *ranges[i].end() {
                digits[i] += 1;
                break;
            }
            digits[i] = *ranges[i].start();
        }
    }
}

const ALL_BYTES: RangeInclusive<u8> = 0x00..=0xFF;

/// Whether the sweeps are narrowed (see the module docs): fixed when the test binary is built.
const NARROW: bool = match option_env!("NVX_EXHAUSTIVE") {
    Some(value) => matches!(value.as_bytes(), b"narrow"),
    None => false,
};

/// The first and last byte of every class of RFC 3629's table, and of the special second-byte ranges after E0,
/// ED, F0 and F4: what decides a verdict, where the full sweep takes all 256.
const BOUNDARY_BYTES: [u8; 26] = [
    0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF,
    0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFE, 0xFF,
];

/// Every combination of one byte from each of `sets` at `position` of a frame of `len` bytes, checked; returns how
/// many. (The narrowed counterpart of [`sweep`].)
fn sweep_sets(all: &[Kernels], len: usize, position: usize, sets: &[&[u8]]) -> usize {
    let mut frame = Frame::new(len);
    let mut count = 0;
    let mut index = vec![0; sets.len()];
    loop {
        for (k, (set, &i)) in sets.iter().zip(&index).enumerate() {
            frame.bytes_mut()[position + k] = set[i];
        }
        check(all, frame.bytes());
        count += 1;
        // Odometer: the last byte turns fastest.
        let mut k = sets.len();
        loop {
            if k == 0 {
                return count;
            }
            k -= 1;
            index[k] += 1;
            if index[k] < sets[k].len() {
                break;
            }
            index[k] = 0;
        }
    }
}

/// Every 3-byte sequence at `position` of a frame of `len` bytes (narrowed: every lead, boundary bytes after it).
fn three_byte_sweep(all: &[Kernels], len: usize, position: usize) {
    if NARROW {
        let every: Vec<u8> = ALL_BYTES.collect();
        let count = sweep_sets(all, len, position, &[&every, &BOUNDARY_BYTES, &BOUNDARY_BYTES]);
        assert_eq!(count, 256 * BOUNDARY_BYTES.len() * BOUNDARY_BYTES.len());
    } else {
        assert_eq!(sweep(all, len, position, &[ALL_BYTES, ALL_BYTES, ALL_BYTES]), 1 << 24);
    }
}

/// Where a sequence of `len` bytes is placed in the frame: start, middle of the first block, across the boundary
/// of the first two blocks, end.
fn positions(len: usize) -> [usize; 7] {
    [0, 30, 61, 62, 63, 64, FRAME - len]
}

#[test]
fn every_one_and_two_byte_sequence() {
    let all = kernels();
    for a in ALL_BYTES {
        check(&all, &[a]);
        for b in ALL_BYTES {
            check(&all, &[a, b]);
        }
    }
    let mut count = 0;
    for position in positions(1) {
        count += sweep(&all, FRAME, position, &[ALL_BYTES]);
    }
    for position in positions(2) {
        count += sweep(&all, FRAME, position, &[ALL_BYTES, ALL_BYTES]);
    }
    assert_eq!(count, 7 * 256 + 7 * 65536);
}

/// Every 2-byte sequence at the same positions through the fused kernels: `unmask_validate` of the masked frame
/// (from a phase that varies with the sequence) gives back the frame and std's verdict on it.
#[test]
fn every_two_byte_sequence_unmasked_and_validated() {
    let all = kernels();
    let key = [0x37, 0xFA, 0x21, 0x3D];
    let mut frame = Frame::new(FRAME);
    let mut work = Frame::new(FRAME);
    for position in positions(2) {
        for a in ALL_BYTES {
            for b in ALL_BYTES {
                frame.bytes_mut()[position..position + 2].copy_from_slice(&[a, b]);
                let expected = std_verdict(frame.bytes());
                let phase = usize::from(a ^ b) % 4;
                let mut masked = frame.bytes().to_vec();
                nvx_ws::mask::scalar::mask(&mut masked, key, phase);
                for k in &all {
                    work.bytes_mut().copy_from_slice(&masked);
                    let (after, result) = k.unmask_validate(work.bytes_mut(), key, phase);
                    assert_eq!(
                        (after, verdict(result)),
                        ((phase + FRAME) % 4, expected),
                        "{k:?} on {a:02X} {b:02X} at {position}"
                    );
                    assert!(
                        work.bytes() == frame.bytes(),
                        "{k:?} on {a:02X} {b:02X} at {position}: unmasked bytes differ"
                    );
                }
            }
        }
    }
}

/// Every 3-byte sequence at `position`.
fn three_byte_sequences_at(position: usize) {
    three_byte_sweep(&kernels(), FRAME, position);
}

#[test]
fn every_three_byte_sequence_at_start() {
    three_byte_sequences_at(positions(3)[0]);
}

#[test]
fn every_three_byte_sequence_in_first_block() {
    three_byte_sequences_at(positions(3)[1]);
}

#[test]
fn every_three_byte_sequence_up_to_block_boundary() {
    three_byte_sequences_at(positions(3)[2]);
}

#[test]
fn every_three_byte_sequence_across_block_boundary_from_62() {
    three_byte_sequences_at(positions(3)[3]);
}

#[test]
fn every_three_byte_sequence_across_block_boundary_from_63() {
    three_byte_sequences_at(positions(3)[4]);
}

#[test]
fn every_three_byte_sequence_from_block_boundary() {
    three_byte_sequences_at(positions(3)[5]);
}

#[test]
fn every_three_byte_sequence_at_end() {
    three_byte_sequences_at(positions(3)[6]);
}

/// Every 3-byte sequence across the boundary of two blocks of the main loop (`64..128` and `128..192` of a
/// `LONG_FRAME`-byte frame, whose last partial block is re-read as `136..200`), from 126 and 127.
#[test]
fn every_three_byte_sequence_across_main_loop_blocks() {
    let all = kernels();
    for position in [126, 127] {
        three_byte_sweep(&all, LONG_FRAME, position);
    }
}

/// Leads 0xF0..=0xF7 (valid and beyond U+10FFFF) with three bytes from 0x70..=0xCF each, across the block boundary.
#[test]
fn four_byte_neighbourhood_across_block_boundary() {
    let around = 0x70..=0xCF;
    if NARROW {
        let leads: Vec<u8> = (0xF0..=0xF7).collect();
        let edges: Vec<u8> = BOUNDARY_BYTES.into_iter().filter(|b| around.contains(b)).collect();
        let count = sweep_sets(&kernels(), FRAME, 62, &[&leads, &edges, &edges, &edges]);
        assert_eq!(count, 8 * edges.len().pow(3));
        return;
    }
    let count = sweep(&kernels(), FRAME, 62, &[0xF0..=0xF7, around.clone(), around.clone(), around]);
    assert_eq!(count, 8 * 96 * 96 * 96);
}
