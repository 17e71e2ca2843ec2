//! Test support: single-byte mutations of valid examples, driven by a seeded xorshift,
//! for the no-panic tests of the date and duration parsers.

/// Calls `check` on `rounds` mutations of each input: a copy with one byte replaced
/// (position and value from a xorshift sequence starting at `seed`).
pub(crate) fn each_mutation<'i>(
    inputs: impl IntoIterator<Item = &'i str>,
    seed: u64,
    rounds: usize,
    mut check: impl FnMut(&[u8]),
) {
    let mut seed = seed;
    for input in inputs {
        for _ in 0..rounds {
            let mut storage = [0u8; 96];
            let buf = &mut storage[..input.len()];
            buf.copy_from_slice(input.as_bytes());
            if buf.is_empty() {
                break;
            }
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let pos = (seed as usize) % buf.len();
            buf[pos] = (seed >> 32) as u8;
            check(buf);
        }
    }
}
