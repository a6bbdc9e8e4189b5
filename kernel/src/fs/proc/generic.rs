//! The static part of /proc: system-wide files (Linux's fs/proc/meminfo.c,
//! uptime.c, loadavg.c, version.c, stat.c, arch/x86/kernel/cpu/proc.c,
//! kernel/irq/proc.c, mm/vmstat.c, fs/filesystems.c, kernel/sysctl.c) and
//! Forkline's own /proc/forkline.

use super::Node;
use crate::arch::x86_64::entry::common::{ENTRY_COUNT, ENTRY_METHODS};
use crate::errno::Errno;
use crate::fs::inode::Inode;
use crate::mm::page_alloc;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt::Write;
use core::sync::atomic::Ordering;

/// /proc, less the per-process directories.
pub static ROOT: &[Node] = &[
    Node::File("buddyinfo", buddyinfo),
    Node::File("cmdline", |_| line(crate::params::saved_command_line())),
    Node::File("cpuinfo", cpuinfo),
    Node::File("filesystems", filesystems),
    Node::Dir("forkline", FORKLINE),
    Node::File("interrupts", interrupts),
    Node::File("loadavg", loadavg),
    Node::File("locks", |_| crate::fs::locks::proc_locks()),
    Node::File("meminfo", meminfo),
    Node::File("mounts", mounts),
    Node::Link("self", self_link),
    Node::File("stat", stat),
    Node::Dir("sys", SYS),
    Node::Link("thread-self", thread_self_link),
    Node::File("uptime", uptime),
    Node::File("version", version),
];

static SYS: &[Node] = &[Node::Dir("kernel", SYS_KERNEL)];

static SYS_KERNEL: &[Node] = &[
    Node::Sysctl(
        "domainname",
        |_| uts_line(&crate::utsname::DOMAINNAME),
        |_, b| crate::utsname::DOMAINNAME.lock().set(sysctl_string(b)),
    ),
    Node::Sysctl(
        "hostname",
        |_| uts_line(&crate::utsname::NODENAME),
        |_, b| crate::utsname::NODENAME.lock().set(sysctl_string(b)),
    ),
    Node::File("osrelease", |_| line(crate::utsname::RELEASE)),
    Node::File("ostype", |_| line(crate::utsname::SYSNAME)),
    Node::Sysctl(
        "randomize_va_space",
        |_| {
            line(&alloc::format!(
                "{}",
                crate::mm::RANDOMIZE_VA_SPACE.load(Ordering::Relaxed)
            ))
        },
        |_, b| {
            let v = sysctl_int(b, 0, 2)?;
            crate::mm::RANDOMIZE_VA_SPACE.store(v as u32, Ordering::Relaxed);
            Ok(())
        },
    ),
    Node::File("pid_max", |_| {
        line(&alloc::format!("{}", crate::process::PID_MAX))
    }),
    Node::File("threads-max", |_| {
        line(&alloc::format!(
            "{}",
            crate::process::MAX_THREADS.load(Ordering::Relaxed)
        ))
    }),
    Node::File("version", |_| line(crate::utsname::VERSION)),
];

static FORKLINE: &[Node] = &[
    Node::File("entries", forkline_entries),
    Node::File("frames", forkline_frames),
    Node::Sysctl(
        "trace",
        |_| line(&crate::params::trace_words()),
        |_, b| {
            let words = core::str::from_utf8(b).map_err(|_| Errno::EINVAL)?;
            let bits = crate::params::parse_trace(words).map_err(|_| Errno::EINVAL)?;
            crate::params::set_trace_bits(bits);
            Ok(())
        },
    ),
    Node::File("vdso32", forkline_vdso32),
];

/// A name of the machine and a newline.
fn uts_line(name: &crate::sync::SpinLock<crate::utsname::UtsName>) -> Vec<u8> {
    let mut v = name.lock().get().to_vec();
    v.push(b'\n');
    v
}

/// A string sysctl's new value: up to the first newline or NUL (Linux's
/// proc_dostring).
fn sysctl_string(b: &[u8]) -> &[u8] {
    let end = b
        .iter()
        .position(|&c| c == b'\n' || c == 0)
        .unwrap_or(b.len());
    &b[..end]
}

/// An integer sysctl's new value in [min, max] (Linux's
/// proc_dointvec_minmax): blanks around one decimal number; EINVAL else.
fn sysctl_int(b: &[u8], min: i64, max: i64) -> Result<i64, Errno> {
    let s = core::str::from_utf8(b).map_err(|_| Errno::EINVAL)?;
    let v: i64 = s.trim().parse().map_err(|_| Errno::EINVAL)?;
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(Errno::EINVAL)
    }
}

