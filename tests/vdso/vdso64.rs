//! vdso64 called in this process.

use super::*;

#[test]
fn vdso64_time_functions_read_the_vvar_page() {
    let (tk, mono0) = timekeeper_now();
    let (m, page) = map_vdso64(&tk, false);
    for name in ["__vdso_clock_gettime", "clock_gettime"] {
        let f: ClockFn = m.func(name);
        for clock in COUNTER_CLOCKS {
            let (r, t, t0, t1) = call_clock(f, clock);
            assert_eq!(r, 0, "{name}({clock})");
            assert_bracketed(&page, clock, t, t0, t1, &format!("{name}({clock})"));
        }
        for clock in [CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE] {
            let (r, t, ..) = call_clock(f, clock);
            assert_eq!(
                (r, Some(t)),
                (0, page.clock_gettime(clock, || 0)),
                "{name}({clock})"
            );
        }
    }
    // Against the host's own clocks: the TSC calibration is good to a few
    // ppm and the test runs for milliseconds, so 2 ms is generous.
    let f: ClockFn = m.func("clock_gettime");
    let (_, real, ..) = call_clock(f, CLOCK_REALTIME);
    assert_close(
        ns(real),
        ns(host_clock(CLOCK_REALTIME)),
        2_000_000,
        "CLOCK_REALTIME vs host",
    );
    let (_, mono, ..) = call_clock(f, CLOCK_MONOTONIC);
    assert_close(
        ns(mono),
        ns(host_clock(CLOCK_MONOTONIC)) - ns(mono0),
        2_000_000,
        "CLOCK_MONOTONIC vs host",
    );
    let (_, tai, ..) = call_clock(f, CLOCK_TAI);
    assert_close(
        ns(tai) - ns(real),
        37_000_000_000,
        2_000_000,
        "CLOCK_TAI - CLOCK_REALTIME",
    );

    let gtod: TimevalFn = m.func("gettimeofday");
    let (mut tv, mut tz) = ([0i64; 2], [0i32; 2]);
    let t0 = rdtsc();
    // SAFETY: valid pointers for the vDSO's gettimeofday.
    assert_eq!(unsafe { gtod(&mut tv, &mut tz) }, 0);
    let t1 = rdtsc();
    let usec = |t: u64| {
        let r = page.clock_gettime(CLOCK_REALTIME, || t).unwrap();
        r.tv_sec as i128 * 1_000_000 + r.tv_nsec as i128 / 1000
    };
    let got = tv[0] as i128 * 1_000_000 + tv[1] as i128;
    assert!(
        usec(t0) <= got && got <= usec(t1) && tv[1] < 1_000_000,
        "gettimeofday {tv:?}"
    );
    assert_eq!(tz, [-60, 1], "gettimeofday's timezone");
    // SAFETY: NULL is allowed for both.
    assert_eq!(
        unsafe { gtod(std::ptr::null_mut(), std::ptr::null_mut()) },
        0
    );

    let time: TimeFn = m.func("time");
    let mut stored = 0;
    // SAFETY: valid pointer, and NULL is allowed.
    let (t, t_null) = unsafe { (time(&mut stored), time(std::ptr::null_mut())) };
    assert_eq!(
        (t, stored, t_null),
        (
            tk.xtime_sec as i64,
            tk.xtime_sec as i64,
            tk.xtime_sec as i64
        )
    );

    let getres: ClockFn = m.func("__vdso_clock_getres");
    for (clock, want) in [
        (CLOCK_MONOTONIC, 1),
        (CLOCK_MONOTONIC_RAW, 1),
        (CLOCK_REALTIME_COARSE, TICK_NSEC as i64),
    ] {
        let (r, t, ..) = call_clock(getres, clock);
        assert_eq!(
            (r, t),
            (
                0,
                KernelTimespec {
                    tv_sec: 0,
                    tv_nsec: want
                }
            ),
            "clock_getres({clock})"
        );
    }
    let (r, t, ..) = call_clock(getres, CLOCK_PROCESS_CPUTIME_ID);
    let mut host = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: host is a valid timespec.
    unsafe { libc::clock_getres(CLOCK_PROCESS_CPUTIME_ID, &mut host) };
    assert_eq!(
        (r, t.tv_nsec),
        (0, host.tv_nsec),
        "clock_getres(CPUTIME) is the syscall's"
    );
}

