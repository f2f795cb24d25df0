//! Streaming tests of `Utf8Validator`: chunked input against a reference byte-at-a-time DFA with autobahn's
//! semantics, and against `core::str::from_utf8` on the whole message, for every implementation.
//!
//! The reference, [`RefDfa`], is written here from the table of well-formed byte sequences of RFC 3629 §4; it
//! rejects at the first byte that cannot continue a well-formed sequence and reports what autobahn's pure-Python
//! `Utf8Validator.validate` reports: `(valid, ends_on_codepoint, current_index, total_index)`, where on a reject
//! `current_index` is the index of the rejecting byte in the chunk and `total_index` grows by that index. One
//! deliberate difference: autobahn returns `valid == true` for an *empty* chunk after a reject (its loop does not
//! run), while nvx keeps the reject sticky and returns `(false, false, 0, total)`; [`RefDfa`] models nvx there.
//! The DFA is itself checked against std on every message (its reject index must be std's failure byte).

#[allow(dead_code, reason = "each test binary uses a different subset of the shared helpers")]
mod common;

use common::{SplitMix, config, damaged_text, implementations, random_text, std_verdict, verdict};
use nvx_ws::Implementation;
use nvx_ws::mask::Masker;
use nvx_ws::utf8::{Status, Utf8Validator};
use proptest::prelude::*;
use proptest::sample::Index;

/// autobahn's quad: `(valid, ends_on_codepoint, current_index, total_index)`.
type Quad = (bool, bool, usize, usize);

/// A state of the reference DFA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// On a code point boundary.
    Accept,
    /// Rejected; absorbing.
    Reject,
    /// Inside a sequence: `left` more bytes are due, the next one in `lo..=hi`.
    Need { left: u8, lo: u8, hi: u8 },
}

/// The next state after `byte`, from the table of RFC 3629 §4:
///
/// ```text
/// 00..7F
/// C2..DF 80..BF
/// E0     A0..BF 80..BF
/// E1..EC 80..BF 80..BF
/// ED     80..9F 80..BF
/// EE..EF 80..BF 80..BF
/// F0     90..BF 80..BF 80..BF
/// F1..F3 80..BF 80..BF 80..BF
/// F4     80..8F 80..BF 80..BF
/// ```
fn step(state: State, byte: u8) -> State {
    let need = |left, lo, hi| State::Need { left, lo, hi };
    match state {
        State::Accept => match byte {
            0x00..=0x7F => State::Accept,
            0xC2..=0xDF => need(1, 0x80, 0xBF),
            0xE0 => need(2, 0xA0, 0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => need(2, 0x80, 0xBF),
            0xED => need(2, 0x80, 0x9F),
            0xF0 => need(3, 0x90, 0xBF),
            0xF1..=0xF3 => need(3, 0x80, 0xBF),
            0xF4 => need(3, 0x80, 0x8F),
            _ => State::Reject,
        },
        State::Need { left, lo, hi } if (lo..=hi).contains(&byte) => {
            if left == 1 {
                State::Accept
            } else {
                need(left - 1, 0x80, 0xBF)
            }
        }
        // Absorbing, or a byte outside the range the open sequence allows.
        State::Reject | State::Need { .. } => State::Reject,
    }
}

/// The reference incremental validator: a byte-at-a-time DFA with autobahn's four-value result.
#[derive(Clone, Debug)]
struct RefDfa {
    state: State,
    total: usize,
}

impl RefDfa {
    const fn new() -> Self {
        Self { state: State::Accept, total: 0 }
    }

    fn feed(&mut self, chunk: &[u8]) -> Quad {
        // Sticky reject, also for an empty chunk (nvx's choice; autobahn would say valid there).
        if self.state == State::Reject {
            return (false, false, 0, self.total);
        }
        for (i, &byte) in chunk.iter().enumerate() {
            self.state = step(self.state, byte);
            if self.state == State::Reject {
                self.total += i;
                return (false, false, i, self.total);
            }
        }
        self.total += chunk.len();
        (true, self.state == State::Accept, chunk.len(), self.total)
    }
}

fn quad(s: Status) -> Quad {
    (s.valid, s.ends_on_codepoint, s.current_index, s.total_index)
}

/// Checks that the reference DFA agrees with std on a whole message: it accepts exactly the valid messages, ends
/// inside a sequence exactly when std reports an incomplete end, and rejects at std's failure byte.
fn check_reference_against_std(message: &[u8]) -> Result<(), TestCaseError> {
    let mut dfa = RefDfa::new();
    let (valid, ends, _, total) = dfa.feed(message);
    match std_verdict(message) {
        Ok(()) => prop_assert_eq!((valid, ends, total), (true, true, message.len())),
        Err((_, None)) => prop_assert_eq!((valid, ends, total), (true, false, message.len())),
        Err((up_to, Some(len))) => {
            // A byte that can never start a sequence is rejected where it stands, else at the first bad byte after
            // a well-formed prefix of `len` bytes.
            let never_leads = matches!(message[up_to], 0x80..=0xC1 | 0xF5..=0xFF);
            let at = if never_leads { up_to } else { up_to + len };
            prop_assert_eq!((valid, ends, total), (false, false, at));
        }
    }
    Ok(())
}

/// Feeds `chunks` (one message) to a fresh validator of `imp` and to the reference, comparing every status, the
/// accessors, and `finish` against std on the concatenation.
fn check_chunks(imp: Implementation, chunks: &[&[u8]]) -> Result<(), TestCaseError> {
    let mut v = Utf8Validator::with_implementation(imp).expect("available");
    check_chunks_on(&mut v, chunks)
}

/// As [`check_chunks`], with a validator that must be at the start of a message.
fn check_chunks_on(v: &mut Utf8Validator, chunks: &[&[u8]]) -> Result<(), TestCaseError> {
    let mut dfa = RefDfa::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let want = dfa.feed(chunk);
        prop_assert_eq!(quad(v.feed(chunk)), want, "{} chunk {} of {:02X?}", v.implementation(), i, chunks);
        prop_assert_eq!(v.total_index(), want.3);
        prop_assert_eq!(v.ends_on_codepoint(), want.1);
        prop_assert_eq!(v.error().is_some(), !want.0);
    }
    let message = chunks.concat();
    prop_assert_eq!(verdict(v.finish()), std_verdict(&message), "{} finish of {:02X?}", v.implementation(), chunks);
    prop_assert_eq!(
        v.error().map(|e| (e.valid_up_to(), e.error_len())),
        std_verdict(&message).err().filter(|e| e.1.is_some())
    );
    Ok(())
}

