//! Go `time.Duration` strings (Go's `time.ParseDuration`), as OpenAI sends them in
//! `x-ratelimit-reset-requests` / `-tokens` (`../shared/spec/headers.md` section 5,
//! section 6 A2, test set T43): `1s`, `6m0s`, `12ms`, `23h47m36.648s`.
//!
//! ```text
//! duration = "0" / [ "+" ] 1*( number unit )
//! number   = 1*DIGIT [ "." *DIGIT ] / "." 1*DIGIT
//! unit     = "ns" / "us" / "µs" (U+00B5) / "μs" (U+03BC) / "ms" / "s" / "m" / "h"
//! ```
//!
//! Differences from Go: a leading `-` is rejected (a reset is never negative), values
//! too large for [`Duration`] saturate to [`Duration::MAX`] instead of failing, and
//! surrounding ASCII whitespace is trimmed. As in Go, a bare number other than `0`
//! (`5`) is rejected because its unit is unknown; fraction digits beyond the 18th are
//! ignored.

use core::time::Duration;

use super::civil::digit;

const NANOS_PER_SEC: u128 = 1_000_000_000;
/// Fraction digits kept: 10^18 * 3.6e12 ns stays far below `u128::MAX`.
const MAX_FRACTION_DIGITS: usize = 18;

/// Parses a Go duration string such as `23h47m36.648s` or `500µs`.
///
/// Returns `None` for empty input, a leading `-`, a unit-less number other than `0`,
/// an unknown unit, or any other deviation from the grammar.
pub fn parse_go_duration(input: &[u8]) -> Option<Duration> {
    let s = input.trim_ascii();
    let s = match *s {
        [b'-', ..] => return None,
        [b'+', ref rest @ ..] => rest,
        _ => s,
    };
    if s == b"0" {
        return Some(Duration::ZERO);
    }
    if s.is_empty() {
        return None;
    }
    let mut rest = s;
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let (nanos, after) = component(rest)?;
        total = total.saturating_add(nanos);
        rest = after;
    }
    let secs = total.checked_div(NANOS_PER_SEC).unwrap_or(0);
    let sub = total.checked_rem(NANOS_PER_SEC).unwrap_or(0);
    match (u64::try_from(secs), u32::try_from(sub)) {
        (Ok(secs), Ok(sub)) => Some(Duration::new(secs, sub)),
        _ => Some(Duration::MAX),
    }
}

