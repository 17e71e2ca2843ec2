//! Integers and Decimals (RFC 9651 sections 3.3.1, 3.3.2 and 4.2.4).
//!
//! `sf-integer = ["-"] 1*15DIGIT` and `sf-decimal = ["-"] 1*12DIGIT "." 1*3DIGIT`.
//! A Decimal is kept exactly, as thousandths in an `i64`.

use core::fmt;

use super::bytes::at;
use super::error::{Error, ErrorKind, fail};

/// Most digits an Integer may have (RFC 9651 section 4.2.4).
const MAX_INTEGER_DIGITS: usize = 15;
/// Most integer-part digits a Decimal may have (RFC 9651 section 4.2.4).
const MAX_DECIMAL_INTEGER_DIGITS: usize = 12;
/// Most fraction digits a Decimal may have (RFC 9651 section 4.2.4).
const MAX_FRACTION_DIGITS: usize = 3;

/// An exact Structured Field Decimal (RFC 9651 section 3.3.2), stored as its
/// value times 1000.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal {
    milli: i64,
}

impl Decimal {
    /// The Decimal whose value is `milli / 1000`.
    pub const fn from_milli(milli: i64) -> Self {
        Decimal { milli }
    }

    /// The value times 1000 (`1.5` gives `1500`, `-0.25` gives `-250`).
    pub const fn milli(&self) -> i64 {
        self.milli
    }

    /// True when the value has no fractional part (`5.0`, `-3.000`).
    pub const fn is_integral(&self) -> bool {
        self.milli.wrapping_rem(1000) == 0
    }

    /// The integer part, rounded toward zero (`-1.5` gives `-1`).
    pub const fn trunc(&self) -> i64 {
        self.milli.wrapping_div(1000)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.milli < 0 { "-" } else { "" };
        let abs = self.milli.unsigned_abs();
        let (whole, mut frac) = (abs.wrapping_div(1000), abs.wrapping_rem(1000));
        let mut width: usize = 3;
        while width > 1 && frac.wrapping_rem(10) == 0 {
            frac = frac.wrapping_div(10);
            width = width.saturating_sub(1);
        }
        write!(f, "{sign}{whole}.{frac:0width$}")
    }
}

/// A parsed number before it is placed in a bare item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Number {
    /// An Integer.
    Integer(i64),
    /// A Decimal.
    Decimal(Decimal),
}

/// Parses an Integer or Decimal starting at `i`, which must be `-` or a digit
/// (RFC 9651 section 4.2.4). Returns the number and the index just past it.
#[inline(always)]
pub(crate) fn parse_number(b: &[u8], i: usize) -> Result<(Number, usize), Error> {
    let negative = at(b, i) == Some(b'-');
    let start = if negative { i.wrapping_add(1) } else { i };
    let (whole, end) = digits(b, start);
    let count = end.wrapping_sub(start);
    if count == 0 {
        return fail(b, start, ErrorKind::InvalidNumber);
    }
    if count > MAX_INTEGER_DIGITS {
        return fail(
            b,
            start.wrapping_add(MAX_INTEGER_DIGITS),
            ErrorKind::IntegerTooLong,
        );
    }
    if at(b, end) != Some(b'.') {
        let value = if negative {
            whole.wrapping_neg()
        } else {
            whole
        };
        return Ok((Number::Integer(value), end));
    }
    if count > MAX_DECIMAL_INTEGER_DIGITS {
        return fail(b, end, ErrorKind::DecimalTooLong);
    }
    let dot = end;
    let (fraction, end) = digits(b, dot.wrapping_add(1));
    let fraction_digits = end.wrapping_sub(dot).wrapping_sub(1);
    let scale = match fraction_digits {
        0 => return fail(b, end, ErrorKind::DecimalTrailingDot),
        1 => 100,
        2 => 10,
        MAX_FRACTION_DIGITS => 1,
        _ => {
            let offset = dot.wrapping_add(1).wrapping_add(MAX_FRACTION_DIGITS);
            return fail(b, offset, ErrorKind::DecimalFractionTooLong);
        }
    };
    let milli = whole
        .wrapping_mul(1000)
        .wrapping_add(fraction.wrapping_mul(scale));
    let milli = if negative {
        milli.wrapping_neg()
    } else {
        milli
    };
    Ok((Number::Decimal(Decimal::from_milli(milli)), end))
}

