//! create_elf_tables: hand-computed layouts, Linux's limits, and a
//! differential test against the host kernel's real initial stacks.

mod common;

use std::process::Command;

use binfmt::*;
use common::{STATIC, Toolchain, build};

// AuxvValues with distinctive numbers, no vDSO.
fn values() -> AuxvValues<'static> {
    AuxvValues {
        minsigstksz: 0xaa0,
        hwcap: 0x178bfbff,
        hwcap2: 2,
        phdr: 0x400040,
        phnum: 6,
        entry: 0x401000,
        uid: 1000,
        euid: 1001,
        gid: 100,
        egid: 101,
        ..AuxvValues::default()
    }
}

// Parameters for a small exec with everything deterministic.
fn params<'a>(
    class: Class,
    top: u64,
    argv: &'a [&'a [u8]],
    envp: &'a [&'a [u8]],
) -> StackParams<'a> {
    StackParams {
        class,
        stack_top: top,
        argv,
        envp,
        execfn: b"/bin/prog",
        platform: class.platform(),
        random: core::array::from_fn(|i| i as u8),
        align_offset: 0,
        rlim_stack: 8 << 20,
        auxv: values(),
    }
}

// The word at user address `addr` of a built stack.
fn word(st: &InitialStack, word: u64, addr: u64) -> u64 {
    let at = (addr - st.sp) as usize;
    let mut b = [0u8; 8];
    b[..word as usize].copy_from_slice(&st.bytes[at..at + word as usize]);
    u64::from_le_bytes(b)
}

// The NUL-terminated string at user address `addr` of a built stack.
fn string(st: &InitialStack, addr: u64) -> Vec<u8> {
    let at = (addr - st.sp) as usize;
    st.bytes[at..]
        .iter()
        .copied()
        .take_while(|&b| b != 0)
        .collect()
}

const DESIGN_ORDER: [u64; 20] = [
    AT_MINSIGSTKSZ,
    AT_HWCAP,
    AT_PAGESZ,
    AT_CLKTCK,
    AT_PHDR,
    AT_PHENT,
    AT_PHNUM,
    AT_BASE,
    AT_FLAGS,
    AT_ENTRY,
    AT_UID,
    AT_EUID,
    AT_GID,
    AT_EGID,
    AT_SECURE,
    AT_RANDOM,
    AT_HWCAP2,
    AT_EXECFN,
    AT_PLATFORM,
    AT_NULL,
];

#[test]
fn small_64_bit_stack_matches_hand_layout() {
    let top = 0x7fff_ffff_f000;
    let argv: &[&[u8]] = &[b"prog", b"a"];
    let envp: &[&[u8]] = &[b"X=1"];
    let st = create_elf_tables(&params(Class::Elf64, top, argv, envp)).unwrap();
    // Strings below the 8-byte marker: "/bin/prog\0" "X=1\0" "a\0" "prog\0".
    assert_eq!(st.execfn_addr, top - 8 - 10);
    assert_eq!((st.env_start, st.env_end), (top - 8 - 14, top - 8 - 10));
    assert_eq!(
        (st.arg_start, st.arg_end),
        (0x7fff_ffff_efe3, 0x7fff_ffff_efea)
    );
    // arch_align_stack: 0x...efe3 & ~15; then "x86_64\0" and 16 random bytes.
    assert_eq!(st.platform_addr, 0x7fff_ffff_efe0 - 7);
    assert_eq!(st.random_addr, 0x7fff_ffff_efd9 - 16);
    // 20 auxv pairs + argc + 2 argv + NULL + 1 envp + NULL = 46 words.
    assert_eq!(st.sp, (0x7fff_ffff_efc9 - 46 * 8) & !15);
    assert_eq!(st.sp, 0x7fff_ffff_ee50);
    assert_eq!(st.bytes.len() as u64, top - st.sp);
    assert_eq!(&st.bytes[st.bytes.len() - 8..], &[0; 8], "end marker");
    assert_eq!(
        (st.argc, st.argv_addr, st.envp_addr, st.auxv_addr),
        (2, st.sp + 8, st.sp + 32, st.sp + 48)
    );
    let w = |a| word(&st, 8, a);
    assert_eq!(
        [w(st.sp), w(st.sp + 8), w(st.sp + 16), w(st.sp + 24)],
        [2, st.arg_start, st.arg_start + 5, 0]
    );
    assert_eq!([w(st.sp + 32), w(st.sp + 40)], [st.env_start, 0]);
    assert_eq!(string(&st, w(st.sp + 8)), b"prog");
    assert_eq!(string(&st, st.execfn_addr), b"/bin/prog");
    assert_eq!(string(&st, st.platform_addr), b"x86_64");
    assert_eq!(
        &st.bytes[(st.random_addr - st.sp) as usize..][..16],
        &core::array::from_fn::<u8, 16, _>(|i| i as u8)
    );
    let keys: Vec<u64> = st.auxv.iter().map(|&(k, _)| k).collect();
    assert_eq!(keys, DESIGN_ORDER);
    for (i, &(k, v)) in st.auxv.iter().enumerate() {
        let at = st.auxv_addr + 16 * i as u64;
        assert_eq!((w(at), w(at + 8)), (k, v));
    }
    let get = |key| st.auxv.iter().find(|&&(k, _)| k == key).unwrap().1;
    assert_eq!(get(AT_EXECFN), st.execfn_addr);
    assert_eq!(get(AT_PLATFORM), st.platform_addr);
    assert_eq!(get(AT_RANDOM), st.random_addr);
    assert_eq!(
        (get(AT_PAGESZ), get(AT_CLKTCK), get(AT_PHENT)),
        (4096, 100, 56)
    );
    assert_eq!(
        (get(AT_UID), get(AT_EUID), get(AT_GID), get(AT_EGID)),
        (1000, 1001, 100, 101)
    );
    assert_eq!(
        st.auxv_addr + 16 * 20,
        st.random_addr - (st.random_addr - st.sp - 46 * 8)
    );
}

