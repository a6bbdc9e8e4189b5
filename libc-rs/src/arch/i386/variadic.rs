//! Variadic C functions on i386 without nightly `c_variadic`.
//!
//! On i386 every argument is on the stack and a `va_list` is a pointer to the
//! next one. Each variadic entry point is a shim that aligns the stack,
//! copies its named parameters and passes the address of the first variadic
//! one to its v* twin written in Rust.

/// What a C function receives for a `va_list` parameter.
pub type RawVaList = *mut u8;

/// A cursor over variadic arguments.
#[derive(Clone, Copy)]
pub struct VaList(*mut u8);

impl VaList {
    /// Take over a C `va_list`.
    pub unsafe fn from_raw(raw: RawVaList) -> VaList {
        VaList(raw)
    }

    unsafe fn take<T: Copy>(&mut self, size: usize) -> T {
        // SAFETY: the caller's va_list points at its stacked arguments; each
        // occupies a multiple of four bytes, 4-byte aligned.
        unsafe {
            let v = (self.0 as *const T).read_unaligned();
            self.0 = self.0.add(size);
            v
        }
    }

    /// A promoted `int`.
    pub unsafe fn next_int(&mut self) -> i32 {
        // SAFETY: see take.
        unsafe { self.take::<i32>(4) }
    }

    /// A `long` / pointer-sized integer.
    pub unsafe fn next_long(&mut self) -> isize {
        // SAFETY: see take.
        unsafe { self.take::<isize>(4) }
    }

    /// A `long long`.
    pub unsafe fn next_i64(&mut self) -> i64 {
        // SAFETY: see take.
        unsafe { self.take::<i64>(8) }
    }

    /// A pointer.
    pub unsafe fn next_ptr<T>(&mut self) -> *mut T {
        // SAFETY: see take.
        unsafe { self.take::<usize>(4) as *mut T }
    }

    /// A `double`.
    pub unsafe fn next_f64(&mut self) -> f64 {
        // SAFETY: see take.
        unsafe { self.take::<f64>(8) }
    }

    /// A `long double`: 12 bytes on the stack, of which the value is 10.
    pub unsafe fn next_long_double(&mut self) -> [u8; 10] {
        // SAFETY: see take.
        unsafe {
            let v = self.take::<[u8; 10]>(12);
            v
        }
    }
}

/// Generate a variadic shim with `$named` named parameters (1 to 4).
macro_rules! shim {
    ($name:literal => $target:literal, $named:tt) => {
        core::arch::global_asm!(
            concat!(".globl ", $name),
            concat!(".type ", $name, ",@function"),
            concat!($name, ":"),
            "    push %ebp",
            "    mov %esp, %ebp",
            "    and $-16, %esp",
            "    sub $32, %esp",
            "    mov 8(%ebp), %eax",
            "    mov %eax, 0(%esp)",
            "    mov 12(%ebp), %eax",
            "    mov %eax, 4(%esp)",
            "    mov 16(%ebp), %eax",
            "    mov %eax, 8(%esp)",
            "    mov 20(%ebp), %eax",
            "    mov %eax, 12(%esp)",
            concat!("    lea (8 + 4 * ", stringify!($named), ")(%ebp), %eax"),
            concat!("    mov %eax, (4 * ", stringify!($named), ")(%esp)"),
            concat!("    call ", $target),
            "    leave",
            "    ret",
            concat!(".size ", $name, ", .-", $name),
            options(att_syntax),
        );
    };
}

crate::variadic_entry_points!(shim);
