//! Running an image on the host: the TSC, the host's clocks, a vvar page
//! from vdso-data's writer, and vdso64 mapped the way the kernel maps it.

use super::*;

/// A fresh temporary directory for this test process.
pub fn tempdir() -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("forkline-vdso-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The TSC, ordered like the vDSO reads it.
pub fn rdtsc() -> u64 {
    // SAFETY: lfence and rdtsc have no memory effects; x86_64 has both.
    unsafe {
        std::arch::x86_64::_mm_lfence();
        std::arch::x86_64::_rdtsc()
    }
}

/// The host's clock `clock`.
pub fn host_clock(clock: i32) -> KernelTimespec {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid timespec.
    assert_eq!(unsafe { libc::clock_gettime(clock, &mut ts) }, 0);
    KernelTimespec {
        tv_sec: ts.tv_sec,
        tv_nsec: ts.tv_nsec,
    }
}

/// `t` in nanoseconds.
pub fn ns(t: KernelTimespec) -> i128 {
    t.tv_sec as i128 * 1_000_000_000 + t.tv_nsec as i128
}

/// The host TSC frequency in kHz, measured against CLOCK_MONOTONIC_RAW.
pub fn tsc_khz() -> u32 {
    static KHZ: OnceLock<u32> = OnceLock::new();
    *KHZ.get_or_init(|| {
        let (c0, t0) = (rdtsc(), host_clock(CLOCK_MONOTONIC_RAW));
        std::thread::sleep(std::time::Duration::from_millis(100));
        let (c1, t1) = (rdtsc(), host_clock(CLOCK_MONOTONIC_RAW));
        ((c1 - c0) as i128 * 1_000_000 / (ns(t1) - ns(t0))) as u32
    })
}

/// A timekeeper started now from the host's TSC and wall clock, and the
/// host's CLOCK_MONOTONIC at that moment.
pub fn timekeeper_now() -> (Timekeeper, KernelTimespec) {
    let mut tk = Timekeeper::new(tsc_khz(), rdtsc(), host_clock(CLOCK_REALTIME), TICK_NSEC);
    tk.tai_offset = 37;
    (tk, host_clock(CLOCK_MONOTONIC))
}

/// A vvar page published from `tk`, with timezone (-60, 1).
pub fn vvar_from(tk: &Timekeeper) -> Box<VvarPage> {
    let page = Box::new(VvarPage::new());
    // SAFETY: this thread is the page's only writer.
    unsafe {
        page.update_vsyscall(tk);
        page.update_vsyscall_tz(-60, 1);
    }
    page
}

/// The page's bytes, as the kernel would map them.
pub fn page_bytes(page: &VvarPage) -> &[u8] {
    // SAFETY: VvarPage is plain repr(C) data, one page long.
    unsafe { std::slice::from_raw_parts(page as *const VvarPage as *const u8, PAGE) }
}

/// Does the host CPU have RDPID (and so, under Linux, TSC_AUX = cpu|node<<12)?
pub fn host_has_rdpid() -> bool {
    std::fs::read_to_string("/proc/cpuinfo")
        .unwrap()
        .split_whitespace()
        .any(|w| w == "rdpid")
}

/// vdso64 mapped into this process as the kernel maps it: the vvar page,
/// read-only, right below the image, read+exec.
pub struct Mapped {
    pub base: *mut u8,
    pub len: usize,
    pub syms: BTreeMap<String, usize>,
}

impl Mapped {
    /// Map `image` (patched by the caller) over a copy of `vvar`.
    pub fn new(image: &[u8], vvar: &VvarPage, syms: BTreeMap<String, usize>) -> Self {
        let len = PAGE + image.len();
        // SAFETY: a fresh anonymous mapping, then copies into it.
        unsafe {
            let base = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            ) as *mut u8;
            assert_ne!(base as *mut libc::c_void, libc::MAP_FAILED);
            std::ptr::copy_nonoverlapping(page_bytes(vvar).as_ptr(), base, PAGE);
            std::ptr::copy_nonoverlapping(image.as_ptr(), base.add(PAGE), image.len());
            assert_eq!(libc::mprotect(base as *mut _, PAGE, libc::PROT_READ), 0);
            assert_eq!(
                libc::mprotect(
                    base.add(PAGE) as *mut _,
                    image.len(),
                    libc::PROT_READ | libc::PROT_EXEC
                ),
                0
            );
            Mapped { base, len, syms }
        }
    }

    /// The function `name` of the mapped image, as a `F` (a fn pointer type).
    pub fn func<F: Copy>(&self, name: &str) -> F {
        let off = *self
            .syms
            .get(name)
            .unwrap_or_else(|| panic!("no symbol {name}"));
        assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<usize>());
        // SAFETY: F is a fn pointer type matching the symbol's C signature.
        unsafe { std::mem::transmute_copy(&(self.base as usize + PAGE + off)) }
    }
}

