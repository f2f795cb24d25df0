//! Differential property tests: every kernel of `nvx_ws::available()` against `core::str::from_utf8` and the
//! scalar references, on random text with injected corruptions, at every block position and alignment.
//!
//! - UTF-8: `Kernels::validate_utf8` (and the scalar reference) must give std's exact `valid_up_to` and
//!   `error_len`, for short and 100 KiB inputs, with the interesting bytes pushed across 16/32/64-byte boundaries
//!   by ASCII prefixes and the slice itself misaligned by 0..64 bytes.
//! - Masking: `Kernels::mask`, `Kernels::mask_to` and `Masker` must give `nvx_ws::mask::scalar::mask`'s bytes and
//!   phase for every phase and every source and destination alignment, without writing outside the slice.
//! - Fused: `Kernels::unmask_validate(_to)` must give the bytes of masking and the verdict of validation.
//!
//! The proptest seed is fixed, so a run is reproducible; the case counts are chosen to keep this file fast on a
//! two-core CI machine.

#[allow(dead_code, reason = "each test binary uses a different subset of the shared helpers")]
mod common;

use common::{
    SplitMix, Verdict, assert_guards_intact, config, damaged_text, implementations, kernels, place, random_text,
    std_verdict, verdict,
};
use nvx_ws::mask::{Masker, scalar};
use nvx_ws::{Implementation, Kernels};
use proptest::prelude::*;
use proptest::sample::Index;

/// 100 KiB: large inputs, many blocks and many main-loop iterations.
const LARGE: usize = 100 * 1024;

/// The reference: `input` masked by the scalar masker from `phase`.
fn reference_mask(input: &[u8], key: [u8; 4], phase: usize) -> Vec<u8> {
    let mut out = input.to_vec();
    scalar::mask(&mut out, key, phase);
    out
}

/// Checks one-shot validation of `input` placed at alignment `offset` with every kernel, the scalar reference and
/// the free function.
fn check_validate(all: &[Kernels], input: &[u8], offset: usize) -> Result<(), TestCaseError> {
    let expected = std_verdict(input);
    let (storage, range) = place(input, offset);
    let placed = &storage[range];
    prop_assert_eq!(verdict(nvx_ws::utf8::scalar::validate(placed)), expected, "scalar reference");
    prop_assert_eq!(verdict(nvx_ws::utf8::validate(placed)), expected, "utf8::validate");
    for k in all {
        prop_assert_eq!(verdict(k.validate_utf8(placed)), expected, "{:?} at offset {}", k, offset);
    }
    Ok(())
}

#[test]
fn every_expected_implementation_is_available() {
    let list = implementations();
    assert!(list.contains(&Implementation::Scalar));
    #[cfg(target_arch = "x86_64")]
    {
        assert!(list.contains(&Implementation::Sse2));
        assert_eq!(list.contains(&Implementation::Ssse3), is_x86_feature_detected!("ssse3"));
        assert_eq!(list.contains(&Implementation::Avx2), is_x86_feature_detected!("avx2"));
        assert_eq!(
            list.contains(&Implementation::Avx512),
            is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bw")
        );
    }
    #[cfg(target_arch = "aarch64")]
    assert!(list.contains(&Implementation::Neon));
    for &i in &list {
        assert_eq!(Kernels::new(i).map(Kernels::implementation), Ok(i));
    }
}

/// Where a corruption of a large input goes.
#[derive(Clone, Copy, Debug)]
enum Spot {
    /// Anywhere.
    Random,
    /// Within the last eight bytes.
    NearEnd,
    /// Within four bytes of a multiple of 64.
    NearBlockBoundary,
}

