//! Which implementation this CPU gets: a silent fallback to a slower kernel (or to scalar) fails here.
//!
//! The expectation is computed independently of the crate, from the architecture and (on x86_64) the standard
//! library's feature detection. `force` changes a process-wide setting and the tests of one binary run on
//! parallel threads, so everything that reads or changes the selection is in the one test `selection_and_force`.

use nvx_ws::{Implementation, Kernels, Unsupported};

/// The implementation the dispatcher must pick on this machine.
fn expected() -> Implementation {
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bw") {
            Implementation::Avx512
        } else if is_x86_feature_detected!("avx2") {
            Implementation::Avx2
        } else if is_x86_feature_detected!("ssse3") {
            Implementation::Ssse3
        } else {
            Implementation::Sse2
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        Implementation::Neon
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        Implementation::Scalar
    }
}

/// Implementations this CPU cannot run, which `force` and `Kernels::new` must refuse.
fn foreign() -> Vec<Implementation> {
    let mut foreign = Vec::new();
    if !cfg!(target_arch = "x86_64") {
        foreign.extend([Implementation::Sse2, Implementation::Ssse3, Implementation::Avx2, Implementation::Avx512]);
    }
    if !cfg!(target_arch = "aarch64") {
        foreign.push(Implementation::Neon);
    }
    #[cfg(target_arch = "x86_64")]
    {
        if !is_x86_feature_detected!("ssse3") {
            foreign.push(Implementation::Ssse3);
        }
        if !is_x86_feature_detected!("avx2") {
            foreign.push(Implementation::Avx2);
        }
        if !(is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bw")) {
            foreign.push(Implementation::Avx512);
        }
    }
    foreign
}

#[test]
fn selection_and_force() {
    let best = expected();
    eprintln!("selected implementation: {}", nvx_ws::selected());
    assert_eq!(nvx_ws::selected(), best, "the dispatcher did not pick the best implementation for this CPU");
    assert_eq!(Kernels::selected().implementation(), best);

    // Refused: the selection stays as it was.
    let foreign = foreign();
    assert!(!foreign.is_empty());
    for &implementation in &foreign {
        assert_eq!(nvx_ws::force(implementation), Err(Unsupported(implementation)));
        assert_eq!(nvx_ws::selected(), best, "a refused force({implementation}) changed the selection");
    }

    // Accepted: scalar (forceable everywhere, for tests), then every other available one.
    nvx_ws::force(Implementation::Scalar).unwrap();
    assert_eq!(nvx_ws::selected(), Implementation::Scalar);
    assert_eq!(Kernels::selected().implementation(), Implementation::Scalar);
    let mut input = [b'a'; 100];
    input[70] = 0xE2;
    let err = nvx_ws::utf8::validate(&input).unwrap_err();
    assert_eq!((err.valid_up_to(), err.error_len()), (70, Some(1)));
    for implementation in nvx_ws::available() {
        nvx_ws::force(implementation).unwrap();
        assert_eq!(nvx_ws::selected(), implementation);
    }

    nvx_ws::force(best).unwrap();
    assert_eq!(nvx_ws::selected(), best);
}

#[test]
fn kernels_new_agrees_with_is_available() {
    for implementation in Implementation::ALL {
        match Kernels::new(implementation) {
            Ok(kernels) => {
                assert!(implementation.is_available(), "{implementation}");
                assert_eq!(kernels.implementation(), implementation);
            }
            Err(err) => {
                assert!(!implementation.is_available(), "{implementation}");
                assert_eq!(err, Unsupported(implementation));
            }
        }
    }
    for implementation in foreign() {
        assert!(!implementation.is_available(), "{implementation} is available on a CPU that lacks it");
    }
    assert!(expected().is_available());
}

#[test]
fn available_lists_scalar_and_the_best() {
    let available: Vec<_> = nvx_ws::available().collect();
    assert!(available.contains(&Implementation::Scalar), "{available:?}");
    assert!(available.contains(&expected()), "{available:?}");
    assert_eq!(available, Implementation::ALL.into_iter().filter(|i| i.is_available()).collect::<Vec<_>>());
}
