//! HTTP-date (RFC 9110 section 5.6.7; `../shared/spec/headers.md` section 2): the
//! preferred IMF-fixdate and the two obsolete forms, rfc850-date and asctime-date.
//!
//! ```text
//! IMF-fixdate  = day-name "," SP day SP month SP year SP time-of-day SP GMT
//!                ; Sun, 06 Nov 1994 08:49:37 GMT
//! rfc850-date  = day-name-l "," SP day "-" month "-" 2DIGIT SP time-of-day SP GMT
//!                ; Sunday, 06-Nov-94 08:49:37 GMT
//! asctime-date = day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time-of-day SP year
//!                ; Sun Nov  6 08:49:37 1994
//! ```
//!
//! HTTP-date is case-sensitive, so these parsers are too (`fri, 31 Dec 1999 ...` is
//! rejected here; [`parse_lenient_date`](super::parse_lenient_date) accepts it). The
//! day name is checked to be one of the seven names but is *not* checked against the
//! date: RFC 9110 does not ask recipients to, and the date fields are authoritative.
//! Day-of-month is validated for the month and leap years; `time-of-day` allows the
//! leap second `:60`, which is read as one second after `:59` (Unix time has no slot for
//! it). Two-digit rfc850 years use the sliding 50-year window against the caller's
//! reference time (see `civil::resolve_two_digit_year`).
//!
//! IMF-fixdate is the hot path: one fixed-layout slice pattern over exactly 29 bytes,
//! no loops and no name tables.

use super::UnixTime;
use super::civil::{
    four_digits, is_day_abbrev, month_from_abbrev, resolve_two_digit_year, two_digits, unix_secs,
    unix_secs_four_digit_year,
};

/// Parses a strict IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT`.
///
/// The input must be exactly the 29 bytes of the format: no surrounding whitespace
/// (use [`parse_http_date`] for trimming and the obsolete forms). Names and `GMT` are
/// case-sensitive. The day name is not compared with the date's weekday.
#[inline]
pub fn parse_imf_fixdate(input: &[u8]) -> Option<UnixTime> {
    // Four overlapping words cover the 29 bytes; each is checked against its
    // layout at once (literal bytes, then digits) before any field is read.
    let (Some(head), Some(tail)) = (input.first_chunk::<24>(), input.last_chunk::<8>()) else {
        return None;
    };
    if input.len() != 29 {
        return None;
    }
    let (w0, rest) = head.split_first_chunk::<8>()?;
    let (w1, w2) = rest.split_first_chunk::<8>()?;
    let words = [
        u64::from_le_bytes(*w0),
        u64::from_le_bytes(*w1),
        u64::from_le_bytes(*w2.first_chunk::<8>()?),
        u64::from_le_bytes(*tail),
    ];
    let mut ok = true;
    let mut i = 0;
    while i < 4 {
        let (Some(&w), Some(layout)) = (words.get(i), IMF_LAYOUT.get(i)) else {
            return None;
        };
        ok &= w & layout.literal_mask == layout.literal && non_digits(w) & layout.digits == 0;
        i = i.wrapping_add(1);
    }
    if !ok {
        return None;
    }
    let [a, b, c, d] = words;
    let name = |w: u64| {
        let [x, y, z, ..] = w.to_le_bytes();
        [x, y, z]
    };
    if !is_day_abbrev(name(a)) {
        return None;
    }
    let secs = unix_secs_four_digit_year(
        digits(b, 4, 4),
        month_from_abbrev(name(b))?,
        digits(a, 5, 2),
        digits(c, 1, 2),
        digits(c, 4, 2),
        digits(d, 2, 2),
    )?;
    Some(UnixTime::from_secs(secs))
}

/// The literal bytes and digit positions of one word of an IMF-fixdate.
struct WordLayout {
    literal_mask: u64,
    literal: u64,
    /// The high bit of each byte that must be a digit.
    digits: u64,
}

