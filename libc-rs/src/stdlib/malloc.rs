//! malloc and friends: dlmalloc (the `dlmalloc` crate, a port of Doug Lea's
//! allocator) over anonymous `mmap`, behind one futex lock. The lock is
//! taken across fork (see atfork.rs) so the child never inherits a heap in
//! the middle of an update.

use crate::errno::{EINVAL, ENOMEM, set_errno};
use crate::lock::Lock;
use crate::mman::{
    MAP_ANONYMOUS, MAP_FAILED, MAP_PRIVATE, PROT_READ, PROT_WRITE, mmap, mremap_raw as mremap,
    munmap,
};
use crate::{c_int, c_void, size_t};
use core::ptr::null_mut;
use dlmalloc::{Allocator, Dlmalloc};

/// Where dlmalloc gets its memory: fresh anonymous mappings.
struct Pages;

// SAFETY: the methods below honour the trait's contracts: returned regions
// are page-aligned, zero-filled and exclusively dlmalloc's.
unsafe impl Allocator for Pages {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        // SAFETY: an anonymous private mapping touches no existing memory.
        let p = unsafe {
            mmap(
                null_mut(),
                size,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == MAP_FAILED {
            (null_mut(), 0, 0)
        } else {
            (p as *mut u8, size, 0)
        }
    }

    fn remap(&self, ptr: *mut u8, oldsize: usize, newsize: usize, can_move: bool) -> *mut u8 {
        // SAFETY: ptr/oldsize is a mapping we made.
        let p = unsafe {
            mremap(
                ptr as _,
                oldsize,
                newsize,
                if can_move { 1 } else { 0 },
                null_mut(),
            )
        };
        if p == MAP_FAILED {
            null_mut()
        } else {
            p as *mut u8
        }
    }

    fn free_part(&self, ptr: *mut u8, oldsize: usize, newsize: usize) -> bool {
        // SAFETY: shrinking our own mapping in place.
        unsafe {
            let p = mremap(ptr as _, oldsize, newsize, 0, null_mut());
            if p != MAP_FAILED {
                return true;
            }
            munmap(ptr.add(newsize) as _, oldsize - newsize) == 0
        }
    }

    fn free(&self, ptr: *mut u8, size: usize) -> bool {
        // SAFETY: our own mapping.
        unsafe { munmap(ptr as _, size) == 0 }
    }

    fn can_release_part(&self, _flags: u32) -> bool {
        true
    }

    fn allocates_zeros(&self) -> bool {
        true
    }

    fn page_size(&self) -> usize {
        4096
    }
}

static mut HEAP: Dlmalloc<Pages> = Dlmalloc::new_with_allocator(Pages);
/// The heap lock; public for fork.
pub static HEAP_LOCK: Lock = Lock::new();

/// Run `f` on the heap with the lock held.
fn with_heap<R>(f: impl FnOnce(&mut Dlmalloc<Pages>) -> R) -> R {
    HEAP_LOCK.with(|| {
        // SAFETY: the lock gives us exclusive access.
        f(unsafe { &mut *(&raw mut HEAP) })
    })
}

/// Requests above PTRDIFF_MAX fail, as in glibc.
fn too_big(n: usize) -> bool {
    n > isize::MAX as usize
}

/// `malloc(n)`: NULL with ENOMEM on failure; malloc(0) returns a unique
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn malloc(n: size_t) -> *mut c_void {
    if too_big(n) {
        set_errno(ENOMEM);
        return null_mut();
    }
    // SAFETY: dlmalloc's C API with the lock held.
    let p = with_heap(|h| unsafe { h.c_malloc(n) });
    if p.is_null() {
        set_errno(ENOMEM);
    }
    p as *mut c_void
}

/// `free(p)`: free(NULL) does nothing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn free(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    // SAFETY: p came from this allocator (caller's contract).
    with_heap(|h| unsafe { h.c_free(p as *mut u8) })
}

/// `calloc(n, size)`: zeroed; ENOMEM when n * size overflows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn calloc(n: size_t, size: size_t) -> *mut c_void {
    let Some(total) = n.checked_mul(size).filter(|&t| !too_big(t)) else {
        set_errno(ENOMEM);
        return null_mut();
    };
    // SAFETY: a fresh block of `total` bytes.
    unsafe {
        let p = malloc(total);
        if !p.is_null() {
            crate::string::mem::memset(p, 0, total);
        }
        p
    }
}

/// `realloc(p, n)`: realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and
/// returns NULL (glibc); on failure p is left alone.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn realloc(p: *mut c_void, n: size_t) -> *mut c_void {
    // SAFETY: p came from this allocator (caller's contract).
    unsafe {
        if p.is_null() {
            return malloc(n);
        }
        if n == 0 {
            free(p);
            return null_mut();
        }
        if too_big(n) {
            set_errno(ENOMEM);
            return null_mut();
        }
        let q = with_heap(|h| h.c_realloc(p as *mut u8, n));
        if q.is_null() {
            set_errno(ENOMEM);
        }
        q as *mut c_void
    }
}

/// `reallocarray(p, n, size)`: realloc with an overflow check.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn reallocarray(p: *mut c_void, n: size_t, size: size_t) -> *mut c_void {
    match n.checked_mul(size) {
        // SAFETY: as realloc.
        Some(t) => unsafe { realloc(p, t) },
        None => {
            set_errno(ENOMEM);
            null_mut()
        }
    }
}

/// Aligned allocation; `align` must be a power of two.
fn aligned(align: usize, n: usize) -> *mut c_void {
    if too_big(n) {
        return null_mut();
    }
    // SAFETY: align is a power of two (checked by callers).
    with_heap(|h| unsafe { h.c_memalign(align, n) }) as *mut c_void
}

/// `posix_memalign(out, align, n)`: EINVAL unless align is a power of two
/// multiple of sizeof(void *); ENOMEM on failure (errno untouched).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn posix_memalign(out: *mut *mut c_void, align: size_t, n: size_t) -> c_int {
    if !align.is_power_of_two() || align % size_of::<usize>() != 0 {
        return EINVAL;
    }
    let p = aligned(align, n);
    if p.is_null() {
        return ENOMEM;
    }
    // SAFETY: caller's output.
    unsafe { *out = p };
    0
}

/// `aligned_alloc(align, n)` (C11) and `memalign(align, n)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aligned_alloc(align: size_t, n: size_t) -> *mut c_void {
    if !align.is_power_of_two() {
        set_errno(EINVAL);
        return null_mut();
    }
    let p = aligned(align, n);
    if p.is_null() {
        set_errno(ENOMEM);
    }
    p
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn memalign(align: size_t, n: size_t) -> *mut c_void {
    // SAFETY: same contract.
    unsafe { aligned_alloc(align, n) }
}

/// `valloc(n)`: page-aligned.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn valloc(n: size_t) -> *mut c_void {
    // SAFETY: same contract.
    unsafe { aligned_alloc(4096, n) }
}

/// `malloc_usable_size(p)`: the bytes usable at p (dlmalloc's chunk size
/// minus its overhead: one word, two for directly mmapped chunks).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn malloc_usable_size(p: *mut c_void) -> size_t {
    if p.is_null() {
        return 0;
    }
    let w = size_of::<usize>();
    // SAFETY: dlmalloc keeps the chunk's size word just before the block.
    let head = unsafe { *((p as usize - w) as *const usize) };
    let size = head & !7;
    // PINUSE (1) and CINUSE (2) both clear mark a directly mmapped chunk.
    let overhead = if head & 3 == 0 { 2 * w } else { w };
    size - overhead
}
