//! Known-vector tests of `nvx_ws::utf8`, for every implementation `nvx_ws::available()` lists.
//!
//! Vectors:
//! - `KUHN`: Markus Kuhn's "UTF-8 decoder capability and stress test" (UTF-8-test.txt, 2015-08-28,
//!   CC BY 4.0), sections 1 to 5, written from the sections' descriptions (the file is not copied).
//!   Sections 5.3.3 and 5.3.4 are one vector each, all their noncharacters in a row, as in the
//!   file.
//! - `AUTOBAHN`: the UTF-8 cases of the Autobahn WebSocket conformance suite (autobahntestsuite
//!   25.10.1), section 6: the distinct payloads of 6.1 to 6.4 and every case of 6.5.1 to 6.23.7
//!   (`createUtf8TestSequences` in `case6_x_x.py`). autobahn 26.10.2's
//!   `_create_utf8_test_sequences()` is the same list without 6.12. Kept as the suite has them:
//!   6.12.8 stops at 0xbe (Kuhn 3.1.9 goes to 0xbf), the 6.13 ranges leave out their last start
//!   byte, and 6.12 has no Kuhn 3.1.8.
//! - `FRAGMENTS`: the cases of section 6 that send a message in several frames, and autobahn's own
//!   incremental unit test (`test_nvx_utf8validator.py`), fed chunk by chunk.
//!
//! Oracles, never nvx itself:
//! - `validate`, `Kernels::validate_utf8` and `Utf8Validator::finish`: `core::str::from_utf8`, at test time.
//! - `Utf8Validator::feed`: autobahn 26.10.2's pure-Python `Utf8Validator`
//!   (`autobahn/websocket/utf8validator.py`, Hoehrmann's DFA, loaded with `USES_NVX` false). A
//!   throwaway script fed it each vector whole in one call and one byte per call, and its results
//!   are the literals below; it also checked that every call after the first reject returned
//!   `(false, false, 0, total)`, that the declared verdicts agree with Python's UTF-8 codec, and
//!   that the DFA rejects at std's `valid_up_to` when the byte there can never start a sequence,
//!   at `valid_up_to + error_len` otherwise.

use nvx_ws::Implementation;
use nvx_ws::utf8::{self, Status, Utf8Error, Utf8Validator};

/// autobahn's quad: `(valid, ends_on_codepoint, current_index, total_index)`.
type Quad = (bool, bool, usize, usize);

/// The bytes of a vector, spelled as its source describes them.
#[derive(Clone, Copy)]
enum Bytes {
    /// These bytes.
    Lit(&'static [u8]),
    /// Every byte from `.0` to `.1` inclusive, in order.
    Range(u8, u8),
    /// Every byte from `.0` to `.1` inclusive, each followed by a space (0x20).
    Spaced(u8, u8),
    /// The parts, one after the other.
    Concat(&'static [&'static [u8]]),
    /// Every scalar value from `.0` to `.1` inclusive, UTF-8 encoded.
    ScalarRange(u32, u32),
    /// U+nFFFE U+nFFFF for n = 1 to 0x10, UTF-8 encoded.
    PlaneEnds,
}
use Bytes::{Concat, Lit, PlaneEnds, Range, ScalarRange, Spaced};

impl Bytes {
    fn to_vec(self) -> Vec<u8> {
        let encode = |scalars: &mut dyn Iterator<Item = u32>| -> Vec<u8> {
            scalars.map(|c| char::from_u32(c).expect("a scalar value")).collect::<String>().into_bytes()
        };
        match self {
            Lit(bytes) => bytes.to_vec(),
            Range(lo, hi) => (lo..=hi).collect(),
            Spaced(lo, hi) => (lo..=hi).flat_map(|b| [b, b' ']).collect(),
            Concat(parts) => parts.concat(),
            ScalarRange(lo, hi) => encode(&mut (lo..=hi)),
            PlaneEnds => encode(&mut (1..=0x10).flat_map(|n| [n << 16 | 0xFFFE, n << 16 | 0xFFFF])),
        }
    }
}

