//! ctype.h for the C locale: only ASCII has classes; EOF and bytes 128-255
//! belong to none (as in glibc's "C" locale).

use crate::c_int;

/// Is `c` an ASCII value (0-127)? EOF and other ints are not.
fn ascii(c: c_int) -> Option<u8> {
    if (0..128).contains(&c) {
        Some(c as u8)
    } else {
        None
    }
}

macro_rules! class {
    ($($(#[$m:meta])* $name:ident => $test:expr;)*) => {$(
        $(#[$m])*
        #[unsafe(no_mangle)]
        pub extern "C" fn $name(c: c_int) -> c_int {
            ascii(c).is_some_and($test) as c_int
        }
    )*};
}

class! {
    /// `isalnum(c)`.
    isalnum => |b: u8| b.is_ascii_alphanumeric();
    /// `isalpha(c)`.
    isalpha => |b: u8| b.is_ascii_alphabetic();
    /// `isblank(c)`: space or tab.
    isblank => |b: u8| b == b' ' || b == b'\t';
    /// `iscntrl(c)`.
    iscntrl => |b: u8| b < 32 || b == 127;
    /// `isdigit(c)`.
    isdigit => |b: u8| b.is_ascii_digit();
    /// `isgraph(c)`: printable, not space.
    isgraph => |b: u8| b.is_ascii_graphic();
    /// `islower(c)`.
    islower => |b: u8| b.is_ascii_lowercase();
    /// `isprint(c)`: printable including space.
    isprint => |b: u8| (32..127).contains(&b);
    /// `ispunct(c)`.
    ispunct => |b: u8| b.is_ascii_punctuation();
    /// `isspace(c)`: space, \t \n \v \f \r.
    isspace => |b: u8| b == b' ' || (9..=13).contains(&b);
    /// `isupper(c)`.
    isupper => |b: u8| b.is_ascii_uppercase();
    /// `isxdigit(c)`.
    isxdigit => |b: u8| b.is_ascii_hexdigit();
}

/// `isascii(c)`.
#[unsafe(no_mangle)]
pub extern "C" fn isascii(c: c_int) -> c_int {
    (c & !0x7f == 0) as c_int
}

/// `toascii(c)`.
#[unsafe(no_mangle)]
pub extern "C" fn toascii(c: c_int) -> c_int {
    c & 0x7f
}

/// `tolower(c)`: other values (EOF included) come back unchanged.
#[unsafe(no_mangle)]
pub extern "C" fn tolower(c: c_int) -> c_int {
    if (b'A' as c_int..=b'Z' as c_int).contains(&c) {
        c + 32
    } else {
        c
    }
}

/// `toupper(c)`.
#[unsafe(no_mangle)]
pub extern "C" fn toupper(c: c_int) -> c_int {
    if (b'a' as c_int..=b'z' as c_int).contains(&c) {
        c - 32
    } else {
        c
    }
}

/// tolower for a byte (Rust callers).
#[inline]
pub fn tolower_u8(b: u8) -> u8 {
    b.to_ascii_lowercase()
}

/// isspace for a byte (Rust callers).
#[inline]
pub fn isspace_u8(b: u8) -> bool {
    b == b' ' || (9..=13).contains(&b)
}
