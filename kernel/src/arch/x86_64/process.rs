//! Per-thread CPU state and switching between threads (Linux's
//! arch/x86/kernel/process_64.c): `copy_thread` builds a new task's kernel
//! stack so its first switch lands in `ret_from_fork`; `__switch_to` moves
//! FPU, segment and TLS state; `start_thread` sets up registers for exec.

use super::cpu::{MSR_FS_BASE, MSR_KERNEL_GS_BASE, rdmsr, wrmsr};
use super::entry::PtRegs;
use super::fpu::FpState;
use super::gdt::{self, GDT_ENTRY_TLS_ENTRIES, USER_CS, USER_DS, USER32_CS};
use super::mm::{init::init_top_pgt, load_cr3};
use super::percpu;
use crate::process::task::Task;

/// Linux's struct thread_struct (x86_64).
pub struct ThreadStruct {
    /// Kernel stack pointer saved by __switch_to_asm.
    pub sp: u64,
    pub fsbase: u64,
    /// The user's GS base (64-bit processes).
    pub gsbase: u64,
    pub fsindex: u16,
    pub gsindex: u16,
    pub ds: u16,
    pub es: u16,
    /// The three GDT TLS descriptors (set_thread_area).
    pub tls_array: [u64; GDT_ENTRY_TLS_ENTRIES],
    /// The user FPU registers while the task is switched out.
    pub fpu: FpState,
}

impl ThreadStruct {
    pub fn new() -> ThreadStruct {
        ThreadStruct {
            sp: 0,
            fsbase: 0,
            gsbase: 0,
            fsindex: 0,
            gsindex: 0,
            ds: 0,
            es: 0,
            tls_array: [0; GDT_ENTRY_TLS_ENTRIES],
            fpu: FpState::new(),
        }
    }
}

impl Default for ThreadStruct {
    fn default() -> Self {
        Self::new()
    }
}

core::arch::global_asm!(
    r#"
    .section .text.switch, "ax"
/*
 * __switch_to_asm(u64 *prev_sp, u64 next_sp): save the callee-saved
 * registers on prev's kernel stack, store its %rsp, load next's, restore
 * next's callee-saved registers and return on next's stack: into
 * schedule() for a task that switched out, into ret_from_fork_asm for a
 * new one. Called with interrupts off.
 */
    .globl __switch_to_asm
__switch_to_asm:
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    movq    %rsp, (%rdi)
    movq    %rsi, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret

/*
 * ret_from_fork_asm: a new task's first instructions. The fork frame left
 * %rbx = kernel-thread function (0 for a user fork), %r12 = its argument,
 * and %rsp at the task's struct pt_regs. ret_from_fork (Rust) finishes the
 * switch, runs the thread function if any, and prepares the return to user
 * mode, which completes through the common iret path.
 */
    .globl ret_from_fork_asm
ret_from_fork_asm:
    movq    %rsp, %rdi
    movq    %rbx, %rsi
    movq    %r12, %rdx
    call    ret_from_fork
    jmp     swapgs_restore_regs_and_return_to_usermode

/* load_gs_index(sel): load the user %gs selector while %gs holds the
 * kernel's per-CPU base: swap, load, swap back. Interrupts must be off. */
    .globl load_gs_index
load_gs_index:
    swapgs
    movl    %edi, %gs
    swapgs
    ret
"#,
    options(att_syntax)
);

unsafe extern "C" {
    fn __switch_to_asm(prev_sp: *mut u64, next_sp: u64);
    fn ret_from_fork_asm();
    fn load_gs_index(sel: u32);
}

/// The frame __switch_to_asm pops for a task that has never run.
#[repr(C)]
struct ForkFrame {
    r15: u64,
    r14: u64,
    r13: u64,
    r12: u64,
    rbx: u64,
    rbp: u64,
    ret_addr: u64,
}

fn read_seg_fs() -> u16 {
    let v: u16;
    // SAFETY: reading a segment register has no side effects.
    unsafe { core::arch::asm!("mov {0:x}, fs", out(reg) v, options(nomem, nostack)) };
    v
}

fn read_seg_gs() -> u16 {
    let v: u16;
    // SAFETY: as read_seg_fs.
    unsafe { core::arch::asm!("mov {0:x}, gs", out(reg) v, options(nomem, nostack)) };
    v
}

