//! The malformed-ELF corpus and a brute-force search for panics: every
//! corpus file is rejected with its expected error, and no mutation of a
//! real program makes parse() (or the load plan built on it) panic.

mod common;

use std::collections::HashSet;

use binfmt::*;
use common::{DYNAMIC, STATIC, program};

const ENOENT: i32 = 2;
const EIO: i32 = 5;
const ENOEXEC: i32 = 8;
const ENOMEM: i32 = 12;
const EINVAL: i32 = 22;

// Cases every static test program must produce.
const MUST_HAVE: &[&str] = &[
    "empty",
    "truncated-magic",
    "truncated-ident",
    "truncated-header",
    "bad-magic",
    "bad-class-0",
    "bad-class-3",
    "wrong-class",
    "big-endian",
    "bad-version",
    "type-rel",
    "type-core",
    "machine-aarch64",
    "machine-other-x86",
    "phentsize-wrong",
    "phnum-zero",
    "phnum-huge",
    "phnum-over-page",
    "phoff-past-end",
    "phoff-overflow",
    "truncated-phdrs",
    "no-load",
    "filesz-above-memsz",
    "misaligned",
    "segment-past-end",
    "segment-offset-overflow",
    "truncated-segment",
    "vaddr-overflow",
    "memsz-absurd",
    "span-too-large",
    "above-task-size",
    "segments-unordered",
    "segments-overlap",
    "interp-not-terminated",
    "interp-too-long",
    "interp-too-short",
    "interp-empty",
    "interp-past-end",
    "interp-offset-overflow",
];

#[test]
fn every_corpus_file_is_rejected_with_its_error() {
    for tc in STATIC.iter().chain(DYNAMIC) {
        let valid = program("hello", tc);
        let img = parse(&valid).unwrap();
        let cases = malformed_cases(&valid);
        let names: HashSet<&str> = cases.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), cases.len(), "{}: names are unique", tc.name);
        if STATIC.iter().any(|s| s.name == tc.name) {
            for must in MUST_HAVE {
                let exec_only = *must == "entry-above-task-size";
                assert!(names.contains(must) || exec_only, "{}: no {must}", tc.name);
            }
        }
        assert_eq!(
            names.contains("entry-above-task-size"),
            img.elf_type == ElfType::Exec
        );
        for c in &cases {
            assert!(
                c.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
            assert_eq!(parse(&c.file), Err(c.expect), "{}: {}", tc.name, c.name);
            let errno = c.expect.errno();
            assert!(
                [ENOENT, EIO, ENOEXEC, ENOMEM, EINVAL].contains(&errno),
                "{}",
                c.name
            );
        }
        let pairs = malformed_corpus(&valid);
        assert_eq!(pairs.len(), cases.len());
        assert!(
            pairs
                .iter()
                .zip(&cases)
                .all(|((n, f), c)| *n == c.name && *f == c.file)
        );
        println!("{}: {} malformed files", tc.name, cases.len());
    }
}

#[test]
fn errors_map_to_linux_errnos() {
    assert_eq!(ExecError::NotElf.errno(), ENOEXEC);
    assert_eq!(
        ExecError::WrongMachine {
            class: 2,
            machine: 3
        }
        .errno(),
        ENOEXEC
    );
    assert_eq!(ExecError::BadPhnum(0).errno(), ENOEXEC);
    assert_eq!(ExecError::FileszAboveMemsz { index: 1 }.errno(), EINVAL);
    assert_eq!(ExecError::Misaligned { index: 1 }.errno(), EINVAL);
    assert_eq!(ExecError::AboveTaskSize { index: 1 }.errno(), EINVAL);
    assert_eq!(ExecError::BadEntry.errno(), EINVAL);
    assert_eq!(ExecError::ImageTooLarge.errno(), ENOMEM);
    assert_eq!(ExecError::InterpOutsideFile.errno(), EIO);
    assert_eq!(ExecError::InterpEmpty.errno(), ENOENT);
    assert_eq!(ExecError::ArgsTooBig.errno(), 7);
    assert_eq!(
        ExecError::SegmentsOverlap { index: 3 }.to_string(),
        "segment 3 overlaps the one before"
    );
    assert!(malformed_cases(b"not an elf").is_empty());
    // The same problems in the interpreter: load_elf_binary / load_elf_interp.
    assert_eq!(ExecError::NotElf.interp_errno(), 80);
    assert_eq!(ExecError::BadPhnum(0).interp_errno(), 80);
    assert_eq!(ExecError::NoLoadSegments.interp_errno(), EINVAL);
    assert_eq!(ExecError::AboveTaskSize { index: 0 }.interp_errno(), ENOMEM);
    assert_eq!(ExecError::Misaligned { index: 0 }.interp_errno(), EINVAL);
}