/// `s` and a newline, as bytes.
fn line(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(b'\n');
    v
}

/// /proc/self: the caller's process directory.
fn self_link(_: &Arc<Inode>) -> Vec<u8> {
    alloc::format!("{}", crate::sched::current().tgid).into_bytes()
}

/// /proc/thread-self: the caller's thread directory.
fn thread_self_link(_: &Arc<Inode>) -> Vec<u8> {
    let me = crate::sched::current();
    alloc::format!("{}/task/{}", me.tgid, me.pid()).into_bytes()
}

/// /proc/forkline/entries: syscall entries per method since boot, one
/// "NAME COUNT" line each (arch/x86_64/entry/common.rs counts them).
fn forkline_entries(_: &Arc<Inode>) -> Vec<u8> {
    let mut s = String::new();
    for (name, m) in ENTRY_METHODS {
        let _ = writeln!(
            s,
            "{} {}",
            name,
            ENTRY_COUNT[m as usize].load(Ordering::Relaxed)
        );
    }
    s.into_bytes()
}

/// /proc/forkline/vdso32: how __kernel_vsyscall enters the kernel.
fn forkline_vdso32(_: &Arc<Inode>) -> Vec<u8> {
    line(crate::arch::x86_64::vdso::vsyscall_method().map_or("none", |m| m.name()))
}

/// /proc/forkline/frames: free and total page frames of the buddy allocator.
fn forkline_frames(_: &Arc<Inode>) -> Vec<u8> {
    alloc::format!(
        "free {}\ntotal {}\n",
        page_alloc::nr_free_pages(),
        page_alloc::totalram_pages()
    )
    .into_bytes()
}

/// /proc/meminfo: Linux's lines and widths; what Forkline does not have
/// (swap, huge pages) is 0.
fn meminfo(_: &Arc<Inode>) -> Vec<u8> {
    let total = page_alloc::totalram_pages() as u64 * 4;
    let free = page_alloc::nr_free_pages() as u64 * 4;
    // Every file lives in memory, as on tmpfs: Linux counts such pages
    // both as Cached and as Shmem.
    let cached = crate::mm::filemap::nr_file_pages() as u64 * 4;
    let mut s = String::new();
    let kb = [
        ("MemTotal", total),
        ("MemFree", free),
        ("MemAvailable", free),
        ("Buffers", 0),
        ("Cached", cached),
        ("SwapCached", 0),
        ("Active", 0),
        ("Inactive", 0),
        ("Active(anon)", 0),
        ("Inactive(anon)", 0),
        ("Active(file)", 0),
        ("Inactive(file)", 0),
        ("Unevictable", 0),
        ("Mlocked", 0),
        ("SwapTotal", 0),
        ("SwapFree", 0),
        ("Dirty", 0),
        ("Writeback", 0),
        ("AnonPages", 0),
        ("Mapped", 0),
        ("Shmem", cached),
        ("KReclaimable", 0),
        ("Slab", crate::mm::slab::cache_pages() as u64 * 4),
        ("SReclaimable", 0),
        ("SUnreclaim", crate::mm::slab::cache_pages() as u64 * 4),
        ("KernelStack", 0),
        ("PageTables", 0),
        ("NFS_Unstable", 0),
        ("Bounce", 0),
        ("WritebackTmp", 0),
        ("CommitLimit", total / 2),
        ("Committed_AS", total.saturating_sub(free)),
        ("VmallocTotal", 34359738367),
        ("VmallocUsed", 0),
        ("VmallocChunk", 0),
        ("Percpu", 0),
        ("HardwareCorrupted", 0),
        ("AnonHugePages", 0),
        ("ShmemHugePages", 0),
        ("ShmemPmdMapped", 0),
        ("FileHugePages", 0),
        ("FilePmdMapped", 0),
    ];
    for (key, v) in kb {
        let _ = writeln!(s, "{:<16}{:>8} kB", alloc::format!("{key}:"), v);
    }
    for key in [
        "HugePages_Total",
        "HugePages_Free",
        "HugePages_Rsvd",
        "HugePages_Surp",
    ] {
        let _ = writeln!(s, "{:<16}{:>8}", alloc::format!("{key}:"), 0);
    }
    for (key, v) in [
        ("Hugepagesize", 2048),
        ("Hugetlb", 0),
        ("DirectMap4k", 0),
        ("DirectMap2M", total),
        ("DirectMap1G", 0),
    ] {
        let _ = writeln!(s, "{:<16}{:>8} kB", alloc::format!("{key}:"), v);
    }
    s.into_bytes()
}

