//! `strtold` on i386: strtod already returns its double in st(0), where it
//! is exactly the long double (libc-rs's long double conversions have
//! double's precision and range).

core::arch::global_asm!(
    ".globl strtold",
    ".type strtold,@function",
    "strtold:",
    "    jmp strtod",
    ".size strtold, .-strtold",
);
