//! x86_64 kernels: SSE2 (baseline), SSSE3, AVX2, AVX-512 (F + BW).

pub(crate) mod avx2;
pub(crate) mod avx512;
pub(crate) mod sse;