#[test]
fn small_i386_stack_matches_hand_layout() {
    let top = TASK_SIZE_32;
    let argv: &[&[u8]] = &[b"a"];
    let mut p = params(Class::Elf32, top, argv, &[]);
    p.execfn = b"/a";
    p.auxv.vdso = Some(Vdso {
        base: 0xf7fc_1000,
        entry: 0xf7fc_1570,
    });
    let st = create_elf_tables(&p).unwrap();
    // "/a\0" then "a\0" below the 8-byte marker (8 bytes for i386 too).
    assert_eq!((st.execfn_addr, st.arg_start), (0xffff_dff5, 0xffff_dff3));
    assert_eq!(st.platform_addr, 0xffff_dff0 - 5);
    assert_eq!(st.random_addr, 0xffff_dfeb - 16);
    // 22 auxv pairs + argc + argv[0] + NULL + NULL = 48 four-byte words.
    assert_eq!(st.sp, (0xffff_dfdb - 48 * 4) & !15);
    assert_eq!(st.sp, 0xffff_df10);
    let w = |a| word(&st, 4, a);
    assert_eq!(
        [w(st.sp), w(st.sp + 4), w(st.sp + 8), w(st.sp + 12)],
        [1, 0xffff_dff3, 0, 0]
    );
    assert_eq!(
        (st.argv_addr, st.envp_addr, st.auxv_addr),
        (st.sp + 4, st.sp + 12, st.sp + 16)
    );
    assert_eq!(
        [w(st.sp + 16), w(st.sp + 20), w(st.sp + 24), w(st.sp + 28)],
        [AT_SYSINFO, 0xf7fc_1570, AT_SYSINFO_EHDR, 0xf7fc_1000]
    );
    assert_eq!(st.auxv.len(), 22);
    assert_eq!(st.auxv[2], (AT_MINSIGSTKSZ, 0xaa0));
    assert!(st.auxv.contains(&(AT_PHENT, 32)));
    assert_eq!(string(&st, st.platform_addr), b"i686");
}

#[test]
fn vdso_and_extra_entries_take_their_places() {
    let argv: &[&[u8]] = &[b"p"];
    let mut p = params(Class::Elf64, 0x7fff_0000_0000, argv, &[]);
    p.auxv.vdso = Some(Vdso {
        base: 0x7fff_f7fc_1000,
        entry: 0x7fff_f7fc_1570,
    });
    let extra = [(AT_RSEQ_FEATURE_SIZE, 28), (AT_RSEQ_ALIGN, 32)];
    p.auxv.extra = &extra;
    let st = create_elf_tables(&p).unwrap();
    let keys: Vec<u64> = st.auxv.iter().map(|&(k, _)| k).collect();
    let mut expect = vec![AT_SYSINFO_EHDR];
    expect.extend(&DESIGN_ORDER[..19]);
    expect.extend([AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN, AT_NULL]);
    assert_eq!(keys, expect, "64-bit processes get no AT_SYSINFO");
    assert_eq!(st.auxv[0], (AT_SYSINFO_EHDR, 0x7fff_f7fc_1000));
}