#[test]
fn vdso64_falls_back_to_linux_without_a_trusted_tsc() {
    let (mut tk, _) = timekeeper_now();
    tk.clock_mode = VdsoClockMode::None;
    let (m, page) = map_vdso64(&tk, false);
    let f: ClockFn = m.func("__vdso_clock_gettime");
    for clock in [
        CLOCK_REALTIME,
        CLOCK_MONOTONIC,
        CLOCK_BOOTTIME,
        CLOCK_MONOTONIC_RAW,
        CLOCK_PROCESS_CPUTIME_ID,
    ] {
        let before = host_clock(clock);
        let (r, t, ..) = call_clock(f, clock);
        let after = host_clock(clock);
        assert_eq!(r, 0, "clock {clock}");
        assert!(
            ns(before) <= ns(t) && ns(t) <= ns(after),
            "clock {clock}: {t:?} not in [{before:?}, {after:?}]"
        );
    }
    // The coarse clocks still come from the page.
    let (_, t, ..) = call_clock(f, CLOCK_MONOTONIC_COARSE);
    assert_eq!(Some(t), page.clock_gettime(CLOCK_MONOTONIC_COARSE, || 0));
    // Errors are the syscall's: -EINVAL for a bad clock, -EFAULT for NULL.
    assert_eq!(call_clock(f, 100).0, -libc::EINVAL);
    assert_eq!(call_clock(f, -1).0, -libc::EINVAL);
    // SAFETY: NULL is what is being tested; the kernel rejects it.
    assert_eq!(
        unsafe { f(CLOCK_MONOTONIC, std::ptr::null_mut()) },
        -libc::EFAULT
    );

    let gtod: TimevalFn = m.func("__vdso_gettimeofday");
    let mut tv = [0i64; 2];
    let before = host_clock(CLOCK_REALTIME);
    // SAFETY: valid pointer; NULL timezone.
    assert_eq!(unsafe { gtod(&mut tv, std::ptr::null_mut()) }, 0);
    let got = tv[0] as i128 * 1_000_000_000 + tv[1] as i128 * 1000;
    assert!(
        ns(before) / 1000 * 1000 <= got && got <= ns(host_clock(CLOCK_REALTIME)),
        "gettimeofday {tv:?}"
    );
}

#[test]
fn vdso64_getcpu_by_lsl_and_by_rdpid() {
    let (tk, _) = timekeeper_now();
    // Pin to the CPU we are on, so the answer cannot change under us.
    // SAFETY: plain libc calls on a valid cpu_set_t.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(libc::sched_getcpu() as usize, &mut set);
        assert_eq!(
            libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set),
            0
        );
    }
    let (mut hcpu, mut hnode) = (0u32, 0u32);
    // SAFETY: valid pointers for getcpu(2).
    unsafe { libc::syscall(libc::SYS_getcpu, &mut hcpu, &mut hnode, 0) };
    for rdpid in [false, true] {
        if rdpid && !host_has_rdpid() {
            continue;
        }
        let (m, _) = map_vdso64(&tk, rdpid);
        for name in ["__vdso_getcpu", "getcpu"] {
            let f: GetcpuFn = m.func(name);
            let (mut cpu, mut node) = (u32::MAX, u32::MAX);
            // SAFETY: valid pointers; then NULLs, which getcpu allows.
            let (r, r_null) = unsafe {
                (
                    f(&mut cpu, &mut node, std::ptr::null_mut()),
                    f(
                        std::ptr::null_mut(),
                        std::ptr::null_mut(),
                        std::ptr::null_mut(),
                    ),
                )
            };
            assert_eq!(
                (r, cpu, node, r_null),
                (0, hcpu, hnode, 0),
                "{name}, rdpid {rdpid}"
            );
        }
    }
}
