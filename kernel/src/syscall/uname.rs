//! uname, sethostname and setdomainname (Linux's kernel/sys.c): who we
//! are; the names themselves live in crate::utsname.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::sync::SpinLock;
use crate::uaccess::{copy_from_user, copy_to_user};
use crate::utsname::{DOMAINNAME, NODENAME, RELEASE, SYSNAME, UTS_LEN, UtsName, VERSION};

/// struct new_utsname: six 65-byte NUL-padded fields. A 32-bit process
/// sees "x86_64" too, unless its personality is PER_LINUX32 (setarch
/// i686), as Linux's override_architecture.
pub fn sys_newuname(a: &mut SyscallArgs) -> SysResult {
    let machine = if crate::sched::current().personality() & 0xff == PER_LINUX32 {
        "i686"
    } else {
        "x86_64"
    };
    let node = NODENAME.lock().get().to_vec();
    let domain = DOMAINNAME.lock().get().to_vec();
    let fields: [&[u8]; 6] = [
        SYSNAME.as_bytes(),
        &node,
        RELEASE.as_bytes(),
        VERSION.as_bytes(),
        machine.as_bytes(),
        &domain,
    ];
    let mut b = [0u8; 65 * 6];
    for (i, s) in fields.iter().enumerate() {
        let n = s.len().min(UTS_LEN);
        b[i * 65..i * 65 + n].copy_from_slice(&s[..n]);
    }
    copy_to_user(a.arg(0), &b).map(|_| 0)
}

/// Linux's PER_LINUX32 personality.
const PER_LINUX32: u32 = 0x0008;

// sethostname/setdomainname: `len` bytes (0..=64; no NUL needed).
fn set_name(name: &SpinLock<UtsName>, addr: usize, len: i32) -> SysResult {
    if !(0..=UTS_LEN as i32).contains(&len) {
        return Err(Errno::EINVAL);
    }
    let mut buf = [0u8; UTS_LEN];
    copy_from_user(&mut buf[..len as usize], addr)?;
    name.lock().set(&buf[..len as usize]).map(|_| 0)
}

pub fn sys_sethostname(a: &mut SyscallArgs) -> SysResult {
    set_name(&NODENAME, a.arg(0), a.int(1))
}

pub fn sys_setdomainname(a: &mut SyscallArgs) -> SysResult {
    set_name(&DOMAINNAME, a.arg(0), a.int(1))
}
