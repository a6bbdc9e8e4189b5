//! In-kernel self-tests, run with `ktest=all` or `ktest=name,name` on the
//! command line. Each prints `ktest: NAME ... ok` or `... FAILED: why`,
//! then one summary line `ktest: N passed, M failed`, and the kernel powers
//! off. Tests named `fault_*` deliberately crash the kernel to exercise
//! the oops report; they only run when named.

mod mm;

use crate::pr_info;
use alloc::string::String;

type Test = fn() -> Result<(), String>;

const TESTS: &[(&str, Test)] = &[
    ("frames", mm::frames),
    ("buddy_orders", mm::buddy_orders),
    ("paging", mm::paging),
    ("heap", mm::heap),
    ("kernel_stacks", mm::kernel_stacks),
    ("timer", mm::timer),
];

const FAULTS: &[(&str, fn())] = &[
    ("fault_ud", mm::fault_ud),
    ("fault_null", mm::fault_null),
    ("fault_de", mm::fault_de),
    ("fault_stack_overflow", mm::fault_stack_overflow),
    ("fault_panic", mm::fault_panic),
];

/// Run the selected tests and power off.
pub fn run(list: &str) -> ! {
    let (mut passed, mut failed) = (0, 0);
    for want in list.split(',').filter(|w| !w.is_empty()) {
        if let Some((name, f)) = FAULTS.iter().find(|(n, _)| *n == want) {
            pr_info!("ktest: {name}: expecting an oops");
            f();
            pr_info!("ktest: {name} ... FAILED: survived");
            failed += 1;
            continue;
        }
        let selected: alloc::vec::Vec<_> = TESTS
            .iter()
            .filter(|(n, _)| want == "all" || *n == want)
            .collect();
        if selected.is_empty() {
            pr_info!("ktest: {want} ... FAILED: no such test");
            failed += 1;
        }
        for (name, t) in selected {
            match t() {
                Ok(()) => {
                    pr_info!("ktest: {name} ... ok");
                    passed += 1;
                }
                Err(why) => {
                    pr_info!("ktest: {name} ... FAILED: {why}");
                    failed += 1;
                }
            }
        }
    }
    pr_info!("ktest: {passed} passed, {failed} failed");
    crate::init::power_off()
}
