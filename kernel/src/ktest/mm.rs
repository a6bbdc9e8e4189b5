//! Self-tests of memory management and timekeeping in the booted kernel.

use crate::arch::x86_64::irq;
use crate::arch::x86_64::mm::init::kernel_page_table;
use crate::arch::x86_64::mm::pgtable::{PAGE_KERNEL, PageSize};
use crate::arch::x86_64::mm::{PAGE_SIZE, VMALLOC_END, phys_to_virt};
use crate::mm::{page_alloc, slab, vmalloc};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

fn ensure(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(why()) }
}

/// Allocate thousands of frames, fill each with its own pattern, check,
/// free, and come back to the same free count.
pub fn frames() -> Result<(), String> {
    let n = (page_alloc::nr_free_pages() / 2).min(20_000);
    let mut got = Vec::with_capacity(n);
    let mut sorted = Vec::with_capacity(n);
    let baseline = page_alloc::nr_free_pages();
    for i in 0..n {
        let pa = page_alloc::alloc_pages(0).ok_or_else(|| format!("alloc {i} of {n} failed"))?;
        // SAFETY: the frame is ours and direct-mapped.
        unsafe { (phys_to_virt(pa) as *mut u64).write(pa ^ 0x5a5a_5a5a) };
        got.push(pa);
    }
    ensure(page_alloc::nr_free_pages() == baseline - n, || {
        "free count did not drop by n".into()
    })?;
    sorted.extend_from_slice(&got);
    sorted.sort();
    sorted.dedup();
    ensure(sorted.len() == n, || "a frame was handed out twice".into())?;
    for &pa in &got {
        // SAFETY: as above.
        let v = unsafe { (phys_to_virt(pa) as *const u64).read() };
        ensure(v == pa ^ 0x5a5a_5a5a, || {
            format!("frame {pa:#x} was overwritten")
        })?;
    }
    for &pa in &got {
        page_alloc::free_pages(pa, 0);
    }
    page_alloc::check().map_err(String::from)?;
    let now = page_alloc::nr_free_pages();
    ensure(now == baseline, || {
        format!("free count {now} != baseline {baseline}")
    })
}

/// Every order can be allocated and merges back.
pub fn buddy_orders() -> Result<(), String> {
    let mut got = Vec::with_capacity(3 * (buddy::MAX_ORDER + 1));
    let baseline = page_alloc::nr_free_pages();
    let before = page_alloc::buddyinfo();
    for order in 0..=buddy::MAX_ORDER {
        for _ in 0..3 {
            let pa =
                page_alloc::alloc_pages(order).ok_or_else(|| format!("order {order} failed"))?;
            ensure(pa % ((PAGE_SIZE as u64) << order) == 0, || {
                format!("order {order} misaligned")
            })?;
            got.push((pa, order));
        }
    }
    for &(pa, order) in &got {
        page_alloc::free_pages(pa, order);
    }
    page_alloc::check().map_err(String::from)?;
    ensure(page_alloc::nr_free_pages() == baseline, || {
        "free count changed".into()
    })?;
    ensure(page_alloc::buddyinfo() == before, || {
        "blocks did not merge back".into()
    })
}

/// map/translate/unmap in the kernel page tables, with TLB flushes.
pub fn paging() -> Result<(), String> {
    let mut pt = kernel_page_table();
    // A test window at the far end of the vmalloc area.
    let base = (VMALLOC_END & !((1 << 30) - 1)) - (1 << 30);
    let mut alloc = || page_alloc::alloc_zeroed_page();
    let round = |pt: &mut crate::arch::x86_64::mm::pgtable::PageTable,
                 alloc: &mut dyn FnMut() -> Option<u64>|
     -> Result<(), String> {
        let mut frames = Vec::new();
        for i in 0..64u64 {
            let pa = page_alloc::alloc_pages(0).ok_or("no frame")?;
            let va = base + i * PAGE_SIZE as u64;
            pt.map(va, pa, PageSize::Size4K, PAGE_KERNEL, alloc)
                .map_err(|e| format!("map: {e:?}"))?;
            let (tpa, _) = pt.translate(va + 123).ok_or("no translation after map")?;
            ensure(tpa == pa + 123, || {
                format!("translate gave {tpa:#x}, want {:#x}", pa + 123)
            })?;
            // SAFETY: `va` was just mapped to our frame.
            unsafe { (va as *mut u64).write(i * 3) };
            // SAFETY: the same frame through the direct map.
            let seen = unsafe { (phys_to_virt(pa) as *const u64).read() };
            ensure(seen == i * 3, || {
                "write through new mapping not visible".into()
            })?;
            frames.push((va, pa));
        }
        for (va, pa) in frames {
            let (old, _) = pt.unmap(va).ok_or("unmap found nothing")?;
            ensure(old == pa, || "unmap returned the wrong frame".into())?;
            ensure(pt.translate(va).is_none(), || {
                "still mapped after unmap".into()
            })?;
            page_alloc::free_pages(pa, 0);
        }
        Ok(())
    };
    // The first round may allocate intermediate tables; the second must not.
    round(&mut pt, &mut alloc)?;
    let baseline = page_alloc::nr_free_pages();
    round(&mut pt, &mut alloc)?;
    let now = page_alloc::nr_free_pages();
    ensure(now == baseline, || {
        format!("free count {now} != {baseline} after map/unmap")
    })
}

