//! aarch64 kernels: NEON (Advanced SIMD), which every aarch64 target this crate supports enables.

pub(crate) mod neon;
