//! The machine's names (Linux's init_uts_ns and kernel/utsname_sysctl.c):
//! the fixed ones, and the host and domain names root may change with
//! sethostname/setdomainname or /proc/sys/kernel/{hostname,domainname}.

use crate::errno::Errno;
use crate::sync::SpinLock;

pub const SYSNAME: &str = "Forkline";
/// The Linux ABI level we implement, so programs that parse it see a
/// modern kernel.
pub const RELEASE: &str = concat!("6.1.0-forkline-", env!("CARGO_PKG_VERSION"));
pub const VERSION: &str = concat!(
    "#1 Forkline ",
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("FORKLINE_GIT"),
    ")"
);

/// Linux's __NEW_UTS_LEN: the longest name, without its NUL.
pub const UTS_LEN: usize = 64;

/// A changeable name: up to UTS_LEN bytes.
pub struct UtsName {
    buf: [u8; UTS_LEN],
    len: usize,
}

impl UtsName {
    const fn new(s: &str) -> UtsName {
        let mut buf = [0u8; UTS_LEN];
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            buf[i] = b[i];
            i += 1;
        }
        UtsName { buf, len: b.len() }
    }

    pub fn get(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Set the name; longer than UTS_LEN is EINVAL (as sethostname).
    pub fn set(&mut self, name: &[u8]) -> Result<(), Errno> {
        if name.len() > UTS_LEN {
            return Err(Errno::EINVAL);
        }
        self.buf = [0; UTS_LEN];
        self.buf[..name.len()].copy_from_slice(name);
        self.len = name.len();
        Ok(())
    }
}

/// The host name: "forkline" until someone names the machine.
pub static NODENAME: SpinLock<UtsName> = SpinLock::new(UtsName::new("forkline"));
/// The NIS domain name: Linux's "(none)".
pub static DOMAINNAME: SpinLock<UtsName> = SpinLock::new(UtsName::new("(none)"));
