//! uname: who we are. sysname says Forkline; release names the Linux ABI
//! level we implement, so programs that parse it see a modern kernel.

use super::SyscallArgs;
use crate::errno::SysResult;
use crate::uaccess::copy_to_user;

pub const SYSNAME: &str = "Forkline";
pub const RELEASE: &str = concat!("6.1.0-forkline-", env!("CARGO_PKG_VERSION"));
pub const VERSION: &str = concat!(
    "#1 Forkline ",
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("FORKLINE_GIT"),
    ")"
);

/// struct new_utsname: six 65-byte NUL-padded fields.
pub fn sys_newuname(a: &mut SyscallArgs) -> SysResult {
    let mut b = [0u8; 65 * 6];
    for (i, s) in [SYSNAME, "forkline", RELEASE, VERSION, "x86_64", "(none)"]
        .iter()
        .enumerate()
    {
        let n = s.len().min(64);
        b[i * 65..i * 65 + n].copy_from_slice(&s.as_bytes()[..n]);
    }
    copy_to_user(a.arg(0), &b).map(|_| 0)
}
