//! libFuzzer entry point of `nvx_ws_fuzz::mask::check` (see fuzz/src/mask.rs and docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nvx_ws_fuzz::mask::check(data));