#[test]
fn empty_argv_gets_an_empty_argv0() {
    let st = create_elf_tables(&params(Class::Elf64, 0x7fff_0000_0000, &[], &[b"A=b"])).unwrap();
    assert_eq!(st.argc, 1);
    assert_eq!(word(&st, 8, st.argv_addr), st.arg_start);
    assert_eq!(string(&st, st.arg_start), b"");
    assert_eq!(word(&st, 8, st.argv_addr + 8), 0);
    assert_eq!(string(&st, word(&st, 8, st.envp_addr)), b"A=b");
}

#[test]
fn align_offset_moves_the_tables_down_and_keeps_sp_aligned() {
    let argv: &[&[u8]] = &[b"prog"];
    let base = create_elf_tables(&params(Class::Elf64, 0x7fff_0000_0000, argv, &[])).unwrap();
    for off in [1, 15, 16, 17, 4095, 8191] {
        let mut p = params(Class::Elf64, 0x7fff_0000_0000, argv, &[]);
        p.align_offset = off;
        let st = create_elf_tables(&p).unwrap();
        assert_eq!(st.arg_start, base.arg_start, "strings do not move");
        assert_eq!(st.platform_addr + 7, (st.arg_start - u64::from(off)) & !15);
        assert_eq!(st.sp % 16, 0);
        assert!(st.sp <= base.sp);
    }
}

#[test]
fn linux_string_limits_give_e2big() {
    let max = vec![b'x'; MAX_ARG_STRLEN as usize - 1];
    let over = vec![b'x'; MAX_ARG_STRLEN as usize];
    let rlim = 8 << 20;
    assert!(bprm_stack_limits(&[&max], &[], b"/p", rlim).is_ok());
    assert_eq!(
        bprm_stack_limits(&[&over], &[], b"/p", rlim),
        Err(ExecError::ArgTooLong)
    );
    assert_eq!(
        bprm_stack_limits(&[b"p"], &[&over], b"/p", rlim),
        Err(ExecError::ArgTooLong)
    );
    assert_eq!(
        bprm_stack_limits(&[b"p"], &[], &over, rlim),
        Err(ExecError::ArgTooLong)
    );
    assert_eq!(ExecError::ArgTooLong.errno(), 7);
    // 8 MiB stack: strings may use a quarter, 2 MiB, minus the pointers.
    let many: Vec<&[u8]> = (0..15).map(|_| &max[..]).collect();
    assert!(bprm_stack_limits(&many, &[], b"/p", rlim).is_ok());
    let too_many: Vec<&[u8]> = (0..16).map(|_| &max[..]).collect();
    assert_eq!(
        bprm_stack_limits(&too_many, &[], b"/p", rlim),
        Err(ExecError::ArgsTooBig)
    );
    // Unlimited stack: capped at 3/4 of _STK_LIM, 6 MiB.
    let lots: Vec<&[u8]> = (0..47).map(|_| &max[..]).collect();
    assert!(bprm_stack_limits(&lots, &[], b"/p", u64::MAX).is_ok());
    let more: Vec<&[u8]> = (0..48).map(|_| &max[..]).collect();
    assert_eq!(
        bprm_stack_limits(&more, &[], b"/p", u64::MAX),
        Err(ExecError::ArgsTooBig)
    );
    // Tiny stack: still ARG_MAX (128 KiB), minus one 8-byte pointer; exact edge.
    let fits = vec![b'y'; 131_062];
    let spills = vec![b'y'; 131_063];
    assert_eq!(bprm_stack_limits(&[&fits], &[], b"", 4096), Ok(131_064));
    assert_eq!(
        bprm_stack_limits(&[&spills], &[], b"", 4096),
        Err(ExecError::ArgsTooBig)
    );
    // Pointers count against the limit too, 8 bytes each even for i386.
    let envp: Vec<&[u8]> = (0..16_383).map(|_| &b""[..]).collect();
    assert_eq!(
        bprm_stack_limits(&[], &envp, b"", 4096),
        Err(ExecError::ArgsTooBig)
    );
    let spill_argv: [&[u8]; 1] = [&spills];
    let p = params(Class::Elf32, TASK_SIZE_32, &spill_argv, &[]);
    assert_eq!(
        create_elf_tables(&StackParams {
            rlim_stack: 4096,
            ..p
        }),
        Err(ExecError::ArgsTooBig)
    );
}

