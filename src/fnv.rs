//! FNV-1a hashing, 64 bits: stable across Rust versions and machines (report record ids, xAPI ids), and fast on
//! the short words the signal detector looks up (a [`std::hash::Hasher`] for its hash maps).

use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64 bits: stable across Rust versions and machines (unlike `DefaultHasher`).
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Fnv {
    /// A fresh hash.
    pub fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// A hash started from `seed`.
    pub fn with_seed(seed: u64) -> Self {
        let mut hash = Fnv::new();
        hash.write(&seed.to_le_bytes());
        hash
    }

    /// Adds bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The hash.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Fnv {
    fn default() -> Self {
        Fnv::new()
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        Fnv::write(self, bytes);
    }
}

/// A `HashMap` hasher for short keys that need no protection against crafted collisions.
pub type FnvBuildHasher = BuildHasherDefault<Fnv>;
