//! A vDSO image as the kernel embeds it, and its boot-time patching.
//!
//! `vdso2c` (vdso/vdso2c) turns each built `.so` into a [`VdsoImage`]: the
//! stripped bytes, the mapping size, where the vvar page goes, the offsets of
//! the symbols the kernel needs, and the image's alternatives table.
//!
//! Alternatives are Linux's: an instruction site in the image's text is
//! assembled with its default (fallback) bytes, and an `.altinstructions`
//! entry names a replacement kept in `.altinstr_replacement` and the CPU
//! feature that selects it. At boot the kernel copies the image and rewrites
//! the sites for the CPU it runs on ([`patch_vsyscall`],
//! [`apply_alternatives`]); the copy is what every process maps.

use core::fmt;
use core::str::FromStr;

/// `.altinstructions` feature numbers, shared with the vDSO's assembly.
pub const X86_FEATURE_SYSENTER32: u16 = 1;
pub const X86_FEATURE_SYSCALL32: u16 = 2;
pub const X86_FEATURE_RDPID: u16 = 3;

/// Bytes of one `.altinstructions` entry:
/// `{ i32 site - &site; i32 repl - &repl; u16 feature; u8 site_len; u8 repl_len }`
/// (Linux's `struct alt_instr`, with offsets relative to the field itself).
pub const ALT_ENTRY_SIZE: usize = 12;

/// What an alternative waits for.
#[repr(u16)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// The kernel enters 32-bit processes through SYSENTER (Intel).
    Sysenter32 = X86_FEATURE_SYSENTER32,
    /// The kernel enters 32-bit processes through SYSCALL (AMD, Hygon).
    Syscall32 = X86_FEATURE_SYSCALL32,
    /// The CPU has RDPID and the kernel keeps TSC_AUX = cpu | node << 12.
    Rdpid = X86_FEATURE_RDPID,
}

impl Feature {
    /// The feature with table number `n`, if there is one.
    pub const fn from_u16(n: u16) -> Option<Self> {
        match n {
            X86_FEATURE_SYSENTER32 => Some(Self::Sysenter32),
            X86_FEATURE_SYSCALL32 => Some(Self::Syscall32),
            X86_FEATURE_RDPID => Some(Self::Rdpid),
            _ => None,
        }
    }
}

/// One alternative, with offsets from the start of the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alternative {
    pub site: usize,
    pub site_len: usize,
    pub replacement: usize,
    pub replacement_len: usize,
    pub feature: Feature,
}

impl Alternative {
    /// Decode the `.altinstructions` entry stored at image offset `at`; None
    /// for an unknown feature or an offset outside the address space.
    pub fn decode(entry: &[u8; ALT_ENTRY_SIZE], at: usize) -> Option<Self> {
        let rel =
            |i: usize| i32::from_le_bytes([entry[i], entry[i + 1], entry[i + 2], entry[i + 3]]);
        let site = at.checked_add_signed(rel(0) as isize)?;
        let replacement = (at + 4).checked_add_signed(rel(4) as isize)?;
        Some(Self {
            site,
            site_len: entry[10] as usize,
            replacement,
            replacement_len: entry[11] as usize,
            feature: Feature::from_u16(u16::from_le_bytes([entry[8], entry[9]]))?,
        })
    }
}

/// How `__kernel_vsyscall` enters the kernel (design.md decision 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VsyscallMethod {
    /// `int $0x80`: every CPU; the site stays NOPs.
    Int80,
    /// `movl %esp,%ebp; sysenter`: Intel.
    Sysenter,
    /// `movl %ecx,%ebp; syscall`: AMD and Hygon in compatibility mode.
    Syscall,
}

impl VsyscallMethod {
    /// Linux's choice by CPUID vendor string: Intel sysenter, AMD/Hygon
    /// syscall, anyone else int $0x80.
    pub fn for_vendor(vendor: &[u8; 12]) -> Self {
        match vendor {
            b"GenuineIntel" => Self::Sysenter,
            b"AuthenticAMD" | b"HygonGenuine" => Self::Syscall,
            _ => Self::Int80,
        }
    }

