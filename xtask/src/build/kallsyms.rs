//! kallsyms: fill the kernel's reserved `.kallsyms` section with its own
//! function symbols after linking (see kernel/src/kallsyms.rs for the
//! format). The section has a fixed size and sits last in rodata, so
//! filling it moves no address; we check that it fits.

use anyhow::{Context, Result, bail};
use object::{Object, ObjectSection, ObjectSymbol, SymbolKind};
use std::path::Path;

/// Copy `linked` to `out` with the symbol table written into `.kallsyms`.
pub fn embed(linked: &Path, out: &Path) -> Result<()> {
    let mut bytes =
        std::fs::read(linked).with_context(|| format!("reading {}", linked.display()))?;
    let (offset, size, blob) = {
        let elf = object::File::parse(&*bytes).context("parsing the kernel ELF")?;
        let section = elf
            .section_by_name(".kallsyms")
            .context("the kernel has no .kallsyms section (linker.ld)")?;
        let (offset, size) = section
            .file_range()
            .context(".kallsyms has no file contents")?;
        (offset as usize, size as usize, table(&elf))
    };
    if blob.len() > size {
        bail!(
            ".kallsyms needs {} bytes but linker.ld reserves {size}; enlarge it",
            blob.len()
        );
    }
    bytes[offset..offset + size].fill(0);
    bytes[offset..offset + blob.len()].copy_from_slice(&blob);
    std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))
}

/// The serialised table: "KSYM", count, entries {addr, size, name_off}, names.
fn table(elf: &object::File) -> Vec<u8> {
    // Functions, plus assembly labels (untyped symbols) in code sections.
    let code: Vec<_> = elf
        .sections()
        .filter(|s| s.kind() == object::SectionKind::Text)
        .map(|s| s.index())
        .collect();
    let mut syms: Vec<(u64, u64, String)> = elf
        .symbols()
        .filter(|s| s.address() >= 0xffff_ffff_8000_0000)
        .filter(|s| s.section_index().is_some_and(|i| code.contains(&i)))
        .filter(|s| {
            matches!(
                s.kind(),
                SymbolKind::Text | SymbolKind::Unknown | SymbolKind::Label
            )
        })
        .filter_map(|s| {
            let name = s
                .name()
                .ok()
                .filter(|n| !n.is_empty() && !n.starts_with(".L"))?;
            Some((
                s.address(),
                s.size(),
                format!("{:#}", rustc_demangle::demangle(name)),
            ))
        })
        .collect();
    syms.sort();
    // Prefer a sized symbol where several share an address.
    syms.dedup_by(|b, a| {
        if a.0 == b.0 {
            if a.1 == 0 {
                std::mem::swap(a, b);
            }
            true
        } else {
            false
        }
    });
    // Labels have no size: let them run to the next symbol.
    for i in 0..syms.len() {
        if syms[i].1 == 0 {
            syms[i].1 = syms.get(i + 1).map_or(0, |n| n.0 - syms[i].0);
        }
    }
    let mut names = Vec::new();
    let mut entries = Vec::new();
    for (addr, size, name) in &syms {
        entries.extend_from_slice(&addr.to_le_bytes());
        entries.extend_from_slice(&(*size as u32).to_le_bytes());
        entries.extend_from_slice(&(names.len() as u32).to_le_bytes());
        names.extend_from_slice(name.as_bytes());
        names.push(0);
    }
    let mut out = b"KSYM".to_vec();
    out.extend_from_slice(&(syms.len() as u32).to_le_bytes());
    out.extend(entries);
    out.extend(names);
    out
}
