//! vdso32 called in a 32-bit process (vdso/testing/vdso32_host.c).

use super::*;

/// vdso/testing/vdso32_host.c, built once with gcc -m32.
pub fn vdso32_host() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let src = xtask::paths::root().join("vdso/testing/vdso32_host.c");
        let bin = tempdir().join("vdso32_host");
        let out = Command::new("gcc")
            .args([
                "-m32", "-O2", "-static", "-no-pie", "-Wall", "-Werror", "-o",
            ])
            .arg(&bin)
            .arg(&src)
            .output()
            .expect("gcc (install gcc-multilib: cargo xtask setup)");
        assert!(
            out.status.success(),
            "gcc -m32 {}: {}",
            src.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        bin
    })
    .clone()
}

/// Run vdso32 in a 32-bit process with `method` patched in over a vvar
/// page from `tk`; the program's lines, split into words, by first word.
pub fn run_vdso32(
    method: VsyscallMethod,
    tk: &Timekeeper,
) -> BTreeMap<(String, String), Vec<String>> {
    let img = parsed("vdso32");
    let mut copy = img.data.clone();
    patch_vsyscall(&mut copy, &img.alternatives, method).unwrap();
    apply_alternatives(&mut copy, &img.alternatives, |f| {
        f == Feature::Rdpid && host_has_rdpid()
    })
    .unwrap();
    let dir = tempdir();
    let (image, vvar, data) = (dir.join("vdso32.so"), dir.join("vvar"), dir.join("data"));
    std::fs::write(&image, &copy).unwrap();
    std::fs::write(&vvar, page_bytes(&vvar_from(tk))).unwrap();
    let mut pages = vec![b'A'; PAGE];
    pages.extend(vec![b'B'; PAGE]);
    std::fs::write(&data, pages).unwrap();
    let syms = symbol_offsets(&img.data)
        .into_iter()
        .map(|(n, o)| format!("{n}={o:x}"));
    let out = Command::new(vdso32_host())
        .args([&image, &vvar, &data])
        .args(syms)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "vdso32_host ({method}): {out:?}\n{stdout}"
    );
    stdout
        .lines()
        .map(|l| {
            let w: Vec<String> = l.split_whitespace().map(String::from).collect();
            ((w[0].clone(), w[1].clone()), w[2..].to_vec())
        })
        .collect()
}

/// The entry methods this host can run: int $0x80 always, and the fast
/// one its vendor supports from compatibility mode (Linux returns through
/// its own vDSO's identical landing pad).
pub fn host_methods() -> Vec<VsyscallMethod> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap();
    let vendor = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("vendor_id\t: "))
        .unwrap_or("");
    let mut v = vec![VsyscallMethod::Int80];
    let fast = VsyscallMethod::for_vendor(vendor.as_bytes().try_into().unwrap_or(&[0; 12]));
    if fast != VsyscallMethod::Int80 {
        v.push(fast);
    }
    v
}

/// A line's words as numbers.
pub fn nums(words: &[String]) -> Vec<i128> {
    words
        .iter()
        .map(|w| w.parse().unwrap_or_else(|_| panic!("{w:?} in {words:?}")))
        .collect()
}

