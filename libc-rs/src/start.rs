//! Program start-up, in stages:
//!
//! 1. `_start` (crt1.o, assembly per architecture): clear the frame pointer,
//!    hand the initial stack pointer and `main` to `__libc_start_main`. It
//!    touches no data at all.
//! 2. `__libc_start_main`: read argc, argv, envp and auxv off the initial
//!    stack; remember auxv and `environ`, and AT_SYSINFO for i386's
//!    `call *_dl_sysinfo`. Only writes to our own statics (PC-relative, no
//!    relocation needed).
//! 3. `tls::init`: map the static TLS block and the TCB, install the thread
//!    pointer (set_thread_area / arch_prctl). Syscalls before this point use
//!    the early form; after it, `call *%gs:16`.
//! 4. Find the vDSO's functions (`vdso::init`).
//! 5. Constructors, in glibc's order: `.preinit_array`, `_init` (crti/crtn),
//!    `.init_array`, each called with (argc, argv, envp).
//! 6. `exit(main(argc, argv, envp))`.

use crate::{arch, auxv, env, exit, tls, vdso};
use crate::{c_char, c_int};

/// `int main(int, char **, char **)`.
pub type MainFn = extern "C" fn(c_int, *mut *mut c_char, *mut *mut c_char) -> c_int;
type InitFn = extern "C" fn(c_int, *mut *mut c_char, *mut *mut c_char);

unsafe extern "C" {
    static __preinit_array_start: [InitFn; 0];
    static __preinit_array_end: [InitFn; 0];
    static __init_array_start: [InitFn; 0];
    static __init_array_end: [InitFn; 0];
    static __fini_array_start: [extern "C" fn(); 0];
    static __fini_array_end: [extern "C" fn(); 0];
    fn _init();
    fn _fini();
}

/// Stages 2-6. `sp` is the initial stack pointer: argc, argv[], NULL,
/// envp[], NULL, auxv pairs, AT_NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __libc_start_main(main: MainFn, sp: *mut usize) -> ! {
    // SAFETY: the kernel laid the initial stack out as described above.
    let (argc, argv, envp) = unsafe {
        let argc = *sp as c_int;
        let argv = sp.add(1) as *mut *mut c_char;
        let envp = argv.add(argc as usize + 1);
        let mut p = envp;
        while !(*p).is_null() {
            p = p.add(1);
        }
        auxv::init(p.add(1) as *const usize);
        (argc, argv, envp)
    };
    env::init(envp);
    set_program_name(argv);
    arch::init_sysinfo(auxv::get(auxv::AT_SYSINFO).unwrap_or(0));
    tls::init();
    vdso::init(auxv::get(auxv::AT_SYSINFO_EHDR).unwrap_or(0));
    // SAFETY: the linker defines the array bounds; the entries are the
    // program's constructors; _init comes from crti.o/crtn.o.
    unsafe {
        run_array(
            &raw const __preinit_array_start as _,
            &raw const __preinit_array_end as _,
            argc,
            argv,
            envp,
        );
        _init();
        run_array(
            &raw const __init_array_start as _,
            &raw const __init_array_end as _,
            argc,
            argv,
            envp,
        );
    }
    // Destructors run at exit, after the atexit handlers registered later.
    exit::register_internal_fini(run_fini);
    let status = main(argc, argv, envp);
    // SAFETY: exit never returns.
    unsafe { exit::exit(status) }
}

/// Call each constructor in `[start, end)` in order.
unsafe fn run_array(
    start: *const InitFn,
    end: *const InitFn,
    argc: c_int,
    argv: *mut *mut c_char,
    envp: *mut *mut c_char,
) {
    let mut p = start;
    while p < end {
        // SAFETY: p is inside the linker-provided array.
        unsafe {
            (*p)(argc, argv, envp);
            p = p.add(1);
        }
    }
}

/// `.fini_array` in reverse, then `_fini`.
extern "C" fn run_fini() {
    // SAFETY: the linker-provided array bounds and crti/crtn's _fini.
    unsafe {
        let start = &raw const __fini_array_start as *const extern "C" fn();
        let mut p = &raw const __fini_array_end as *const extern "C" fn();
        while p > start {
            p = p.sub(1);
            (*p)();
        }
        _fini();
    }
}

/// glibc's `program_invocation_name` (argv[0]) and its short form (after
/// the last '/'); perror and assert use the short one.
#[unsafe(no_mangle)]
pub static mut program_invocation_name: *mut c_char = core::ptr::null_mut();
#[unsafe(no_mangle)]
pub static mut program_invocation_short_name: *mut c_char = core::ptr::null_mut();

fn set_program_name(argv: *mut *mut c_char) {
    // SAFETY: argv[0] is a C string or NULL; single-threaded startup.
    unsafe {
        let name = *argv;
        if name.is_null() {
            return;
        }
        program_invocation_name = name;
        let slash = crate::string::str::strrchr(name, b'/' as c_int);
        program_invocation_short_name = if slash.is_null() { name } else { slash.add(1) };
    }
}