    /// The name `vdso32=` takes and the boot log prints.
    pub fn name(self) -> &'static str {
        match self {
            Self::Int80 => "int80",
            Self::Sysenter => "sysenter",
            Self::Syscall => "syscall",
        }
    }
}

impl FromStr for VsyscallMethod {
    type Err = ();

    /// Parse a `vdso32=` value.
    fn from_str(s: &str) -> Result<Self, ()> {
        [Self::Int80, Self::Sysenter, Self::Syscall]
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or(())
    }
}

impl fmt::Display for VsyscallMethod {
    /// The `vdso32=` name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an image could not be patched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchError {
    /// A site or replacement lies outside the image given.
    OutOfBounds,
    /// A replacement is longer than its site.
    TooLong,
    /// The image has no `__kernel_vsyscall` site (it is not vdso32).
    NoVsyscallSite,
}

impl fmt::Display for PatchError {
    /// One line for the boot log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OutOfBounds => "alternative outside the vDSO image",
            Self::TooLong => "alternative replacement longer than its site",
            Self::NoVsyscallSite => "vDSO image has no __kernel_vsyscall patch site",
        })
    }
}

/// Linux's P6 NOPs (`x86_nops`), index = length; valid in 32- and 64-bit code.
const NOPS: [&[u8]; 9] = [
    &[],
    &[0x90],
    &[0x66, 0x90],
    &[0x0f, 0x1f, 0x00],
    &[0x0f, 0x1f, 0x40, 0x00],
    &[0x0f, 0x1f, 0x44, 0x00, 0x00],
    &[0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
    &[0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
    &[0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

/// Fill `buf` with as few NOP instructions as possible (Linux's `add_nops`).
pub fn fill_nops(buf: &mut [u8]) {
    let mut rest = buf;
    while !rest.is_empty() {
        let n = rest.len().min(NOPS.len() - 1);
        let (head, tail) = rest.split_at_mut(n);
        head.copy_from_slice(NOPS[n]);
        rest = tail;
    }
}

/// Rewrite `alt`'s site in `image` with its replacement, NOP-padded.
fn apply_one(image: &mut [u8], alt: &Alternative) -> Result<(), PatchError> {
    if alt.replacement_len > alt.site_len {
        return Err(PatchError::TooLong);
    }
    let site = alt.site
        ..alt
            .site
            .checked_add(alt.site_len)
            .ok_or(PatchError::OutOfBounds)?;
    let repl = alt.replacement
        ..alt
            .replacement
            .checked_add(alt.replacement_len)
            .ok_or(PatchError::OutOfBounds)?;
    if site.end > image.len() || repl.end > image.len() {
        return Err(PatchError::OutOfBounds);
    }
    image.copy_within(repl, site.start);
    fill_nops(&mut image[site.start + alt.replacement_len..site.end]);
    Ok(())
}

/// Apply, in table order, every alternative whose feature `has` reports
/// (Linux's `apply_alternatives`). Returns how many sites were rewritten.
/// Patch a fresh copy of the image: sites are not restored.
pub fn apply_alternatives(
    image: &mut [u8],
    alts: &[Alternative],
    has: impl Fn(Feature) -> bool,
) -> Result<usize, PatchError> {
    let mut applied = 0;
    for alt in alts.iter().filter(|a| has(a.feature)) {
        apply_one(image, alt)?;
        applied += 1;
    }
    Ok(applied)
}

/// Give vdso32's `__kernel_vsyscall` the entry sequence of `method`: the
/// sysenter or syscall replacement, or NOPs that fall through to
/// `int $0x80`. May be called again on the same copy to switch methods.
pub fn patch_vsyscall(
    image: &mut [u8],
    alts: &[Alternative],
    method: VsyscallMethod,
) -> Result<(), PatchError> {
    let is_site = |a: &&Alternative| matches!(a.feature, Feature::Sysenter32 | Feature::Syscall32);
    let site = alts
        .iter()
        .find(is_site)
        .ok_or(PatchError::NoVsyscallSite)?;
    let want = match method {
        VsyscallMethod::Int80 => {
            let end = site
                .site
                .checked_add(site.site_len)
                .ok_or(PatchError::OutOfBounds)?;
            fill_nops(
                image
                    .get_mut(site.site..end)
                    .ok_or(PatchError::OutOfBounds)?,
            );
            return Ok(());
        }
        VsyscallMethod::Sysenter => Feature::Sysenter32,
        VsyscallMethod::Syscall => Feature::Syscall32,
    };
    let alt = alts
        .iter()
        .find(|a| a.feature == want)
        .ok_or(PatchError::NoVsyscallSite)?;
    apply_one(image, alt)
}

/// Bytes aligned to a page, so the kernel can map an image in place.
#[repr(C, align(4096))]
pub struct PageAligned<const N: usize>(pub [u8; N]);

/// One vDSO image, as `vdso2c` describes it (Linux's `struct vdso_image`).
/// Symbol offsets are from the image start (the ELF header); None where the
/// image has no such symbol (the 32-bit entry points in vdso64).
#[derive(Debug)]
pub struct VdsoImage {
    /// "vdso32" or "vdso64".
    pub name: &'static str,
    /// The stripped ELF, zero-padded to `size`; page-aligned.
    pub data: &'static [u8],
    /// Bytes to map: a multiple of the page size.
    pub size: usize,
    /// Where the vvar area starts, relative to the image: negative, and the
    /// area runs up to the image (Linux's `sym_vvar_start`).
    pub sym_vvar_start: isize,
    /// AT_SYSINFO's target and the ELF entry point.
    pub sym_kernel_vsyscall: Option<usize>,
    /// Where the kernel returns after SYSENTER and SYSCALL entries.
    pub sym_int80_landing_pad: Option<usize>,
    /// The default `sa_restorer` for signals without SA_RESTORER.
    pub sym_kernel_sigreturn: Option<usize>,
    pub sym_kernel_rt_sigreturn: Option<usize>,
    /// The image's `.altinstructions`, decoded.
    pub alternatives: &'static [Alternative],
}

impl VdsoImage {
    /// Bytes of vvar area below the image.
    pub fn vvar_size(&self) -> usize {
        self.sym_vvar_start.unsigned_abs()
    }

    /// [`patch_vsyscall`] with this image's table, on a copy of `data`.
    pub fn patch_vsyscall(
        &self,
        copy: &mut [u8],
        method: VsyscallMethod,
    ) -> Result<(), PatchError> {
        patch_vsyscall(copy, self.alternatives, method)
    }

    /// [`apply_alternatives`] with this image's table, on a copy of `data`.
    pub fn apply_alternatives(
        &self,
        copy: &mut [u8],
        has: impl Fn(Feature) -> bool,
    ) -> Result<usize, PatchError> {
        apply_alternatives(copy, self.alternatives, has)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake image: site of 4 NOPs at 16, replacements at 32 and 36.
    fn image() -> ([u8; 64], [Alternative; 3]) {
        let mut img = [0xccu8; 64];
        img[16..20].copy_from_slice(NOPS[4]);
        img[20..22].copy_from_slice(&[0xcd, 0x80]);
        img[32..36].copy_from_slice(&[0x89, 0xe5, 0x0f, 0x34]);
        img[36..40].copy_from_slice(&[0x89, 0xcd, 0x0f, 0x05]);
        img[40..43].copy_from_slice(&[0x0f, 0x03, 0xc1]);
        img[43] = 0x90;
        img[48..52].copy_from_slice(&[0xf3, 0x0f, 0xc7, 0xf8]);
        let alt = |site, replacement, site_len, feature| Alternative {
            site,
            site_len,
            replacement,
            replacement_len: 4,
            feature,
        };
        (
            img,
            [
                alt(16, 32, 4, Feature::Sysenter32),
                alt(16, 36, 4, Feature::Syscall32),
                alt(40, 48, 4, Feature::Rdpid),
            ],
        )
    }

    #[test]
    fn patch_vsyscall_each_method_and_back() {
        let (mut img, alts) = image();
        patch_vsyscall(&mut img, &alts, VsyscallMethod::Sysenter).unwrap();
        assert_eq!(img[16..22], [0x89, 0xe5, 0x0f, 0x34, 0xcd, 0x80]);
        patch_vsyscall(&mut img, &alts, VsyscallMethod::Syscall).unwrap();
        assert_eq!(img[16..22], [0x89, 0xcd, 0x0f, 0x05, 0xcd, 0x80]);
        patch_vsyscall(&mut img, &alts, VsyscallMethod::Int80).unwrap();
        assert_eq!(img[16..22], [0x0f, 0x1f, 0x40, 0x00, 0xcd, 0x80]);
        // Nothing outside the site moved.
        assert_eq!(img[..16], [0xcc; 16]);
        assert_eq!(img[40..44], [0x0f, 0x03, 0xc1, 0x90]);
        assert_eq!(
            patch_vsyscall(&mut img, &alts[2..], VsyscallMethod::Int80),
            Err(PatchError::NoVsyscallSite)
        );
    }

    #[test]
    fn apply_alternatives_by_feature() {
        let (mut img, alts) = image();
        let n = apply_alternatives(&mut img, &alts, |f| f == Feature::Rdpid).unwrap();
        assert_eq!(n, 1);
        assert_eq!(img[40..44], [0xf3, 0x0f, 0xc7, 0xf8]);
        assert_eq!(img[16..20], *NOPS[4]);
        let short = Alternative {
            site_len: 2,
            ..alts[0]
        };
        assert_eq!(
            apply_alternatives(&mut img, &[short], |_| true),
            Err(PatchError::TooLong)
        );
        let far = Alternative {
            site: 62,
            ..alts[0]
        };
        assert_eq!(
            apply_alternatives(&mut img, &[far], |_| true),
            Err(PatchError::OutOfBounds)
        );
        let huge = Alternative {
            site: usize::MAX - 1,
            ..alts[0]
        };
        assert_eq!(
            patch_vsyscall(&mut img, &[huge], VsyscallMethod::Int80),
            Err(PatchError::OutOfBounds)
        );
    }

    #[test]
    fn nops_and_decoding() {
        let mut buf = [0u8; 11];
        fill_nops(&mut buf);
        assert_eq!(buf[..8], *NOPS[8]);
        assert_eq!(buf[8..], *NOPS[3]);
        // Entry at 0x100: site at 0x40 (rel -0xc0), replacement at 0x200 (rel 0xfc from 0x104).
        let mut e = [0u8; ALT_ENTRY_SIZE];
        e[0..4].copy_from_slice(&(-0xc0i32).to_le_bytes());
        e[4..8].copy_from_slice(&0xfci32.to_le_bytes());
        e[8..10].copy_from_slice(&X86_FEATURE_SYSCALL32.to_le_bytes());
        (e[10], e[11]) = (4, 4);
        let alt = Alternative::decode(&e, 0x100).unwrap();
        assert_eq!(
            (alt.site, alt.replacement, alt.feature),
            (0x40, 0x200, Feature::Syscall32)
        );
        e[8] = 99;
        assert_eq!(Alternative::decode(&e, 0x100), None);
    }

    #[test]
    fn method_names_and_vendors() {
        for m in [
            VsyscallMethod::Int80,
            VsyscallMethod::Sysenter,
            VsyscallMethod::Syscall,
        ] {
            assert_eq!(m.name().parse(), Ok(m));
        }
        assert_eq!("SYSENTER".parse::<VsyscallMethod>(), Err(()));
        assert_eq!(
            VsyscallMethod::for_vendor(b"GenuineIntel"),
            VsyscallMethod::Sysenter
        );
        assert_eq!(
            VsyscallMethod::for_vendor(b"HygonGenuine"),
            VsyscallMethod::Syscall
        );
        assert_eq!(
            VsyscallMethod::for_vendor(b"CentaurHauls"),
            VsyscallMethod::Int80
        );
    }
}
