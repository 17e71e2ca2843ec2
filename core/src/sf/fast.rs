//! Fast paths for the common shapes of List and Dictionary members, and the
//! word-at-a-time helpers they and the readers share.
//!
//! [`fast_item`] checks an Item whose bare item is an unescaped String, a Token
//! or an unsigned Integer, with parameters whose values are of those kinds too
//! (`"burst";q=100;w=60`). It never reports errors: it returns `None` for
//! anything it does not handle, valid or not, and the caller then runs the
//! general checker over the same member, which finds the exact failure (or
//! accepts a rarer shape). So it only needs to be sound: whatever it accepts, the
//! general checker accepts too, ending at the same place and noting the same
//! keys. Each member goes through the fast path at most once before the general
//! checker, so work stays linear in the input.
//!
//! The word helpers read eight bytes as one `u64` (bytes past the end of the input
//! read as zero) and classify them all at once with carry-free bit tricks, which
//! are exact for every byte value.

use super::bytes::{
    at, is_key_char, is_key_start, is_string_char, is_token_char, is_token_start, may_end_item,
    skip_sp, skip_while,
};
use super::parameters::KeyIndex;

/// Most digits an Integer may have (RFC 9651 section 4.2.4).
const MAX_INTEGER_DIGITS: usize = 15;

/// Repeats a byte across a word.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The high bit of every byte.
const HIGH: u64 = splat(0x80);
/// The low seven bits of every byte.
const LOW: u64 = splat(0x7F);

/// Per byte of `v` (little-endian), the high bit set exactly when the byte is
/// not an ASCII digit. No byte's arithmetic carries into the next.
#[inline(always)]
const fn non_digits(v: u64) -> u64 {
    let y = v ^ splat(b'0');
    // A digit leaves 0..=9 in `y`; 0x76 more sets the high bit from 10 up.
    ((y & LOW).wrapping_add(splat(0x76)) | y) & HIGH
}

/// Per byte of `v`, the high bit set exactly when the byte is zero.
#[inline(always)]
const fn zero_bytes(v: u64) -> u64 {
    !(((v & LOW).wrapping_add(LOW)) | v) & HIGH
}

/// In checked text, the index of the first `"` or `\\` at or after `i` (the end
/// of a String's contents, or an escape in them), or the end of `b`. Looks at
/// eight bytes at once.
#[inline(always)]
pub(crate) fn quote_or_backslash(b: &[u8], mut i: usize) -> usize {
    while let Some(word) = word_at(b, i) {
        let found = zero_bytes(word ^ splat(b'"')) | zero_bytes(word ^ splat(b'\\'));
        // Bytes past the end of `b` read as zero: stop there too.
        let found = found | zero_bytes(word);
        if found != 0 {
            return i.wrapping_add(found.trailing_zeros().wrapping_div(8) as usize);
        }
        i = i.wrapping_add(8);
    }
    // Fewer than eight bytes in all.
    b.get(i..)
        .and_then(|rest| rest.iter().position(|&c| c == b'"' || c == b'\\'))
        .map_or(b.len(), |n| i.wrapping_add(n))
}

/// The eight bytes of `b` from `i` as a little-endian word, bytes past the end
/// of `b` reading as zero; `None` when `b` is shorter than eight bytes.
#[inline(always)]
pub(crate) fn word_at(b: &[u8], i: usize) -> Option<u64> {
    if let Some(word) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        return Some(u64::from_le_bytes(*word));
    }
    // Fewer than eight bytes left: take the last eight and drop those before `i`.
    let left = b.len().checked_sub(i)?;
    let last = u64::from_le_bytes(*b.last_chunk::<8>()?);
    let dropped = 8usize.wrapping_sub(left).wrapping_mul(8) as u32;
    Some(last.checked_shr(dropped).unwrap_or(0))
}

