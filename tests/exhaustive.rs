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
    assert_eq!(sweep(&kernels(), FRAME, position, &[ALL_BYTES, ALL_BYTES, ALL_BYTES]), 1 << 24);
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
        assert_eq!(sweep(&all, LONG_FRAME, position, &[ALL_BYTES, ALL_BYTES, ALL_BYTES]), 1 << 24);
    }
}

/// Leads 0xF0..=0xF7 (valid and beyond U+10FFFF) with three bytes from 0x70..=0xCF each, across the block boundary.
#[test]
fn four_byte_neighbourhood_across_block_boundary() {
    let around = 0x70..=0xCF;
    let count = sweep(&kernels(), FRAME, 62, &[0xF0..=0xF7, around.clone(), around.clone(), around]);
    assert_eq!(count, 8 * 96 * 96 * 96);
}
