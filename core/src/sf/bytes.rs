//! Byte classes of the RFC 9651 grammar and whitespace skipping, shared by every
//! reader in this module.
//!
//! Classes: `tchar` (RFC 9110 section 5.6.2) for Tokens (RFC 9651 section 3.3.4),
//! key characters (section 3.1.2), unescaped String characters (section 3.3.3),
//! the base64 alphabet (section 3.3.5), and the bytes that may end an Item. SP and
//! OWS handling follows section 4.2. Every class is ASCII-only, so a byte at or
//! above 0x80 belongs to none of them and is rejected wherever it appears.

/// The byte classes, as sets of ASCII bytes.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Class {
    TokenStart,
    TokenChar,
    KeyStart,
    KeyChar,
    StringChar,
    Base64Char,
    ItemEnd,
    ValueChar,
}

/// Whether `b` belongs to `class`: the grammar, written once.
const fn member(class: Class, b: u8) -> bool {
    match class {
        Class::TokenStart => b.is_ascii_alphabetic() || b == b'*',
        Class::TokenChar => matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
                | b':'
                | b'/'
                | b'0'..=b'9'
                | b'A'..=b'Z'
                | b'a'..=b'z'
        ),
        Class::KeyStart => b.is_ascii_lowercase() || b == b'*',
        Class::KeyChar => matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.' | b'*'),
        Class::StringChar => matches!(b, 0x20..=0x7E) && b != b'"' && b != b'\\',
        Class::Base64Char => matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/'),
        // What may directly follow a complete Item anywhere: parameters (`;`),
        // inner-list separators (SP, `)`), list and dictionary separators (OWS, `,`).
        Class::ItemEnd => matches!(b, b';' | b' ' | b'\t' | b',' | b')'),
        // Every byte of an Integer, Decimal, Token, Byte Sequence, Boolean or Date.
        Class::ValueChar => member(Class::TokenChar, b) || matches!(b, b'=' | b'?' | b'@'),
    }
}

/// The classes as bit flags, one per variant of [`Class`].
const fn flag(class: Class) -> u8 {
    1 << class as u8
}

/// All flags of byte `b`.
const fn flags(b: u8) -> u8 {
    let all = [
        Class::TokenStart,
        Class::TokenChar,
        Class::KeyStart,
        Class::KeyChar,
        Class::StringChar,
        Class::Base64Char,
        Class::ItemEnd,
        Class::ValueChar,
    ];
    let mut found = 0;
    let mut rest: &[Class] = &all;
    while let [class, tail @ ..] = rest {
        if member(*class, b) {
            found |= flag(*class);
        }
        rest = tail;
    }
    found
}

/// The flags of every byte value, built at compile time from [`member`].
static TABLE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut rest: &mut [u8] = &mut table;
    let mut b: u8 = 0;
    while let [slot, tail @ ..] = rest {
        *slot = flags(b);
        b = b.wrapping_add(1);
        rest = tail;
    }
    table
};

/// Whether `b` belongs to `class`, by table lookup.
#[inline(always)]
fn is(class: Class, b: u8) -> bool {
    TABLE
        .get(usize::from(b))
        .is_some_and(|f| f & flag(class) != 0)
}

/// `ALPHA / "*"`: may start a Token.
#[inline(always)]
pub(crate) fn is_token_start(b: u8) -> bool {
    is(Class::TokenStart, b)
}

/// `tchar / ":" / "/"`: may continue a Token.
#[inline(always)]
pub(crate) fn is_token_char(b: u8) -> bool {
    is(Class::TokenChar, b)
}

/// `lcalpha / "*"`: may start a key.
#[inline(always)]
pub(crate) fn is_key_start(b: u8) -> bool {
    is(Class::KeyStart, b)
}

/// `lcalpha / DIGIT / "_" / "-" / "." / "*"`: may continue a key.
#[inline(always)]
pub(crate) fn is_key_char(b: u8) -> bool {
    is(Class::KeyChar, b)
}

/// `%x20-21 / %x23-5B / %x5D-7E`: a String character that needs no escape.
#[inline(always)]
pub(crate) fn is_string_char(b: u8) -> bool {
    is(Class::StringChar, b)
}