/// The CPU's ticks since boot: user, nice, system, idle (kcpustat).
fn cpu_ticks() -> [u64; 4] {
    use crate::process::cputime::KCPUSTAT;
    core::array::from_fn(|i| KCPUSTAT[i].load(Ordering::Relaxed))
}

/// "S.CC" from nanoseconds.
fn secs_centis(ns: u64) -> String {
    alloc::format!("{}.{:02}", ns / 1_000_000_000, ns / 10_000_000 % 100)
}

/// /proc/uptime: seconds since boot, and seconds the CPU was idle (the
/// ticks that found it idle).
fn uptime(_: &Arc<Inode>) -> Vec<u8> {
    let up = crate::time::ktime_get_ns();
    let idle = cpu_ticks()[3] * (1_000_000_000 / crate::time::HZ);
    alloc::format!("{} {}\n", secs_centis(up), secs_centis(idle)).into_bytes()
}

/// The highest pid in use (Linux's loadavg shows the last one allocated).
fn last_pid() -> i32 {
    crate::process::all_tasks()
        .iter()
        .map(|t| t.pid())
        .max()
        .unwrap_or(0)
}

/// /proc/loadavg: the 1, 5 and 15 minute load averages; runnable tasks
/// (the caller included) / all tasks, and the last pid.
fn loadavg(_: &Arc<Inode>) -> Vec<u8> {
    let running = crate::sched::nr_running() + 1;
    let total = crate::process::NR_THREADS.load(Ordering::Relaxed);
    alloc::format!(
        "{} {}/{} {}\n",
        crate::sched::loadavg::loadavg_text(),
        running,
        total,
        last_pid()
    )
    .into_bytes()
}

/// /proc/version (Linux's linux_proc_banner).
fn version(_: &Arc<Inode>) -> Vec<u8> {
    alloc::format!(
        "{} version {} (forkline@forkline) ({}) {}\n",
        crate::utsname::SYSNAME,
        crate::utsname::RELEASE,
        env!("FORKLINE_RUSTC"),
        crate::utsname::VERSION
    )
    .into_bytes()
}

/// /proc/stat: CPU time in USER_HZ ticks, interrupts, context switches,
/// boot time and task counts.
fn stat(_: &Arc<Inode>) -> Vec<u8> {
    let to_clock = |t: u64| t * 100 / crate::time::HZ;
    let [user, nice, system, idle] = cpu_ticks().map(to_clock);
    let cpu = alloc::format!("{user} {nice} {system} {idle} 0 0 0 0 0 0");
    let irqs: u64 = crate::arch::x86_64::irq::IRQ_COUNT
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .sum();
    let btime = (crate::time::ktime_get_real_ns() - crate::time::ktime_get_ns()) / 1_000_000_000;
    alloc::format!(
        "cpu  {cpu}\ncpu0 {cpu}\nintr {irqs}\nctxt {}\nbtime {btime}\nprocesses {}\nprocs_running {}\nprocs_blocked 0\n",
        crate::sched::nr_switches(),
        last_pid(),
        crate::sched::nr_running() + 1
    )
    .into_bytes()
}

/// /proc/mounts: the root filesystem and procfs.
fn mounts(_: &Arc<Inode>) -> Vec<u8> {
    b"rootfs / rootfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n".to_vec()
}

/// /proc/filesystems: the filesystem types the kernel knows.
fn filesystems(_: &Arc<Inode>) -> Vec<u8> {
    b"nodev\trootfs\nnodev\ttmpfs\nnodev\tproc\n".to_vec()
}

/// /proc/buddyinfo: free blocks per order (Linux's frag_show_print).
fn buddyinfo(_: &Arc<Inode>) -> Vec<u8> {
    let mut s = String::from("Node 0, zone    DMA32 ");
    for n in page_alloc::buddyinfo() {
        let _ = write!(s, "{n:>6} ");
    }
    s.push('\n');
    s.into_bytes()
}

/// /proc/interrupts: the local APIC timer and the legacy IRQs seen.
fn interrupts(_: &Arc<Inode>) -> Vec<u8> {
    use crate::arch::x86_64::idt::{
        ERROR_APIC_VECTOR, ISA_IRQ_VECTOR_BASE, LOCAL_TIMER_VECTOR, SPURIOUS_APIC_VECTOR,
    };
    let count = |v: u8| crate::arch::x86_64::irq::IRQ_COUNT[v as usize].load(Ordering::Relaxed);
    let mut s = String::from("           CPU0       \n");
    for irq in 0..16u8 {
        let n = count(ISA_IRQ_VECTOR_BASE + irq);
        let name = match irq {
            4 => "ttyS0",
            _ if n == 0 => continue,
            _ => "",
        };
        let _ = writeln!(s, "{irq:>3}: {n:>10}   IO-APIC  {irq:>2}-edge      {name}");
    }
    let _ = writeln!(
        s,
        "LOC: {:>10}   Local timer interrupts",
        count(LOCAL_TIMER_VECTOR)
    );
    let _ = writeln!(
        s,
        "SPU: {:>10}   Spurious interrupts",
        count(SPURIOUS_APIC_VECTOR)
    );
    let _ = writeln!(s, "ERR: {:>10}", count(ERROR_APIC_VECTOR));
    s.into_bytes()
}