/// Vec, BTreeMap and String through kmalloc, including large blocks.
pub fn heap() -> Result<(), String> {
    let before = slab::bytes_in_use();
    let frames_before = page_alloc::nr_free_pages();
    {
        let mut m = BTreeMap::new();
        for i in 0..5000u64 {
            m.insert(i * 7919 % 10007, format!("value {i}"));
        }
        ensure(m.len() == 5000, || "BTreeMap lost entries".into())?;
        let big: Vec<u64> = (0..200_000).collect();
        ensure(big.iter().sum::<u64>() == 199_999 * 200_000 / 2, || {
            "big Vec corrupted".into()
        })?;
        let mut aligned = Vec::new();
        for shift in 3..14 {
            let l = core::alloc::Layout::from_size_align(24, 1 << shift).unwrap();
            // SAFETY: layout is non-zero sized; freed below with the same layout.
            let p = unsafe { alloc::alloc::alloc(l) };
            ensure(!p.is_null() && p as usize % (1 << shift) == 0, || {
                format!("align {} broken", 1 << shift)
            })?;
            aligned.push((p, l));
        }
        for (p, l) in aligned {
            // SAFETY: allocated above with this layout.
            unsafe { alloc::alloc::dealloc(p, l) };
        }
    }
    let after = slab::bytes_in_use();
    ensure(after == before, || {
        format!("heap bytes in use {after} != {before}")
    })?;
    // Empty slab pages go back to the buddy allocator.
    let frames_after = page_alloc::nr_free_pages();
    ensure(frames_after == frames_before, || {
        format!("free frames {frames_after} != {frames_before} after the heap emptied")
    })
}

/// Kernel stacks: allocate, touch every page, free; frames come back.
pub fn kernel_stacks() -> Result<(), String> {
    let baseline = page_alloc::nr_free_pages();
    let mut stacks = Vec::new();
    for i in 0..200 {
        let s = vmalloc::alloc_kernel_stack().ok_or_else(|| format!("stack {i} failed"))?;
        for va in (s.bottom()..s.top).step_by(PAGE_SIZE) {
            // SAFETY: the stack's pages are mapped and ours.
            unsafe { (va as *mut u64).write(va) };
        }
        ensure(
            kernel_page_table().translate(s.bottom() - 1).is_none(),
            || "guard page is mapped".into(),
        )?;
        stacks.push(s);
    }
    for s in stacks {
        vmalloc::free_kernel_stack(s);
    }
    let now = page_alloc::nr_free_pages();
    // Page-table pages for the stack area stay allocated after first use.
    ensure(now + 16 >= baseline && now <= baseline, || {
        format!("free count {now} vs {baseline}")
    })
}

/// The periodic tick advances jiffies at about HZ per second of TSC time.
pub fn timer() -> Result<(), String> {
    ensure(irq::enabled(), || "interrupts are off".into())?;
    let (j0, t0) = (crate::time::jiffies(), crate::time::ktime_get_ns());
    while crate::time::ktime_get_ns() - t0 < 100_000_000 {
        irq::safe_halt();
    }
    let ticks = crate::time::jiffies() - j0;
    let want = crate::time::HZ / 10;
    // A functional check, not a timing one: under a loaded host QEMU may
    // coalesce late ticks, so accept anything near HZ.
    ensure(ticks >= want / 2 && ticks <= want * 3 / 2, || {
        format!("{ticks} ticks in 100 ms, want about {want}")
    })
}

pub fn fault_ud() {
    // SAFETY: deliberately executes an invalid instruction.
    unsafe { core::arch::asm!("ud2") };
}

pub fn fault_null() {
    // SAFETY: deliberately writes to the unmapped page at address 0.
    unsafe { core::ptr::write_volatile(core::hint::black_box(0usize) as *mut u64, 0xdead) };
}

pub fn fault_de() {
    // SAFETY: deliberately divides by zero with DIV.
    unsafe {
        core::arch::asm!("xor edx, edx", "xor ecx, ecx", "div ecx", out("eax") _, out("edx") _, out("ecx") _)
    };
}

#[inline(never)]
#[allow(unconditional_recursion)]
fn recurse(n: u64) -> u64 {
    let buf = core::hint::black_box([n; 64]);
    buf[0] + recurse(n + 1)
}

pub fn fault_stack_overflow() {
    // Run on a guarded kernel stack so the overflow hits the guard page.
    let s = vmalloc::alloc_kernel_stack().expect("stack");
    // SAFETY: switch to the fresh stack and recurse until the guard page
    // faults; nothing returns from here.
    unsafe {
        core::arch::asm!("mov rsp, {top}", "xor edi, edi", "call {f}", top = in(reg) s.top, f = sym recurse, options(noreturn))
    }
}

pub fn fault_panic() {
    panic!("ktest: deliberate panic");
}