/// A word's layout from a picture: `?` is any byte, `d` a digit, anything else
/// that very byte.
const fn layout(picture: &[u8; 8]) -> WordLayout {
    let mut out = WordLayout {
        literal_mask: 0,
        literal: 0,
        digits: 0,
    };
    let mut rest: &[u8] = picture;
    let mut shift = 0u32;
    while let [c, tail @ ..] = rest {
        match *c {
            b'?' => {}
            b'd' => out.digits |= 0x80u64.wrapping_shl(shift),
            c => {
                out.literal_mask |= 0xFFu64.wrapping_shl(shift);
                out.literal |= (c as u64).wrapping_shl(shift);
            }
        }
        shift = shift.wrapping_add(8);
        rest = tail;
    }
    out
}

/// Bytes 0-7, 8-15, 16-23 and 21-28 of `Sun, 06 Nov 1994 08:49:37 GMT`.
const IMF_LAYOUT: [WordLayout; 4] = [
    layout(b"???, dd "),
    layout(b"??? dddd"),
    layout(b" dd:dd:d"),
    layout(b"d:dd GMT"),
];

/// Per byte of `v` (little-endian), the high bit set exactly when the byte is not
/// an ASCII digit. No byte's arithmetic carries into the next.
#[inline(always)]
const fn non_digits(v: u64) -> u64 {
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    const LOW: u64 = u64::from_le_bytes([0x7F; 8]);
    const ZERO: u64 = u64::from_le_bytes([b'0'; 8]);
    const ADD: u64 = u64::from_le_bytes([0x76; 8]);
    let y = v ^ ZERO;
    // A digit leaves 0..=9 in `y`; 0x76 more sets the high bit from 10 up.
    ((y & LOW).wrapping_add(ADD) | y) & HIGH
}

/// The value of the `n` checked digits of `w` from byte `at`.
#[inline(always)]
const fn digits(w: u64, at: u32, n: u32) -> u32 {
    let mut value = 0u32;
    let mut k = 0;
    while k < n {
        let byte = w.wrapping_shr(at.wrapping_add(k).wrapping_mul(8)) as u8;
        value = value
            .wrapping_mul(10)
            .wrapping_add(byte.wrapping_sub(b'0') as u32);
        k = k.wrapping_add(1);
    }
    value
}

#[cfg(test)]
fn parse_imf_fixdate_pattern(input: &[u8]) -> Option<UnixTime> {
    let [
        a0,
        a1,
        a2,
        b',',
        b' ',
        d0,
        d1,
        b' ',
        m0,
        m1,
        m2,
        b' ',
        y0,
        y1,
        y2,
        y3,
        b' ',
        h0,
        h1,
        b':',
        i0,
        i1,
        b':',
        s0,
        s1,
        b' ',
        b'G',
        b'M',
        b'T',
    ] = *input
    else {
        return None;
    };
    if !is_day_abbrev([a0, a1, a2]) {
        return None;
    }
    let secs = unix_secs_four_digit_year(
        four_digits(y0, y1, y2, y3)?,
        month_from_abbrev([m0, m1, m2])?,
        two_digits(d0, d1)?,
        two_digits(h0, h1)?,
        two_digits(i0, i1)?,
        two_digits(s0, s1)?,
    )?;
    Some(UnixTime::from_secs(secs))
}

/// Parses an HTTP-date in any of its three forms (RFC 9110 section 5.6.7), after
/// trimming surrounding ASCII whitespace.
///
/// `reference` (normally the response's `Date` or the current time) anchors the
/// sliding 50-year window for the two-digit years of rfc850-date. asctime-date accepts
/// both the space-padded day (`Nov  6`) and a two-digit day (`Nov 06`).
pub fn parse_http_date(input: &[u8], reference: UnixTime) -> Option<UnixTime> {
    let s = input.trim_ascii();
    match *s {
        [_, _, _, b',', ..] => parse_imf_fixdate(s),
        [_, _, _, b' ', ..] => parse_asctime(s),
        _ => parse_rfc850(s, reference),
    }
}

/// `Sun Nov  6 08:49:37 1994` (24 bytes), or with a two-digit day `Sun Nov 06 ...`.
fn parse_asctime(s: &[u8]) -> Option<UnixTime> {
    let [
        a0,
        a1,
        a2,
        b' ',
        m0,
        m1,
        m2,
        b' ',
        d0,
        d1,
        b' ',
        h0,
        h1,
        b':',
        i0,
        i1,
        b':',
        s0,
        s1,
        b' ',
        y0,
        y1,
        y2,
        y3,
    ] = *s
    else {
        return None;
    };
    if !is_day_abbrev([a0, a1, a2]) {
        return None;
    }
    let day = if d0 == b' ' {
        two_digits(b'0', d1)?
    } else {
        two_digits(d0, d1)?
    };
    let secs = unix_secs_four_digit_year(
        four_digits(y0, y1, y2, y3)?,
        month_from_abbrev([m0, m1, m2])?,
        day,
        two_digits(h0, h1)?,
        two_digits(i0, i1)?,
        two_digits(s0, s1)?,
    )?;
    Some(UnixTime::from_secs(secs))
}