/// A large input: random text of about `LARGE` bytes (`ascii_percent` ASCII), damaged at `spot` by inserting or
/// writing over bytes with a bad sequence, unless `bad` is `None`.
fn large_input(seed: u64, ascii_percent: usize, spot: Spot, bad: Option<(Index, bool)>) -> Vec<u8> {
    let mut rng = SplitMix(seed);
    let mut bytes = random_text(&mut rng, LARGE, ascii_percent);
    if let Some((which, insert)) = bad {
        let n = bytes.len();
        let at = match spot {
            Spot::Random => rng.below(n + 1),
            Spot::NearEnd => n - rng.below(9),
            Spot::NearBlockBoundary => (64 * (1 + rng.below(n / 64 - 1)) + rng.below(9)).saturating_sub(4),
        };
        let seq = common::BAD_SEQUENCES[which.index(common::BAD_SEQUENCES.len())];
        if insert {
            bytes.splice(at..at, seq.iter().copied());
        } else {
            let end = (at + seq.len()).min(n);
            bytes[at..end].copy_from_slice(&seq[..end - at]);
        }
    }
    bytes
}

fn spot() -> impl Strategy<Value = Spot> {
    prop_oneof![Just(Spot::Random), Just(Spot::NearEnd), Just(Spot::NearBlockBoundary)]
}

