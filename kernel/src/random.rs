//! The kernel's random numbers: a ChaCha20 stream (Linux's crng), keyed at
//! boot from RDRAND when the CPU has it, mixed with TSC readings, and
//! re-keyed from its own output after every request (fast key erasure).
//! Feeds AT_RANDOM, address-space randomisation and getrandom(2).

use crate::arch::x86_64::cpu;
use crate::sync::SpinLock;

struct Crng {
    key: [u32; 8],
    counter: u64,
}

static CRNG: SpinLock<Crng> = SpinLock::new(Crng {
    key: [0; 8],
    counter: 0,
});

fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(16);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(12);
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(8);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(7);
}

/// One ChaCha20 block (RFC 8439 layout, 64-bit counter, zero nonce).
fn chacha20_block(key: &[u32; 8], counter: u64) -> [u32; 16] {
    let mut s = [0u32; 16];
    s[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
    s[4..12].copy_from_slice(key);
    s[12] = counter as u32;
    s[13] = (counter >> 32) as u32;
    let init = s;
    for _ in 0..10 {
        quarter(&mut s, 0, 4, 8, 12);
        quarter(&mut s, 1, 5, 9, 13);
        quarter(&mut s, 2, 6, 10, 14);
        quarter(&mut s, 3, 7, 11, 15);
        quarter(&mut s, 0, 5, 10, 15);
        quarter(&mut s, 1, 6, 11, 12);
        quarter(&mut s, 2, 7, 8, 13);
        quarter(&mut s, 3, 4, 9, 14);
    }
    for (x, i) in s.iter_mut().zip(init) {
        *x = x.wrapping_add(i);
    }
    s
}

/// Seed the generator (rand_initialize). Returns whether RDRAND helped.
pub fn rand_initialize() -> bool {
    let mut c = CRNG.lock();
    let mut hw = false;
    for (i, k) in c.key.iter_mut().enumerate() {
        let r = cpu::rdrand64().inspect(|_| hw = true).unwrap_or(0);
        let t = cpu::rdtsc();
        *k ^= (r ^ t.rotate_left(i as u32 * 7) ^ (r >> 32)) as u32;
    }
    hw
}

/// Fill `buf` with random bytes.
pub fn get_random_bytes(buf: &mut [u8]) {
    let mut c = CRNG.lock();
    // Stir in the TSC so two boots of a deterministic machine still differ.
    c.key[0] ^= cpu::rdtsc() as u32;
    let new_key = chacha20_block(&c.key, c.counter);
    c.counter += 1;
    for chunk in buf.chunks_mut(64) {
        let block = chacha20_block(&c.key, c.counter);
        c.counter += 1;
        for (i, b) in chunk.iter_mut().enumerate() {
            *b = (block[i / 4] >> (8 * (i % 4))) as u8;
        }
    }
    c.key.copy_from_slice(&new_key[..8]);
}

pub fn get_random_u64() -> u64 {
    let mut b = [0u8; 8];
    get_random_bytes(&mut b);
    u64::from_le_bytes(b)
}