/// `Sunday, 06-Nov-94 08:49:37 GMT`: a long day name, then 23 fixed bytes.
fn parse_rfc850(s: &[u8], reference: UnixTime) -> Option<UnixTime> {
    let comma = s.iter().position(|&b| b == b',')?;
    let (name, rest) = s.split_at_checked(comma)?;
    if !matches!(
        name,
        b"Monday" | b"Tuesday" | b"Wednesday" | b"Thursday" | b"Friday" | b"Saturday" | b"Sunday"
    ) {
        return None;
    }
    let [
        b',',
        b' ',
        d0,
        d1,
        b'-',
        m0,
        m1,
        m2,
        b'-',
        y0,
        y1,
        b' ',
        h0,
        h1,
        b':',
        i0,
        i1,
        b':',
        s0,
        s1,
        b' ',
        b'G',
        b'M',
        b'T',
    ] = *rest
    else {
        return None;
    };
    let month = month_from_abbrev([m0, m1, m2])?;
    let day = two_digits(d0, d1)?;
    let hour = two_digits(h0, h1)?;
    let minute = two_digits(i0, i1)?;
    let second = two_digits(s0, s1)?;
    // Only a plausible time of day feeds the window; unix_secs validates it fully.
    let sod = hour
        .min(24)
        .wrapping_mul(3600)
        .wrapping_add(minute.min(60).wrapping_mul(60))
        .wrapping_add(second.min(61));
    let year = resolve_two_digit_year(two_digits(y0, y1)?, month, day, sod, reference);
    let secs = unix_secs(year, month, day, hour, minute, second, 0)?;
    Some(UnixTime::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_checks_match_the_slice_pattern() {
        let base = *b"Sun, 06 Nov 1994 08:49:37 GMT";
        let samples: [&[u8]; 6] = [
            b"Tue, 29 Feb 2000 23:59:60 GMT",
            b"Mon, 29 Feb 1900 00:00:00 GMT",
            b"Fri, 31 Dec 9999 23:59:59 GMT",
            b"Sat, 01 Jan 0000 00:00:00 GMT",
            b"Sun, 06 Nov 1994 08:49:37 GMT ",
            b"Sun, 06 Nov 1994 08:49:37 GM",
        ];
        for s in samples {
            assert_eq!(parse_imf_fixdate(s), parse_imf_fixdate_pattern(s));
        }
        for pos in 0..base.len() {
            for byte in 0..=255u8 {
                let mut s = base;
                s[pos] = byte;
                assert_eq!(
                    parse_imf_fixdate(&s),
                    parse_imf_fixdate_pattern(&s),
                    "{s:?}"
                );
            }
        }
    }

    const NOW: UnixTime = UnixTime::from_secs(1_700_000_000); // Tue, 14 Nov 2023 22:13:20 GMT

    /// (rule, input, expected Unix seconds) for `parse_http_date` with reference NOW.
    #[rustfmt::skip]
    const HTTP_DATE_ROWS: &[(&str, &str, Option<i64>)] = &[
        ("imf_rfc_example", "Sun, 06 Nov 1994 08:49:37 GMT", Some(784_111_777)),
        ("imf_t29", "Tue, 14 Nov 2023 22:15:20 GMT", Some(1_700_000_120)),
        ("imf_now", "Tue, 14 Nov 2023 22:13:20 GMT", Some(1_700_000_000)),
        ("imf_rfc_retry_after_example", "Fri, 31 Dec 1999 23:59:59 GMT", Some(946_684_799)),
        ("imf_epoch", "Thu, 01 Jan 1970 00:00:00 GMT", Some(0)),
        ("imf_before_epoch", "Wed, 31 Dec 1969 23:59:59 GMT", Some(-1)),
        ("imf_leap_day_2000", "Tue, 29 Feb 2000 12:00:00 GMT", Some(951_825_600)),
        ("imf_leap_second_is_next_second", "Sat, 31 Dec 2016 23:59:60 GMT", Some(1_483_228_800)),
        ("imf_weekday_mismatch_not_rejected", "Mon, 14 Nov 2023 22:13:20 GMT", Some(1_700_000_000)),
        ("imf_trimmed", "  Tue, 14 Nov 2023 22:13:20 GMT\t", Some(1_700_000_000)),
        ("imf_year_9999", "Fri, 31 Dec 9999 23:59:59 GMT", Some(253_402_300_799)),
        ("rfc850_t30", "Tuesday, 14-Nov-23 22:15:20 GMT", Some(1_700_000_120)),
        ("rfc850_t32_past_same_century", "Sunday, 06-Nov-94 08:49:37 GMT", Some(784_111_777)),
        ("rfc850_t33_46_years_ahead", "Thursday, 14-Nov-69 22:13:20 GMT", Some(3_151_692_800)),
        ("rfc850_t34_52_years_ahead_goes_back", "Friday, 14-Nov-75 22:13:20 GMT", Some(185_235_200)),
        ("rfc850_wednesday_longest_name", "Wednesday, 15-Nov-23 00:00:00 GMT", Some(1_700_006_400)),
        ("asctime_t31_space_padded_day", "Fri Dec  1 22:15:20 2023", Some(1_701_468_920)),
        ("asctime_two_digit_day", "Fri Dec 01 22:15:20 2023", Some(1_701_468_920)),
        ("asctime_rfc_example", "Sun Nov  6 08:49:37 1994", Some(784_111_777)),
        ("asctime_day_16", "Thu Nov 16 08:49:37 2023", Some(1_700_124_577)),
        // Case-sensitivity (T35).
        ("t35_lowercase_day_name", "fri, 31 Dec 1999 23:59:59 GMT", None),
        ("lowercase_month", "Fri, 31 dec 1999 23:59:59 GMT", None),
        ("lowercase_gmt", "Fri, 31 Dec 1999 23:59:59 gmt", None),
        ("uppercase_day_name", "FRI, 31 Dec 1999 23:59:59 GMT", None),
        ("rfc850_lowercase_day", "sunday, 06-Nov-94 08:49:37 GMT", None),
        ("asctime_lowercase_month", "Sun nov  6 08:49:37 1994", None),
        // Invalid calendar values.
        ("feb_30", "Fri, 30 Feb 2024 00:00:00 GMT", None),
        ("no_leap_day_1900", "Thu, 29 Feb 1900 00:00:00 GMT", None),
        ("no_leap_day_2023", "Wed, 29 Feb 2023 00:00:00 GMT", None),
        ("april_31", "Mon, 31 Apr 2023 00:00:00 GMT", None),
        ("day_00", "Mon, 00 Jan 2023 00:00:00 GMT", None),
        ("hour_24", "Tue, 14 Nov 2023 24:00:00 GMT", None),
        ("minute_60", "Tue, 14 Nov 2023 22:60:00 GMT", None),
        ("second_61", "Tue, 14 Nov 2023 22:13:61 GMT", None),
        ("unknown_month", "Tue, 14 Nob 2023 22:13:20 GMT", None),
        ("unknown_day_name", "Tus, 14 Nov 2023 22:13:20 GMT", None),
        ("rfc850_feb_30", "Friday, 30-Feb-24 00:00:00 GMT", None),
        ("rfc850_hour_24", "Friday, 14-Nov-75 24:13:20 GMT", None),
        ("asctime_day_00", "Sun Nov 00 08:49:37 1994", None),
        ("asctime_feb_29_non_leap", "Sun Feb 29 08:49:37 1900", None),
        // Wrong shapes.
        ("utc_instead_of_gmt", "Tue, 14 Nov 2023 22:13:20 UTC", None),
        ("numeric_zone", "Tue, 14 Nov 2023 22:13:20 +0000", None),
        ("single_digit_day_imf", "Tue, 1 Nov 2023 22:13:20 GMT", None),
        ("two_digit_year_imf", "Tue, 14 Nov 23 22:13:20 GMT", None),
        ("no_seconds", "Tue, 14 Nov 2023 22:13 GMT", None),
        ("rfc850_short_day_name", "Tue, 14-Nov-23 22:13:20 GMT", None),
        ("rfc850_four_digit_year", "Tuesday, 14-Nov-2023 22:13:20 GMT", None),
        ("asctime_long_day_name", "Sunday Nov  6 08:49:37 1994", None),
        ("asctime_unpadded_day", "Sun Nov 6 08:49:37 1994", None),
        ("delta_seconds", "120", None),
        ("rfc3339", "2023-11-14T22:13:20Z", None),
        ("empty", "", None),
        ("whitespace", "   ", None),
        ("signed_digits", "Tue, +4 Nov 2023 22:13:20 GMT", None),
    ];

    #[test]
    fn http_date_table() {
        for &(name, input, want) in HTTP_DATE_ROWS {
            let got = parse_http_date(input.as_bytes(), NOW);
            assert_eq!(got, want.map(UnixTime::from_secs), "{name}: {input:?}");
        }
    }

    #[test]
    fn imf_fixdate_is_strict() {
        #[rustfmt::skip]
        let rows: &[(&str, &str, Option<i64>)] = &[
            ("exact", "Tue, 14 Nov 2023 22:13:20 GMT", Some(1_700_000_000)),
            ("leading_space", " Tue, 14 Nov 2023 22:13:20 GMT", None),
            ("trailing_space", "Tue, 14 Nov 2023 22:13:20 GMT ", None),
            ("rfc850", "Tuesday, 14-Nov-23 22:15:20 GMT", None),
            ("asctime", "Fri Dec  1 22:15:20 2023", None),
        ];
        for &(name, input, want) in rows {
            assert_eq!(
                parse_imf_fixdate(input.as_bytes()),
                want.map(UnixTime::from_secs),
                "{name}"
            );
        }
    }

    #[test]
    fn rfc850_year_depends_on_the_reference() {
        let input = b"Sunday, 06-Nov-94 08:49:37 GMT";
        let in_1990 = UnixTime::from_secs(631_152_000); // 1990-01-01
        let in_2080 = UnixTime::from_secs(3_471_292_800); // 2080-01-01
        assert_eq!(
            parse_http_date(input, in_1990),
            Some(UnixTime::from_secs(784_111_777))
        );
        assert_eq!(
            parse_http_date(input, in_2080),
            Some(UnixTime::from_secs(784_111_777 + 3_155_760_000)) // 2094
        );
    }

    #[test]
    fn truncated_prefixes_are_rejected() {
        for &(name, input, want) in HTTP_DATE_ROWS {
            if want.is_none() {
                continue;
            }
            let trimmed = input.trim().as_bytes();
            for end in 0..trimmed.len() {
                assert_eq!(
                    parse_http_date(&trimmed[..end], NOW),
                    None,
                    "{name} [..{end}]"
                );
                assert_eq!(parse_imf_fixdate(&trimmed[..end]), None, "{name} [..{end}]");
            }
        }
    }

    #[test]
    fn garbage_never_panics() {
        let fixed: &[&[u8]] = &[
            b",",
            b"   ,",
            b"abc,",
            b"Sunday,",
            b"Sunday, ",
            b"\xff\xfe\xfd, 06 Nov 1994 08:49:37 GMT",
            b"Sun, 06 Nov 1994 08:49:37 GM\xc3\xa9",
            b"Tue, 99 Nov 9999 99:99:99 GMT",
            b"Sunday, 99-Nov-99 99:99:99 GMT",
            b"Sun Nov 99 99:99:99 9999",
        ];
        for &g in fixed {
            let _ = parse_http_date(g, NOW);
            let _ = parse_imf_fixdate(g);
        }
        // Byte-level mutations of every valid example, with extreme references.
        let inputs = HTTP_DATE_ROWS.iter().map(|r| r.1);
        crate::time::mutations::each_mutation(inputs, 0x2545_f491_4f6c_dd1d, 200, |buf| {
            for r in [
                NOW,
                UnixTime::from_millis(i64::MAX),
                UnixTime::from_millis(i64::MIN),
            ] {
                let _ = parse_http_date(buf, r);
            }
            let _ = parse_imf_fixdate(buf);
        });
    }
}