/// xorshift64*: a small deterministic generator for the mutation loop.
struct Rng(u64);

impl Rng {
    // Next pseudo-random 64-bit value.
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    // Uniform-ish value below `n`; 0 when `n` is 0.
    fn below(&mut self, n: u64) -> u64 {
        self.next().checked_rem(n).unwrap_or(0)
    }
}

// Use every derived value of an accepted image, as the kernel would.
fn exercise(img: &ElfImage, rng: &mut Rng) {
    let bias = img.load_bias(rng.next());
    let _ = img.check_placement(bias);
    let _ = (
        img.total_mapping_size(),
        img.span(),
        img.maximum_alignment(),
    );
    let _ = (
        img.mm_bounds(bias),
        img.phdr_at(bias),
        img.entry_at(bias),
        img.stack_executable(),
    );
    for s in &img.segments {
        let _ = (
            s.map_start(),
            s.file_offset(),
            s.file_map_len(),
            s.zero_fill(),
            s.anon_range(),
        );
        let _ = img.mmap_prot(s);
    }
}

// Random byte flips, random field values and truncations of `valid`.
fn mutate(valid: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut f = valid.to_vec();
    let head = f.len().min(1024) as u64;
    match rng.below(4) {
        1 if head >= 8 => {
            let i = rng.below(head - 7) as usize;
            let v = match rng.below(4) {
                0 => rng.next(),
                1 => u64::MAX - rng.below(0x2000),
                2 => rng.below(0x1_0000),
                _ => 0x7fff_ffff_f000 + rng.below(0x2000),
            };
            let n = [1, 2, 4, 8][rng.below(4) as usize];
            f[i..i + n].copy_from_slice(&v.to_le_bytes()[..n]);
        }
        0 | 1 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(head) as usize;
                f[i] ^= 1 << rng.below(8);
            }
        }
        2 => f.truncate(rng.below(valid.len() as u64) as usize),
        _ => {
            let i = rng.below(head) as usize;
            f[i] = rng.next() as u8;
            f.truncate(rng.below(valid.len() as u64 + 1) as usize);
        }
    }
    f
}

#[test]
fn random_mutations_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    let mut rejected = 0;
    for tc in STATIC.iter().chain(DYNAMIC) {
        let valid = program("hello", tc);
        let mut inputs = vec![valid.clone()];
        inputs.extend(malformed_cases(&valid).into_iter().map(|c| c.file));
        for round in 0..10_000 {
            // Half the rounds start from the valid file, half from a corpus file.
            let seed = if round % 2 == 0 {
                &valid
            } else {
                &inputs[round / 2 % inputs.len()]
            };
            if seed.is_empty() {
                continue;
            }
            let file = mutate(seed, &mut rng);
            match parse(&file) {
                Ok(img) => {
                    accepted += 1;
                    exercise(&img, &mut rng);
                }
                Err(e) => {
                    rejected += 1;
                    let _ = (e.errno(), e.to_string());
                }
            }
        }
    }
    println!("mutations: {accepted} accepted, {rejected} rejected");
    assert!(rejected > accepted / 10, "the mutations reach the checks");
}

#[test]
fn random_stack_parameters_never_panic() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let strings: Vec<Vec<u8>> = (0..64)
        .map(|i| vec![b'a' + (i % 26) as u8; (i * i * 37) % 5000])
        .collect();
    for _ in 0..3000 {
        let class = if rng.below(2) == 0 {
            Class::Elf32
        } else {
            Class::Elf64
        };
        let pick = |rng: &mut Rng| -> Vec<&[u8]> {
            (0..rng.below(20))
                .map(|_| &strings[rng.below(64) as usize][..])
                .collect()
        };
        let (argv, envp) = (pick(&mut rng), pick(&mut rng));
        let top = match rng.below(3) {
            0 => rng.next() & !0xfff,
            1 => rng.below(0x10_0000) & !0xfff,
            _ => class.task_size() - (rng.below(16) << 12),
        };
        let extra = [(AT_RSEQ_FEATURE_SIZE, rng.next()), (AT_RSEQ_ALIGN, 32)];
        let p = StackParams {
            class,
            stack_top: top,
            argv: &argv,
            envp: &envp,
            execfn: &strings[rng.below(64) as usize],
            platform: class.platform(),
            random: [7; 16],
            align_offset: rng.below(9000) as u32,
            rlim_stack: rng.next() >> rng.below(64),
            auxv: AuxvValues {
                hwcap: rng.next() >> 32,
                extra: &extra[..rng.below(3) as usize],
                ..Default::default()
            },
        };
        if let Ok(st) = create_elf_tables(&p) {
            assert_eq!(st.sp % 16, 0);
            assert_eq!(st.bytes.len() as u64, top - st.sp);
        }
    }
}
