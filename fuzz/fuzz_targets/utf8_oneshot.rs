//! libFuzzer entry point of `nvx_ws_fuzz::utf8_oneshot::check` (see fuzz/src/utf8_oneshot.rs and docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nvx_ws_fuzz::utf8_oneshot::check(data));