#[test]
fn impossible_parameters_are_errors_not_panics() {
    let argv: &[&[u8]] = &[b"p"];
    let ok = params(Class::Elf64, 0x7fff_0000_0000, argv, &[]);
    let bad = |p: StackParams| create_elf_tables(&p).unwrap_err();
    assert_eq!(
        bad(StackParams {
            stack_top: 0x7fff_0000_0008,
            ..ok
        }),
        ExecError::BadStackTop
    );
    assert_eq!(
        bad(StackParams { stack_top: 0, ..ok }),
        ExecError::BadStackTop
    );
    assert_eq!(
        bad(StackParams {
            stack_top: TASK_SIZE_64 + 4096,
            ..ok
        }),
        ExecError::BadStackTop
    );
    assert_eq!(
        bad(StackParams {
            class: Class::Elf32,
            ..ok
        }),
        ExecError::BadStackTop
    );
    assert_eq!(
        bad(StackParams {
            align_offset: 8192,
            ..ok
        }),
        ExecError::BadAlignOffset
    );
    assert_eq!(
        bad(StackParams {
            execfn: b"a\0b",
            ..ok
        }),
        ExecError::NulInString
    );
    assert_eq!(
        bad(StackParams {
            argv: &[b"x\0"],
            ..ok
        }),
        ExecError::NulInString
    );
    let mut p32 = params(Class::Elf32, 0x8000_0000, argv, &[]);
    p32.auxv.hwcap = 1 << 40;
    assert_eq!(bad(p32), ExecError::AuxvValueTooLarge { key: AT_HWCAP });
    let big = vec![b'z'; 100_000];
    let small_top = StackParams {
        stack_top: 0x10000,
        argv: &[&big],
        ..ok
    };
    assert_eq!(bad(small_top), ExecError::BadStackTop);
}

/// What the host kernel left on a real process's stack.
struct HostStack {
    sp: u64,
    top: u64,
    bytes: Vec<u8>,
}

// Run tests/c/stackdump.c built with `tc` on the host and read its dump.
fn host_stack(tc: &Toolchain, argv: &[&str], envp: &[(&str, &str)]) -> (String, HostStack) {
    let exe = build("stackdump", tc);
    let out = Command::new(&exe)
        .arg0(argv[0])
        .args(&argv[1..])
        .env_clear()
        .envs(envp.iter().copied())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}: {:?}", tc.name, out);
    let text = String::from_utf8(out.stdout).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap()
            .to_string()
    };
    let hex = |s: String| u64::from_str_radix(&s, 16).unwrap();
    let b = field("bytes ");
    let bytes = (0..b.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&b[i..i + 2], 16).unwrap())
        .collect();
    let host = HostStack {
        sp: hex(field("sp ")),
        top: hex(field("top ")),
        bytes,
    };
    (exe.to_str().unwrap().to_string(), host)
}

use std::os::unix::process::CommandExt;