/// Splits `message` at the cut points `cuts` (any order, any repetition: empty chunks happen).
fn split<'a>(message: &'a [u8], cuts: &[Index]) -> Vec<&'a [u8]> {
    let mut at: Vec<usize> = cuts.iter().map(|c| c.index(message.len() + 1)).collect();
    at.push(0);
    at.push(message.len());
    at.sort_unstable();
    at.windows(2).map(|w| &message[w[0]..w[1]]).collect()
}

/// Short messages (up to 24 bytes): damaged text, or bytes drawn from the interesting ones.
fn short_message() -> impl Strategy<Value = Vec<u8>> {
    const BYTES: [u8; 20] = [
        0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4,
        0xF5, 0xFF,
    ];
    prop_oneof![
        3 => damaged_text(8).prop_map(|mut b| { b.truncate(24); b }),
        1 => proptest::collection::vec(proptest::sample::select(BYTES.as_slice()), 0..=24),
        1 => proptest::collection::vec(any::<u8>(), 0..=24),
    ]
}

#[test]
fn reference_dfa_agrees_with_autobahn_examples() {
    // autobahn's own unit test sequence for the euro sign, one byte per call, then a byte that cannot continue.
    let mut dfa = RefDfa::new();
    assert_eq!(dfa.feed(b"\xE2"), (true, false, 1, 1));
    assert_eq!(dfa.feed(b"\x82"), (true, false, 1, 2));
    assert_eq!(dfa.feed(b"\xAC"), (true, true, 1, 3));
    assert_eq!(dfa.feed(b"a\xFFb"), (false, false, 1, 4));
    assert_eq!(dfa.feed(b"ok"), (false, false, 0, 4));
    assert_eq!(dfa.feed(b""), (false, false, 0, 4));
    // Rejected at the second byte of an overlong, at the lead of an impossible byte.
    assert_eq!(RefDfa::new().feed(b"x\xE0\x80\x80"), (false, false, 2, 2));
    assert_eq!(RefDfa::new().feed(b"x\xC0\x80"), (false, false, 1, 1));
    assert_eq!(RefDfa::new().feed(b"\xF4\x8F\xBF\xBF"), (true, true, 4, 4));
    assert_eq!(RefDfa::new().feed(b"\xF4\x90"), (false, false, 1, 1));
}