impl Drop for Mapped {
    /// Unmap it.
    fn drop(&mut self) {
        // SAFETY: base/len is our own mapping, and no function of it runs.
        unsafe { libc::munmap(self.base as *mut _, self.len) };
    }
}

/// Name -> offset of every dynamic symbol of a built image.
pub fn symbol_offsets(image: &[u8]) -> BTreeMap<String, usize> {
    let file = object::File::parse(image).unwrap();
    dynsyms(&file)
        .into_iter()
        .filter(|s| !s.absolute)
        .map(|s| (s.name, s.value as usize))
        .collect()
}

/// vdso64 over a vvar page from `tk`, with the RDPID alternative applied
/// if `rdpid`.
pub fn map_vdso64(tk: &Timekeeper, rdpid: bool) -> (Mapped, Box<VvarPage>) {
    let img = parsed("vdso64");
    let mut copy = img.data.clone();
    apply_alternatives(&mut copy, &img.alternatives, |f| {
        rdpid && f == Feature::Rdpid
    })
    .unwrap();
    let page = vvar_from(tk);
    (Mapped::new(&copy, &page, symbol_offsets(&img.data)), page)
}

pub type ClockFn = unsafe extern "C" fn(i32, *mut KernelTimespec) -> i32;
pub type TimevalFn = unsafe extern "C" fn(*mut [i64; 2], *mut [i32; 2]) -> i32;
pub type TimeFn = unsafe extern "C" fn(*mut i64) -> i64;
pub type GetcpuFn = unsafe extern "C" fn(*mut u32, *mut u32, *mut u8) -> isize;

/// Call a clock_gettime-shaped vDSO function; (ret, time, tsc before, after).
pub fn call_clock(f: ClockFn, clock: i32) -> (i32, KernelTimespec, u64, u64) {
    let mut ts = KernelTimespec {
        tv_sec: -1,
        tv_nsec: -1,
    };
    let t0 = rdtsc();
    // SAFETY: f is the vDSO's clock function; ts is valid.
    let r = unsafe { f(clock, &mut ts) };
    (r, ts, t0, rdtsc())
}

/// `got` lies between what the reference reader says at TSC `t0` and `t1`.
pub fn assert_bracketed(
    page: &VvarPage,
    clock: i32,
    got: KernelTimespec,
    t0: u64,
    t1: u64,
    what: &str,
) {
    let lo = page.clock_gettime(clock, || t0).unwrap();
    let hi = page.clock_gettime(clock, || t1).unwrap();
    assert!((0..1_000_000_000).contains(&got.tv_nsec), "{what}: {got:?}");
    assert!(
        ns(lo) <= ns(got) && ns(got) <= ns(hi),
        "{what}: {got:?} not in [{lo:?}, {hi:?}]"
    );
}

/// |a - b| <= tolerance ns.
pub fn assert_close(a: i128, b: i128, tolerance: i128, what: &str) {
    assert!(
        (a - b).abs() <= tolerance,
        "{what}: {a} vs {b} ({} ns apart)",
        a - b
    );
}