/// Feature-flag names by CPUID register bit, in Linux's x86_cap_flags
/// word order (1:EDX, 8000_0001:EDX, 1:ECX, 8000_0001:ECX, 7:EBX, 7:ECX).
const FLAGS_1_EDX: [&str; 32] = [
    "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", "", "sep", "mtrr", "pge",
    "mca", "cmov", "pat", "pse36", "pn", "clflush", "", "dts", "acpi", "mmx", "fxsr", "sse",
    "sse2", "ss", "ht", "tm", "ia64", "pbe",
];
const FLAGS_EXT_EDX: [&str; 32] = [
    "", "", "", "", "", "", "", "", "", "", "", "syscall", "", "", "", "", "", "", "", "mp", "nx",
    "", "mmxext", "", "", "fxsr_opt", "pdpe1gb", "rdtscp", "", "lm", "3dnowext", "3dnow",
];
const FLAGS_1_ECX: [&str; 32] = [
    "pni",
    "pclmulqdq",
    "dtes64",
    "monitor",
    "ds_cpl",
    "vmx",
    "smx",
    "est",
    "tm2",
    "ssse3",
    "cid",
    "sdbg",
    "fma",
    "cx16",
    "xtpr",
    "pdcm",
    "",
    "pcid",
    "dca",
    "sse4_1",
    "sse4_2",
    "x2apic",
    "movbe",
    "popcnt",
    "tsc_deadline_timer",
    "aes",
    "xsave",
    "",
    "avx",
    "f16c",
    "rdrand",
    "hypervisor",
];
const FLAGS_EXT_ECX: [&str; 32] = [
    "lahf_lm",
    "cmp_legacy",
    "svm",
    "extapic",
    "cr8_legacy",
    "abm",
    "sse4a",
    "misalignsse",
    "3dnowprefetch",
    "osvw",
    "ibs",
    "xop",
    "skinit",
    "wdt",
    "",
    "lwp",
    "fma4",
    "tce",
    "",
    "nodeid_msr",
    "",
    "tbm",
    "topoext",
    "perfctr_core",
    "perfctr_nb",
    "",
    "bpext",
    "ptsc",
    "perfctr_llc",
    "mwaitx",
    "",
    "",
];
const FLAGS_7_EBX: [&str; 32] = [
    "fsgsbase",
    "tsc_adjust",
    "sgx",
    "bmi1",
    "hle",
    "avx2",
    "",
    "smep",
    "bmi2",
    "erms",
    "invpcid",
    "rtm",
    "cqm",
    "",
    "mpx",
    "rdt_a",
    "avx512f",
    "avx512dq",
    "rdseed",
    "adx",
    "smap",
    "avx512ifma",
    "",
    "clflushopt",
    "clwb",
    "intel_pt",
    "avx512pf",
    "avx512er",
    "avx512cd",
    "sha_ni",
    "avx512bw",
    "avx512vl",
];
const FLAGS_7_ECX: [&str; 32] = [
    "",
    "avx512vbmi",
    "umip",
    "pku",
    "ospke",
    "waitpkg",
    "avx512_vbmi2",
    "",
    "gfni",
    "vaes",
    "vpclmulqdq",
    "avx512_vnni",
    "avx512_bitalg",
    "tme",
    "avx512_vpopcntdq",
    "",
    "la57",
    "",
    "",
    "",
    "",
    "",
    "rdpid",
    "",
    "",
    "cldemote",
    "",
    "movdiri",
    "movdir64b",
    "enqcmd",
    "sgx_lc",
    "",
];

/// CPUID.(0xD,1):EAX, Linux's word 10.
const FLAGS_D_1_EAX: [&str; 4] = ["xsaveopt", "xsavec", "xgetbv1", "xsaves"];

