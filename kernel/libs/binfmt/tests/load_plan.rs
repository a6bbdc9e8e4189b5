//! The load plan and Linux's special cases, on hand-made ELF files.

mod common;

use binfmt::*;
use common::elf;

const PT_LOAD: u32 = 1;
const PT_INTERP: u32 = 3;
const PT_PHDR: u32 = 6;
const PT_GNU_STACK: u32 = 0x6474_e551;
const R: u32 = 4;
const W: u32 = 2;
const X: u32 = 1;

#[test]
fn segment_plan_follows_elf_load() {
    // text at 0x401000; data+bss sharing no page; a bss-only segment; an empty one.
    let phdrs = [
        (PT_LOAD, R | X, 0x0, 0x40_0000, 0x1234, 0x1234, 0x1000),
        (PT_LOAD, R | W, 0x1e10, 0x40_2e10, 0x300, 0x2000, 0x1000),
        (PT_LOAD, R | W, 0, 0x40_6800, 0, 0x900, 0x1000),
        (PT_LOAD, R, 0, 0x40_8000, 0, 0, 0x1000),
    ];
    let img = parse(&elf(true, 2, 62, 0x40_0100, &phdrs, 0x3000)).unwrap();
    let [text, data, bss, empty] = &img.segments[..] else {
        panic!()
    };
    assert_eq!(
        (text.map_start(), text.file_offset(), text.file_map_len()),
        (0x40_0000, 0, 0x2000)
    );
    assert_eq!((text.zero_fill(), text.anon_range()), (None, None));
    assert_eq!(
        (data.map_start(), data.file_offset(), data.file_map_len()),
        (0x40_2000, 0x1000, 0x2000)
    );
    // padzero clears 0x403110..0x404000; vm_brk maps 0x404000..0x405000.
    assert_eq!(data.zero_fill(), Some((0x40_3110, 0x40_4000)));
    assert_eq!(data.anon_range(), Some((0x40_4000, 0x40_5000)));
    // p_filesz 0: no file mapping (so p_offset 0 need not be congruent),
    // anonymous pages from the segment's page.
    assert_eq!((bss.file_map_len(), bss.zero_fill()), (0, None));
    assert_eq!(bss.anon_range(), Some((0x40_6000, 0x40_8000)));
    assert_eq!((empty.file_map_len(), empty.anon_range()), (0, None));
    assert_eq!(text.prot, Prot(Prot::READ.0 | Prot::EXEC.0));
    assert_eq!(data.prot, Prot(Prot::READ.0 | Prot::WRITE.0));
    assert_eq!(img.total_mapping_size(), 0x8000);
    let b = img.mm_bounds(0);
    assert_eq!(
        (b.start_code, b.end_code, b.start_data, b.end_data),
        (0x40_0000, 0x40_1234, 0x40_8000, 0x40_8000)
    );
    // Linux's end_data is the highest p_vaddr + p_filesz, empty segments included.
    assert_eq!(b.start_brk, 0x40_8000);
    // e_phoff 64 lies in the text segment's file bytes: AT_PHDR = 0x400040.
    assert_eq!((img.phdr_addr, img.pt_phdr), (0x40_0040, None));
    assert_eq!(img.stack, ExecStack::Default);
    assert!(
        !img.read_implies_exec() && !img.stack_executable(),
        "64-bit: no READ_IMPLIES_EXEC"
    );
}

#[test]
fn segments_may_share_a_page_but_not_bytes() {
    let shared = [
        (PT_LOAD, R | X, 0x0, 0x1_0000, 0x800, 0x800, 0x1000),
        (PT_LOAD, R | W, 0x800, 0x1_0800, 0x100, 0x100, 0x1000),
    ];
    assert!(parse(&elf(true, 2, 62, 0x1_0000, &shared, 0x1000)).is_ok());
    let overlap = [
        (PT_LOAD, R | X, 0x0, 0x1_0000, 0x800, 0x801, 0x1000),
        (PT_LOAD, R | W, 0x800, 0x1_0800, 0x100, 0x100, 0x1000),
    ];
    let e = parse(&elf(true, 2, 62, 0x1_0000, &overlap, 0x1000));
    assert_eq!(e, Err(ExecError::SegmentsOverlap { index: 1 }));
}

#[test]
fn i386_without_gnu_stack_reads_as_exec() {
    let load = (PT_LOAD, R | W, 0x0, 0x804_8000, 0x100, 0x100, 0x1000);
    let img = parse(&elf(false, 2, 3, 0x804_8000, &[load], 0x1000)).unwrap();
    assert_eq!((img.class, img.stack), (Class::Elf32, ExecStack::Default));
    assert!(img.read_implies_exec() && img.stack_executable());
    assert_eq!(
        img.mmap_prot(&img.segments[0]),
        Prot(Prot::READ.0 | Prot::WRITE.0 | Prot::EXEC.0)
    );
    let nx = (PT_GNU_STACK, R | W, 0, 0, 0, 0, 16);
    let img = parse(&elf(false, 2, 3, 0x804_8000, &[load, nx], 0x1000)).unwrap();
    assert!(!img.read_implies_exec() && !img.stack_executable());
    let exec_stack = (PT_GNU_STACK, R | W | X, 0, 0, 0, 0, 16);
    let img = parse(&elf(true, 2, 62, 0x1000, &[load, exec_stack], 0x1000)).unwrap();
    assert_eq!(img.stack, ExecStack::Enabled);
    assert!(img.stack_executable() && !img.read_implies_exec());
}