proptest! {
    #![proptest_config(config(1000))]

    /// Short damaged texts at a random alignment.
    #[test]
    fn validate_matches_std(input in damaged_text(120), offset in 0..64usize) {
        check_validate(&kernels(), &input, offset)?;
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// The interesting bytes behind every ASCII prefix of 0..=70 bytes, at the end of the input and followed by
    /// ASCII up to 160 bytes: every position relative to the 16-, 32- and 64-byte vectors and blocks.
    #[test]
    fn validate_matches_std_behind_every_prefix(core in damaged_text(12), offset in 0..64usize) {
        let all = kernels();
        for k in 0..=70 {
            let mut input = vec![b'a'; k];
            input.extend_from_slice(&core);
            check_validate(&all, &input, offset)?;
            input.resize(input.len().max(160), b'z');
            check_validate(&all, &input, offset)?;
        }
    }

    /// The same input at every alignment 0..64.
    #[test]
    fn validate_matches_std_at_every_alignment(input in damaged_text(80)) {
        let all = kernels();
        for offset in 0..64 {
            check_validate(&all, &input, offset)?;
        }
    }

    /// Masking in place and out of place, every phase, every source alignment (with a random destination
    /// alignment that varies with it), against the scalar reference; also from phases beyond 3.
    #[test]
    fn mask_matches_reference(
        data in proptest::collection::vec(any::<u8>(), 0..300),
        key in any::<[u8; 4]>(),
        shift in 0..64usize,
        far_phase in any::<usize>(),
    ) {
        let all = kernels();
        let n = data.len();
        for phase in [0, 1, 2, 3, far_phase] {
            let expected = reference_mask(&data, key, phase);
            let expected_phase = (phase % 4 + n % 4) % 4;
            prop_assert_eq!(scalar::mask(&mut data.clone(), key, phase), expected_phase);
            for k in &all {
                for offset in 0..64 {
                    let (mut buf, range) = place(&data, offset);
                    prop_assert_eq!(k.mask(&mut buf[range.clone()], key, phase), expected_phase);
                    prop_assert_eq!(&buf[range.clone()], &expected[..], "{:?} in place, offset {}", k, offset);
                    assert_guards_intact(&buf, range);

                    let (src, src_range) = place(&data, offset);
                    let (mut dst, dst_range) = place(&vec![0; n], offset + shift);
                    let got = k.mask_to(&src[src_range.clone()], &mut dst[dst_range.clone()], key, phase);
                    prop_assert_eq!(got, expected_phase);
                    prop_assert_eq!(&dst[dst_range.clone()], &expected[..], "{:?} to, offsets {} {}", k, offset, shift);
                    prop_assert_eq!(&src[src_range], &data[..], "mask_to changed its source");
                    assert_guards_intact(&dst, dst_range);
                }
            }
        }
    }

    /// A `Masker` fed random fragments (in place and out of place, alternately) masks like the scalar reference in
    /// one piece, and counts the bytes.
    #[test]
    fn masker_fragments_match_reference(
        data in proptest::collection::vec(any::<u8>(), 0..1500),
        key in any::<[u8; 4]>(),
        cuts in proptest::collection::vec(any::<Index>(), 0..8),
    ) {
        let expected = reference_mask(&data, key, 0);
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(data.len() + 1)).collect();
        cuts.push(0);
        cuts.push(data.len());
        cuts.sort_unstable();
        for imp in implementations() {
            let mut masker = Masker::with_implementation(key, imp).expect("available");
            prop_assert_eq!(masker.implementation(), imp);
            prop_assert_eq!(masker.key(), key);
            let mut out = data.clone();
            for (j, w) in cuts.windows(2).enumerate() {
                if j % 2 == 0 {
                    masker.process(&mut out[w[0]..w[1]]);
                } else {
                    let src = data[w[0]..w[1]].to_vec();
                    masker.process_to(&src, &mut out[w[0]..w[1]]);
                }
                prop_assert_eq!(masker.pointer(), w[1]);
                prop_assert_eq!(masker.phase(), w[1] % 4);
            }
            prop_assert_eq!(&out, &expected, "{}", imp);
            masker.reset();
            prop_assert_eq!((masker.pointer(), masker.phase()), (0, 0));
            masker.process(&mut out);
            prop_assert_eq!(&out, &data, "masking twice restores the data");
        }
    }

    /// Fused unmasking and validation, in place and out of place, every phase and alignment: the bytes of the
    /// scalar masker and the verdict of `validate_utf8` (and std) on the unmasked text, valid or not.
    #[test]
    fn unmask_validate_matches_mask_then_validate(
        text in damaged_text(100),
        key in any::<[u8; 4]>(),
        shift in 0..64usize,
    ) {
        let all = kernels();
        let n = text.len();
        let expected = std_verdict(&text);
        for phase in 0..4 {
            let masked = reference_mask(&text, key, phase);
            let expected_phase = (phase + n) % 4;
            for k in &all {
                prop_assert_eq!(verdict(k.validate_utf8(&text)), expected);
                for offset in 0..64 {
                    let (mut buf, range) = place(&masked, offset);
                    let (ph, result) = k.unmask_validate(&mut buf[range.clone()], key, phase);
                    prop_assert_eq!((ph, verdict(result)), (expected_phase, expected), "{:?} at {}", k, offset);
                    prop_assert_eq!(&buf[range.clone()], &text[..]);
                    assert_guards_intact(&buf, range);

                    let (src, src_range) = place(&masked, offset);
                    let (mut dst, dst_range) = place(&vec![0; n], offset + shift);
                    let (ph, result) = k.unmask_validate_to(&src[src_range], &mut dst[dst_range.clone()], key, phase);
                    prop_assert_eq!((ph, verdict(result)), (expected_phase, expected), "{:?} to at {}", k, offset);
                    prop_assert_eq!(&dst[dst_range.clone()], &text[..]);
                    assert_guards_intact(&dst, dst_range);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// 100 KiB inputs, valid or damaged at a random place, near the end, or near a 64-byte block boundary; one-shot
    /// validation and fused unmasking, at a random alignment.
    #[test]
    fn large_inputs_match_std(
        seed in any::<u64>(),
        ascii_percent in prop_oneof![Just(100usize), Just(99), Just(90), Just(50), Just(0)],
        spot in spot(),
        bad in proptest::option::weighted(0.8, (any::<Index>(), any::<bool>())),
        offset in 0..64usize,
        key in any::<[u8; 4]>(),
        phase in 0..4usize,
    ) {
        let input = large_input(seed, ascii_percent, spot, bad);
        let all = kernels();
        check_validate(&all, &input, offset)?;
        let expected: Verdict = std_verdict(&input);
        let masked = reference_mask(&input, key, phase);
        let expected_phase = (phase + input.len()) % 4;
        for k in &all {
            let (mut buf, range) = place(&masked, offset);
            let (ph, result) = k.unmask_validate(&mut buf[range.clone()], key, phase);
            prop_assert_eq!((ph, verdict(result)), (expected_phase, expected), "{:?}", k);
            prop_assert!(buf[range] == input[..], "{:?}: unmasked bytes differ", k);

            let mut dst = vec![0; input.len()];
            let (ph, result) = k.unmask_validate_to(&masked, &mut dst, key, phase);
            prop_assert_eq!((ph, verdict(result)), (expected_phase, expected), "{:?} to", k);
            prop_assert!(dst == input, "{:?}: unmasked bytes differ (to)", k);
        }
    }

    /// 100 KiB masked in place, out of place and in fragments, from a random phase and alignment.
    #[test]
    fn large_masking_matches_reference(
        seed in any::<u64>(),
        key in any::<[u8; 4]>(),
        phase in 0..4usize,
        offset in 0..64usize,
        shift in 0..64usize,
        cuts in proptest::collection::vec(any::<Index>(), 0..6),
    ) {
        let mut rng = SplitMix(seed);
        let data: Vec<u8> = (0..LARGE).map(|_| rng.next_u64().to_le_bytes()[0]).collect();
        let expected = reference_mask(&data, key, phase);
        let expected_phase = (phase + LARGE) % 4;
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(LARGE + 1)).collect();
        cuts.extend([0, LARGE]);
        cuts.sort_unstable();
        for imp in implementations() {
            let k = Kernels::new(imp).expect("available");
            let (mut buf, range) = place(&data, offset);
            prop_assert_eq!(k.mask(&mut buf[range.clone()], key, phase), expected_phase);
            prop_assert!(buf[range.clone()] == expected[..], "{}: in place", imp);
            assert_guards_intact(&buf, range.clone());

            let (mut dst, dst_range) = place(&vec![0; LARGE], offset + shift);
            prop_assert_eq!(k.mask_to(&data, &mut dst[dst_range.clone()], key, phase), expected_phase);
            prop_assert!(dst[dst_range.clone()] == expected[..], "{}: out of place", imp);
            assert_guards_intact(&dst, dst_range);

            let mut masker = Masker::with_implementation(key, imp).expect("available");
            let mut skip = vec![0; phase];
            masker.process(&mut skip);
            let (mut buf, range) = place(&data, offset);
            for w in cuts.windows(2) {
                masker.process(&mut buf[range.start + w[0]..range.start + w[1]]);
            }
            prop_assert_eq!(masker.pointer(), phase + LARGE);
            prop_assert!(buf[range] == expected[..], "{}: fragments", imp);
        }
    }
}

/// Every pair of source and destination alignments 0..64, every phase, a spread of lengths around the vector and
/// block sizes: `mask_to` and in-place `mask` against the reference.
#[test]
fn mask_every_alignment_pair() {
    // Around every branch of every kernel: words, one vector, two and four vectors (no loop), the loop with its
    // first vector and last four (16, 32 and 64 lanes).
    const LENGTHS: [usize; 24] =
        [0, 1, 3, 7, 8, 15, 17, 31, 33, 63, 64, 65, 127, 128, 129, 191, 255, 256, 257, 300, 511, 512, 513, 1025];
    const MAX: usize = LENGTHS[LENGTHS.len() - 1];
    let all = kernels();
    let mut rng = SplitMix(7);
    let mut src_storage = vec![0u8; MAX + 128];
    let mut dst_storage = vec![0u8; MAX + 128];
    let src_base = (64 - src_storage.as_ptr() as usize % 64) % 64;
    let dst_base = (64 - dst_storage.as_ptr() as usize % 64) % 64;
    for n in LENGTHS {
        let data: Vec<u8> = (0..n).map(|_| rng.next_u64().to_le_bytes()[0]).collect();
        let key = rng.next_u64().to_le_bytes()[..4].try_into().expect("4 bytes");
        for phase in 0..4 {
            let expected = reference_mask(&data, key, phase);
            for k in &all {
                for src_offset in 0..64 {
                    let src = src_base + src_offset;
                    src_storage[src..src + n].copy_from_slice(&data);
                    for dst_offset in 0..64 {
                        let dst = dst_base + dst_offset;
                        let got = k.mask_to(&src_storage[src..src + n], &mut dst_storage[dst..dst + n], key, phase);
                        assert_eq!(got, (phase + n) % 4);
                        assert_eq!(
                            &dst_storage[dst..dst + n],
                            &expected[..],
                            "{k:?} n {n} src {src_offset} dst {dst_offset}"
                        );
                    }
                    k.mask(&mut src_storage[src..src + n], key, phase);
                    assert_eq!(&src_storage[src..src + n], &expected[..], "{k:?} n {n} in place at {src_offset}");
                }
            }
        }
    }
}

/// The kernels prefetch 4 KiB ahead of their loops while that stays inside the input; the cheap loops (ASCII runs,
/// masking) do it only in inputs of 1 MiB or more, and leave the last few kilobytes to a second loop without: an
/// ASCII run of just over 1 MiB with one bad byte (or one character) at every position around where the first loop
/// hands over to the second and at the end, and at a sample of positions in between, validated one-shot (and at the
/// sample fused, and masked), at two alignments, against std.
#[test]
fn loops_hand_over_exactly_where_the_prefetching_stops() {
    // Above the 1 MiB from which the cheap loops prefetch (`PREFETCH_FROM` in src/arch/mod.rs).
    const N: usize = (1 << 20) + 9 * 1024 + 3;
    let all = kernels();
    let key = [0x37, 0xfa, 0x21, 0x3d];
    let base = vec![b'a'; N];
    let masked_base = reference_mask(&base, key, 1);
    // The first loop's last step ends within 4 KiB + 256 bytes of the end, wherever the input starts.
    let handover = (N - 4096 - 700)..(N - 4096 + 300);
    let every: Vec<usize> = handover.chain((N - 300)..N).collect();
    let sample: Vec<usize> = ((N - 6 * 1024)..N).step_by(61).collect();
    for (at, fused) in every.into_iter().map(|p| (p, false)).chain(sample.into_iter().map(|p| (p, true))) {
        for (bad, label) in [(&[0xFFu8][..], "invalid byte"), ("é".as_bytes(), "two-byte character")] {
            let mut input = base.clone();
            let end = (at + bad.len()).min(N);
            input[at..end].copy_from_slice(&bad[..end - at]);
            let expected = std_verdict(&input);
            // The masked frame: the masked run with the damage masked at its place (masking 1 MiB per position
            // would dominate the test).
            let masked = fused.then(|| {
                let mut masked = masked_base.clone();
                for (i, &b) in input[at..end].iter().enumerate() {
                    masked[at + i] = b ^ key[(1 + at + i) % 4];
                }
                masked
            });
            for offset in [0, 1] {
                let (storage, range) = place(&input, offset);
                let placed = &storage[range];
                for k in &all {
                    assert_eq!(verdict(k.validate_utf8(placed)), expected, "{k:?} {label} at {at}, offset {offset}");
                }
                let Some(masked) = &masked else { continue };
                let (mut buf, range) = place(masked, offset);
                for k in &all {
                    let region = &mut buf[range.clone()];
                    region.copy_from_slice(masked);
                    let (_, result) = k.unmask_validate(region, key, 1);
                    assert_eq!(verdict(result), expected, "{k:?} fused: {label} at {at}, offset {offset}");
                    assert!(*region == input[..], "{k:?} fused: unmasked bytes, {label} at {at}");
                    region.copy_from_slice(masked);
                    k.mask(region, key, 1);
                    assert!(*region == input[..], "{k:?} mask: {label} at {at}, offset {offset}");
                }
            }
        }
    }
}
