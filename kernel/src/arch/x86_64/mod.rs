core::arch::global_asm!(include_str!("boot/head.S"), options(att_syntax));

unsafe fn outb(port: u16, v: u8) {
    unsafe { core::arch::asm!("out dx, al", in("dx") port, in("al") v) };
}
unsafe fn inb(port: u16) -> u8 {
    let v: u8;
    unsafe { core::arch::asm!("in al, dx", in("dx") port, out("al") v) };
    v
}

#[unsafe(no_mangle)]
extern "C" fn x86_64_start_kernel(start_info: u64) -> ! {
    for b in b"Forkline hello\n" {
        unsafe {
            while inb(0x3fd) & 0x20 == 0 {}
            outb(0x3f8, *b)
        };
    }
    let _ = start_info;
    unsafe { core::arch::asm!("out dx, eax", in("dx") 0xf4u16, in("eax") 0x10u32) };
    loop {}
}
