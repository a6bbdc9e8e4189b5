//! Boot tests: the banner, the memory map, the command line, the exception
//! report, and the in-kernel allocator/paging self-tests.

use forkline_tests::*;
use std::time::Duration;

const T: Duration = Duration::from_secs(60);

#[test]
fn banner_is_first_line() {
    let b = boot(&qemu(""), T);
    let first = b.serial.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if !first.starts_with("Forkline") {
        b.fail("first serial line does not begin with `Forkline`");
    }
}