/// What autobahn's validator returned when fed the vector one byte per call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bytewise {
    /// Call `.0` (counted from 0, so the index of its byte) was the first to return
    /// `valid == false`, with `current_index == .1` and `total_index == .2`.
    Reject(usize, usize, usize),
    /// No call returned `valid == false`; the last one had `ends_on_codepoint == .0` (an empty
    /// vector makes no call and counts as ending on a code point).
    Accept(bool),
}
use Bytewise::{Accept, Reject};

struct Vector {
    /// Section number in the source.
    name: &'static str,
    bytes: Bytes,
    /// The source's verdict: valid and complete UTF-8.
    valid: bool,
    /// autobahn's quad for the whole vector fed in one call.
    whole: Quad,
    bytewise: Bytewise,
}

const fn v(name: &'static str, bytes: Bytes, valid: bool, whole: Quad, bytewise: Bytewise) -> Vector {
    Vector { name, bytes, valid, whole, bytewise }
}

/// Kuhn 3.3.1 to 3.3.10, concatenated by 3.4 (and autobahn 6.15.1).
#[rustfmt::skip]
const KUHN_3_3: [&[u8]; 10] = [
    b"\xc0", b"\xe0\x80", b"\xf0\x80\x80", b"\xf8\x80\x80\x80", b"\xfc\x80\x80\x80\x80",
    b"\xdf", b"\xef\xbf", b"\xf7\xbf\xbf", b"\xfb\xbf\xbf\xbf", b"\xfd\xbf\xbf\xbf\xbf",
];