// Rebuild the host's stack with create_elf_tables from the same inputs.
fn differential(tc: &Toolchain, argv: &[&str], envp: &[(&str, &str)]) {
    let (exe, h) = host_stack(tc, argv, envp);
    let class = if tc.flags.contains(&"-m32") {
        Class::Elf32
    } else {
        Class::Elf64
    };
    let w = class.word_size();
    assert_eq!(h.bytes.len() as u64, h.top - h.sp);
    let rd = |addr: u64| {
        let at = (addr - h.sp) as usize;
        let mut b = [0u8; 8];
        b[..w as usize].copy_from_slice(&h.bytes[at..at + w as usize]);
        u64::from_le_bytes(b)
    };
    // Walk the host's argc, argv, envp and auxv.
    let argc = rd(h.sp);
    assert_eq!(argc, argv.len() as u64, "{}", tc.name);
    let envp_at = h.sp + w * (argc + 2);
    let envc = (0..).take_while(|&i| rd(envp_at + i * w) != 0).count() as u64;
    assert_eq!(envc, envp.len() as u64);
    // Command passes the environment sorted; take the order the process got.
    let cstr = |addr: u64| -> Vec<u8> {
        h.bytes[(addr - h.sp) as usize..]
            .iter()
            .copied()
            .take_while(|&b| b != 0)
            .collect()
    };
    let env_strings: Vec<Vec<u8>> = (0..envc).map(|i| cstr(rd(envp_at + i * w))).collect();
    for (k, v) in envp {
        assert!(env_strings.contains(&format!("{k}={v}").into_bytes()));
    }
    let mut aux = Vec::new();
    let mut at = envp_at + w * (envc + 1);
    loop {
        let (k, v) = (rd(at), rd(at + w));
        aux.push((k, v));
        at += 2 * w;
        if k == AT_NULL {
            break;
        }
    }
    let get = |key| aux.iter().find(|&&(k, _)| k == key).map(|&(_, v)| v);
    // Linux's order is design.md's; this host adds its CONFIG_RSEQ pair after AT_PLATFORM.
    let keys: Vec<u64> = aux.iter().map(|&(k, _)| k).collect();
    let plat = keys.iter().position(|&k| k == AT_PLATFORM).unwrap();
    let mut expect = Vec::new();
    if get(AT_SYSINFO_EHDR).is_some() {
        if class == Class::Elf32 {
            expect.push(AT_SYSINFO);
        }
        expect.push(AT_SYSINFO_EHDR);
    }
    expect.extend(&DESIGN_ORDER[..19]);
    assert_eq!(&keys[..plat + 1], &expect[..], "{}: auxv order", tc.name);
    let extra: Vec<(u64, u64)> = aux[plat + 1..aux.len() - 1].to_vec();
    let extra_keys: Vec<u64> = extra.iter().map(|&(k, _)| k).collect();
    assert!(
        extra_keys.is_empty() || extra_keys == [AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN],
        "{extra_keys:?}"
    );
    // The inputs only the host knows: its values, random bytes and offset.
    let platform_addr = get(AT_PLATFORM).unwrap();
    let random_addr = get(AT_RANDOM).unwrap();
    let random: [u8; 16] = h.bytes[(random_addr - h.sp) as usize..][..16]
        .try_into()
        .unwrap();
    let arg_start = rd(h.sp + w);
    let aligned = platform_addr + class.platform().len() as u64 + 1;
    let align_offset = (arg_start - aligned).saturating_sub(15) as u32;
    let vdso = get(AT_SYSINFO_EHDR).map(|base| Vdso {
        base,
        entry: get(AT_SYSINFO).unwrap_or(0),
    });
    let v = |k| get(k).unwrap();
    let auxv = AuxvValues {
        vdso,
        minsigstksz: v(AT_MINSIGSTKSZ),
        hwcap: v(AT_HWCAP),
        hwcap2: v(AT_HWCAP2),
        phdr: v(AT_PHDR),
        phnum: v(AT_PHNUM),
        entry: v(AT_ENTRY),
        base: v(AT_BASE),
        flags: v(AT_FLAGS),
        uid: v(AT_UID) as u32,
        euid: v(AT_EUID) as u32,
        gid: v(AT_GID) as u32,
        egid: v(AT_EGID) as u32,
        secure: v(AT_SECURE) != 0,
        extra: &extra,
    };
    let argv_b: Vec<&[u8]> = argv.iter().map(|s| s.as_bytes()).collect();
    let envp_b: Vec<&[u8]> = env_strings.iter().map(|s| &s[..]).collect();
    let ours = create_elf_tables(&StackParams {
        class,
        stack_top: h.top,
        argv: &argv_b,
        envp: &envp_b,
        execfn: exe.as_bytes(),
        platform: class.platform(),
        random,
        align_offset,
        rlim_stack: 8 << 20,
        auxv,
    })
    .unwrap();
    assert_eq!(ours.sp, h.sp, "{}: initial stack pointer", tc.name);
    let differs = ours.bytes.iter().zip(&h.bytes).position(|(a, b)| a != b);
    assert_eq!(
        differs, None,
        "{}: first differing byte, as offset from sp",
        tc.name
    );
    assert_eq!(ours.bytes.len(), h.bytes.len(), "{}", tc.name);
    assert_eq!(
        (ours.platform_addr, ours.random_addr),
        (platform_addr, random_addr)
    );
    assert_eq!(ours.execfn_addr, v(AT_EXECFN));
    assert_eq!(ours.auxv, aux);
}

#[test]
fn host_linux_lays_out_the_same_stack() {
    let envp = [
        ("HOME", "/root"),
        ("PATH", "/usr/bin:/bin"),
        ("EMPTY", ""),
        ("LANG", "C.UTF-8"),
    ];
    let long = "L".repeat(5000);
    let cases: [&[&str]; 4] = [
        &["stackdump"],
        &["./stackdump", "one", "two", ""],
        &["x", "a", "bb", "ccc", "dddd", "eeeee", "ffffff", "ggggggg"],
        &["prog", &long],
    ];
    for tc in STATIC {
        for argv in cases {
            for env in [&envp[..], &envp[..1], &[]] {
                differential(tc, argv, env);
            }
        }
    }
}