#[test]
pub fn vdso32_runs_in_a_32bit_process_with_each_entry_method() {
    for method in host_methods() {
        let (tk, _) = timekeeper_now();
        let page = vvar_from(&tk);
        let out = run_vdso32(method, &tk);
        let line = |name: &str, arg: &str| {
            out.get(&(name.to_string(), arg.to_string()))
                .unwrap_or_else(|| panic!("no {name} {arg} in {out:?}"))
        };
        // __kernel_vsyscall: result, registers kept, argument 6 (via %ebp).
        let pid = nums(line("vsyscall_getpid", "0"));
        assert_eq!(
            (pid[0], pid[2]),
            (pid[1], 1),
            "{method}: getpid, registers preserved"
        );
        assert_eq!(
            line("vsyscall_mmap2", "0"),
            &["0", "B"],
            "{method}: mmap2's 6th argument"
        );
        assert_eq!(
            line("vsyscall_enosys", "0"),
            &["-38"],
            "{method}: unknown syscall"
        );

        for clock in COUNTER_CLOCKS {
            for name in ["clock_gettime", "clock_gettime64"] {
                let v = nums(line(name, &clock.to_string()));
                assert_eq!(v[0], 0, "{method}: {name}({clock})");
                let t = KernelTimespec {
                    tv_sec: v[1] as i64,
                    tv_nsec: v[2] as i64,
                };
                assert_bracketed(
                    &page,
                    clock,
                    t,
                    v[3] as u64,
                    v[4] as u64,
                    &format!("{method}: {name}({clock})"),
                );
            }
            let res = nums(line("clock_getres", &clock.to_string()));
            assert_eq!(res, [0, 0, 1], "{method}: clock_getres({clock})");
        }
        let host = nums(line("host_clock_gettime", "0"));
        let real = nums(line("clock_gettime64", "0"));
        assert_close(
            real[1] * 1_000_000_000 + real[2],
            host[1] * 1_000_000_000 + host[2],
            2_000_000,
            "vs host",
        );
        for clock in [CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE] {
            let v = nums(line("clock_gettime", &clock.to_string()));
            let want = page.clock_gettime(clock, || 0).unwrap();
            assert_eq!(
                v[..3],
                [0, want.tv_sec as i128, want.tv_nsec as i128],
                "{method}: clock {clock}"
            );
            assert_eq!(
                nums(line("clock_getres_time64", &clock.to_string())),
                [0, 0, TICK_NSEC as i128]
            );
        }
        // Clocks the vDSO does not serve go to Linux through __kernel_vsyscall.
        let cputime = nums(line("clock_gettime", "2"));
        assert!(
            cputime[0] == 0 && cputime[1] * 1_000_000_000 + cputime[2] > 0,
            "{method}: CPUTIME {cputime:?}"
        );
        assert_eq!(
            nums(line("clock_getres", "2"))[..3],
            nums(line("host_clock_getres", "2"))[..3]
        );
        assert_eq!(
            nums(line("clock_gettime", "100"))[0],
            -22,
            "{method}: EINVAL"
        );
        assert_eq!(
            nums(line("clock_gettime64", "-1"))[0],
            -22,
            "{method}: EINVAL"
        );
        assert_eq!(
            line("clock_gettime_null", "0"),
            &["-14"],
            "{method}: EFAULT"
        );

        let tv = nums(line("gettimeofday", "0"));
        let usec = |t: u64| {
            let r = page.clock_gettime(CLOCK_REALTIME, || t).unwrap();
            r.tv_sec as i128 * 1_000_000 + r.tv_nsec as i128 / 1000
        };
        let got = tv[1] * 1_000_000 + tv[2];
        assert!(
            tv[0] == 0 && usec(tv[5] as u64) <= got && got <= usec(tv[6] as u64),
            "{method}: {tv:?}"
        );
        assert_eq!(tv[3..5], [-60, 1], "{method}: timezone");
        assert_eq!(
            nums(line("time", "0")),
            [tk.xtime_sec as i128; 2],
            "{method}: time"
        );
        let cpu = nums(line("getcpu", "0"));
        assert_eq!(
            (cpu[0], cpu[1], cpu[2]),
            (0, cpu[3], cpu[4]),
            "{method}: getcpu"
        );
    }
}

#[test]
pub fn vdso32_falls_back_through_kernel_vsyscall_without_a_trusted_tsc() {
    for method in host_methods() {
        let (mut tk, _) = timekeeper_now();
        tk.clock_mode = VdsoClockMode::None;
        let out = run_vdso32(method, &tk);
        let line = |name: &str, arg: &str| nums(&out[&(name.to_string(), arg.to_string())]);
        for clock in [
            CLOCK_REALTIME,
            CLOCK_MONOTONIC,
            CLOCK_BOOTTIME,
            CLOCK_MONOTONIC_RAW,
        ] {
            let host = line("host_clock_gettime", &clock.to_string());
            for name in ["clock_gettime", "clock_gettime64"] {
                let v = line(name, &clock.to_string());
                let (got, host) = (
                    v[1] * 1_000_000_000 + v[2],
                    host[1] * 1_000_000_000 + host[2],
                );
                assert!(
                    v[0] == 0 && got <= host && host - got < 50_000_000,
                    "{method}: {name}({clock}) {v:?}"
                );
            }
        }
        let res = line("clock_getres", "0");
        assert_eq!(res, [0, 0, 1], "{method}: clock_getres is still the page's");
    }
}
