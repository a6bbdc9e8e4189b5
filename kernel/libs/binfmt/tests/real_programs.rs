//! parse() on real programs built with the host's gcc and musl-gcc,
//! cross-checked against the `object` crate's reading of the same files.

mod common;

use binfmt::{
    Class, ELF_ET_DYN_BASE_32, ELF_ET_DYN_BASE_64, ElfImage, ElfType, ExecError, ExecStack,
    PAGE_SIZE, Prot, parse,
};
use common::{DYNAMIC, STATIC, Toolchain, program};
use object::Endianness;
use object::read::elf::{FileHeader, ProgramHeader};

const PT_LOAD: u32 = 1;
const PT_INTERP: u32 = 3;
const PT_PHDR: u32 = 6;
const PT_TLS: u32 = 7;
const PT_GNU_STACK: u32 = 0x6474_e551;

/// A program header as `object` reads it.
#[derive(Debug)]
struct Phdr {
    p_type: u32,
    flags: u32,
    offset: u64,
    vaddr: u64,
    filesz: u64,
    memsz: u64,
    align: u64,
    data: Vec<u8>,
}

/// The facts of an ELF file as `object` reads them.
#[derive(Debug)]
struct View {
    class: Class,
    e_type: u16,
    machine: u16,
    entry: u64,
    phoff: u64,
    phnum: u16,
    phdrs: Vec<Phdr>,
}

// Read `data` with object's ELF reader for header type H.
fn view_as<H: FileHeader<Endian = Endianness>>(data: &[u8], class: Class) -> View {
    let h = H::parse(data).unwrap();
    let e = h.endian().unwrap();
    let phdrs = h
        .program_headers(e, data)
        .unwrap()
        .iter()
        .map(|p| Phdr {
            p_type: p.p_type(e).0,
            flags: p.p_flags(e).0,
            offset: p.p_offset(e).into(),
            vaddr: p.p_vaddr(e).into(),
            filesz: p.p_filesz(e).into(),
            memsz: p.p_memsz(e).into(),
            align: p.p_align(e).into(),
            data: p.data(e, data).unwrap_or(&[]).to_vec(),
        })
        .collect();
    View {
        class,
        e_type: h.e_type(e).0,
        machine: h.e_machine(e).0,
        entry: h.e_entry(e).into(),
        phoff: h.e_phoff(e).into(),
        phnum: h.e_phnum(e),
        phdrs,
    }
}

// object's view of a 32- or 64-bit file.
fn view(data: &[u8]) -> View {
    match data[4] {
        1 => view_as::<object::elf::FileHeader32<Endianness>>(data, Class::Elf32),
        _ => view_as::<object::elf::FileHeader64<Endianness>>(data, Class::Elf64),
    }
}

// Everything parse() reports, compared with object's reading.
fn cross_check(name: &str, data: &[u8]) -> ElfImage {
    let img = parse(data).unwrap_or_else(|e| panic!("{name}: {e}"));
    let v = view(data);
    assert_eq!(img.class, v.class, "{name}");
    assert_eq!(img.machine, v.machine, "{name}");
    let ty = if v.e_type == 2 {
        ElfType::Exec
    } else {
        ElfType::Dyn
    };
    assert_eq!(img.elf_type, ty, "{name}");
    assert_eq!(
        (img.entry, img.phoff, img.phnum),
        (v.entry, v.phoff, v.phnum),
        "{name}"
    );
    let loads: Vec<&Phdr> = v.phdrs.iter().filter(|p| p.p_type == PT_LOAD).collect();
    assert_eq!(img.segments.len(), loads.len(), "{name}");
    for (s, p) in img.segments.iter().zip(&loads) {
        assert_eq!(
            (s.vaddr, s.memsz, s.filesz, s.offset, s.align),
            (p.vaddr, p.memsz, p.filesz, p.offset, p.align)
        );
        assert_eq!(s.prot.contains(Prot::READ), p.flags & 4 != 0);
        assert_eq!(s.prot.contains(Prot::WRITE), p.flags & 2 != 0);
        assert_eq!(s.prot.contains(Prot::EXEC), p.flags & 1 != 0);
        // The plan: whole pages of file, then padzero, then anonymous pages.
        assert_eq!(s.map_start() % PAGE_SIZE, 0);
        assert_eq!(s.map_start() + (s.vaddr - s.map_start()), s.vaddr);
        assert_eq!(s.file_offset(), p.offset - p.vaddr % PAGE_SIZE);
        assert!(s.file_map_len() >= p.filesz && s.file_map_len() % PAGE_SIZE == 0);
        if let Some((lo, hi)) = s.anon_range() {
            assert!(lo >= s.map_start() + s.file_map_len() || p.filesz == 0);
            assert!(hi >= p.vaddr + p.memsz && hi % PAGE_SIZE == 0);
        }
    }
    let interp = v.phdrs.iter().find(|p| p.p_type == PT_INTERP).map(|p| {
        let mut d = p.data.clone();
        while d.last() == Some(&0) {
            d.pop();
        }
        d
    });
    assert_eq!(
        img.interp.as_ref().map(|i| i.path.clone()),
        interp,
        "{name}"
    );
    let stack = match v.phdrs.iter().rev().find(|p| p.p_type == PT_GNU_STACK) {
        None => ExecStack::Default,
        Some(p) if p.flags & 1 != 0 => ExecStack::Enabled,
        Some(_) => ExecStack::Disabled,
    };
    assert_eq!(img.stack, stack, "{name}");
    let tls = v.phdrs.iter().find(|p| p.p_type == PT_TLS);
    assert_eq!(
        img.tls.map(|t| (t.vaddr, t.memsz, t.filesz)),
        tls.map(|t| (t.vaddr, t.memsz, t.filesz))
    );
    let pt_phdr = v
        .phdrs
        .iter()
        .find(|p| p.p_type == PT_PHDR)
        .map(|p| p.vaddr);
    assert_eq!(img.pt_phdr, pt_phdr, "{name}");
    let covering = loads
        .iter()
        .rev()
        .find(|p| p.offset <= v.phoff && v.phoff < p.offset + p.filesz);
    let phdr_addr = covering.map_or(0, |p| v.phoff - p.offset + p.vaddr);
    assert_eq!(img.phdr_addr, phdr_addr, "{name}");
    if let Some(pt) = pt_phdr {
        assert_eq!(
            img.phdr_addr, pt,
            "{name}: Linux's AT_PHDR agrees with PT_PHDR"
        );
    }
    let lo = loads[0].vaddr / PAGE_SIZE * PAGE_SIZE;
    let hi = loads.iter().map(|p| p.vaddr + p.memsz).max().unwrap();
    assert_eq!(img.total_mapping_size(), hi - lo, "{name}");
    assert_eq!(img.span(), (lo, hi), "{name}");
    img
}

