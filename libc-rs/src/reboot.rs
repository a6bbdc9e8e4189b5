//! sys/reboot.h: reboot.

use crate::arch::nr;
use crate::c_int;
use crate::sys::ret_int;

/// Linux's magic numbers that guard reboot(2).
const LINUX_REBOOT_MAGIC1: usize = 0xfee1_dead;
const LINUX_REBOOT_MAGIC2: usize = 0x2812_1969;

/// `reboot(howto)`: one of the RB_* commands (Linux's LINUX_REBOOT_CMD_*).
/// Returns only on failure or for the Ctrl-Alt-Del settings.
#[unsafe(no_mangle)]
pub extern "C" fn reboot(howto: c_int) -> c_int {
    ret_int(syscall!(
        nr::REBOOT,
        LINUX_REBOOT_MAGIC1,
        LINUX_REBOOT_MAGIC2,
        howto as u32,
        0
    ))
}
