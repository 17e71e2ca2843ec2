//! Byte Sequences and their base64 text (RFC 9651 sections 3.3.5 and 4.2.7).
//!
//! `sf-binary = ":" base64 ":"` with the RFC 4648 section 4 alphabet. As section
//! 4.2.7 asks, missing `=` padding and non-zero pad bits are accepted. Padding that
//! is present may only close the last group (`=` at positions 2 and 3 of a group of
//! four), and a last group of a single character is not base64.

use super::bytes::{is_base64_char, span};
use super::error::{Error, ErrorKind, fail};

/// The 6-bit value of a base64 character, or `None` outside the alphabet.
#[inline]
const fn sextet(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b.wrapping_sub(b'A')),
        b'a'..=b'z' => Some(b.wrapping_sub(b'a').wrapping_add(26)),
        b'0'..=b'9' => Some(b.wrapping_sub(b'0').wrapping_add(52)),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Checks base64 text; on success returns how many data (non-`=`) characters it
/// has, on failure the index of the first offending character.
fn check_base64(b64: &[u8]) -> Result<usize, usize> {
    let mut data: usize = 0;
    let mut padding: usize = 0;
    for (i, &b) in b64.iter().enumerate() {
        if b == b'=' {
            // `=` may only stand at positions 2 and 3 of a group, after 2 or 3 data chars.
            if data % 4 < 2 || (data.wrapping_add(padding) % 4) < 2 {
                return Err(i);
            }
            padding = padding.wrapping_add(1);
        } else if padding > 0 || !is_base64_char(b) {
            return Err(i);
        } else {
            data = data.wrapping_add(1);
        }
    }
    if data % 4 == 1 {
        return Err(b64.len().saturating_sub(padding.saturating_add(1)));
    }
    Ok(data)
}

/// How many bytes `data` base64 characters decode to.
#[inline]
const fn decoded_len(data: usize) -> usize {
    let tail = match data % 4 {
        2 => 1,
        3 => 2,
        _ => 0,
    };
    (data / 4).saturating_mul(3).saturating_add(tail)
}

/// How many bytes `b64` decodes to, or `None` when it is not base64 as a Byte
/// Sequence may carry it (see [`decode_base64`]).
pub fn base64_decoded_len(b64: &str) -> Option<usize> {
    check_base64(b64.as_bytes()).ok().map(decoded_len)
}

/// Decodes the base64 text of a Byte Sequence into `out` and returns the filled
/// part (RFC 9651 section 4.2.7).
///
/// Missing `=` padding and non-zero pad bits are tolerated. Returns `None` when the
/// text is not base64 (a character outside `A-Za-z0-9+/=`, misplaced padding, or a
/// dangling single character) or when `out` is shorter than
/// [`base64_decoded_len`].
///
/// ```
/// # use ratelimit_governor::sf::decode_base64;
/// let mut buf = [0u8; 16];
/// assert_eq!(decode_base64("dHJpYWwxMjEzMjM=", &mut buf), Some(&b"trial121323"[..]));
/// assert_eq!(decode_base64("aGk", &mut buf), Some(&b"hi"[..]));
/// ```
pub fn decode_base64<'o>(b64: &str, out: &'o mut [u8]) -> Option<&'o [u8]> {
    let len = decoded_len(check_base64(b64.as_bytes()).ok()?);
    let out = out.get_mut(..len)?;
    let mut slots = out.iter_mut();
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    for v in b64.bytes().map_while(sextet) {
        acc = (acc << 6 | u32::from(v)) & 0xFFFF;
        bits = bits.wrapping_add(6);
        if bits >= 8 {
            bits = bits.wrapping_sub(8);
            if let Some(slot) = slots.next() {
                *slot = (acc >> bits) as u8;
            }
        }
    }
    Some(out)
}

/// The index of the closing `:` of a Byte Sequence whose opening `:` is at `i`.
#[inline(always)]
fn closing_colon(b: &[u8], i: usize) -> Option<usize> {
    let content = i.wrapping_add(1);
    let len = b.get(content..)?.iter().position(|&c| c == b':')?;
    Some(content.wrapping_add(len))
}

/// Checks a Byte Sequence starting at its opening `:` (RFC 9651 section 4.2.7)
/// and returns the index just past the closing `:`.
pub(crate) fn check_byte_sequence(b: &[u8], i: usize) -> Result<usize, Error> {
    let content = i.wrapping_add(1);
    let Some(close) = closing_colon(b, i) else {
        return fail(b, b.len(), ErrorKind::UnterminatedByteSequence);
    };
    match check_base64(b.get(content..close).unwrap_or(&[])) {
        Ok(_) => Ok(close.wrapping_add(1)),
        Err(bad) => fail(b, content.wrapping_add(bad), ErrorKind::InvalidByteSequence),
    }
}

