//! RFC 3339 timestamps and the ISO 8601 profile servers send in reset fields
//! (`../shared/spec/headers.md` section 5 Anthropic and Atlassian, section 6 A16).
//!
//! ```text
//! date-time   = full-date sep partial-time time-offset      ; 2025-08-21T12:40:59Z
//! full-date   = 4DIGIT "-" 2DIGIT "-" 2DIGIT
//! sep         = "T" / "t" / SP                              ; RFC 3339 section 5.6 note
//! partial-time = 2DIGIT ":" 2DIGIT [ ":" 2DIGIT [ ( "." / "," ) 1*DIGIT ] ]
//! time-offset = "Z" / "z" / ( "+" / "-" ) 2DIGIT [ [ ":" ] 2DIGIT ]
//! ```
//!
//! Extensions over RFC 3339, all from ISO 8601: seconds are optional (Atlassian's
//! minute-precision `2023-11-14T22:14Z`), the offset may omit its colon (`-0500`) or
//! its minutes (`+01`), and `,` may be the decimal sign. The offset is required: a
//! local time without one is ambiguous and yields `None`. Fractions are truncated to
//! milliseconds. `:60` (leap second) is read as one second after `:59`.

use super::UnixTime;
use super::civil::{four_digits, parse_offset, two_digits, unix_secs};
use crate::number::fraction_nanos;