#[test]
fn empty_chunk_after_reject_stays_rejected() {
    for imp in implementations() {
        let mut v = Utf8Validator::with_implementation(imp).expect("available");
        assert_eq!(quad(v.feed(b"ab\xC0")), (false, false, 2, 2), "{imp}");
        // autobahn's Python would return (true, false, 0, 2) here; nvx keeps the reject.
        assert_eq!(quad(v.feed(b"")), (false, false, 0, 2), "{imp}");
        assert_eq!(quad(v.feed(b"cd")), (false, false, 0, 2), "{imp}");
        let e = v.finish().expect_err("rejected");
        assert_eq!((e.valid_up_to(), e.error_len()), (2, Some(1)));
    }
}

/// Every message of up to four bytes over an alphabet of 18 boundary bytes, in every split into up to three
/// chunks, for every implementation.
#[test]
fn every_split_of_every_tiny_message() {
    const BYTES: [u8; 18] =
        [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF];
    let imps = implementations();
    let mut messages = vec![Vec::new()];
    let mut last = vec![Vec::new()];
    for _ in 0..4 {
        last = last.iter().flat_map(|m: &Vec<u8>| BYTES.iter().map(move |&b| [m.as_slice(), &[b]].concat())).collect();
        messages.extend(last.iter().cloned());
    }
    let mut count = 0;
    for m in &messages {
        check_reference_against_std(m).unwrap();
        for &imp in &imps {
            for i in 0..=m.len() {
                for j in i..=m.len() {
                    check_chunks(imp, &[&m[..i], &m[i..j], &m[j..]]).unwrap();
                    count += 1;
                }
            }
        }
    }
    assert_eq!(messages.len(), 1 + 18 + 18 * 18 + 18 * 18 * 18 + 18 * 18 * 18 * 18);
    assert!(count > 1_000_000 * imps.len() / 2);
}