// Where the kernel would put an image, and that Linux's checks accept it.
fn check_placement(name: &str, img: &ElfImage) {
    match img.elf_type {
        ElfType::Exec => {
            assert_eq!(img.load_bias(0x1234_5000), 0);
            img.check_placement(0).unwrap();
        }
        ElfType::Dyn => {
            let base = match img.class {
                Class::Elf32 => ELF_ET_DYN_BASE_32,
                Class::Elf64 => ELF_ET_DYN_BASE_64,
            };
            let base = base & !(img.maximum_alignment() - 1);
            let bias = img.load_bias(base);
            assert_eq!(img.segments[0].map_start() + bias, base, "{name}");
            img.check_placement(bias).unwrap();
            assert_eq!(img.entry_at(bias), img.entry + bias);
            let too_high = img.task_size() - img.total_mapping_size() + PAGE_SIZE;
            assert!(matches!(
                img.check_placement(img.load_bias(too_high)),
                Err(ExecError::AboveTaskSize { .. })
            ));
        }
    }
}

// Build hello.c with each toolchain in `tcs`, cross-check, return images.
fn check_all(tcs: &[Toolchain]) -> Vec<(Toolchain, ElfImage)> {
    tcs.iter()
        .map(|tc| {
            let data = program("hello", tc);
            let img = cross_check(tc.name, &data);
            check_placement(tc.name, &img);
            (*tc, img)
        })
        .collect()
}

#[test]
fn static_programs_parse_like_object_reads_them() {
    for (tc, img) in check_all(STATIC) {
        assert!(img.interp.is_none(), "{}", tc.name);
        assert_eq!(
            img.stack,
            ExecStack::Disabled,
            "{}: gcc marks the stack non-executable",
            tc.name
        );
        assert!(!img.read_implies_exec() && !img.stack_executable());
        assert!(img.tls.is_some(), "{}: hello.c uses __thread", tc.name);
        let expect = match tc.name {
            "gcc-static" => (Class::Elf64, ElfType::Exec),
            "gcc-m32-static" => (Class::Elf32, ElfType::Exec),
            "gcc-static-pie" => (Class::Elf64, ElfType::Dyn),
            _ => (Class::Elf64, img.elf_type),
        };
        assert_eq!((img.class, img.elf_type), expect, "{}", tc.name);
        let b = img.mm_bounds(0);
        assert!(
            b.start_code <= img.entry && img.entry < b.end_code,
            "{}",
            tc.name
        );
        assert!(b.start_brk % PAGE_SIZE == 0 && b.start_brk >= img.span().1);
    }
}

#[test]
fn dynamic_programs_name_their_interpreter() {
    for (tc, img) in check_all(DYNAMIC) {
        let path = img.interp.as_ref().expect("PT_INTERP").path.clone();
        let expect: &[u8] = match img.class {
            Class::Elf64 => b"/lib64/ld-linux-x86-64.so.2",
            Class::Elf32 => b"/lib/ld-linux.so.2",
        };
        assert_eq!(path, expect, "{}", tc.name);
        let ty = if tc.name == "gcc-no-pie" {
            ElfType::Exec
        } else {
            ElfType::Dyn
        };
        assert_eq!(img.elf_type, ty, "{}", tc.name);
        assert!(img.pt_phdr.is_some(), "{}", tc.name);
    }
}