/// One `number unit` pair at the start of `s`: its value in nanoseconds (saturating)
/// and the remaining input.
fn component(s: &[u8]) -> Option<(u128, &[u8])> {
    let int_len = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let (int_digits, rest) = s.split_at_checked(int_len)?;
    let (frac_digits, rest) = match *rest {
        [b'.', ref after @ ..] => {
            let frac_len = after.iter().take_while(|b| b.is_ascii_digit()).count();
            after.split_at_checked(frac_len)?
        }
        _ => (&[][..], rest),
    };
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }
    let unit_len = rest
        .iter()
        .take_while(|&&b| b != b'.' && !b.is_ascii_digit())
        .count();
    let (unit, rest) = rest.split_at_checked(unit_len)?;
    let unit_nanos: u128 = match *unit {
        [b'n', b's'] => 1,
        // "us", "µs" (U+00B5 MICRO SIGN), "μs" (U+03BC GREEK SMALL LETTER MU)
        [b'u', b's'] | [0xC2, 0xB5, b's'] | [0xCE, 0xBC, b's'] => 1_000,
        [b'm', b's'] => 1_000_000,
        [b's'] => NANOS_PER_SEC,
        [b'm'] => 60 * NANOS_PER_SEC,
        [b'h'] => 3_600 * NANOS_PER_SEC,
        _ => return None,
    };
    let whole = int_digits.iter().fold(0u128, |acc, &b| {
        acc.saturating_mul(10)
            .saturating_add(u128::from(digit(b).unwrap_or(0)))
    });
    let mut value = whole.saturating_mul(unit_nanos);
    let kept = frac_digits
        .get(..MAX_FRACTION_DIGITS)
        .unwrap_or(frac_digits);
    if !kept.is_empty() {
        let (numerator, scale) = kept.iter().fold((0u128, 1u128), |(n, sc), &b| {
            (
                n.saturating_mul(10)
                    .saturating_add(u128::from(digit(b).unwrap_or(0))),
                sc.saturating_mul(10),
            )
        });
        let frac = numerator
            .saturating_mul(unit_nanos)
            .checked_div(scale)
            .unwrap_or(0);
        value = value.saturating_add(frac);
    }
    Some((value, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn ms(n: u64) -> Option<Duration> {
        Some(Duration::from_millis(n))
    }

    /// (rule, input, expected duration).
    #[rustfmt::skip]
    const ROWS: &[(&str, &str, Option<Duration>)] = &[
        ("t42_one_second", "1s", ms(1_000)),
        ("t42_minutes_and_zero_seconds", "6m0s", ms(360_000)),
        ("t43_twelve_millis", "12ms", ms(12)),
        ("t43_hours_minutes_fractional_seconds", "23h47m36.648s", ms(85_656_648)),
        ("t43_nine_millis", "9ms", ms(9)),
        ("fractional_seconds", "1.5s", ms(1_500)),
        ("micros_ascii", "500us", Some(Duration::from_micros(500))),
        ("micros_micro_sign_u00b5", "500\u{b5}s", Some(Duration::from_micros(500))),
        ("micros_greek_mu_u03bc", "500\u{3bc}s", Some(Duration::from_micros(500))),
        ("nanos", "10ns", Some(Duration::from_nanos(10))),
        ("hour", "1h", ms(3_600_000)),
        ("zero_seconds", "0s", Some(Duration::ZERO)),
        ("bare_zero", "0", Some(Duration::ZERO)),
        ("plus_sign", "+1s", ms(1_000)),
        ("plus_zero", "+0", Some(Duration::ZERO)),
        ("fraction_without_int", ".5s", ms(500)),
        ("int_with_empty_fraction", "1.s", ms(1_000)),
        ("fractional_hour", "1.5h", ms(5_400_000)),
        ("fractional_minute", "0.1m", ms(6_000)),
        ("fractional_millis", "1.5ms", Some(Duration::from_micros(1_500))),
        ("sub_nanosecond_truncated", "1.9ns", Some(Duration::from_nanos(1))),
        ("repeated_units_add", "1s1s", ms(2_000)),
        ("all_units", "1h1m1s1ms1us1ns", Some(Duration::new(3_661, 1_001_001))),
        ("leading_zeros", "007s", ms(7_000)),
        ("many_fraction_digits", "1.1234567891234567891234s", Some(Duration::new(1, 123_456_789))),
        ("surrounding_whitespace", " 1s ", ms(1_000)),
        ("huge_saturates", "99999999999999999999999999999999999999999999h", Some(Duration::MAX)),
        ("u64_max_seconds_plus_hour_saturates", "18446744073709551615s1h", Some(Duration::MAX)),
        ("largest_exact", "18446744073709551615s", Some(Duration::from_secs(u64::MAX))),
        ("negative", "-1s", None),
        ("negative_zero", "-0", None),
        ("bare_number", "5", None),
        ("bare_double_zero", "00", None),
        ("bare_fraction", "1.5", None),
        ("trailing_bare_number", "1m30", None),
        ("empty", "", None),
        ("only_whitespace", "  ", None),
        ("only_sign", "+", None),
        ("unit_only", "s", None),
        ("dot_only", ".s", None),
        ("unknown_unit", "1d", None),
        ("uppercase_unit", "1S", None),
        ("long_unit_name", "1sec", None),
        ("inner_space", "1m 30s", None),
        ("double_dot", "1.2.3s", None),
        ("double_sign", "++1s", None),
        ("mu_without_s", "500\u{b5}", None),
    ];

    #[test]
    fn go_duration_table() {
        for &(name, input, want) in ROWS {
            assert_eq!(
                parse_go_duration(input.as_bytes()),
                want,
                "{name}: {input:?}"
            );
        }
    }

    #[test]
    fn truncated_prefixes_never_panic_and_need_a_unit() {
        for &(name, input, want) in ROWS {
            if want.is_none() {
                continue;
            }
            let bytes = input.trim().as_bytes();
            for end in 0..bytes.len() {
                let prefix = &bytes[..end];
                let got = parse_go_duration(prefix);
                // A prefix ending inside a number has no unit, so it is invalid
                // (except a lone "0"); one ending after a complete unit is valid.
                if matches!(prefix.last(), None | Some(b'0'..=b'9' | b'.' | b'+'))
                    && prefix.trim_ascii() != b"0"
                    && prefix.trim_ascii() != b"+0"
                {
                    assert_eq!(got, None, "{name} [..{end}]");
                }
            }
        }
        // Cutting a multi-byte micro sign in half is rejected.
        assert_eq!(parse_go_duration(&"500\u{b5}s".as_bytes()[..4]), None);
        assert_eq!(parse_go_duration(&"500\u{3bc}s".as_bytes()[..4]), None);
    }

    #[test]
    fn garbage_never_panics() {
        let fixed: &[&[u8]] = &[
            b"\xff\xfe",
            b"1\xc2",
            b"1\xce",
            b"..........s",
            b"9999999999999999999999999999999999999999999999999999999999.999999999999999999999999h",
        ];
        for &g in fixed {
            let _ = parse_go_duration(g);
        }
        crate::time::mutations::each_mutation(
            ROWS.iter().map(|r| r.1),
            0x1234_5678_9abc_def1,
            200,
            |buf| {
                let _ = parse_go_duration(buf);
            },
        );
    }
}
