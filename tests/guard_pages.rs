//! No kernel reads or writes outside its buffers: inputs placed right after and right before an inaccessible page.
//!
//! Three pages are mapped and the first and last made `PROT_NONE`; a buffer of every length up to a few hundred
//! bytes is placed at the very start of the middle page (any read before it faults) and at its very end (any read
//! past it faults), and every operation of every available implementation runs on it. A stray access would kill
//! the test process with SIGSEGV.
#![cfg(unix)]

use nvx_ws::mask::Masker;
use nvx_ws::utf8::Utf8Validator;
use nvx_ws::{Implementation, Kernels};

/// Three pages, the outer two inaccessible.
struct Guarded {
    base: *mut u8,
    page: usize,
}

impl Guarded {
    fn new() -> Self {
        // SAFETY: plain FFI calls with valid arguments; the results are checked.
        unsafe {
            let page = usize::try_from(libc::sysconf(libc::_SC_PAGESIZE)).expect("page size");
            let base = libc::mmap(
                core::ptr::null_mut(),
                3 * page,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            assert_ne!(base, libc::MAP_FAILED, "mmap");
            let base = base.cast::<u8>();
            assert_eq!(libc::mprotect(base.cast(), page, libc::PROT_NONE), 0, "mprotect");
            assert_eq!(libc::mprotect(base.add(2 * page).cast(), page, libc::PROT_NONE), 0, "mprotect");
            Self { base, page }
        }
    }

    /// The accessible page.
    fn page(&mut self) -> &mut [u8] {
        // SAFETY: the middle page is mapped read-write and owned by `self`.
        unsafe { core::slice::from_raw_parts_mut(self.base.add(self.page), self.page) }
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        // SAFETY: unmapping exactly what `new` mapped.
        unsafe { libc::munmap(self.base.cast(), 3 * self.page) };
    }
}

/// Text whose bytes exercise every kernel path: ASCII, then multi-byte code points, ending on an incomplete one.
fn content(len: usize) -> Vec<u8> {
    let pattern = "aé€😀 κόσμε ASCII run of some length 😀€éa".as_bytes();
    let mut v: Vec<u8> = pattern.iter().copied().cycle().take(len).collect();
    if len >= 2 {
        v[len - 1] = 0xE2; // an open three-byte sequence at the very end
    }
    v
}

fn exercise(buf: &mut [u8], data: &[u8], imp: Implementation) {
    let k = Kernels::new(imp).expect("available");
    let key = [0x37, 0xfa, 0x21, 0x3d];
    let expect = core::str::from_utf8(data).map(|_| ()).map_err(|e| (e.valid_up_to(), e.error_len()));
    let pos = |r: Result<(), nvx_ws::utf8::Utf8Error>| r.map_err(|e| (e.valid_up_to(), e.error_len()));

    buf.copy_from_slice(data);
    assert_eq!(pos(k.validate_utf8(buf)), expect, "{imp} validate len {}", data.len());
    let mut v = Utf8Validator::with_implementation(imp).expect("available");
    v.feed(buf);
    assert_eq!(pos(v.finish()), expect, "{imp} feed len {}", data.len());

    for phase in 0..4 {
        buf.copy_from_slice(data);
        k.mask(buf, key, phase);
        let masked = buf.to_vec();
        let mut reference = data.to_vec();
        nvx_ws::mask::scalar::mask(&mut reference, key, phase);
        assert_eq!(masked, reference, "{imp} mask len {} phase {phase}", data.len());
        let (_, r) = k.unmask_validate(buf, key, phase);
        assert_eq!(buf, data, "{imp} unmask len {}", data.len());
        assert_eq!(pos(r), expect, "{imp} fused len {}", data.len());
        k.mask_to(data, buf, key, phase);
        assert_eq!(&*buf, &masked[..], "{imp} mask_to len {}", data.len());
        let (_, r) = k.unmask_validate_to(&masked, buf, key, phase);
        assert_eq!((&*buf, pos(r)), (data, expect), "{imp} fused_to len {}", data.len());
        buf.copy_from_slice(&masked);
        let mut v = Utf8Validator::with_implementation(imp).expect("available");
        let mut m = Masker::with_implementation(key, imp).expect("available");
        let mut skip = vec![0u8; phase];
        m.process(&mut skip);
        v.feed_masked(buf, &mut m);
        assert_eq!((&*buf, pos(v.finish())), (data, expect), "{imp} feed_masked len {}", data.len());
    }
}

#[test]
fn buffers_touching_inaccessible_pages() {
    let mut g = Guarded::new();
    let page = g.page().len();
    for imp in nvx_ws::available() {
        for len in 0..=320 {
            let data = content(len);
            // At the start of the page: nothing before it may be read.
            exercise(&mut g.page()[..len], &data, imp);
            // At the end of the page: nothing after it may be read.
            exercise(&mut g.page()[page - len..], &data, imp);
        }
    }
}