/// `ALPHA / DIGIT / "+" / "/"`: a base64 data character.
#[inline(always)]
pub(crate) fn is_base64_char(b: u8) -> bool {
    is(Class::Base64Char, b)
}

/// May directly follow a complete Item in some context (`;`, SP, HTAB, `,`, `)`).
/// Any other byte right after an Item makes the field invalid wherever the Item
/// is, so readers may report the failure where that byte stands.
#[inline(always)]
pub(crate) fn may_end_item(b: u8) -> bool {
    is(Class::ItemEnd, b)
}

/// A byte of an unquoted bare item: an Integer, Decimal, Token, Byte Sequence
/// (colons and padding included), Boolean or Date. No byte that may end an Item
/// is one, so in checked text such an item ends at the first byte that is not.
#[inline(always)]
pub(crate) fn is_value_char(b: u8) -> bool {
    is(Class::ValueChar, b)
}

/// The byte at `i`, if any.
#[inline(always)]
pub(crate) fn at(b: &[u8], i: usize) -> Option<u8> {
    b.get(i).copied()
}

/// The index of the first byte at or after `i` that is not SP
/// (section 4.2 "discard any leading SP characters").
#[inline(always)]
pub(crate) fn skip_sp(b: &[u8], mut i: usize) -> usize {
    while at(b, i) == Some(b' ') {
        i = i.wrapping_add(1);
    }
    i
}

/// The index of the first byte at or after `i` that is not OWS (SP or HTAB,
/// sections 4.2.1 and 4.2.2).
#[inline(always)]
pub(crate) fn skip_ows(b: &[u8], mut i: usize) -> usize {
    while matches!(at(b, i), Some(b' ' | b'\t')) {
        i = i.wrapping_add(1);
    }
    i
}

/// The index of the first byte at or after `i` for which `pred` fails.
#[inline(always)]
pub(crate) fn skip_while(b: &[u8], mut i: usize, pred: impl Fn(u8) -> bool) -> usize {
    while let Some(&c) = b.get(i) {
        if !pred(c) {
            break;
        }
        i = i.wrapping_add(1);
    }
    i
}

/// The text between two offsets of an ASCII field value (empty if out of range).
#[inline(always)]
pub(crate) fn span(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_match_the_grammar() {
        for b in 0..=255u8 {
            assert_eq!(is_token_start(b), member(Class::TokenStart, b), "{b}");
            assert_eq!(is_token_char(b), member(Class::TokenChar, b), "{b}");
            assert_eq!(is_key_start(b), member(Class::KeyStart, b), "{b}");
            assert_eq!(is_key_char(b), member(Class::KeyChar, b), "{b}");
            assert_eq!(is_string_char(b), member(Class::StringChar, b), "{b}");
            assert_eq!(is_base64_char(b), member(Class::Base64Char, b), "{b}");
            assert_eq!(may_end_item(b), member(Class::ItemEnd, b), "{b}");
            assert_eq!(is_value_char(b), member(Class::ValueChar, b), "{b}");
            assert!(!(may_end_item(b) && is_value_char(b)), "{b}");
        }
        assert!(is_token_char(b':') && is_token_char(b'/') && !is_token_char(b'"'));
        assert!(!is_key_start(b'R') && is_key_start(b'*') && !is_key_char(b'A'));
        assert!(is_string_char(b' ') && !is_string_char(b'"') && !is_string_char(b'\\'));
        assert!(!is_string_char(0x7F) && !is_string_char(0xC3));
    }

    #[test]
    fn whitespace_skipping() {
        assert_eq!(skip_sp(b"  \tx", 0), 2);
        assert_eq!(skip_ows(b"  \tx", 0), 3);
        assert_eq!(skip_ows(b"  ", 0), 2);
        assert_eq!(skip_while(b"abc1", 0, |c| c.is_ascii_alphabetic()), 3);
        assert_eq!(skip_while(b"abc", 9, |c| c.is_ascii_alphabetic()), 9);
        assert_eq!(span("abc", 1, 9), "");
    }
}