/// Parses an RFC 3339 / ISO 8601 date-time such as `2023-11-14T22:13:25.123456Z` or
/// `2023-11-14 23:14+01:00`, after trimming surrounding ASCII whitespace.
pub fn parse_rfc3339(input: &[u8]) -> Option<UnixTime> {
    let s = input.trim_ascii();
    let [
        y0,
        y1,
        y2,
        y3,
        b'-',
        m0,
        m1,
        b'-',
        d0,
        d1,
        b'T' | b't' | b' ',
        h0,
        h1,
        b':',
        i0,
        i1,
        ref rest @ ..,
    ] = *s
    else {
        return None;
    };
    let (second, nanos, zone) = match *rest {
        [b':', s0, s1, ref after @ ..] => {
            let second = two_digits(s0, s1)?;
            match *after {
                [b'.' | b',', ref frac @ ..] => {
                    let len = frac.iter().take_while(|b| b.is_ascii_digit()).count();
                    let (digits, zone) = frac.split_at_checked(len)?;
                    (second, fraction_nanos(digits).ok()?, zone)
                }
                _ => (second, 0, after),
            }
        }
        _ => (0, 0, rest),
    };
    let offset = match *zone {
        [b'Z' | b'z'] => 0,
        _ => parse_offset(zone)?,
    };
    let secs = unix_secs(
        i64::from(four_digits(y0, y1, y2, y3)?),
        two_digits(m0, m1)?,
        two_digits(d0, d1)?,
        two_digits(h0, h1)?,
        two_digits(i0, i1)?,
        second,
        offset,
    )?;
    Some(UnixTime::from_secs_nanos(secs, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (rule, input, expected Unix milliseconds).
    #[rustfmt::skip]
    const ROWS: &[(&str, &str, Option<i64>)] = &[
        ("anthropic_reset", "2025-08-21T12:40:59Z", Some(1_755_780_059_000)),
        ("t46_requests_reset", "2023-11-14T22:13:25Z", Some(1_700_000_005_000)),
        ("t46_output_tokens_reset", "2023-11-14T22:13:21Z", Some(1_700_000_001_000)),
        ("t66_atlassian_minute_precision", "2023-11-14T22:14Z", Some(1_700_000_040_000)),
        ("fraction_truncated_to_millis", "2023-11-14T22:13:25.123456Z", Some(1_700_000_005_123)),
        ("fraction_one_digit", "2023-11-14T22:13:25.9Z", Some(1_700_000_005_900)),
        ("fraction_many_digits", "2023-11-14T22:13:25.99999999999999Z", Some(1_700_000_005_999)),
        ("fraction_comma", "2023-11-14T22:13:25,5Z", Some(1_700_000_005_500)),
        ("offset_plus_colon", "2023-11-14T23:13:20+01:00", Some(1_700_000_000_000)),
        ("offset_minus_no_colon", "2023-11-14T17:13:20-0500", Some(1_700_000_000_000)),
        ("offset_hours_only", "2023-11-14T23:13:20+01", Some(1_700_000_000_000)),
        ("offset_half_hour", "2023-11-15T03:43:20+05:30", Some(1_700_000_000_000)),
        ("offset_minus_zero", "2023-11-14T22:13:20-00:00", Some(1_700_000_000_000)),
        ("offset_on_minute_precision", "2023-11-14T23:14+01:00", Some(1_700_000_040_000)),
        ("fraction_with_offset", "2023-11-14T23:13:20.250+01:00", Some(1_700_000_000_250)),
        ("lowercase_t_and_z", "2023-11-14t22:13:20z", Some(1_700_000_000_000)),
        ("space_separator", "2023-11-14 22:13:20Z", Some(1_700_000_000_000)),
        ("surrounding_whitespace", " 2023-11-14T22:13:20Z\t", Some(1_700_000_000_000)),
        ("leap_day_2000", "2000-02-29T00:00:00Z", Some(951_782_400_000)),
        ("leap_second", "2016-12-31T23:59:60Z", Some(1_483_228_800_000)),
        ("before_epoch_with_fraction", "1969-12-31T23:59:59.500Z", Some(-500)),
        ("offset_crosses_midnight", "2023-11-14T00:30:00+01:00", Some(1_699_918_200_000)),
        ("no_leap_day_1900", "1900-02-29T00:00:00Z", None),
        ("feb_30", "2024-02-30T00:00:00Z", None),
        ("month_13", "2023-13-01T00:00:00Z", None),
        ("month_00", "2023-00-01T00:00:00Z", None),
        ("day_00", "2023-01-00T00:00:00Z", None),
        ("hour_24", "2023-11-14T24:00:00Z", None),
        ("minute_60", "2023-11-14T22:60:00Z", None),
        ("second_61", "2023-11-14T22:13:61Z", None),
        ("offset_hour_24", "2023-11-14T22:13:20+24:00", None),
        ("missing_offset", "2023-11-14T22:13:20", None),
        ("missing_offset_minute_precision", "2023-11-14T22:14", None),
        ("date_only", "2023-11-14", None),
        ("empty_fraction", "2023-11-14T22:13:20.Z", None),
        ("fraction_without_seconds", "2023-11-14T22:14.5Z", None),
        ("single_digit_seconds", "2023-11-14T22:13:2Z", None),
        ("two_digit_year", "23-11-14T22:13:20Z", None),
        ("five_digit_year", "12023-11-14T22:13:20Z", None),
        ("slash_date", "2023/11/14T22:13:20Z", None),
        ("bad_separator", "2023-11-14X22:13:20Z", None),
        ("double_zone", "2023-11-14T22:13:20ZZ", None),
        ("zone_name", "2023-11-14T22:13:20 UTC", None),
        ("trailing_garbage", "2023-11-14T22:13:20Zjunk", None),
        ("signed_month", "2023-+1-14T22:13:20Z", None),
        ("http_date", "Tue, 14 Nov 2023 22:13:20 GMT", None),
        ("empty", "", None),
    ];

    #[test]
    fn rfc3339_table() {
        for &(name, input, want) in ROWS {
            let got = parse_rfc3339(input.as_bytes());
            assert_eq!(got, want.map(UnixTime::from_millis), "{name}: {input:?}");
        }
    }

    #[test]
    fn truncated_prefixes_are_rejected_or_coarser() {
        for &(name, input, want) in ROWS {
            let Some(full) = want else { continue };
            let trimmed = input.trim().as_bytes();
            for end in 0..trimmed.len() {
                // A prefix can only stay valid by losing offset minutes (`+01:00` ->
                // `+01`), which moves the instant by less than an hour.
                if let Some(t) = parse_rfc3339(&trimmed[..end]) {
                    assert!((t.as_millis() - full).abs() < 3_600_000, "{name} [..{end}]");
                    assert!(ends_with_offset_hours(&trimmed[..end]), "{name} [..{end}]");
                }
            }
        }
    }

    fn ends_with_offset_hours(s: &[u8]) -> bool {
        matches!(s, [.., b'+' | b'-', h0, h1] if h0.is_ascii_digit() && h1.is_ascii_digit())
    }

    #[test]
    fn garbage_never_panics() {
        let fixed: &[&[u8]] = &[
            b"2023-11-14T22:13:20.",
            b"2023-11-14T22:13:20.\xff",
            b"9999-99-99T99:99:99.999999999999999999999999+99:99",
            b"0000-01-01T00:00:00Z",
            b"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9-11-14T22:13:20Z",
        ];
        for &g in fixed {
            let _ = parse_rfc3339(g);
        }
        crate::time::mutations::each_mutation(
            ROWS.iter().map(|r| r.1),
            0x9e37_79b9_7f4a_7c15,
            200,
            |buf| {
                let _ = parse_rfc3339(buf);
            },
        );
    }
}