/// The feature words /proc/cpuinfo shows (1:ECX, 7:EBX, 7:ECX, 0xD.1:EAX),
/// less what the kernel did not enable, with what depends on it (Linux's
/// cpuid_deps): no XSAVE, no xsave*/avx; never pku; no AVX state in XCR0,
/// no avx, fma, f16c, avx2, vaes, vpclmulqdq, avx512*; no AVX-512 state, no
/// avx512*. osxsave is never listed, as in Linux.
fn enabled_features(c: &crate::arch::x86_64::cpu::CpuInfo) -> (u32, u32, u32, u32) {
    use crate::arch::x86_64::fpu::{
        XFEATURE_MASK_AVX512, XFEATURE_MASK_YMM, use_xsave, user_xfeatures,
    };
    const AVX512_7_EBX: u32 =
        1 << 16 | 1 << 17 | 1 << 21 | 1 << 26 | 1 << 27 | 1 << 28 | 1 << 30 | 1 << 31;
    const AVX512_7_ECX: u32 = 1 << 1 | 1 << 6 | 1 << 11 | 1 << 12 | 1 << 14;
    let (mut ecx1, mut ebx7, mut ecx7) = (c.features_1_ecx, c.features_7_ebx, c.features_7_ecx);
    let mut eax_d1 = if core::arch::x86_64::__cpuid(0).eax >= 0xd {
        core::arch::x86_64::__cpuid_count(0xd, 1).eax
    } else {
        0
    };
    if !use_xsave() {
        ecx1 &= !(1 << 26); // xsave
        eax_d1 = 0;
    }
    ecx7 &= !(1 << 3 | 1 << 4); // pku, ospke: no protection keys (CR4.PKE off)
    let xf = user_xfeatures();
    if xf & XFEATURE_MASK_YMM == 0 {
        ecx1 &= !(1 << 28 | 1 << 12 | 1 << 29); // avx, fma, f16c
        ebx7 &= !(1 << 5); // avx2
        ecx7 &= !(1 << 9 | 1 << 10); // vaes, vpclmulqdq
    }
    if xf & XFEATURE_MASK_AVX512 != XFEATURE_MASK_AVX512 {
        ebx7 &= !AVX512_7_EBX;
        ecx7 &= !AVX512_7_ECX;
    }
    (ecx1, ebx7, ecx7, eax_d1)
}

/// /proc/cpuinfo for the one CPU (Linux's show_cpuinfo).
fn cpuinfo(_: &Arc<Inode>) -> Vec<u8> {
    let c = crate::arch::x86_64::cpu::boot_cpu();
    let khz = crate::arch::x86_64::tsc::tsc_khz();
    let max_leaf = core::arch::x86_64::__cpuid(0).eax;
    let max_ext = core::arch::x86_64::__cpuid(0x8000_0000).eax;
    let (phys, virt) = if max_ext >= 0x8000_0008 {
        let a = core::arch::x86_64::__cpuid(0x8000_0008).eax;
        (a & 0xff, (a >> 8) & 0xff)
    } else {
        (36, 48)
    };
    let mut flags = String::new();
    let (ecx1, ebx7, ecx7, eax_d1) = enabled_features(c);
    let words: [(u32, &[&str]); 7] = [
        (c.features_1_edx, &FLAGS_1_EDX),
        (c.ext_1_edx, &FLAGS_EXT_EDX),
        (ecx1, &FLAGS_1_ECX),
        (c.ext_1_ecx, &FLAGS_EXT_ECX),
        (ebx7, &FLAGS_7_EBX),
        (eax_d1, &FLAGS_D_1_EAX),
        (ecx7, &FLAGS_7_ECX),
    ];
    for (reg, names) in words {
        for (bit, name) in names.iter().enumerate() {
            if reg & (1 << bit) != 0 && !name.is_empty() {
                flags.push(' ');
                flags.push_str(name);
            }
        }
    }
    let mut s = String::new();
    let _ = write!(
        s,
        "processor\t: 0\nvendor_id\t: {}\ncpu family\t: {}\nmodel\t\t: {}\nmodel name\t: {}\nstepping\t: {}\n\
         cpu MHz\t\t: {}.{:03}\nphysical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\napicid\t\t: 0\n\
         initial apicid\t: 0\nfpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: {}\nwp\t\t: yes\nflags\t\t:{}\n\
         bugs\t\t:\nbogomips\t: {}.{:02}\nclflush size\t: 64\ncache_alignment\t: 64\n\
         address sizes\t: {} bits physical, {} bits virtual\npower management:\n\n",
        c.vendor_str(),
        c.family,
        c.model,
        c.model_name(),
        c.stepping,
        khz / 1000,
        khz % 1000,
        max_leaf,
        flags,
        khz * 2 / 1000,
        khz * 2 / 10 % 100,
        phys,
        virt
    );
    s.into_bytes()
}
