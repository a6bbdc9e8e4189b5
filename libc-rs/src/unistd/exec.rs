//! execve and its family: execv, execvp, execvpe (PATH search with glibc's
//! rules: ENOEXEC runs /bin/sh, EACCES is remembered), and the variadic
//! execl, execlp, execle.

use crate::arch::{self, VaList, nr};
use crate::env::environ;
use crate::errno::{EACCES, ENAMETOOLONG, ENOENT, ENOEXEC, errno, set_errno};
use crate::string::mem::memcpy;
use crate::string::str::{strchr, strchrnul, strlen};
use crate::sys::ret_int;
use crate::{c_char, c_int};
use core::ptr::null_mut;

/// `execve(path, argv, envp)`: only returns on failure.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn execve(
    path: *const c_char,
    argv: *const *const c_char,
    envp: *const *const c_char,
) -> c_int {
    ret_int(syscall!(nr::EXECVE, path, argv, envp))
}

/// `execv(path, argv)`: with the current environment.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn execv(path: *const c_char, argv: *const *const c_char) -> c_int {
    // SAFETY: caller's strings; environ is ours.
    unsafe { execve(path, argv, environ as _) }
}

/// Run `file` through /bin/sh (after ENOEXEC), as glibc does.
unsafe fn exec_shell(file: *const c_char, argv: *const *const c_char, envp: *const *const c_char) {
    // SAFETY: argv is NULL-terminated; the copy lives on our stack.
    unsafe {
        let mut n = 0;
        while !(*argv.add(n)).is_null() {
            n += 1;
        }
        if n > 4096 {
            return;
        }
        let mut args: [*const c_char; 4098] = [null_mut(); 4098];
        args[0] = c"/bin/sh".as_ptr();
        args[1] = file;
        for i in 1..n {
            args[i + 1] = *argv.add(i);
        }
        execve(c"/bin/sh".as_ptr(), args.as_ptr(), envp);
    }
}

/// `execvpe(file, argv, envp)`: a name with '/' is run as is; otherwise each
/// PATH entry is tried (default "/bin:/usr/bin"); EACCES wins over ENOENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn execvpe(
    file: *const c_char,
    argv: *const *const c_char,
    envp: *const *const c_char,
) -> c_int {
    // SAFETY: caller's strings.
    unsafe {
        if *file == 0 {
            set_errno(ENOENT);
            return -1;
        }
        if !strchr(file, b'/' as c_int).is_null() {
            execve(file, argv, envp);
            if errno() == ENOEXEC {
                exec_shell(file, argv, envp);
                set_errno(ENOEXEC);
            }
            return -1;
        }
        let path = crate::env::getenv(c"PATH".as_ptr());
        let path = if path.is_null() {
            c"/bin:/usr/bin".as_ptr()
        } else {
            path as *const c_char
        };
        let flen = strlen(file);
        if flen > 255 {
            set_errno(ENAMETOOLONG);
            return -1;
        }
        let mut buf = [0 as c_char; 4096 + 256];
        let mut seen_eacces = false;
        let mut p = path;
        loop {
            let end = strchrnul(p, b':' as c_int);
            let dlen = end.offset_from(p) as usize;
            if dlen < 4096 {
                memcpy(buf.as_mut_ptr() as _, p as _, dlen);
                let mut at = dlen;
                if dlen > 0 {
                    buf[at] = b'/' as c_char;
                    at += 1;
                }
                memcpy(buf.as_mut_ptr().add(at) as _, file as _, flen + 1);
                execve(buf.as_ptr(), argv, envp);
                match errno() {
                    EACCES => seen_eacces = true,
                    ENOEXEC => {
                        exec_shell(buf.as_ptr(), argv, envp);
                        return -1;
                    }
                    ENOENT | crate::errno::ENOTDIR => {}
                    _ => return -1,
                }
            }
            if *end == 0 {
                break;
            }
            p = end.add(1);
        }
        if seen_eacces {
            set_errno(EACCES);
        }
        -1
    }
}

/// `execvp(file, argv)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn execvp(file: *const c_char, argv: *const *const c_char) -> c_int {
    // SAFETY: as execvpe.
    unsafe { execvpe(file, argv, environ as _) }
}

/// Collect `arg0, ...` up to NULL into an array on our stack, then call `f`
/// with it; `tail` is called on the va_list after the NULL (execle's envp).
unsafe fn with_args(
    arg0: *const c_char,
    ap: arch::RawVaList,
    f: impl FnOnce(*const *const c_char, &mut VaList) -> c_int,
) -> c_int {
    const MAX: usize = 4096;
    let mut args: [*const c_char; MAX + 1] = [null_mut(); MAX + 1];
    // SAFETY: the shim's va_list; the list ends with a NULL pointer.
    unsafe {
        let mut va = VaList::from_raw(ap);
        args[0] = arg0;
        let mut n = 1;
        if !arg0.is_null() {
            loop {
                let a: *const c_char = va.next_ptr();
                if n == MAX {
                    set_errno(crate::errno::E2BIG);
                    return -1;
                }
                args[n] = a;
                n += 1;
                if a.is_null() {
                    break;
                }
            }
        }
        f(args.as_ptr(), &mut va)
    }
}

/// `execl(path, arg0, ..., NULL)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_vexecl(
    path: *const c_char,
    arg0: *const c_char,
    ap: arch::RawVaList,
) -> c_int {
    // SAFETY: as with_args and execv.
    unsafe { with_args(arg0, ap, |argv, _| execv(path, argv)) }
}

/// `execlp(file, arg0, ..., NULL)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_vexeclp(
    file: *const c_char,
    arg0: *const c_char,
    ap: arch::RawVaList,
) -> c_int {
    // SAFETY: as with_args and execvp.
    unsafe { with_args(arg0, ap, |argv, _| execvp(file, argv)) }
}

/// `execle(path, arg0, ..., NULL, envp)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_vexecle(
    path: *const c_char,
    arg0: *const c_char,
    ap: arch::RawVaList,
) -> c_int {
    // SAFETY: as with_args; envp follows the NULL.
    unsafe {
        with_args(arg0, ap, |argv, va| {
            let envp: *const *const c_char = va.next_ptr();
            execve(path, argv, envp)
        })
    }
}
