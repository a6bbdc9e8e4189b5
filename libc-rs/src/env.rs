//! The environment: `environ`, `getenv`, `setenv`, `unsetenv`, `putenv`,
//! `clearenv`. Strings added by setenv are malloc'd; the array is replaced by
//! a malloc'd copy the first time it must grow.

use crate::errno::{EINVAL, ENOMEM, set_errno};
use crate::lock::Lock;
use crate::stdlib::malloc::{free, malloc, realloc};
use crate::string::mem::memcpy;
use crate::string::str::{strchr, strlen, strncmp};
use crate::{c_char, c_int};
use core::ptr::null_mut;

/// `char **environ` (also `__environ`).
#[unsafe(no_mangle)]
pub static mut environ: *mut *mut c_char = null_mut();

/// Did we allocate `environ` ourselves (so realloc is allowed)?
static mut OWNED: bool = false;
static LOCK: Lock = Lock::new();

/// Startup: the kernel's envp.
pub fn init(envp: *mut *mut c_char) {
    // SAFETY: single-threaded startup.
    unsafe { environ = envp };
}

/// Length of the name part of `name` (up to '=' or the end).
unsafe fn name_len(name: *const c_char) -> usize {
    let mut n = 0;
    // SAFETY: name is a C string.
    unsafe {
        while *name.add(n) != 0 && *name.add(n) != b'=' as c_char {
            n += 1;
        }
    }
    n
}

/// Index of the entry for the first `len` bytes of `name`, if any.
unsafe fn find(name: *const c_char, len: usize) -> Option<usize> {
    // SAFETY: environ is a NULL-terminated array of C strings.
    unsafe {
        let env = environ;
        if env.is_null() {
            return None;
        }
        let mut i = 0;
        while !(*env.add(i)).is_null() {
            let e = *env.add(i);
            if strncmp(e, name, len) == 0 && *e.add(len) == b'=' as c_char {
                return Some(i);
            }
            i += 1;
        }
    }
    None
}

/// `getenv(name)`: the value, or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getenv(name: *const c_char) -> *mut c_char {
    // SAFETY: name is a C string; environ as in find.
    unsafe {
        let len = name_len(name);
        if *name.add(len) != 0 {
            return null_mut();
        }
        match find(name, len) {
            Some(i) => (*environ.add(i)).add(len + 1),
            None => null_mut(),
        }
    }
}

/// Put `entry` ("NAME=value") in place of entry `len`-named, or append it.
unsafe fn put(entry: *mut c_char, len: usize) -> c_int {
    // SAFETY: environ as in find; the arrays we allocate are big enough.
    unsafe {
        if let Some(i) = find(entry, len) {
            *environ.add(i) = entry;
            return 0;
        }
        let mut n = 0;
        while !environ.is_null() && !(*environ.add(n)).is_null() {
            n += 1;
        }
        let bytes = (n + 2) * size_of::<*mut c_char>();
        let new = if OWNED {
            realloc(environ as *mut _, bytes) as *mut *mut c_char
        } else {
            let p = malloc(bytes) as *mut *mut c_char;
            if !p.is_null() && n > 0 {
                memcpy(
                    p as *mut _,
                    environ as *const _,
                    n * size_of::<*mut c_char>(),
                );
            }
            p
        };
        if new.is_null() {
            set_errno(ENOMEM);
            return -1;
        }
        *new.add(n) = entry;
        *new.add(n + 1) = null_mut();
        environ = new;
        OWNED = true;
        0
    }
}

/// `setenv(name, value, overwrite)`: EINVAL for an empty name or one with '='.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn setenv(
    name: *const c_char,
    value: *const c_char,
    overwrite: c_int,
) -> c_int {
    // SAFETY: C strings from the caller.
    unsafe {
        if name.is_null() || *name == 0 || !strchr(name, b'=' as c_int).is_null() {
            set_errno(EINVAL);
            return -1;
        }
        LOCK.with(|| {
            let len = strlen(name);
            if overwrite == 0 && find(name, len).is_some() {
                return 0;
            }
            let vlen = strlen(value);
            let e = malloc(len + vlen + 2) as *mut c_char;
            if e.is_null() {
                set_errno(ENOMEM);
                return -1;
            }
            memcpy(e as *mut _, name as *const _, len);
            *e.add(len) = b'=' as c_char;
            memcpy(e.add(len + 1) as *mut _, value as *const _, vlen + 1);
            put(e, len)
        })
    }
}

/// `putenv(string)`: the string itself becomes part of the environment.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn putenv(s: *mut c_char) -> c_int {
    // SAFETY: a C string from the caller.
    unsafe {
        let len = name_len(s);
        if *s.add(len) == 0 {
            unsetenv(s);
            return 0;
        }
        LOCK.with(|| put(s, len))
    }
}

/// `unsetenv(name)`: remove every entry for name.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn unsetenv(name: *const c_char) -> c_int {
    // SAFETY: a C string; environ as in find.
    unsafe {
        if name.is_null() || *name == 0 || !strchr(name, b'=' as c_int).is_null() {
            set_errno(EINVAL);
            return -1;
        }
        let len = strlen(name);
        LOCK.with(|| {
            while let Some(i) = find(name, len) {
                let mut j = i;
                loop {
                    *environ.add(j) = *environ.add(j + 1);
                    if (*environ.add(j)).is_null() {
                        break;
                    }
                    j += 1;
                }
            }
        });
        0
    }
}

/// `clearenv()`: an empty environment.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn clearenv() -> c_int {
    LOCK.with(|| {
        // SAFETY: only frees what we allocated.
        unsafe {
            if OWNED {
                free(environ as *mut _);
                OWNED = false;
            }
            environ = null_mut();
        }
    });
    0
}

// glibc also calls it `__environ`.
core::arch::global_asm!(".globl __environ", ".set __environ, environ");
