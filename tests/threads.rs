//! nvx from many threads at once: independent validators and maskers on shared input give exactly the results of
//! one thread, the first-call dispatch initialisation can be raced, and `force` can race `selected`.
//!
//! The two races need a process in which nothing has called nvx yet (the selection is cached on first use), so
//! they run in a fresh copy of this test binary: the parent test spawns `current_exe()` with `--exact child` and
//! `NVX_THREADS_CHILD=<scenario>`, the `child` test does the scenario and prints a marker line, and the parent
//! checks the exit status and the marker (a filter that matched nothing would otherwise pass silently). Each race
//! is repeated in several fresh processes. In the parent's own run `child` does nothing.
//!
//! Threads start together at a `Barrier`, so their first calls really overlap: every thread does its setup
//! (inputs, expectations computed without nvx) before the barrier, and its first nvx call right after it.

use std::process::Command;
use std::sync::Barrier;
use std::thread;

use nvx_ws::mask::{self, Masker};
use nvx_ws::utf8::{self, Status, Utf8Validator};
use nvx_ws::{Implementation, Kernels};

#[allow(dead_code, reason = "each test binary uses a different subset of the shared helpers")]
mod common;

const THREADS: usize = 8;
const KEY: [u8; 4] = [0x37, 0xFA, 0x21, 0x3D];
const SCENARIO: &str = "NVX_THREADS_CHILD";

/// Shared input: texts of every code point length, the second and later ones corrupted at a known place.
fn texts() -> Vec<Vec<u8>> {
    let unit = "ASCII then é, κόσμε, 日本語, 😀 and more text; ".as_bytes();
    let base: Vec<u8> = unit.iter().copied().cycle().take(unit.len() * 700).collect();
    let mut texts = vec![base.clone()];
    for (bad, at) in [(0xFF_u8, 9_001_usize), (0x80, 17), (0xC0, 20_000), (0xED, 3)] {
        let mut t = base.clone();
        // Walk back to a code point start, so that the position of the error is known.
        let at = (0..=at).rev().find(|&i| t[i] & 0xC0 != 0x80).expect("a start");
        t[at] = bad;
        if bad == 0xED {
            // A surrogate: ED A0 80.
            t[at + 1] = 0xA0;
            t[at + 2] = 0x80;
        }
        texts.push(t);
    }
    // One ending inside a code point.
    let mut open = base.clone();
    open.extend_from_slice(b"\xF0\x9F\x98");
    texts.push(open);
    texts
}

/// What one thread alone gets for `text`, split by `splits`, on `implementation`: every status, the finish
/// result, and the text masked from `phase`.
fn single(text: &[u8], implementation: Implementation, splits: &[usize], phase: usize) -> Outcome {
    let mut v = Utf8Validator::with_implementation(implementation).expect("available");
    let mut statuses = Vec::new();
    let mut rest = text;
    for &n in splits.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (chunk, tail) = rest.split_at(n.min(rest.len()));
        statuses.push(v.feed(chunk));
        rest = tail;
    }
    let kernels = Kernels::new(implementation).expect("available");
    let mut masked = text.to_vec();
    let after = kernels.mask(&mut masked, KEY, phase);
    let mut fragments = Masker::with_implementation(KEY, implementation).expect("available");
    let mut remasked = masked.clone();
    let mut at = 0;
    for &n in splits.iter().cycle() {
        if at == remasked.len() {
            break;
        }
        let end = (at + n).min(remasked.len());
        fragments.process(&mut remasked[at..end]);
        at = end;
    }
    Outcome {
        statuses,
        finish: common::verdict(v.finish()),
        one_shot: common::verdict(kernels.validate_utf8(text)),
        masked,
        after,
        remasked,
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    statuses: Vec<Status>,
    finish: common::Verdict,
    one_shot: common::Verdict,
    masked: Vec<u8>,
    after: usize,
    /// `masked` through a `Masker` (from phase 0) in the split's fragments.
    remasked: Vec<u8>,
}

/// Splits for thread `t` and round `r`: from one byte to many vectors.
fn splits(t: usize, r: usize) -> Vec<usize> {
    vec![1 + (t * 7 + r) % 97, 1, 64 * (1 + t) + r, 3, 1000 + 37 * t, 2]
}

#[test]
fn independent_validators_and_maskers_on_shared_input_match_one_thread() {
    let texts = texts();
    let implementations = common::implementations();
    // Expected, computed on this thread first: every (text, implementation, split pattern).
    let rounds = 3;
    let expected: Vec<Vec<Vec<Outcome>>> = (0..THREADS)
        .map(|t| {
            (0..rounds)
                .map(|r| {
                    let text = &texts[(t + r) % texts.len()];
                    implementations.iter().map(|&i| single(text, i, &splits(t, r), (t + r) % 4)).collect()
                })
                .collect()
        })
        .collect();
    // Every outcome of one text agrees across implementations and with std.
    for (t, per_thread) in expected.iter().enumerate() {
        for (r, outcomes) in per_thread.iter().enumerate() {
            assert!(outcomes.windows(2).all(|w| w[0] == w[1]), "implementations disagree");
            assert_eq!(outcomes[0].one_shot, common::std_verdict(&texts[(t + r) % texts.len()]));
        }
    }
    let barrier = Barrier::new(THREADS);
    thread::scope(|s| {
        for (t, expected) in expected.iter().enumerate() {
            let (texts, implementations, barrier) = (&texts, &implementations, &barrier);
            s.spawn(move || {
                barrier.wait();
                for _ in 0..4 {
                    for (r, expected) in expected.iter().enumerate() {
                        let text = &texts[(t + r) % texts.len()];
                        for (&implementation, want) in implementations.iter().zip(expected) {
                            let got = single(text, implementation, &splits(t, r), (t + r) % 4);
                            assert_eq!(&got, want, "thread {t}, round {r}, {implementation}");
                        }
                        // The free functions (the selected kernels) too.
                        assert_eq!(common::verdict(utf8::validate(text)), expected[0].one_shot);
                        let mut masked = text.clone();
                        assert_eq!(mask::mask(&mut masked, KEY, (t + r) % 4), expected[0].after);
                        assert_eq!(masked, expected[0].masked);
                    }
                }
            });
        }
    });
}

