//! Variadic C functions on x86_64 without nightly `c_variadic`.
//!
//! Each variadic entry point (printf, open, syscall, execl, …) is a short
//! assembly shim that spills the argument registers into a register save
//! area, builds the SysV `__va_list_tag` (gp_offset, fp_offset,
//! overflow_arg_area, reg_save_area) on its stack, and calls its v* twin
//! written in Rust with a pointer to that tag, exactly the value a C caller
//! of `vprintf(fmt, ap)` passes. [`VaList`] then reads arguments as gcc's
//! `va_arg` does.

/// The psABI's `__va_list_tag`; a C `va_list` is an array of one of these,
/// so it reaches us as a pointer.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct VaListTag {
    gp_offset: u32,
    fp_offset: u32,
    overflow_arg_area: *mut u8,
    reg_save_area: *mut u8,
}

/// What a C function receives for a `va_list` parameter.
pub type RawVaList = *mut VaListTag;

/// A cursor over variadic arguments (our own copy of the tag, like `va_copy`).
#[derive(Clone, Copy)]
pub struct VaList(VaListTag);

impl VaList {
    /// Take over a C `va_list`.
    pub unsafe fn from_raw(raw: RawVaList) -> VaList {
        // SAFETY: the caller passes a va_list that va_start initialised.
        VaList(unsafe { *raw })
    }

    /// The next INTEGER-class eightbyte (int, long, pointer).
    pub unsafe fn next_u64(&mut self) -> u64 {
        let t = &mut self.0;
        // SAFETY: the psABI says where the next INTEGER argument is: in the
        // register save area until 48 bytes are used, then on the stack.
        unsafe {
            if t.gp_offset < 48 {
                let v = (t.reg_save_area.add(t.gp_offset as usize) as *const u64).read();
                t.gp_offset += 8;
                v
            } else {
                let v = (t.overflow_arg_area as *const u64).read();
                t.overflow_arg_area = t.overflow_arg_area.add(8);
                v
            }
        }
    }

    /// A promoted `int`.
    pub unsafe fn next_int(&mut self) -> i32 {
        // SAFETY: as next_u64.
        unsafe { self.next_u64() as i32 }
    }

    /// A `long` / pointer-sized integer.
    pub unsafe fn next_long(&mut self) -> isize {
        // SAFETY: as next_u64.
        unsafe { self.next_u64() as isize }
    }

    /// A `long long`.
    pub unsafe fn next_i64(&mut self) -> i64 {
        // SAFETY: as next_u64.
        unsafe { self.next_u64() as i64 }
    }

    /// A pointer.
    pub unsafe fn next_ptr<T>(&mut self) -> *mut T {
        // SAFETY: as next_u64.
        unsafe { self.next_u64() as usize as *mut T }
    }

    /// A `double` (SSE class): xmm slots of 16 bytes after the 48 GP bytes.
    pub unsafe fn next_f64(&mut self) -> f64 {
        let t = &mut self.0;
        // SAFETY: as next_u64, with the SSE part of the save area (176 bytes).
        unsafe {
            if t.fp_offset < 176 {
                let v = (t.reg_save_area.add(t.fp_offset as usize) as *const f64).read();
                t.fp_offset += 16;
                v
            } else {
                let v = (t.overflow_arg_area as *const f64).read();
                t.overflow_arg_area = t.overflow_arg_area.add(8);
                v
            }
        }
    }

    /// A `long double` (X87 class): always in memory, 16-byte aligned, 16
    /// bytes; returns the 80-bit value's 10 bytes.
    pub unsafe fn next_long_double(&mut self) -> [u8; 10] {
        let t = &mut self.0;
        let p = ((t.overflow_arg_area as usize + 15) & !15) as *mut u8;
        // SAFETY: the psABI puts long double arguments there.
        unsafe {
            t.overflow_arg_area = p.add(16);
            (p as *const [u8; 10]).read()
        }
    }
}

/// Generate a variadic shim: `shim!(name => target, NAMED)` where NAMED is the
/// number of named (integer-class) parameters, 1 to 4. The v* twin receives
/// the named parameters unchanged and the va_list pointer after them.
///
/// Frame (216 bytes, keeps %rsp 16-byte aligned at the call): tag at 0,
/// register save area at 32 (rdi..r9 at 32..80, xmm0-7 at 80..208).
macro_rules! shim {
    ($name:literal => $target:literal, $reload:literal, $ap:literal, $gp:literal) => {
        core::arch::global_asm!(
            concat!(".globl ", $name),
            concat!(".type ", $name, ",@function"),
            concat!($name, ":"),
            "    sub rsp, 216",
            "    mov [rsp + 32], rdi",
            "    mov [rsp + 40], rsi",
            "    mov [rsp + 48], rdx",
            "    mov [rsp + 56], rcx",
            "    mov [rsp + 64], r8",
            "    mov [rsp + 72], r9",
            "    test al, al",
            "    je 1f",
            "    movaps [rsp + 80], xmm0",
            "    movaps [rsp + 96], xmm1",
            "    movaps [rsp + 112], xmm2",
            "    movaps [rsp + 128], xmm3",
            "    movaps [rsp + 144], xmm4",
            "    movaps [rsp + 160], xmm5",
            "    movaps [rsp + 176], xmm6",
            "    movaps [rsp + 192], xmm7",
            "1:",
            concat!("    mov dword ptr [rsp], ", $gp),
            "    mov dword ptr [rsp + 4], 48",
            "    lea rax, [rsp + 224]",
            "    mov [rsp + 8], rax",
            "    lea rax, [rsp + 32]",
            "    mov [rsp + 16], rax",
            $reload,
            concat!("    mov ", $ap, ", rsp"),
            concat!("    call ", $target),
            "    add rsp, 216",
            "    ret",
            concat!(".size ", $name, ", .-", $name),
        );
    };
    // syscall() needs no va_list here: its arguments are six registers and
    // one stack slot, shuffled in place by the assembly in syscall.rs.
    ("syscall" => $target:literal, 1) => {};
    ($name:literal => $target:literal, 1) => {
        shim!($name => $target, "", "rsi", "8");
    };
    ($name:literal => $target:literal, 2) => {
        shim!($name => $target, "", "rdx", "16");
    };
    ($name:literal => $target:literal, 3) => {
        shim!($name => $target, "    mov rcx, [rsp + 56]", "rcx", "24");
    };
    ($name:literal => $target:literal, 4) => {
        shim!($name => $target, "    mov rcx, [rsp + 56]", "r8", "32");
    };
}

// The named registers rdi/rsi/rdx still hold the caller's values (only rax
// and rcx were used above), so shims with up to three named parameters need
// no reload except rcx.
crate::variadic_entry_points!(shim);
