//! reboot (Linux's kernel/reboot.c): power off, restart or halt the
//! machine, or choose what Ctrl-Alt-Del does. Every caller is root here,
//! so the magic numbers are the only guard.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::uaccess::strncpy_from_user;
use core::sync::atomic::{AtomicBool, Ordering};

const LINUX_REBOOT_MAGIC1: u32 = 0xfee1_dead;
/// Linus's and his daughters' birthdays: any one will do.
const LINUX_REBOOT_MAGIC2: [u32; 4] = [0x2812_1969, 0x0512_1996, 0x1604_1998, 0x2011_2000];

const LINUX_REBOOT_CMD_RESTART: u32 = 0x0123_4567;
const LINUX_REBOOT_CMD_HALT: u32 = 0xcdef_0123;
const LINUX_REBOOT_CMD_CAD_ON: u32 = 0x89ab_cdef;
const LINUX_REBOOT_CMD_CAD_OFF: u32 = 0x0000_0000;
const LINUX_REBOOT_CMD_POWER_OFF: u32 = 0x4321_fedc;
const LINUX_REBOOT_CMD_RESTART2: u32 = 0xa1b2_c3d4;

/// Whether Ctrl-Alt-Del would reboot at once (Linux's C_A_D); recorded:
/// the console has no keyboard that could send it.
static C_A_D: AtomicBool = AtomicBool::new(true);

pub fn sys_reboot(a: &mut SyscallArgs) -> SysResult {
    if a.uint(0) != LINUX_REBOOT_MAGIC1 || !LINUX_REBOOT_MAGIC2.contains(&a.uint(1)) {
        return Err(Errno::EINVAL);
    }
    match a.uint(2) {
        LINUX_REBOOT_CMD_CAD_ON => C_A_D.store(true, Ordering::Relaxed),
        LINUX_REBOOT_CMD_CAD_OFF => C_A_D.store(false, Ordering::Relaxed),
        LINUX_REBOOT_CMD_POWER_OFF => crate::init::power_off(),
        LINUX_REBOOT_CMD_HALT => crate::init::halt(),
        LINUX_REBOOT_CMD_RESTART => crate::init::restart(None),
        LINUX_REBOOT_CMD_RESTART2 => {
            // The command for the firmware (unused on a PC); Linux cuts a
            // longer one at 255 bytes, we show none then.
            let cmd = match strncpy_from_user(a.arg(3), 256, Errno::E2BIG) {
                Err(e) if e == Errno::EFAULT => return Err(e),
                r => r.unwrap_or_default(),
            };
            crate::init::restart(Some(&cmd))
        }
        // Kexec and hibernation are not built in: as Linux without them.
        _ => return Err(Errno::EINVAL),
    }
    Ok(0)
}
