//! Boot: head.S (the 32-bit PVH entry) and the boot information it hands us.

pub mod pvh;

core::arch::global_asm!(include_str!("head.S"), options(att_syntax));

/// E820 memory types, as firmware reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum E820Type {
    Ram,
    Reserved,
    Acpi,
    Nvs,
    Unusable,
    Other(u32),
}

impl E820Type {
    pub fn from_raw(t: u32) -> E820Type {
        match t {
            1 => E820Type::Ram,
            2 => E820Type::Reserved,
            3 => E820Type::Acpi,
            4 => E820Type::Nvs,
            5 => E820Type::Unusable,
            t => E820Type::Other(t),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            E820Type::Ram => "usable",
            E820Type::Reserved => "reserved",
            E820Type::Acpi => "ACPI data",
            E820Type::Nvs => "ACPI NVS",
            E820Type::Unusable => "unusable",
            E820Type::Other(_) => "type ?",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct E820Entry {
    pub addr: u64,
    pub size: u64,
    pub kind: E820Type,
}

pub const E820_MAX: usize = 128;
/// Linux's COMMAND_LINE_SIZE on x86.
pub const COMMAND_LINE_SIZE: usize = 2048;

/// Everything the loader told us, copied out of its structures.
pub struct BootParams {
    pub e820: [E820Entry; E820_MAX],
    pub e820_entries: usize,
    pub cmdline: [u8; COMMAND_LINE_SIZE],
    pub cmdline_len: usize,
    /// Physical address and size of the initramfs, if any.
    pub initrd: Option<(u64, u64)>,
    pub rsdp: u64,
}

impl BootParams {
    pub fn e820(&self) -> &[E820Entry] {
        &self.e820[..self.e820_entries]
    }

    pub fn cmdline(&self) -> &str {
        core::str::from_utf8(&self.cmdline[..self.cmdline_len]).unwrap_or("")
    }
}