proptest! {
    #![proptest_config(config(1000))]

    /// Short messages in every split into two and into three chunks, and in one-byte chunks.
    #[test]
    fn every_split_of_short_messages(message in short_message()) {
        check_reference_against_std(&message)?;
        let n = message.len();
        for imp in implementations() {
            for i in 0..=n {
                check_chunks(imp, &[&message[..i], &message[i..]])?;
                for j in i..=n {
                    check_chunks(imp, &[&message[..i], &message[i..j], &message[j..]])?;
                }
            }
            let bytes: Vec<&[u8]> = message.chunks(1).collect();
            check_chunks(imp, &bytes)?;
        }
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// Longer damaged messages (long enough for the vector kernels in one chunk) in random chunks, empty chunks
    /// included, and one byte at a time.
    #[test]
    fn random_splits_of_long_messages(
        message in damaged_text(400),
        cuts in proptest::collection::vec(any::<Index>(), 0..12),
    ) {
        check_reference_against_std(&message)?;
        let chunks = split(&message, &cuts);
        let bytes: Vec<&[u8]> = message.chunks(1).collect();
        for imp in implementations() {
            check_chunks(imp, &[&message])?;
            check_chunks(imp, &chunks)?;
            check_chunks(imp, &bytes)?;
        }
    }

    /// Switching the implementation between chunks keeps the message state.
    #[test]
    fn switching_implementation_mid_message(
        message in damaged_text(300),
        cuts in proptest::collection::vec(any::<Index>(), 0..8),
        picks in proptest::collection::vec(any::<Index>(), 9),
    ) {
        let imps = implementations();
        let chunks = split(&message, &cuts);
        let mut v = Utf8Validator::with_implementation(imps[0]).expect("available");
        let mut dfa = RefDfa::new();
        for (chunk, pick) in chunks.iter().zip(picks.iter().cycle()) {
            let imp = imps[pick.index(imps.len())];
            v.set_implementation(imp).expect("available");
            prop_assert_eq!(v.implementation(), imp);
            prop_assert_eq!(quad(v.feed(chunk)), dfa.feed(chunk), "{}", imp);
        }
        prop_assert_eq!(verdict(v.finish()), std_verdict(&message));
    }

    /// `reset` after any prefix of any message makes the validator behave as a new one.
    #[test]
    fn reset_is_new(
        junk in damaged_text(60),
        junk_cuts in proptest::collection::vec(any::<Index>(), 0..4),
        message in damaged_text(100),
        cuts in proptest::collection::vec(any::<Index>(), 0..6),
    ) {
        for imp in implementations() {
            let mut v = Utf8Validator::with_implementation(imp).expect("available");
            for chunk in split(&junk, &junk_cuts) {
                v.feed(chunk);
            }
            v.reset();
            prop_assert_eq!(v.implementation(), imp);
            prop_assert_eq!((v.total_index(), v.ends_on_codepoint(), v.error(), v.finish()), (0, true, None, Ok(())));
            check_chunks_on(&mut v, &split(&message, &cuts))?;
        }
    }

    /// `feed_masked` gives the statuses and bytes of `Masker::process` followed by `feed`, from any masker position,
    /// and leaves the masker where `process` would; the bytes are the text whatever the verdict.
    #[test]
    fn feed_masked_is_process_then_feed(
        message in damaged_text(300),
        cuts in proptest::collection::vec(any::<Index>(), 0..10),
        key in any::<[u8; 4]>(),
        position in 0..8usize,
    ) {
        let plain = split(&message, &cuts);
        for imp in implementations() {
            // The frame's masked bytes, as the peer sent them, starting `position` bytes into the masking key.
            let mut sender = Masker::with_implementation(key, Implementation::Scalar).expect("scalar");
            sender.process(&mut vec![0; position]);
            let mut masked: Vec<Vec<u8>> = plain.iter().map(|c| c.to_vec()).collect();
            for chunk in &mut masked {
                sender.process(chunk);
            }
            let mut fused = (Utf8Validator::with_implementation(imp).expect("available"), Masker::with_implementation(key, imp).expect("available"));
            let mut apart = fused.clone();
            fused.1.process(&mut vec![0; position]);
            apart.1.process(&mut vec![0; position]);
            let mut dfa = RefDfa::new();
            for (i, (chunk, text)) in masked.iter().zip(&plain).enumerate() {
                let mut a = chunk.clone();
                let mut b = chunk.clone();
                let got = fused.0.feed_masked(&mut a, &mut fused.1);
                apart.1.process(&mut b);
                let want = apart.0.feed(&b);
                prop_assert_eq!(got, want, "{} chunk {}", imp, i);
                prop_assert_eq!(quad(got), dfa.feed(text), "{} chunk {}", imp, i);
                prop_assert_eq!(&a, text, "{} chunk {}: bytes", imp, i);
                prop_assert_eq!(fused.1.pointer(), apart.1.pointer());
            }
            prop_assert_eq!(verdict(fused.0.finish()), std_verdict(&message));
        }
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// 64 KiB messages, mostly ASCII or mostly multibyte, damaged near a random chunk boundary or not at all, in
    /// random chunks of up to 8 KiB.
    #[test]
    fn large_messages_in_random_chunks(
        seed in any::<u64>(),
        ascii_percent in prop_oneof![Just(100usize), Just(95), Just(30)],
        bad in proptest::option::of((any::<Index>(), 0..8usize)),
    ) {
        let mut rng = SplitMix(seed);
        let mut message = random_text(&mut rng, 64 * 1024, ascii_percent);
        let mut cuts = Vec::new();
        let mut at = 0;
        while at < message.len() {
            cuts.push(at);
            at += rng.below(8192);
        }
        if let Some((which, delta)) = bad {
            let seq = common::BAD_SEQUENCES[which.index(common::BAD_SEQUENCES.len())];
            let near = cuts[rng.below(cuts.len())];
            let at = (near + delta).saturating_sub(4).min(message.len());
            message.splice(at..at, seq.iter().copied());
        }
        check_reference_against_std(&message)?;
        cuts.push(message.len());
        cuts.sort_unstable();
        let chunks: Vec<&[u8]> = cuts.windows(2).map(|w| &message[w[0]..w[1]]).collect();
        for imp in implementations() {
            check_chunks(imp, &chunks)?;
        }
    }
}