/// How many ASCII digits `b` has from `i`. Looks at eight bytes at once.
#[inline(always)]
pub(crate) fn digit_run(b: &[u8], i: usize) -> usize {
    if let Some(word) = word_at(b, i) {
        let mask = non_digits(word);
        if mask != 0 {
            return mask.trailing_zeros().wrapping_div(8) as usize;
        }
    }
    digit_run_bytewise(b, i)
}

/// [`digit_run`] one byte at a time.
#[inline(never)]
fn digit_run_bytewise(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .unwrap_or(&[])
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(b.len().saturating_sub(i))
}

/// The value of the `n` (1 to 8) ASCII digits at the start of `word`.
#[inline(always)]
const fn digits_value(word: u64, n: usize) -> i64 {
    // Move the digits to the top bytes, so that the missing ones read as
    // leading zeros, then combine pairs, quads and octets.
    let shift = 8usize.wrapping_sub(n).wrapping_mul(8) as u32;
    let d = (word ^ splat(b'0')).wrapping_shl(shift);
    let d = d.wrapping_mul(10).wrapping_add(d.wrapping_shr(8)) & 0x00FF_00FF_00FF_00FF;
    let d = d.wrapping_mul(100).wrapping_add(d.wrapping_shr(16)) & 0x0000_FFFF_0000_FFFF;
    let d = d.wrapping_mul(10_000).wrapping_add(d.wrapping_shr(32)) & 0xFFFF_FFFF;
    d as i64
}

/// In checked text `b`, the value of the unsigned Integer at `i`, or `None`
/// when `i` holds anything else (a sign, a Decimal, another type). Checking
/// already limited the digits to 15, so the value cannot overflow.
#[inline(always)]
pub(crate) fn checked_unsigned_integer(b: &[u8], i: usize) -> Option<i64> {
    match word_at(b, i).and_then(|word| checked_unsigned_integer_in(word, 8)) {
        Some(value) => Some(value),
        None => checked_unsigned_integer_bytewise(b.get(i..).unwrap_or(&[])),
    }
}

/// In checked text, the value of the unsigned Integer at the start of `word`
/// (little-endian bytes, of which only the first `known` come from the text),
/// when the byte after it is one of those and is not `.`; `None` otherwise, for
/// the general reader.
#[inline(always)]
pub(crate) fn checked_unsigned_integer_in(word: u64, known: usize) -> Option<i64> {
    let mask = non_digits(word);
    let n = mask.trailing_zeros().wrapping_div(8) as usize;
    let next = word.wrapping_shr(mask.trailing_zeros() & !7) as u8;
    if n == 0 || n >= known || next == b'.' {
        return None;
    }
    Some(digits_value(word, n))
}

/// [`checked_unsigned_integer`] one byte at a time.
#[inline(never)]
fn checked_unsigned_integer_bytewise(s: &[u8]) -> Option<i64> {
    let [first @ b'0'..=b'9', rest @ ..] = s else {
        return None;
    };
    let mut value = i64::from(first.wrapping_sub(b'0'));
    let mut rest = rest;
    loop {
        match rest {
            [d @ b'0'..=b'9', tail @ ..] => {
                value = value
                    .wrapping_mul(10)
                    .wrapping_add(i64::from(d.wrapping_sub(b'0')));
                rest = tail;
            }
            [b'.', ..] => return None,
            _ => return Some(value),
        }
    }
}

/// The end of an unsigned Integer starting at `i` (at a digit); `None` for a
/// Decimal or more than 15 digits.
#[inline(always)]
fn integer_end(b: &[u8], i: usize) -> Option<usize> {
    let n = digit_run(b, i);
    if n > MAX_INTEGER_DIGITS {
        return None;
    }
    let end = i.wrapping_add(n);
    match at(b, end) {
        Some(b'.') => None,
        _ => Some(end),
    }
}