/// Capture the running task's live user segment state into `t`.
fn save_user_segments(t: &mut ThreadStruct) {
    t.fsindex = read_seg_fs();
    t.gsindex = read_seg_gs();
    if t.fsindex == 0 {
        t.fsbase = rdmsr(MSR_FS_BASE);
    }
    if t.gsindex == 0 {
        t.gsbase = rdmsr(MSR_KERNEL_GS_BASE);
    }
}

/// Make `t`'s user segment state live on this CPU.
fn load_user_segments(t: &ThreadStruct) {
    gdt::load_tls(&t.tls_array);
    // SAFETY: selectors are 0 or ones set_thread_area/exec validated; the
    // MSR writes only change user-visible bases. Interrupts are off.
    unsafe {
        core::arch::asm!("mov ds, {0:x}", "mov es, {1:x}", in(reg) t.ds, in(reg) t.es, options(nostack));
        if t.fsindex != 0 {
            core::arch::asm!("mov fs, {0:x}", in(reg) t.fsindex, options(nostack));
        } else {
            core::arch::asm!("mov fs, {0:x}", in(reg) 0u16, options(nostack));
            wrmsr(MSR_FS_BASE, t.fsbase);
        }
        load_gs_index(t.gsindex as u32);
        if t.gsindex == 0 {
            wrmsr(MSR_KERNEL_GS_BASE, t.gsbase);
        }
    }
}

/// Switch from `prev` to `next`: address space, then CPU state, then
/// stacks (Linux's context_switch → switch_mm + switch_to).
///
/// # Safety
/// Interrupts off; both tasks stay alive across the switch; `prev` is the
/// task running now.
pub unsafe fn context_switch(prev: &Task, next: &Task) {
    let next_pgd = next.mm.lock().as_ref().map_or(init_top_pgt(), |m| m.pgd());
    if super::cpu::read_cr3() & !0xfff != next_pgd {
        // SAFETY: every mm shares the kernel half of init_top_pgt.
        unsafe { load_cr3(next_pgd) };
    }
    // SAFETY: interrupts are off and we are the switch path (ThreadCell).
    let (pt, nt) = unsafe { (prev.thread.get(), next.thread.get()) };
    save_user_segments(pt);
    pt.fpu.save();
    load_user_segments(nt);
    nt.fpu.restore();
    if let Some(s) = &next.kstack {
        percpu::set_top_of_stack(s.top);
    }
    // SAFETY: nt.sp was saved by __switch_to_asm or built by copy_thread.
    unsafe { __switch_to_asm(&mut pt.sp, nt.sp) };
}

/// How the child's registers start (Linux's kernel_clone_args, arch part).
pub enum ThreadStart<'a> {
    /// A copy of the parent's user registers, returning 0 from the
    /// syscall, on `stack` if non-zero, with `tls` per CLONE_SETTLS.
    User {
        regs: &'a PtRegs,
        stack: u64,
        tls: Option<u64>,
    },
    /// A kernel thread running `f(arg)`.
    Kernel { f: fn(usize), arg: usize },
}

