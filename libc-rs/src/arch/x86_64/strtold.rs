//! `strtold` on x86_64: strtod's double (in xmm0), returned as a long double
//! in st(0), exactly (libc-rs's long double conversions have double's
//! precision and range).

core::arch::global_asm!(
    ".globl strtold",
    ".type strtold,@function",
    "strtold:",
    "    sub rsp, 24",
    "    call strtod",
    "    movsd [rsp], xmm0",
    "    fld qword ptr [rsp]",
    "    add rsp, 24",
    "    ret",
    ".size strtold, .-strtold",
);