/// Runs `scenario` in `processes` fresh copies of this test binary; each must pass and print its marker.
fn in_fresh_processes(scenario: &str, processes: usize) {
    let exe = std::env::current_exe().expect("the test binary");
    for run in 0..processes {
        let out = Command::new(&exe)
            .args(["--exact", "child", "--nocapture", "--test-threads=1"])
            .env(SCENARIO, scenario)
            .output()
            .expect("spawn the test binary");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child {scenario} (run {run}) failed: {}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains(&format!("nvx-threads-child {scenario} ok")),
            "child {scenario} did not run:\n{stdout}"
        );
    }
}

#[test]
fn first_calls_race_the_dispatch_initialisation() {
    in_fresh_processes("first-call", 12);
}

#[test]
fn force_races_selected_and_the_free_functions() {
    in_fresh_processes("force", 3);
}

/// The body of the fresh processes: does nothing unless `NVX_THREADS_CHILD` names a scenario.
#[test]
fn child() {
    match std::env::var(SCENARIO).as_deref() {
        Ok("first-call") => child_first_call(),
        Ok("force") => child_force(),
        Ok(other) => panic!("unknown scenario {other}"),
        Err(_) => return,
    }
    println!("nvx-threads-child {} ok", std::env::var(SCENARIO).unwrap_or_default());
}

/// Every thread's first nvx call at once, through a different entry point; all must see one selection, the one
/// `common::expected_implementations` says is best, and get exact results.
fn child_first_call() {
    let texts = texts();
    // `expected_implementations` lists them in `Implementation::ALL` order: the best one this CPU has is last.
    let want_best = *common::expected_implementations().last().expect("scalar at least");
    let barrier = Barrier::new(THREADS);
    let seen: Vec<Implementation> = thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (texts, barrier) = (&texts, &barrier);
                s.spawn(move || {
                    let text = &texts[t % texts.len()];
                    let want = common::std_verdict(text);
                    let mut buf = text.clone();
                    let mut reference = text.clone();
                    for (i, b) in reference.iter_mut().enumerate() {
                        *b ^= KEY[(i + t) % 4];
                    }
                    barrier.wait();
                    match t % 6 {
                        0 => assert_eq!(common::verdict(utf8::validate(text)), want),
                        1 => {
                            assert_eq!(mask::mask(&mut buf, KEY, t), (t + buf.len()) % 4);
                            assert_eq!(buf, reference);
                        }
                        2 => assert_eq!(Utf8Validator::new().feed(text).valid, !matches!(want, Err((_, Some(_))))),
                        3 => {
                            assert_eq!(nvx_ws::fused::unmask_validate(&mut buf, KEY, t).0, (t + buf.len()) % 4);
                            assert_eq!(buf, reference);
                        }
                        4 => assert_eq!(Kernels::selected().implementation(), nvx_ws::selected()),
                        _ => assert!(nvx_ws::selected().is_available()),
                    }
                    nvx_ws::selected()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    assert!(seen.iter().all(|&i| i == seen[0]), "threads saw different selections: {seen:?}");
    assert_eq!(seen[0], want_best);
}

/// One thread forces every available implementation in turn while the others read the selection and run the
/// free functions and new validators on shared input: every result stays exact, every selection read is one of
/// the available implementations.
fn child_force() {
    let texts = texts();
    let available: Vec<Implementation> = nvx_ws::available().collect();
    let best = nvx_ws::selected();
    let expected: Vec<_> = texts.iter().map(|t| common::std_verdict(t)).collect();
    let barrier = Barrier::new(THREADS);
    thread::scope(|s| {
        let (texts, expected, available, barrier) = (&texts, &expected, &available, &barrier);
        s.spawn(move || {
            barrier.wait();
            for _ in 0..500 {
                for &i in available {
                    nvx_ws::force(i).expect("available");
                }
            }
        });
        for t in 1..THREADS {
            s.spawn(move || {
                barrier.wait();
                for r in 0..40 {
                    let k = (t + r) % texts.len();
                    assert!(available.contains(&nvx_ws::selected()));
                    assert_eq!(common::verdict(utf8::validate(&texts[k])), expected[k]);
                    let mut v = Utf8Validator::new();
                    assert!(available.contains(&v.implementation()));
                    let (a, b) = texts[k].split_at(texts[k].len() / 3);
                    v.feed(a);
                    v.feed(b);
                    assert_eq!(common::verdict(v.finish()), expected[k]);
                    let mut buf = texts[k].clone();
                    mask::mask(&mut buf, KEY, r);
                    mask::mask(&mut buf, KEY, r);
                    assert_eq!(buf, texts[k]);
                }
            });
        }
    });
    nvx_ws::force(best).expect("available");
    assert_eq!(nvx_ws::selected(), best);
}
