//! Per-CPU data, reached through %gs in kernel mode (as Linux's percpu
//! area): entry code uses fixed offsets into `PerCpu`, so the layout is
//! `repr(C)` and the offsets are checked at compile time against the
//! constants head of entry_64.S uses.

use super::cpu::{MSR_GS_BASE, MSR_KERNEL_GS_BASE, wrmsr};
use core::cell::UnsafeCell;

#[repr(C)]
pub struct PerCpu {
    /// %gs:0 — this structure's own address.
    pub self_ptr: u64,
    /// %gs:8 — top of the current task's kernel stack (cpu_current_top_of_stack).
    pub top_of_stack: u64,
    /// %gs:16 — user %rsp saved by entry_SYSCALL_64 before switching stacks.
    pub user_rsp_scratch: u64,
    /// %gs:24 — the current task (a `*const Task`), 0 before the first.
    pub current: u64,
    /// %gs:32 — this CPU's number.
    pub cpu: u64,
}

pub const PERCPU_TOP_OF_STACK: usize = 8;
pub const PERCPU_USER_RSP_SCRATCH: usize = 16;
const _: () = assert!(core::mem::offset_of!(PerCpu, top_of_stack) == PERCPU_TOP_OF_STACK);
const _: () = assert!(core::mem::offset_of!(PerCpu, user_rsp_scratch) == PERCPU_USER_RSP_SCRATCH);

struct PerCpuCell(UnsafeCell<PerCpu>);
// SAFETY: each CPU touches only its own slot, with interrupts off.
unsafe impl Sync for PerCpuCell {}

static CPU0: PerCpuCell = PerCpuCell(UnsafeCell::new(PerCpu {
    self_ptr: 0,
    top_of_stack: 0,
    user_rsp_scratch: 0,
    current: 0,
    cpu: 0,
}));

/// Point %gs at this CPU's area (kernel GS base) and zero the user one.
pub fn init() {
    let p = CPU0.0.get();
    // SAFETY: boot-time, single CPU, interrupts off; the MSR writes make
    // %gs-relative accesses in entry code land in `CPU0`.
    unsafe {
        (*p).self_ptr = p as u64;
        wrmsr(MSR_GS_BASE, p as u64);
        wrmsr(MSR_KERNEL_GS_BASE, 0);
    }
}

/// This CPU's per-CPU area.
///
/// # Safety
/// Use with interrupts disabled or only for fields no interrupt changes.
pub unsafe fn this_cpu() -> *mut PerCpu {
    CPU0.0.get()
}

/// Set the kernel stack used on the next entry from user mode.
pub fn set_top_of_stack(top: u64) {
    // SAFETY: a single aligned store to our own per-CPU field.
    unsafe { (*this_cpu()).top_of_stack = top };
    super::gdt::set_tss_rsp0(top);
}
