//! Decoding a fuzzer input: a cursor that hands out bytes, numbers, chunk lengths and chunk splits.
//!
//! ```
//! use nvx_ws_fuzz::input::Input;
//! let mut input = Input::new(&[2, 3, 0xC0, b'a', b'b', b'c', b'd']);
//! let splits = input.splits();                 // count 2: lengths 3 and 64
//! assert_eq!(splits.chunks(4), [0..3, 3..4]);
//! assert_eq!(input.rest(), b"abcd");
//! ```
//!
//! Every method succeeds on an exhausted input (zeros, empty slices), so any byte string decodes to something and
//! small mutations stay small changes.

use core::ops::Range;

/// A cursor over the fuzzer's bytes.
pub struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    /// A cursor at the start of `data`.
    #[must_use]
    pub const fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    /// Whether every byte was consumed.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte (0 once exhausted).
    pub fn byte(&mut self) -> u8 {
        let (&first, rest) = self.data.split_first().unwrap_or((&0, &[]));
        self.data = rest;
        first
    }

    /// The next `n` bytes, fewer at the end.
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (taken, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        taken
    }

    /// The next 4 bytes as an array (zero-padded at the end).
    pub fn array4(&mut self) -> [u8; 4] {
        let mut out = [0; 4];
        let taken = self.bytes(4);
        out[..taken.len()].copy_from_slice(taken);
        out
    }

    /// The next 4 bytes as a little-endian `i32`: any `c_int`, `i32::MIN` and `-1` included.
    pub fn i32(&mut self) -> i32 {
        i32::from_le_bytes(self.array4())
    }

    /// A length from one byte: `0..=191` as is, `0xC0..=0xFF` as `64..=4096` in steps of 64 (whole SIMD
    /// blocks of every width, and several of them).
    pub fn len(&mut self) -> usize {
        match self.byte() {
            b @ 0..=0xBF => usize::from(b),
            b => (usize::from(b - 0xC0) + 1) * 64,
        }
    }

    /// A masking phase from one byte: `0..=0xEF` as is (taken modulo 4 by nvx), and `0xF0..=0xFF` as the 16 values
    /// just below `usize::MAX` (the wrapping edge).
    pub fn phase(&mut self) -> usize {
        match self.byte() {
            b @ 0..=0xEF => usize::from(b),
            b => usize::MAX - usize::from(b & 0x0F),
        }
    }

    /// A chunk split: a count byte (its low 4 bits: 0 to 15 lengths; its high 4 bits are the split's `pattern`)
    /// followed by that many [`Input::len`] lengths.
    pub fn splits(&mut self) -> Splits {
        let head = self.byte();
        let lengths = (0..head & 0x0F).map(|_| self.len()).collect();
        Splits { lengths, pattern: head >> 4 }
    }

    /// Everything not consumed yet.
    pub fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.data)
    }
}

/// Chunk lengths chosen by the fuzzer, repeated over a message, and a 4-bit pattern for per-chunk choices.
#[derive(Clone, Debug)]
pub struct Splits {
    lengths: Vec<usize>,
    /// Four bits the targets use to vary what they do per chunk (bit `i % 4` for chunk `i`).
    pub pattern: u8,
}

/// At most this many chunks per message; the rest of the message is then one chunk.
const MAX_CHUNKS: usize = 4096;

impl Splits {
    /// Bit `i % 4` of the pattern: a per-chunk yes/no.
    #[must_use]
    pub const fn bit(&self, i: usize) -> bool {
        self.pattern >> (i % 4) & 1 == 1
    }

    /// The chunks of a message of `len` bytes: the lengths in turn (empty chunks included), cycled until the
    /// message is consumed; one chunk of everything when there are no lengths or they add up to 0. After
    /// [`MAX_CHUNKS`] chunks the rest is one chunk. A message of length 0 is one empty chunk.
    #[must_use]
    pub fn chunks(&self, len: usize) -> Vec<Range<usize>> {
        let mut chunks = Vec::new();
        let mut start = 0;
        if self.lengths.iter().any(|&n| n > 0) {
            for n in self.lengths.iter().copied().cycle() {
                if start == len || chunks.len() == MAX_CHUNKS {
                    break;
                }
                let end = (start + n).min(len);
                chunks.push(start..end);
                start = end;
            }
        }
        if start < len || chunks.is_empty() {
            chunks.push(start..len);
        }
        chunks
    }
}