#[rustfmt::skip]
const KUHN: &[Vector] = &[
    // 1 Some correct UTF-8 text
    v("1", Lit(b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"), true, (true, true, 11, 11), Accept(true)), // "κόσμε", U+1F79 in the middle
    // 2.1 First possible sequence of a certain length (5 and 6 bytes: beyond U+10FFFF)
    v("2.1.1", Lit(b"\x00"), true, (true, true, 1, 1), Accept(true)), // U+0000
    v("2.1.2", Lit(b"\xc2\x80"), true, (true, true, 2, 2), Accept(true)), // U+0080
    v("2.1.3", Lit(b"\xe0\xa0\x80"), true, (true, true, 3, 3), Accept(true)), // U+0800
    v("2.1.4", Lit(b"\xf0\x90\x80\x80"), true, (true, true, 4, 4), Accept(true)), // U+10000
    v("2.1.5", Lit(b"\xf8\x88\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U-00200000, 5 bytes
    v("2.1.6", Lit(b"\xfc\x84\x80\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U-04000000, 6 bytes
    // 2.2 Last possible sequence of a certain length (4 to 6 bytes: beyond U+10FFFF)
    v("2.2.1", Lit(b"\x7f"), true, (true, true, 1, 1), Accept(true)), // U+007F
    v("2.2.2", Lit(b"\xdf\xbf"), true, (true, true, 2, 2), Accept(true)), // U+07FF
    v("2.2.3", Lit(b"\xef\xbf\xbf"), true, (true, true, 3, 3), Accept(true)), // U+FFFF
    v("2.2.4", Lit(b"\xf7\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U-001FFFFF
    v("2.2.5", Lit(b"\xfb\xbf\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U-03FFFFFF
    v("2.2.6", Lit(b"\xfd\xbf\xbf\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U-7FFFFFFF
    // 2.3 Other boundary conditions
    v("2.3.1", Lit(b"\xed\x9f\xbf"), true, (true, true, 3, 3), Accept(true)), // U+D7FF
    v("2.3.2", Lit(b"\xee\x80\x80"), true, (true, true, 3, 3), Accept(true)), // U+E000
    v("2.3.3", Lit(b"\xef\xbf\xbd"), true, (true, true, 3, 3), Accept(true)), // U+FFFD
    v("2.3.4", Lit(b"\xf4\x8f\xbf\xbf"), true, (true, true, 4, 4), Accept(true)), // U+10FFFF
    v("2.3.5", Lit(b"\xf4\x90\x80\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+110000
    // 3.1 Unexpected continuation bytes
    v("3.1.1", Lit(b"\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)), // first continuation byte
    v("3.1.2", Lit(b"\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // last continuation byte
    v("3.1.3", Lit(b"\x80\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 2 continuation bytes
    v("3.1.4", Lit(b"\x80\xbf\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 3 continuation bytes
    v("3.1.5", Lit(b"\x80\xbf\x80\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 4 continuation bytes
    v("3.1.6", Lit(b"\x80\xbf\x80\xbf\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 5 continuation bytes
    v("3.1.7", Lit(b"\x80\xbf\x80\xbf\x80\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 6 continuation bytes
    v("3.1.8", Lit(b"\x80\xbf\x80\xbf\x80\xbf\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 7 continuation bytes
    v("3.1.9", Range(0x80, 0xBF), false, (false, false, 0, 0), Reject(0, 0, 0)), // all 64 continuation bytes
    // 3.2 Lonely start characters, each followed by a space
    v("3.2.1", Spaced(0xC0, 0xDF), false, (false, false, 0, 0), Reject(0, 0, 0)), // all 32 2-byte starts, each + space
    v("3.2.2", Spaced(0xE0, 0xEF), false, (false, false, 1, 1), Reject(1, 0, 1)), // 16 3-byte starts
    v("3.2.3", Spaced(0xF0, 0xF7), false, (false, false, 1, 1), Reject(1, 0, 1)), // 8 4-byte starts
    v("3.2.4", Spaced(0xF8, 0xFB), false, (false, false, 0, 0), Reject(0, 0, 0)), // 4 5-byte starts
    v("3.2.5", Spaced(0xFC, 0xFD), false, (false, false, 0, 0), Reject(0, 0, 0)), // 2 6-byte starts
    // 3.3 Sequences with last continuation byte missing
    v("3.3.1", Lit(b"\xc0"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 2-byte U+0000
    v("3.3.2", Lit(b"\xe0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // 3-byte U+0000
    v("3.3.3", Lit(b"\xf0\x80\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // 4-byte U+0000
    v("3.3.4", Lit(b"\xf8\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 5-byte U+0000
    v("3.3.5", Lit(b"\xfc\x80\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 6-byte U+0000
    v("3.3.6", Lit(b"\xdf"), false, (true, false, 1, 1), Accept(false)), // 2-byte U+07FF
    v("3.3.7", Lit(b"\xef\xbf"), false, (true, false, 2, 2), Accept(false)), // 3-byte U+FFFF
    v("3.3.8", Lit(b"\xf7\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 4-byte U-001FFFFF
    v("3.3.9", Lit(b"\xfb\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 5-byte U-03FFFFFF
    v("3.3.10", Lit(b"\xfd\xbf\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // 6-byte U-7FFFFFFF
    // 3.4 Concatenation of incomplete sequences
    v("3.4", Concat(&KUHN_3_3), false, (false, false, 0, 0), Reject(0, 0, 0)), // the 10 sequences of 3.3 concatenated
    // 3.5 Impossible bytes
    v("3.5.1", Lit(b"\xfe"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("3.5.2", Lit(b"\xff"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("3.5.3", Lit(b"\xfe\xfe\xff\xff"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    // 4.1 Examples of an overlong ASCII character
    v("4.1.1", Lit(b"\xc0\xaf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U+002F
    v("4.1.2", Lit(b"\xe0\x80\xaf"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+002F
    v("4.1.3", Lit(b"\xf0\x80\x80\xaf"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+002F
    v("4.1.4", Lit(b"\xf8\x80\x80\x80\xaf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U+002F
    v("4.1.5", Lit(b"\xfc\x80\x80\x80\x80\xaf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U+002F
    // 4.2 Maximum overlong sequences
    v("4.2.1", Lit(b"\xc1\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U+007F
    v("4.2.2", Lit(b"\xe0\x9f\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+07FF
    v("4.2.3", Lit(b"\xf0\x8f\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+FFFF
    v("4.2.4", Lit(b"\xf8\x87\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U-001FFFFF
    v("4.2.5", Lit(b"\xfc\x83\xbf\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U-03FFFFFF
    // 4.3 Overlong representation of the NUL character
    v("4.3.1", Lit(b"\xc0\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U+0000
    v("4.3.2", Lit(b"\xe0\x80\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+0000
    v("4.3.3", Lit(b"\xf0\x80\x80\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+0000
    v("4.3.4", Lit(b"\xf8\x80\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U+0000
    v("4.3.5", Lit(b"\xfc\x80\x80\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)), // U+0000
    // 5.1 Single UTF-16 surrogates
    v("5.1.1", Lit(b"\xed\xa0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+D800
    v("5.1.2", Lit(b"\xed\xad\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DB7F
    v("5.1.3", Lit(b"\xed\xae\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DB80
    v("5.1.4", Lit(b"\xed\xaf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DBFF
    v("5.1.5", Lit(b"\xed\xb0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DC00
    v("5.1.6", Lit(b"\xed\xbe\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DF80
    v("5.1.7", Lit(b"\xed\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DFFF
    // 5.2 Paired UTF-16 surrogates
    v("5.2.1", Lit(b"\xed\xa0\x80\xed\xb0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+D800 U+DC00
    v("5.2.2", Lit(b"\xed\xa0\x80\xed\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+D800 U+DFFF
    v("5.2.3", Lit(b"\xed\xad\xbf\xed\xb0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DB7F U+DC00
    v("5.2.4", Lit(b"\xed\xad\xbf\xed\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DB7F U+DFFF
    v("5.2.5", Lit(b"\xed\xae\x80\xed\xb0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DB80 U+DC00
    v("5.2.6", Lit(b"\xed\xae\x80\xed\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DB80 U+DFFF
    v("5.2.7", Lit(b"\xed\xaf\xbf\xed\xb0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DBFF U+DC00
    v("5.2.8", Lit(b"\xed\xaf\xbf\xed\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)), // U+DBFF U+DFFF
    // 5.3 Noncharacter code positions: valid UTF-8
    v("5.3.1", Lit(b"\xef\xbf\xbe"), true, (true, true, 3, 3), Accept(true)), // U+FFFE
    v("5.3.2", Lit(b"\xef\xbf\xbf"), true, (true, true, 3, 3), Accept(true)), // U+FFFF
    v("5.3.3", ScalarRange(0xFDD0, 0xFDEF), true, (true, true, 96, 96), Accept(true)), // U+FDD0..U+FDEF
    v("5.3.4", PlaneEnds, true, (true, true, 128, 128), Accept(true)), // U+nFFFE U+nFFFF, n = 1..10 hex
];

#[rustfmt::skip]
const AUTOBAHN: &[Vector] = &[
    // 6.1 to 6.4: the payloads of the framing cases ("edited" is 65 64 69 74 65 64)
    v("6.1.1", Lit(b""), true, (true, true, 0, 0), Accept(true)), // empty text message
    v("6.1.3", Lit(b"middle frame payload"), true, (true, true, 20, 20), Accept(true)), // middle fragment of 3
    v("6.2.1", Lit(b"Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0\xc3\xa1-UTF-8!!"), true, (true, true, 29, 29), Accept(true)), // also 6.2.2 (2 frames), 6.2.3 (1-byte frames)
    v("6.2.4", Lit(b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"), true, (true, true, 11, 11), Accept(true)), // sent in 1-byte frames
    v("6.3.1", Lit(b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited"), false, (false, false, 12, 12), Reject(12, 0, 12)), // also 6.3.2 (1-byte frames)
    v("6.4.1", Lit(b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90\x80\x80edited"), false, (false, false, 12, 12), Reject(12, 0, 12)), // also 6.4.2-6.4.4 (3 frames or 3 chops of one frame)
    // 6.5: Some valid UTF-8 sequences
    v("6.5.1", Lit(b"hello$world"), true, (true, true, 11, 11), Accept(true)),
    v("6.5.2", Lit(b"hello\xc2\xa2world"), true, (true, true, 12, 12), Accept(true)),
    v("6.5.3", Lit(b"hello\xe2\x82\xacworld"), true, (true, true, 13, 13), Accept(true)),
    v("6.5.4", Lit(b"hello\xf0\xa4\xad\xa2world"), true, (true, true, 14, 14), Accept(true)),
    v("6.5.5", Lit(b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"), true, (true, true, 11, 11), Accept(true)),
    // 6.6: All prefixes of a valid UTF-8 string that contains multi-byte code points
    v("6.6.1", Lit(b"\xce"), false, (true, false, 1, 1), Accept(false)),
    v("6.6.2", Lit(b"\xce\xba"), true, (true, true, 2, 2), Accept(true)),
    v("6.6.3", Lit(b"\xce\xba\xe1"), false, (true, false, 3, 3), Accept(false)),
    v("6.6.4", Lit(b"\xce\xba\xe1\xbd"), false, (true, false, 4, 4), Accept(false)),
    v("6.6.5", Lit(b"\xce\xba\xe1\xbd\xb9"), true, (true, true, 5, 5), Accept(true)),
    v("6.6.6", Lit(b"\xce\xba\xe1\xbd\xb9\xcf"), false, (true, false, 6, 6), Accept(false)),
    v("6.6.7", Lit(b"\xce\xba\xe1\xbd\xb9\xcf\x83"), true, (true, true, 7, 7), Accept(true)),
    v("6.6.8", Lit(b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce"), false, (true, false, 8, 8), Accept(false)),
    v("6.6.9", Lit(b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc"), true, (true, true, 9, 9), Accept(true)),
    v("6.6.10", Lit(b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce"), false, (true, false, 10, 10), Accept(false)),
    v("6.6.11", Lit(b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"), true, (true, true, 11, 11), Accept(true)),
    // 6.7: First possible sequence of a certain length
    v("6.7.1", Lit(b"\x00"), true, (true, true, 1, 1), Accept(true)),
    v("6.7.2", Lit(b"\xc2\x80"), true, (true, true, 2, 2), Accept(true)),
    v("6.7.3", Lit(b"\xe0\xa0\x80"), true, (true, true, 3, 3), Accept(true)),
    v("6.7.4", Lit(b"\xf0\x90\x80\x80"), true, (true, true, 4, 4), Accept(true)),
    // 6.8: First possible sequence length 5/6 (invalid codepoints)
    v("6.8.1", Lit(b"\xf8\x88\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.8.2", Lit(b"\xfc\x84\x80\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    // 6.9: Last possible sequence of a certain length
    v("6.9.1", Lit(b"\x7f"), true, (true, true, 1, 1), Accept(true)),
    v("6.9.2", Lit(b"\xdf\xbf"), true, (true, true, 2, 2), Accept(true)),
    v("6.9.3", Lit(b"\xef\xbf\xbf"), true, (true, true, 3, 3), Accept(true)),
    v("6.9.4", Lit(b"\xf4\x8f\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    // 6.10: Last possible sequence length 4/5/6 (invalid codepoints)
    v("6.10.1", Lit(b"\xf7\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.10.2", Lit(b"\xfb\xbf\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.10.3", Lit(b"\xfd\xbf\xbf\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    // 6.11: Other boundary conditions
    v("6.11.1", Lit(b"\xed\x9f\xbf"), true, (true, true, 3, 3), Accept(true)),
    v("6.11.2", Lit(b"\xee\x80\x80"), true, (true, true, 3, 3), Accept(true)),
    v("6.11.3", Lit(b"\xef\xbf\xbd"), true, (true, true, 3, 3), Accept(true)),
    v("6.11.4", Lit(b"\xf4\x8f\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.11.5", Lit(b"\xf4\x90\x80\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    // 6.12: Unexpected continuation bytes
    v("6.12.1", Lit(b"\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.12.2", Lit(b"\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.12.3", Lit(b"\x80\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.12.4", Lit(b"\x80\xbf\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.12.5", Lit(b"\x80\xbf\x80\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.12.6", Lit(b"\x80\xbf\x80\xbf\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.12.7", Lit(b"\x80\xbf\x80\xbf\x80\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.12.8", Range(0x80, 0xBE), false, (false, false, 0, 0), Reject(0, 0, 0)),
    // 6.13: Lonely start characters
    v("6.13.1", Spaced(0xC0, 0xDE), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.13.2", Spaced(0xE0, 0xEE), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.13.3", Spaced(0xF0, 0xF6), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.13.4", Spaced(0xF8, 0xFA), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.13.5", Spaced(0xFC, 0xFC), false, (false, false, 0, 0), Reject(0, 0, 0)),
    // 6.14: Sequences with last continuation byte missing
    v("6.14.1", Lit(b"\xc0"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.14.2", Lit(b"\xe0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.14.3", Lit(b"\xf0\x80\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.14.4", Lit(b"\xf8\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.14.5", Lit(b"\xfc\x80\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.14.6", Lit(b"\xdf"), false, (true, false, 1, 1), Accept(false)),
    v("6.14.7", Lit(b"\xef\xbf"), false, (true, false, 2, 2), Accept(false)),
    v("6.14.8", Lit(b"\xf7\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.14.9", Lit(b"\xfb\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.14.10", Lit(b"\xfd\xbf\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    // 6.15: Concatenation of incomplete sequences
    v("6.15.1", Concat(&KUHN_3_3), false, (false, false, 0, 0), Reject(0, 0, 0)),
    // 6.16: Impossible bytes
    v("6.16.1", Lit(b"\xfe"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.16.2", Lit(b"\xff"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.16.3", Lit(b"\xfe\xfe\xff\xff"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    // 6.17: Examples of an overlong ASCII character
    v("6.17.1", Lit(b"\xc0\xaf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.17.2", Lit(b"\xe0\x80\xaf"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.17.3", Lit(b"\xf0\x80\x80\xaf"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.17.4", Lit(b"\xf8\x80\x80\x80\xaf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.17.5", Lit(b"\xfc\x80\x80\x80\x80\xaf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    // 6.18: Maximum overlong sequences
    v("6.18.1", Lit(b"\xc1\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.18.2", Lit(b"\xe0\x9f\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.18.3", Lit(b"\xf0\x8f\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.18.4", Lit(b"\xf8\x87\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.18.5", Lit(b"\xfc\x83\xbf\xbf\xbf\xbf"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    // 6.19: Overlong representation of the NUL character
    v("6.19.1", Lit(b"\xc0\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.19.2", Lit(b"\xe0\x80\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.19.3", Lit(b"\xf0\x80\x80\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.19.4", Lit(b"\xf8\x80\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    v("6.19.5", Lit(b"\xfc\x80\x80\x80\x80\x80"), false, (false, false, 0, 0), Reject(0, 0, 0)),
    // 6.20: Single UTF-16 surrogates
    v("6.20.1", Lit(b"\xed\xa0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.20.2", Lit(b"\xed\xad\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.20.3", Lit(b"\xed\xae\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.20.4", Lit(b"\xed\xaf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.20.5", Lit(b"\xed\xb0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.20.6", Lit(b"\xed\xbe\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.20.7", Lit(b"\xed\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    // 6.21: Paired UTF-16 surrogates
    v("6.21.1", Lit(b"\xed\xa0\x80\xed\xb0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.21.2", Lit(b"\xed\xa0\x80\xed\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.21.3", Lit(b"\xed\xad\xbf\xed\xb0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.21.4", Lit(b"\xed\xad\xbf\xed\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.21.5", Lit(b"\xed\xae\x80\xed\xb0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.21.6", Lit(b"\xed\xae\x80\xed\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.21.7", Lit(b"\xed\xaf\xbf\xed\xb0\x80"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    v("6.21.8", Lit(b"\xed\xaf\xbf\xed\xbf\xbf"), false, (false, false, 1, 1), Reject(1, 0, 1)),
    // 6.22: Non-character code points (valid UTF-8)
    v("6.22.1", Lit(b"\xef\xbf\xbe"), true, (true, true, 3, 3), Accept(true)),
    v("6.22.2", Lit(b"\xef\xbf\xbf"), true, (true, true, 3, 3), Accept(true)),
    v("6.22.3", Lit(b"\xf0\x9f\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.4", Lit(b"\xf0\x9f\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.5", Lit(b"\xf0\xaf\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.6", Lit(b"\xf0\xaf\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.7", Lit(b"\xf0\xbf\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.8", Lit(b"\xf0\xbf\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.9", Lit(b"\xf1\x8f\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.10", Lit(b"\xf1\x8f\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.11", Lit(b"\xf1\x9f\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.12", Lit(b"\xf1\x9f\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.13", Lit(b"\xf1\xaf\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.14", Lit(b"\xf1\xaf\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.15", Lit(b"\xf1\xbf\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.16", Lit(b"\xf1\xbf\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.17", Lit(b"\xf2\x8f\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.18", Lit(b"\xf2\x8f\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.19", Lit(b"\xf2\x9f\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.20", Lit(b"\xf2\x9f\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.21", Lit(b"\xf2\xaf\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.22", Lit(b"\xf2\xaf\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.23", Lit(b"\xf2\xbf\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.24", Lit(b"\xf2\xbf\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.25", Lit(b"\xf3\x8f\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.26", Lit(b"\xf3\x8f\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.27", Lit(b"\xf3\x9f\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.28", Lit(b"\xf3\x9f\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.29", Lit(b"\xf3\xaf\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.30", Lit(b"\xf3\xaf\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.31", Lit(b"\xf3\xbf\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.32", Lit(b"\xf3\xbf\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.33", Lit(b"\xf4\x8f\xbf\xbe"), true, (true, true, 4, 4), Accept(true)),
    v("6.22.34", Lit(b"\xf4\x8f\xbf\xbf"), true, (true, true, 4, 4), Accept(true)),
    // 6.23: Unicode specials (i.e. replacement char)
    v("6.23.1", Lit(b"\xef\xbf\xb9"), true, (true, true, 3, 3), Accept(true)),
    v("6.23.2", Lit(b"\xef\xbf\xba"), true, (true, true, 3, 3), Accept(true)),
    v("6.23.3", Lit(b"\xef\xbf\xbb"), true, (true, true, 3, 3), Accept(true)),
    v("6.23.4", Lit(b"\xef\xbf\xbc"), true, (true, true, 3, 3), Accept(true)),
    v("6.23.5", Lit(b"\xef\xbf\xbd"), true, (true, true, 3, 3), Accept(true)),
    v("6.23.6", Lit(b"\xef\xbf\xbe"), true, (true, true, 3, 3), Accept(true)),
    v("6.23.7", Lit(b"\xef\xbf\xbf"), true, (true, true, 3, 3), Accept(true)),
];

/// `(case, chunks fed in order, autobahn's quad after each chunk)`.
type Fragments = (&'static str, &'static [&'static [u8]], &'static [Quad]);

#[rustfmt::skip]
const FRAGMENTS: &[Fragments] = &[
    ("6.1.2", &[b"", b"", b""], &[(true, true, 0, 0), (true, true, 0, 0), (true, true, 0, 0)]),
    ("6.1.3", &[b"", b"middle frame payload", b""], &[(true, true, 0, 0), (true, true, 20, 20), (true, true, 0, 20)]),
    ("6.2.2", &[b"Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4", b"\xc3\xbc\xc3\xa0\xc3\xa1-UTF-8!!"], &[(true, true, 15, 15), (true, true, 14, 29)]),
    ("6.4.1/6.4.3", &[b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", b"\xf4\x90\x80\x80", b"edited"], &[(true, true, 11, 11), (false, false, 1, 12), (false, false, 0, 12)]),
    ("6.4.2/6.4.4", &[b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4", b"\x90", b"\x80\x80edited"], &[(true, false, 12, 12), (false, false, 0, 12), (false, false, 0, 12)]),
    // autobahn 26.10.2 test_nvx_utf8validator.py, _test_utf8_incremental (1: "µ@ßöäüàá")
    ("incremental 1", &[b"\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0\xc3\xa1"], &[(true, true, 15, 15)]),
    ("incremental 2", &[b"\xf5"], &[(false, false, 0, 0)]),
    ("incremental 3", &[b"edited", b"\xed\xa0\x80"], &[(true, true, 6, 6), (false, false, 1, 7)]),
    ("incremental 4", &[b"edit", b"ed\xed\xa0\x80"], &[(true, true, 4, 4), (false, false, 3, 7)]),
    ("incremental 5", &[b"edited\xed", b"\xa0\x80"], &[(true, false, 7, 7), (false, false, 0, 7)]),
];

fn implementations() -> Vec<Implementation> {
    let imps: Vec<Implementation> = nvx_ws::available().collect();
    assert!(!imps.is_empty(), "available() lists no implementation");
    imps
}

/// `Utf8Validator::new()` and one validator per available implementation, named for messages.
fn validators() -> Vec<(String, Utf8Validator)> {
    let forced = implementations().into_iter().map(|imp| {
        let val = Utf8Validator::with_implementation(imp)
            .unwrap_or_else(|_| panic!("{imp:?} is listed by available() but refused"));
        (format!("{imp:?}"), val)
    });
    [("Utf8Validator::new()".to_owned(), Utf8Validator::new())].into_iter().chain(forced).collect()
}

/// Every vector with a label for messages and its bytes.
fn vectors() -> impl Iterator<Item = (String, &'static Vector, Vec<u8>)> {
    let kuhn = KUHN.iter().map(|v| (format!("Kuhn {}", v.name), v));
    let autobahn = AUTOBAHN.iter().map(|v| (format!("autobahn case {}", v.name), v));
    kuhn.chain(autobahn).map(|(label, v)| (label, v, v.bytes.to_vec()))
}

fn quad(status: Status) -> Quad {
    (status.valid, status.ends_on_codepoint, status.current_index, status.total_index)
}

fn positions(error: &Utf8Error) -> (usize, Option<usize>) {
    (error.valid_up_to(), error.error_len())
}

/// std's verdict, the oracle of the one-shot API.
fn std_result(bytes: &[u8]) -> Result<(), (usize, Option<usize>)> {
    core::str::from_utf8(bytes).map(drop).map_err(|e| (e.valid_up_to(), e.error_len()))
}

/// `finish()` is `Ok` iff std accepts everything fed, and says "incomplete" iff std does.
fn assert_finish_agrees(validator: &Utf8Validator, fed: &[u8], context: &str) {
    match (validator.finish(), std_result(fed)) {
        (Ok(()), Ok(())) => {}
        (Err(got), Err((_, error_len))) => assert_eq!(
            got.error_len().is_none(),
            error_len.is_none(),
            "{context}: finish() error_len {:?}, std error_len {error_len:?}",
            got.error_len()
        ),
        (got, want) => panic!("{context}: finish() {:?}, std {want:?}", got.map_err(|e| positions(&e))),
    }
}

#[test]
fn declared_verdicts_agree_with_std() {
    for (label, v, bytes) in vectors() {
        assert_eq!(std_result(&bytes).is_ok(), v.valid, "{label}: table verdict against std");
        assert_eq!(v.whole.0 && v.whole.1, v.valid, "{label}: table verdict against the quad");
    }
}

#[test]
fn validate_matches_std() {
    for (label, _, bytes) in vectors() {
        let want = std_result(&bytes);
        assert_eq!(utf8::validate(&bytes).map_err(|e| positions(&e)), want, "{label}: validate");
        for imp in implementations() {
            let got = nvx_ws::Kernels::new(imp).expect("available").validate_utf8(&bytes).map_err(|e| positions(&e));
            assert_eq!(got, want, "{label}: Kernels::new({imp:?}).validate_utf8");
        }
    }
}

#[test]
fn feed_whole_matches_autobahn() {
    for (name, mut val) in validators() {
        for (label, v, bytes) in vectors() {
            val.reset();
            let context = format!("{label}, {name}, fed whole");
            assert_eq!(quad(val.feed(&bytes)), v.whole, "{context}");
            assert_finish_agrees(&val, &bytes, &context);
        }
    }
}

#[test]
fn feed_byte_by_byte_matches_autobahn() {
    for (name, mut val) in validators() {
        for (label, v, bytes) in vectors() {
            val.reset();
            let mut got = Accept(true);
            for (i, byte) in bytes.iter().enumerate() {
                let status = quad(val.feed(core::slice::from_ref(byte)));
                let context = format!("{label}, {name}, call {i} of byte by byte");
                match got {
                    Reject(_, _, total) => {
                        assert_eq!(status, (false, false, 0, total), "{context}: after the reject");
                    }
                    Accept(_) if !status.0 => {
                        assert!(!status.1, "{context}: a reject ends on no code point");
                        got = Reject(i, status.2, status.3);
                    }
                    Accept(_) => {
                        // Until a reject, the prefix fed is complete UTF-8 iff std accepts it.
                        let ends = std_result(&bytes[..=i]).is_ok();
                        assert_eq!(status, (true, ends, 1, i + 1), "{context}");
                        got = Accept(ends);
                    }
                }
            }
            assert_eq!(got, v.bytewise, "{label}, {name}, byte by byte");
            assert_finish_agrees(&val, &bytes, &format!("{label}, {name}, byte by byte"));
        }
    }
}

#[test]
fn feed_fragments_matches_autobahn() {
    for (name, mut val) in validators() {
        for &(case, chunks, quads) in FRAGMENTS {
            val.reset();
            for (i, (chunk, &want)) in chunks.iter().zip(quads).enumerate() {
                assert_eq!(quad(val.feed(chunk)), want, "{case}, {name}, chunk {i}");
            }
            assert_finish_agrees(&val, &chunks.concat(), &format!("{case}, {name}"));
        }
    }
}