/// Build `child`'s kernel stack and thread state (Linux's copy_thread):
/// the child resumes in ret_from_fork with its own copy of the registers.
#[unsafe(no_mangle)]
pub fn copy_thread(child: &Task, start: ThreadStart) -> Result<(), crate::errno::Errno> {
    let top = child.kstack.as_ref().expect("new task has a stack").top;
    let regs_ptr = (top as usize - core::mem::size_of::<PtRegs>()) as *mut PtRegs;
    let frame_ptr = (regs_ptr as usize - core::mem::size_of::<ForkFrame>()) as *mut ForkFrame;
    // SAFETY: the child has not run; nobody else touches its thread state.
    let ct = unsafe { child.thread.get() };
    let mut frame = ForkFrame {
        r15: 0,
        r14: 0,
        r13: 0,
        r12: 0,
        rbx: 0,
        rbp: 0,
        ret_addr: ret_from_fork_asm as *const () as u64,
    };
    let regs = match start {
        ThreadStart::User { regs, stack, tls } => {
            // The parent's live user state, not its possibly stale copy.
            // SAFETY: the parent is the running task.
            let parent = unsafe { crate::sched::current().thread.get() };
            save_user_segments(parent);
            parent.fpu.save();
            ct.fsbase = parent.fsbase;
            ct.gsbase = parent.gsbase;
            ct.fsindex = parent.fsindex;
            ct.gsindex = parent.gsindex;
            ct.ds = parent.ds;
            ct.es = parent.es;
            ct.tls_array = parent.tls_array;
            ct.fpu.bytes_mut().copy_from_slice(parent.fpu.bytes());
            let mut r = *regs;
            r.ax = 0; // fork returns 0 in the child
            if stack != 0 {
                r.sp = stack;
            }
            if let Some(tls) = tls {
                if child.is_compat() {
                    super::tls::do_set_thread_area(ct, tls as usize, false)?;
                } else {
                    if tls >= super::mm::TASK_SIZE_MAX {
                        return Err(crate::errno::Errno::EPERM);
                    }
                    ct.fsbase = tls;
                    ct.fsindex = 0;
                }
            }
            r
        }
        ThreadStart::Kernel { f, arg } => {
            frame.rbx = f as usize as u64;
            frame.r12 = arg as u64;
            PtRegs::default()
        }
    };
    // SAFETY: both lie inside the child's fresh, mapped kernel stack.
    unsafe {
        regs_ptr.write(regs);
        frame_ptr.write(frame);
    }
    ct.sp = frame_ptr as u64;
    Ok(())
}

/// A new task's first Rust code (called from ret_from_fork_asm).
#[unsafe(no_mangle)]
extern "C" fn ret_from_fork(regs: &mut PtRegs, f: u64, arg: u64) {
    crate::sched::finish_task_switch();
    super::irq::enable();
    if f != 0 {
        // SAFETY: copy_thread stored a `fn(usize)` here for kernel threads.
        let f: fn(usize) = unsafe { core::mem::transmute(f as usize) };
        f(arg as usize);
        // A kernel thread that returns has exec'd a user program: its
        // pt_regs now describe user mode.
    } else {
        crate::process::fork::schedule_tail();
    }
    super::entry::common::syscall_exit_to_user_mode(regs);
}

/// Registers for a freshly exec'd program (Linux's start_thread and
/// compat_start_thread): user segments, entry point, stack, all else 0.
pub fn start_thread(regs: &mut PtRegs, ip: u64, sp: u64, compat: bool) {
    *regs = PtRegs::default();
    regs.ip = ip;
    regs.sp = sp;
    regs.flags = 0x202; // IF
    regs.orig_ax = u64::MAX;
    if compat {
        regs.cs = USER32_CS as u64;
        regs.ss = USER_DS as u64;
    } else {
        regs.cs = USER_CS as u64;
        regs.ss = USER_DS as u64;
    }
    // SAFETY: exec runs in the task itself; its thread state is ours.
    let t = unsafe { crate::sched::current().thread.get() };
    t.fsbase = 0;
    t.gsbase = 0;
    t.fsindex = 0;
    t.gsindex = 0;
    let ds = if compat { USER_DS } else { 0 };
    t.ds = ds;
    t.es = ds;
    t.tls_array = [0; GDT_ENTRY_TLS_ENTRIES];
    load_user_segments(t);
    t.fpu.reset();
}

/// Make the running task's user segment state take effect now (after
/// arch_prctl or set_thread_area changed it).
pub fn reload_user_segments() {
    let irqs = super::irq::save_and_disable();
    // SAFETY: the running task's own state, interrupts off.
    load_user_segments(unsafe { crate::sched::current().thread.get() });
    super::irq::restore(irqs);
}

/// Save the running task's live segment state (before reading it).
pub fn sync_user_segments() {
    let irqs = super::irq::save_and_disable();
    // SAFETY: as reload_user_segments.
    save_user_segments(unsafe { crate::sched::current().thread.get() });
    super::irq::restore(irqs);
}

/// Switch this CPU to the kernel's own page tables (before an mm goes).
pub fn switch_to_kernel_mm() {
    // SAFETY: init_top_pgt maps the kernel exactly as every mm does.
    unsafe { load_cr3(init_top_pgt()) };
}
