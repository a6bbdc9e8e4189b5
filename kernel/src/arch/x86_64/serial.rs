//! The 8250/16550 UART on COM1 (0x3f8): the console.

use core::sync::atomic::{AtomicBool, Ordering};
use x86::io::{inb, outb};

const COM1: u16 = 0x3f8;
const THR: u16 = 0; // transmit holding (write), receive buffer (read)
const IER: u16 = 1; // interrupt enable
const FCR: u16 = 2; // FIFO control
const LCR: u16 = 3; // line control
const MCR: u16 = 4; // modem control
const LSR: u16 = 5; // line status
const LSR_DR: u8 = 0x01; // data ready
const LSR_THRE: u8 = 0x20; // transmit holding register empty

static READY: AtomicBool = AtomicBool::new(false);

/// 115200 baud, 8N1, FIFOs on, interrupts off (polled output).
pub fn init() {
    // SAFETY: COM1's ports belong to this driver alone.
    unsafe {
        outb(COM1 + IER, 0x00);
        outb(COM1 + LCR, 0x80); // DLAB
        outb(COM1, 0x01); // divisor 1: 115200
        outb(COM1 + IER, 0x00);
        outb(COM1 + LCR, 0x03); // 8N1
        outb(COM1 + FCR, 0xc7); // enable + clear FIFOs, 14-byte threshold
        outb(COM1 + MCR, 0x0b); // DTR RTS OUT2
    }
    READY.store(true, Ordering::Relaxed);
}

fn put(b: u8) {
    // SAFETY: polling LSR then writing THR is the UART's output protocol.
    unsafe {
        while inb(COM1 + LSR) & LSR_THRE == 0 {
            core::hint::spin_loop();
        }
        outb(COM1 + THR, b);
    }
}

/// Write bytes, turning "\n" into "\r\n" as a terminal expects.
pub fn write_bytes(bytes: &[u8]) {
    if !READY.load(Ordering::Relaxed) {
        init();
    }
    for &b in bytes {
        if b == b'\n' {
            put(b'\r');
        }
        put(b);
    }
}

/// A received byte, if one is waiting.
pub fn try_read() -> Option<u8> {
    // SAFETY: reading LSR/RBR has no effect beyond consuming the byte.
    unsafe { (inb(COM1 + LSR) & LSR_DR != 0).then(|| inb(COM1 + THR)) }
}

/// Ask the UART to interrupt (IRQ 4) when input arrives.
pub fn enable_rx_interrupt() {
    // SAFETY: IER bit 0 = received-data-available interrupt.
    unsafe { outb(COM1 + IER, 0x01) };
}
