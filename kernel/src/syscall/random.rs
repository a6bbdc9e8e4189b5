//! getrandom(2) from the kernel's ChaCha20 generator.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::uaccess::copy_to_user;

const GRND_NONBLOCK: u32 = 1;
const GRND_RANDOM: u32 = 2;
const GRND_INSECURE: u32 = 4;

pub fn sys_getrandom(a: &mut SyscallArgs) -> SysResult {
    let (buf, len, flags) = (a.arg(0), a.arg(1).min(0x7fff_f000), a.uint(2));
    if flags & !(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) != 0
        || flags & (GRND_RANDOM | GRND_INSECURE) == (GRND_RANDOM | GRND_INSECURE)
    {
        return Err(Errno::EINVAL);
    }
    let mut chunk = [0u8; 256];
    let mut done = 0;
    while done < len {
        let n = (len - done).min(chunk.len());
        crate::random::get_random_bytes(&mut chunk[..n]);
        copy_to_user(buf + done, &chunk[..n])?;
        done += n;
    }
    Ok(done)
}
