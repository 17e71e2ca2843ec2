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
use super::list::check_separator;
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

/// [`word_at`], also for `b` shorter than eight bytes (past its end, and from
/// `i` past its end, the bytes read as zero).
#[inline(always)]
fn padded_word_at(b: &[u8], i: usize) -> u64 {
    match word_at(b, i) {
        Some(word) => word,
        None => short_word_at(b, i),
    }
}

/// [`padded_word_at`] of a value shorter than eight bytes.
#[cold]
#[inline(never)]
fn short_word_at(b: &[u8], i: usize) -> u64 {
    let mut word = [0u8; 8];
    for (slot, &c) in word.iter_mut().zip(b.get(i..).unwrap_or(&[])) {
        *slot = c;
    }
    u64::from_le_bytes(word)
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

/// The value of the `n` (1 to 4) ASCII digits at the start of `word`.
#[inline(always)]
const fn short_digits_value(word: u32, n: usize) -> u64 {
    // As `digits_value`, on four bytes.
    let shift = 4usize.wrapping_sub(n).wrapping_mul(8) as u32;
    let d = (word ^ 0x3030_3030).wrapping_shl(shift);
    let d = d.wrapping_mul(10).wrapping_add(d.wrapping_shr(8)) & 0x00FF_00FF;
    let d = d.wrapping_mul(100).wrapping_add(d.wrapping_shr(16)) & 0xFFFF;
    d as u64
}

/// The length and value of the unsigned Integer (1 to 15 digits) at `i` of `b`,
/// whose first byte is the first of `head` (`b`'s bytes from `i`, zero past its
/// end, of which at least five are known); `None` when there is none.
///
/// What follows the digits is not checked: the caller must reject anything but
/// `;`, `,` and the end of the value there (which rules out Decimals).
#[inline(always)]
fn unsigned_integer_at(b: &[u8], i: usize, head: u64) -> Option<(usize, u64)> {
    let n = non_digits(head).trailing_zeros().wrapping_div(8) as usize;
    if n == 0 {
        return None;
    }
    if n < 5 {
        // The digits end within the known bytes of `head`.
        return Some((n, short_digits_value(head as u32, n)));
    }
    // Only five bytes of `head` are known: read the digits again as a word.
    let word = padded_word_at(b, i);
    let n = non_digits(word).trailing_zeros().wrapping_div(8) as usize;
    if n >= 8 {
        return long_unsigned_integer_at(b, i);
    }
    Some((n, digits_value(word, n) as u64))
}

/// [`unsigned_integer_at`] for eight digits or more.
#[inline(never)]
fn long_unsigned_integer_at(b: &[u8], i: usize) -> Option<(usize, u64)> {
    let n = digit_run(b, i);
    if n > MAX_INTEGER_DIGITS || at(b, i.wrapping_add(n)) == Some(b'.') {
        return None;
    }
    let digits = b.get(i..i.wrapping_add(n)).unwrap_or(&[]);
    let value = digits.iter().fold(0u64, |value, &d| {
        value
            .wrapping_mul(10)
            .wrapping_add(u64::from(d.wrapping_sub(b'0')))
    });
    Some((n, value))
}

/// Reads a whole List field value whose members all have the most common
/// shape of named rate-limit items, validating and extracting in one pass:
/// an unescaped String or a Token, then parameters that each have a one-letter
/// key (`a`-`z`) and an unsigned Integer value (`"burst";q=100;w=60`), members
/// separated by a comma with any OWS around it, leading SP and trailing OWS
/// allowed.
///
/// For each member, `visit` gets the id (the String's contents or the Token)
/// and the value of each of `keys` (the last occurrence when a key repeats,
/// RFC 9651 section 4.2.3.2; other one-letter keys are skipped); it returns
/// `false` to give up.
///
/// Returns `true` when every member was read and visited: then the value is a
/// valid List, and [`parse_list`] with [`Parameters::get`] read the same
/// members, ids and values. Returns `false` for an empty value and for anything
/// else, valid or not (other shapes, spacing or types, escapes, errors), after
/// visiting some members perhaps: the caller then discards what it gathered
/// and runs the general reader, which also finds the exact failure.
///
/// [`parse_list`]: super::parse_list
/// [`Parameters::get`]: super::Parameters::get
#[inline(always)]
pub(crate) fn named_integer_members<'a, const K: usize>(
    text: &'a str,
    keys: [u8; K],
    mut visit: impl FnMut(&'a str, [Option<u64>; K]) -> bool,
) -> bool {
    let b = text.as_bytes();
    let mut i = skip_sp(b, 0);
    if i >= b.len() {
        return false;
    }
    loop {
        // The id.
        let (id_start, id_end) = match at(b, i) {
            Some(b'"') => {
                let start = i.wrapping_add(1);
                let close = skip_while(b, start, is_string_char);
                if at(b, close) != Some(b'"') {
                    return false;
                }
                i = close.wrapping_add(1);
                (start, close)
            }
            Some(c) if is_token_start(c) => {
                let end = skip_while(b, i.wrapping_add(1), is_token_char);
                let start = i;
                i = end;
                (start, end)
            }
            _ => return false,
        };
        let Some(id) = text.get(id_start..id_end) else {
            return false;
        };
        // The parameters: `;`, a one-letter key, `=` and 1 to 15 digits. Only
        // another parameter, the separator or the end may follow the digits,
        // which rules out Decimals and any other byte there.
        let mut values = [None; K];
        loop {
            let word = padded_word_at(b, i);
            let [semicolon, key, equals, ..] = word.to_le_bytes();
            if semicolon != b';' {
                break;
            }
            if equals != b'=' || !key.is_ascii_lowercase() {
                return false;
            }
            // The word's last five bytes start the value.
            let start = i.wrapping_add(3);
            let Some((n, value)) = unsigned_integer_at(b, start, word.wrapping_shr(24)) else {
                return false;
            };
            if let Some(k) = keys.iter().position(|&k| k == key) {
                if let Some(slot) = values.get_mut(k) {
                    *slot = Some(value);
                }
            }
            i = start.wrapping_add(n);
        }
        if !visit(id, values) {
            return false;
        }
        // The separator, or the end: the usual ones first.
        match b.get(i..) {
            Some([]) => return true,
            Some([b',', b' ', c, ..]) if !matches!(c, b' ' | b'\t') => i = i.wrapping_add(2),
            Some([b',', c, ..]) if !matches!(c, b' ' | b'\t') => i = i.wrapping_add(1),
            _ => match check_separator(b, i) {
                Ok(Some(next)) => i = next,
                Ok(None) => return true,
                Err(_) => return false,
            },
        }
    }
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

    /// Named rate-limit members, usual and unusual, joined by usual and unusual
    /// separators, with a byte changed at random now and then; and whether only
    /// usual pieces (which the one-pass reader must take) went in.
    fn named_list() -> impl Strategy<Value = (std::vec::Vec<u8>, bool)> {
        fn piece(
            usual: &'static [&'static str],
            unusual: &'static [&'static str],
        ) -> impl Strategy<Value = (&'static str, bool)> + Clone {
            prop_oneof![
                6 => prop::sample::select(usual).prop_map(|p| (p, true)),
                1 => prop::sample::select(unusual).prop_map(|p| (p, false)),
            ]
        }
        let id = piece(
            &[
                "\"burst\"",
                "\"daily\"",
                "\"\"",
                "\"a b:c/d\"",
                "burst",
                "a:b/c*",
                "*x",
                "Z9",
            ],
            &[
                "\"a\\\"b\"",
                "\"caf\u{e9}\"",
                "1",
                "(1 2)",
                "?1",
                "\"unterminated",
                "\"a\" ",
            ],
        );
        let param = piece(
            &[
                ";q=100",
                ";w=60",
                ";w=86400",
                ";r=0",
                ";t=20",
                ";q=0042",
                ";w=0",
                ";t=1234567",
                ";t=12345678",
                ";r=123456789012345",
                ";x=5",
            ],
            &[
                ";r=1234567890123456",
                ";q=1.5",
                ";q=-1",
                ";q=?1",
                ";q=abc",
                ";q",
                ";*=5",
                ";pk=:aGk=:",
                ";qu=\"tokens\"",
                "; q=1",
                ";Q=1",
                ";q=",
                ";q=1a",
            ],
        );
        let member = (id, prop::collection::vec(param, 0..4)).prop_map(|((id, usual), params)| {
            let text = std::format!(
                "{id}{}",
                params.iter().map(|p| p.0).collect::<std::string::String>()
            );
            (text, usual && params.iter().all(|p| p.1))
        });
        let separator = piece(
            &[", ", ",", " , ", ",\t", ",  ", " ,", "\t,\t"],
            &["", " ", ";"],
        );
        (
            prop::collection::vec((member, separator), 1..5),
            prop::sample::select(std::vec!["", "", " ", "  "]),
            piece(&["", " ", "\t", " \t "], &[",", ", ", " ,"]),
            prop::option::weighted(0.2, (any::<prop::sample::Index>(), any::<u8>())),
        )
            .prop_map(|(members, lead, (trail, usual_end), change)| {
                let mut text = std::string::String::from(lead);
                let mut usual = usual_end;
                let last = members.len() - 1;
                for (n, ((member, usual_member), (separator, usual_separator))) in
                    members.iter().enumerate()
                {
                    text.push_str(member);
                    usual &= usual_member;
                    if n < last {
                        text.push_str(separator);
                        usual &= usual_separator;
                    }
                }
                text.push_str(trail);
                let mut bytes = text.into_bytes();
                if let Some((at, byte)) = change {
                    let i = at.index(bytes.len());
                    usual &= bytes[i] == byte;
                    bytes[i] = byte;
                }
                (bytes, usual)
            })
    }

    /// Members as [`named_integer_members`] visits them: id and values.
    type Read<'a> = std::vec::Vec<(&'a str, [Option<u64>; 3])>;

    /// What the general reader reads from `input` for [`named_integer_members`]:
    /// every member's id and values, or `None` when it is no such List.
    fn read_generally(input: &[u8], keys: [u8; 3]) -> Option<Read<'_>> {
        use crate::sf::{BareItem, Member, parse_list};
        let list = parse_list(input).ok()?;
        let mut out = std::vec::Vec::new();
        for member in list.iter() {
            let Member::Item(item) = member else {
                return None;
            };
            let id = match item.bare {
                BareItem::String(s) if !s.has_escapes() => s.raw(),
                BareItem::Token(t) => t,
                _ => return None,
            };
            let mut values = [None; 3];
            for (key, value) in item.params.iter() {
                let (BareItem::Integer(v), [k]) = (value, key.as_bytes()) else {
                    return None;
                };
                let v = u64::try_from(v).ok()?;
                if let Some(slot) = keys.iter().position(|c| c == k) {
                    values[slot] = Some(v);
                }
            }
            for (slot, key) in keys.iter().enumerate() {
                let key = std::string::String::from(char::from(*key));
                let got = item
                    .params
                    .get(&key)
                    .map(|v| v.as_integer().map(|v| v as u64));
                assert_eq!(
                    got.map(Option::unwrap),
                    values[slot],
                    "get agrees with iter"
                );
            }
            out.push((id, values));
        }
        Some(out)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn one_pass_reader_agrees_with_the_general_reader((input, usual) in named_list()) {
            const KEYS: [u8; 3] = [b'r', b'q', b'w'];
            let mut fast = std::vec::Vec::new();
            let read = match core::str::from_utf8(&input) {
                Ok(text) => named_integer_members(text, KEYS, |id, values| {
                    fast.push((id, values));
                    true
                }),
                Err(_) => false,
            };
            let general = read_generally(&input, KEYS);
            if read {
                // Whatever the one-pass reader takes, the general reader reads alike.
                prop_assert_eq!(Some(fast), general);
            } else {
                // It gives up only on shapes it does not take.
                prop_assert!(!usual, "gave up on {:?}", std::string::String::from_utf8_lossy(&input));
            }
        }
    }

    #[test]
    fn one_pass_reader_reads_the_usual_fields() {
        let mut seen = std::vec::Vec::new();
        let text =
            r#""burst";q=100;w=60, "daily";q=1000;w=86400;q=7,hourly;w=3600;x=1;q=12345678901"#;
        assert!(named_integer_members(text, [b'q', b'w'], |id, values| {
            seen.push((id, values));
            true
        }));
        assert_eq!(
            seen,
            [
                ("burst", [Some(100), Some(60)]),
                ("daily", [Some(7), Some(86400)]),
                ("hourly", [Some(12_345_678_901), Some(3600)]),
            ]
        );
        // `visit` may give up.
        assert!(!named_integer_members(text, [b'q'], |_, _| false));
        // Any OWS around commas and at the end.
        let mut ids = std::vec::Vec::new();
        assert!(named_integer_members(
            " a;q=1 ,\tb;q=2\t, c ",
            [b'q'],
            |id, _| {
                ids.push(id);
                true
            }
        ));
        assert_eq!(ids, ["a", "b", "c"]);
        for unusual in [
            "",
            " ",
            "\ta;q=1",
            "\"a\";q=1,",
            "\"a\";q=1, ",
            "\"a\\\"b\";q=1",
            "a;q=1.5",
            "a;q",
            "a;pk=1",
            "a;q=-1",
            "1;q=1",
            "a;q=1 b",
            "a; q=1",
        ] {
            assert!(
                !named_integer_members(unusual, [b'q'], |_, _| true),
                "{unusual:?}"
            );
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