/// Reads a Byte Sequence already checked by [`check_byte_sequence`]: its base64
/// text and the index just past the closing `:`.
#[inline(always)]
pub(crate) fn read_byte_sequence(text: &str, i: usize) -> (&str, usize) {
    let close = closing_colon(text.as_bytes(), i).unwrap_or(text.len());
    (span(text, i.wrapping_add(1), close), close.wrapping_add(1))
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::sf::error::Case;
    use std::vec::Vec;

    fn hex(bytes: &[u8]) -> std::string::String {
        bytes.iter().map(|b| std::format!("{b:02x}")).collect()
    }

    #[test]
    fn decoding_follows_section_4_2_7() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("empty",                        "",                 Some("")),
            ("padded",                       "aGVsbG8=",         Some("68656c6c6f")),
            ("missing padding tolerated",    "aGVsbG8",          Some("68656c6c6f")),
            ("partial padding tolerated",    "aGk=",             Some("6869")),
            ("double padding",               "aQ==",             Some("69")),
            ("non-zero pad bits tolerated",  "iZ==",             Some("89")),
            ("draft example key",            "sdfjLJUOUH==",     Some("b1d7e32c950e50")),
            ("plus and slash",               "/+Ah",             Some("ffe021")),
            ("hex digest text",              "MmMyNmI0NmI2OGZm", Some("326332366234366236386666")),
            ("padding at start",             "=aGVsbG8=",        None),
            ("padding in middle",            "a=GVsbG8=",        None),
            ("data after padding",           "aGk=a",            None),
            ("too much padding",             "aGk==",            None),
            ("single dangling char",         "aGVsb",            None),
            ("base64url alphabet",           "_-Ah",             None),
            ("dot",                          "aGVsbG8.",         None),
        ];
        let mut buf = [0u8; 32];
        for (rule, b64, expected) in cases {
            let got = decode_base64(b64, &mut buf).map(hex);
            assert_eq!(got.as_deref(), *expected, "{rule}");
            assert_eq!(
                base64_decoded_len(b64).is_some(),
                expected.is_some(),
                "{rule}"
            );
        }
    }

    #[test]
    fn decodes_readable_examples() {
        let mut buf = [0u8; 16];
        assert_eq!(
            decode_base64("MmMyNmI0NmI2OGZm", &mut buf),
            Some(&b"2c26b46b68ff"[..])
        );
        assert_eq!(
            decode_base64("dHJpYWwxMjEzMjM=", &mut buf),
            Some(&b"trial121323"[..])
        );
    }

    #[test]
    fn too_small_output_is_none() {
        let mut buf = [0u8; 4];
        assert_eq!(decode_base64("aGVsbG8=", &mut buf), None);
        assert_eq!(base64_decoded_len("aGVsbG8="), Some(5));
        let mut exact = [0u8; 5];
        assert_eq!(decode_base64("aGVsbG8=", &mut exact), Some(&b"hello"[..]));
    }

    #[test]
    fn round_trips_every_length_up_to_64() {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let data: Vec<u8> = (0..64u32).map(|i| (i * 37 + 11) as u8).collect();
        for n in 0..=data.len() {
            let mut text = Vec::new();
            for chunk in data[..n].chunks(3) {
                let v = chunk
                    .iter()
                    .enumerate()
                    .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
                for i in 0..=chunk.len() {
                    text.push(ALPHABET[(v >> (18 - 6 * i) & 63) as usize]);
                }
            }
            let text = std::str::from_utf8(&text).unwrap();
            let mut out = [0u8; 64];
            assert_eq!(
                decode_base64(text, &mut out),
                Some(&data[..n]),
                "length {n}"
            );
        }
    }

    #[test]
    fn byte_sequences_follow_section_4_2_7() {
        use ErrorKind::*;
        #[rustfmt::skip]
        let cases: &[Case<&str>] = &[
            ("empty",                 "::",            Ok("")),
            ("padded",                ":aGVsbG8=:",    Ok("aGVsbG8=")),
            ("unpadded",              ":aGVsbG8:",     Ok("aGVsbG8")),
            ("no closing colon",      ":aGVsbG8=",     Err((UnterminatedByteSequence, 9))),
            ("space inside",          ":aGVsb G8=:",   Err((InvalidByteSequence, 6))),
            ("bang inside",           ":aGVsbG!8=:",   Err((InvalidByteSequence, 7))),
            ("suffix after padding",  ":aGVsbG8=!:",   Err((InvalidByteSequence, 9))),
            ("padding at start",      ":=aGVsbG8=:",   Err((InvalidByteSequence, 1))),
            ("non-ascii inside",      ":aG\u{e9}:",     Err((NonAscii, 3))),
        ];
        for (rule, input, expected) in cases {
            let got = check_byte_sequence(input.as_bytes(), 0)
                .map(|end| {
                    let (b64, read_end) = read_byte_sequence(input, 0);
                    assert_eq!(read_end, end, "{rule}");
                    b64
                })
                .map_err(|e| (e.kind, e.offset));
            assert_eq!(got, *expected, "{rule}");
        }
    }
}