#[test]
fn em_486_is_accepted_for_i386_as_linux_does() {
    let load = (PT_LOAD, R | X, 0x0, 0x804_8000, 0x100, 0x100, 0x1000);
    let img = parse(&elf(false, 2, 6, 0x804_8000, &[load], 0x1000)).unwrap();
    assert_eq!(img.machine, 6);
    assert_eq!(
        parse(&elf(false, 2, 62, 0x804_8000, &[load], 0x1000)),
        Err(ExecError::WrongMachine {
            class: 1,
            machine: 62
        })
    );
}

#[test]
fn at_phdr_follows_linux_not_pt_phdr() {
    // The program headers (offset 64) are not inside any PT_LOAD's file bytes.
    let load = (PT_LOAD, R | X, 0x1000, 0x40_1000, 0x100, 0x100, 0x1000);
    let pt_phdr = (PT_PHDR, R, 64, 0x40_0040, 0x70, 0x70, 8);
    let img = parse(&elf(true, 2, 62, 0x40_1000, &[pt_phdr, load], 0x2000)).unwrap();
    assert_eq!((img.phdr_addr, img.pt_phdr), (0, Some(0x40_0040)));
    assert_eq!(
        img.phdr_at(0x5555_0000_0000),
        0x5555_0000_0000,
        "Linux passes the bare load bias"
    );
}

#[test]
fn first_pt_interp_wins_and_is_cut_at_nul() {
    let mut f = elf(
        true,
        3,
        62,
        0x1000,
        &[
            (PT_INTERP, R, 0x200, 0, 12, 12, 1),
            (PT_INTERP, R, 0x300, 0, 3, 3, 1),
            (PT_LOAD, R | X, 0x0, 0x0, 0x400, 0x400, 0x1000),
        ],
        0x400,
    );
    f[0x200..0x20c].copy_from_slice(b"/lib/ld\0xyz\0");
    f[0x300..0x303].copy_from_slice(b"ab\x01");
    let img = parse(&f).unwrap();
    assert_eq!(img.interp.unwrap().path, b"/lib/ld");
}

#[test]
fn et_dyn_placement_and_alignment() {
    let phdrs = [
        (PT_LOAD, R | X, 0x0, 0x0, 0x1000, 0x1000, 0x20_0000),
        (PT_LOAD, R | W, 0x1000, 0x20_1000, 0x100, 0x3000, 3000),
    ];
    let img = parse(&elf(true, 3, 62, 0x10, &phdrs, 0x2000)).unwrap();
    assert_eq!(
        img.maximum_alignment(),
        0x20_0000,
        "p_align 3000 is not a power of two: ignored"
    );
    assert_eq!(img.total_mapping_size(), 0x20_4000);
    let base = ELF_ET_DYN_BASE_64 & !(img.maximum_alignment() - 1);
    assert_eq!(ELF_ET_DYN_BASE_64, 0x5555_5555_4000);
    let bias = img.load_bias(base);
    assert_eq!(bias, 0x5555_5540_0000);
    img.check_placement(bias).unwrap();
    assert_eq!(
        (img.entry_at(bias), img.phdr_at(bias)),
        (bias + 0x10, bias + 0x40)
    );
    assert_eq!(img.mm_bounds(bias).start_brk, bias + 0x20_4000);
    let top = TASK_SIZE_64 - 0x20_3000;
    assert_eq!(
        img.check_placement(img.load_bias(top)),
        Err(ExecError::AboveTaskSize { index: 1 })
    );
    let img32 = parse(&elf(false, 3, 3, 0x10, &phdrs, 0x2000)).unwrap();
    assert_eq!(img32.load_bias(ELF_ET_DYN_BASE_32), 0x40_0000);
    assert_eq!(
        img32.check_placement(0xffff_0000),
        Err(ExecError::AboveTaskSize { index: 1 })
    );
    assert_eq!(
        img32.check_placement(0xffff_f000),
        Err(ExecError::AboveTaskSize { index: 0 })
    );
    // A relative entry far away from the image still has to land below TASK_SIZE.
    let far = parse(&elf(true, 3, 62, TASK_SIZE_64, &phdrs, 0x2000)).unwrap();
    assert_eq!(far.check_placement(0x1000), Err(ExecError::BadEntry));
}

#[test]
fn no_load_and_odd_headers() {
    let stack = (PT_GNU_STACK, R | W, 0, 0, 0, 0, 16);
    assert_eq!(
        parse(&elf(true, 2, 62, 0x1000, &[stack], 0x200)),
        Err(ExecError::NoLoadSegments)
    );
    assert_eq!(
        parse(&elf(true, 3, 62, 0x1000, &[stack], 0x200)),
        Err(ExecError::NoLoadSegments)
    );
    // 73 program headers of 56 bytes fit in a page; 74 do not.
    let many = vec![stack; 73];
    assert_eq!(
        parse(&elf(true, 2, 62, 0x1000, &many, 0x2000)),
        Err(ExecError::NoLoadSegments)
    );
    let too_many = vec![stack; 74];
    assert_eq!(
        parse(&elf(true, 2, 62, 0x1000, &too_many, 0x2000)),
        Err(ExecError::BadPhnum(74))
    );
    let zero_len = [(PT_LOAD, R, 0x5000, 0x1000, 0, 0, 0x1000)];
    assert!(
        parse(&elf(true, 2, 62, 0x1000, &zero_len, 0x200)).is_ok(),
        "no file bytes, no file check"
    );
}