/// The end of a bare item of a kind the fast path handles starting at `i`, and
/// whether it is quoted (a String).
#[inline(always)]
fn bare_item_end(b: &[u8], i: usize) -> Option<(usize, bool)> {
    match at(b, i)? {
        b'0'..=b'9' => Some((integer_end(b, i)?, false)),
        b'"' => {
            let close = skip_while(b, i.wrapping_add(1), is_string_char);
            (at(b, close) == Some(b'"')).then_some((close.wrapping_add(1), true))
        }
        c if is_token_start(c) => {
            let end = skip_while(b, i.wrapping_add(1), is_token_char);
            match at(b, end) {
                Some(c) if !may_end_item(c) => None,
                _ => Some((end, false)),
            }
        }
        _ => None,
    }
}

/// [`skip_sp`] out of line: SP after `;` is allowed but rare.
#[cold]
#[inline(never)]
fn skip_sp_cold(b: &[u8], i: usize) -> usize {
    skip_sp(b, i)
}

/// Checks an Item starting at `i` of `b` along the fast path (see the module
/// documentation).
///
/// Returns where the parameters start and end; `keys` gets what
/// [`check_parameters_noting`] would note about them (and may be left partly
/// filled in when the fast path gives up).
///
/// [`check_parameters_noting`]: super::parameters::check_parameters_noting
#[inline(always)]
pub(crate) fn fast_item(b: &[u8], i: usize, keys: &mut KeyIndex) -> Option<(usize, usize)> {
    let (params, _) = bare_item_end(b, i)?;
    let mut j = params;
    loop {
        // The usual parameter first: `;`, a one-letter key, `=` and digits.
        if let Some(word) = word_at(b, j) {
            let [semicolon, key, equals, ..] = word.to_le_bytes();
            if semicolon == b';' && equals == b'=' && is_key_start(key) {
                // The word's last five bytes start the value.
                let value = word.wrapping_shr(24);
                let mask = non_digits(value);
                let digits = mask.trailing_zeros().wrapping_div(8) as usize;
                if digits > 0 {
                    keys.note(j.wrapping_add(1).wrapping_sub(params));
                    let start = j.wrapping_add(3);
                    j = if digits < 5 {
                        // The byte after the digits is in the word too.
                        if value.wrapping_shr(mask.trailing_zeros() & !7) as u8 == b'.' {
                            return None;
                        }
                        start.wrapping_add(digits)
                    } else {
                        integer_end(b, start)?
                    };
                    continue;
                }
            }
        }
        if at(b, j) != Some(b';') {
            break;
        }
        let mut key = j.wrapping_add(1);
        if at(b, key) == Some(b' ') {
            key = skip_sp_cold(b, key);
        }
        keys.note(key.wrapping_sub(params));
        if !at(b, key).is_some_and(is_key_start) {
            return None;
        }
        let key_end = skip_while(b, key.wrapping_add(1), is_key_char);
        j = match at(b, key_end) {
            Some(b'=') => {
                let (end, quoted) = bare_item_end(b, key_end.wrapping_add(1))?;
                if quoted {
                    keys.note_quoted();
                }
                end
            }
            Some(c) if !may_end_item(c) => return None,
            _ => key_end,
        };
    }
    Some((params, j))
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::sf::bare_item::check_bare_item;
    use crate::sf::parameters::{check_parameters_noting, read_parameters};
    use proptest::prelude::*;

    /// Bytes, or pieces of members, joined at random.
    fn input() -> impl Strategy<Value = std::vec::Vec<u8>> {
        let bytes = prop::collection::vec(
            prop::sample::select(b" \t,;=()\"\\:?@%*-._/+aqwzAZ01589\x7f\xc3".to_vec()),
            0..40,
        );
        let pieces = prop::collection::vec(
            prop::sample::select(std::vec![
                "\"ab\"",
                "\"a",
                "\"a\\\"b\"",
                "abc",
                "A/b:c",
                "*",
                "12",
                "0",
                "1.5",
                "-3",
                "1234567890123456",
                "123456789012345",
                "86400",
                ";",
                "; ",
                ";q",
                ";q=",
                ";w=",
                ";ab=",
                ";A=",
                "=",
                "q",
                "x=",
                "=1",
                ",",
                " ",
                "\t",
                ")",
                "(",
                "?1",
                ":aGk=:",
                "%\"a\"",
                "\u{e9}",
                "@1",
            ]),
            0..12,
        )
        .prop_map(|pieces| pieces.concat().into_bytes());
        prop_oneof![bytes, pieces]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn fast_path_accepts_only_what_the_general_checker_accepts(input in input()) {
            for i in 0..=input.len() {
                let mut fast = KeyIndex::default();
                let Some((params, end)) = fast_item(&input, i, &mut fast) else {
                    continue;
                };
                prop_assert_eq!(check_bare_item(&input, i), Ok(params));
                let mut general = KeyIndex::default();
                prop_assert_eq!(check_parameters_noting(&input, params, &mut general), Ok(end));
                prop_assert_eq!(fast, general);
                // What was accepted is ASCII.
                let text = core::str::from_utf8(&input[i..end]).unwrap();
                let (read, read_end) = read_parameters(text, params - i);
                prop_assert_eq!(read_end, end - i);
                prop_assert_eq!(read.key_index(), fast);
            }
        }
    }

    #[test]
    fn digit_runs_and_values_agree_with_bytewise_reading() {
        let inputs: &[&[u8]] = &[
            b"0",
            b"7;",
            b"12345678",
            b"123456789",
            b"1234567,",
            b"100;w=60",
            b"86400",
            b"1.5;abc",
            b"x",
            b"",
            b"999999999999999",
            b"0042 ",
            b"1/",
            b"1:",
            b"9\xff",
            b"5\x00\x00\x00\x00\x00\x00\x00",
        ];
        for s in inputs {
            for i in 0..=s.len() {
                let run = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                assert_eq!(digit_run(s, i), run, "{s:?} at {i}");
                assert_eq!(
                    checked_unsigned_integer(s, i),
                    checked_unsigned_integer_bytewise(&s[i..]),
                    "{s:?} at {i}"
                );
            }
        }
        for n in 1..=8usize {
            for digit in b'0'..=b'9' {
                let mut word = [b';'; 8];
                word[..n].fill(digit);
                let expected: i64 = core::str::from_utf8(&word[..n]).unwrap().parse().unwrap();
                assert_eq!(checked_unsigned_integer(&word, 0), Some(expected));
                let mut longer = [b'x'; 12];
                longer[12 - n..].copy_from_slice(&word[..n]);
                assert_eq!(checked_unsigned_integer(&longer, 12 - n), Some(expected));
            }
        }
    }

    #[test]
    fn quote_or_backslash_finds_the_first_of_either() {
        let cases: &[(&[u8], usize, usize)] = &[
            (b"abc\"", 0, 3),
            (b"abc\\\"x\"", 0, 3),
            (b"abcdefghijklmnop\"", 0, 16),
            (b"abcdefghijklmnop\"", 9, 16),
            (b"abcdefghij", 0, 10),
            (b"abc", 0, 3),
            (b"abc", 3, 3),
            (b"\"", 0, 0),
            (b"", 0, 0),
            (b"abcdefgh\"", 0, 8),
            (b"abcdefg\"", 0, 7),
        ];
        for &(b, i, expected) in cases {
            assert_eq!(quote_or_backslash(b, i), expected, "{b:?} from {i}");
        }
        for len in 0..20 {
            for pos in 0..len {
                let mut bytes = std::vec![b'x'; len];
                bytes[pos] = b'"';
                for i in 0..=pos {
                    assert_eq!(quote_or_backslash(&bytes, i), pos);
                }
            }
        }
    }

    #[test]
    fn every_byte_is_classified_as_digit_or_not() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut word = [b'5'; 8];
                word[pos] = b;
                let expected = if b.is_ascii_digit() { 8 } else { pos };
                assert_eq!(digit_run(&word, 0).min(8), expected, "{b:#x} at {pos}");
            }
        }
    }
}