/// Reads an Integer or Decimal already checked by [`parse_number`], without
/// re-checking its length limits.
#[inline(always)]
pub(crate) fn read_number(b: &[u8], i: usize) -> (Number, usize) {
    let negative = at(b, i) == Some(b'-');
    let start = if negative { i.wrapping_add(1) } else { i };
    let (whole, end) = digits(b, start);
    let sign = |v: i64| if negative { v.wrapping_neg() } else { v };
    if at(b, end) != Some(b'.') {
        return (Number::Integer(sign(whole)), end);
    }
    let (fraction, frac_end) = digits(b, end.wrapping_add(1));
    let scale = match frac_end.wrapping_sub(end) {
        2 => 100,
        3 => 10,
        _ => 1,
    };
    let milli = whole
        .wrapping_mul(1000)
        .wrapping_add(fraction.wrapping_mul(scale));
    (Number::Decimal(Decimal::from_milli(sign(milli))), frac_end)
}

/// Reads a run of digits from `i`; returns its value (meaningful for at most 18
/// digits, so callers check the length first) and the index past it.
#[inline(always)]
fn digits(b: &[u8], mut i: usize) -> (i64, usize) {
    let mut value: i64 = 0;
    while let Some(d) = at(b, i) {
        if !d.is_ascii_digit() {
            break;
        }
        value = value
            .wrapping_mul(10)
            .wrapping_add(i64::from(d.wrapping_sub(b'0')));
        i = i.wrapping_add(1);
    }
    (value, i)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::sf::error::Case;
    use std::string::ToString;

    fn number(s: &str) -> Result<Number, (ErrorKind, usize)> {
        parse_number(s.as_bytes(), 0)
            .map(|(n, end)| {
                assert_eq!(end, s.len(), "{s}");
                n
            })
            .map_err(|e| (e.kind, e.offset))
    }

    #[test]
    fn numbers_follow_section_4_2_4() {
        use ErrorKind::*;
        use Number::{Decimal as D, Integer as I};
        let dec = Decimal::from_milli;
        #[rustfmt::skip]
        let cases: &[Case<Number>] = &[
            ("zero",                          "0",                   Ok(I(0))),
            ("negative zero",                 "-0",                  Ok(I(0))),
            ("fifteen digits",                "999999999999999",     Ok(I(999_999_999_999_999))),
            ("negative fifteen digits",       "-999999999999999",    Ok(I(-999_999_999_999_999))),
            ("leading zeros kept as value",   "0042",                Ok(I(42))),
            ("sixteen digits fail",           "1000000000000000",    Err((IntegerTooLong, 15))),
            ("sixteen digits after minus",    "-1000000000000000",   Err((IntegerTooLong, 16))),
            ("minus without digit",           "-",                   Err((InvalidNumber, 1))),
            ("minus then letter",             "-a",                  Err((InvalidNumber, 1))),
            ("one fraction digit",            "1.5",                 Ok(D(dec(1500)))),
            ("two fraction digits",           "1.25",                Ok(D(dec(1250)))),
            ("three fraction digits",         "-0.125",              Ok(D(dec(-125)))),
            ("twelve integer digits",         "999999999999.999",    Ok(D(dec(999_999_999_999_999)))),
            ("thirteen integer digits fail",  "1000000000000.0",     Err((DecimalTooLong, 13))),
            ("four fraction digits fail",     "1.2345",              Err((DecimalFractionTooLong, 5))),
            ("trailing dot fails",            "1.",                  Err((DecimalTrailingDot, 2))),
        ];
        for (rule, input, expected) in cases {
            assert_eq!(number(input), *expected, "{rule}: {input}");
            if let Ok(n) = expected {
                assert_eq!(
                    read_number(input.as_bytes(), 0),
                    (*n, input.len()),
                    "{rule}"
                );
            }
        }
    }

    #[test]
    fn decimal_accessors() {
        let d = Decimal::from_milli(-1500);
        assert_eq!(d.milli(), -1500);
        assert_eq!(d.trunc(), -1);
        assert!(!d.is_integral());
        assert!(Decimal::from_milli(3000).is_integral());
        assert_eq!(d.to_string(), "-1.5");
        assert_eq!(Decimal::from_milli(3000).to_string(), "3.0");
        assert_eq!(Decimal::from_milli(125).to_string(), "0.125");
        assert_eq!(Decimal::from_milli(1020).to_string(), "1.02");
    }
}
