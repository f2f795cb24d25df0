//! libFuzzer entry point of `nvx_ws_fuzz::c_abi_sequence::check` (see fuzz/src/c_abi_sequence.rs and docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nvx_ws_fuzz::c_abi_sequence::check(data));
