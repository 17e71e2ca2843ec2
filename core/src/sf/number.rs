//! Integers and Decimals (RFC 9651 sections 3.3.1, 3.3.2 and 4.2.4).
//!
//! `sf-integer = ["-"] 1*15DIGIT` and `sf-decimal = ["-"] 1*12DIGIT "." 1*3DIGIT`.
//! A Decimal is kept exactly, as thousandths in an `i64`.

use core::fmt;

use super::cursor::Cursor;
use super::error::{Error, ErrorKind};

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

/// Parses an Integer or Decimal at the cursor (RFC 9651 section 4.2.4). The
/// cursor must be on `-` or a digit.
#[inline(always)]
pub(crate) fn parse_number(c: &mut Cursor<'_>) -> Result<Number, Error> {
    let negative = c.eat(b'-');
    if !matches!(c.peek(), Some(b'0'..=b'9')) {
        return Err(c.error(ErrorKind::InvalidNumber));
    }
    let (whole, whole_digits) = digits(c);
    if whole_digits > MAX_INTEGER_DIGITS {
        return Err(Error::new(
            ErrorKind::IntegerTooLong,
            c.pos()
                .saturating_sub(whole_digits)
                .saturating_add(MAX_INTEGER_DIGITS),
        ));
    }
    if c.peek() != Some(b'.') {
        let value = if negative {
            whole.wrapping_neg()
        } else {
            whole
        };
        return Ok(Number::Integer(value));
    }
    if whole_digits > MAX_DECIMAL_INTEGER_DIGITS {
        return Err(c.error(ErrorKind::DecimalTooLong));
    }
    c.advance();
    let (fraction, fraction_digits) = digits(c);
    if fraction_digits == 0 {
        return Err(c.error(ErrorKind::DecimalTrailingDot));
    }
    if fraction_digits > MAX_FRACTION_DIGITS {
        return Err(Error::new(
            ErrorKind::DecimalFractionTooLong,
            c.pos()
                .saturating_sub(fraction_digits)
                .saturating_add(MAX_FRACTION_DIGITS),
        ));
    }
    let scale = match fraction_digits {
        1 => 100,
        2 => 10,
        _ => 1,
    };
    let milli = whole
        .wrapping_mul(1000)
        .wrapping_add(fraction.wrapping_mul(scale));
    let milli = if negative {
        milli.wrapping_neg()
    } else {
        milli
    };
    Ok(Number::Decimal(Decimal::from_milli(milli)))
}

/// Reads a run of digits. The value is only meaningful for at most 18 digits; the
/// count is always exact, so callers check it before using the value.
#[inline(always)]
fn digits(c: &mut Cursor<'_>) -> (i64, usize) {
    let mut value: i64 = 0;
    let mut count: usize = 0;
    for &b in c.rest() {
        if !b.is_ascii_digit() {
            break;
        }
        value = value
            .wrapping_mul(10)
            .wrapping_add(i64::from(b.wrapping_sub(b'0')));
        count = count.wrapping_add(1);
    }
    c.advance_by(count);
    (value, count)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::ToString;

    fn number(s: &str) -> Result<Number, Error> {
        parse_number(&mut Cursor::new(s))
    }

    #[test]
    fn numbers_follow_section_4_2_4() {
        use ErrorKind::*;
        use Number::{Decimal as D, Integer as I};
        let dec = Decimal::from_milli;
        #[rustfmt::skip]
        let cases: &[(&str, &str, Result<Number, ErrorKind>)] = &[
            ("zero",                          "0",                   Ok(I(0))),
            ("negative zero",                 "-0",                  Ok(I(0))),
            ("fifteen digits",                "999999999999999",     Ok(I(999_999_999_999_999))),
            ("negative fifteen digits",       "-999999999999999",    Ok(I(-999_999_999_999_999))),
            ("leading zeros kept as value",   "0042",                Ok(I(42))),
            ("sixteen digits fail",           "1000000000000000",    Err(IntegerTooLong)),
            ("minus without digit",           "-",                   Err(InvalidNumber)),
            ("minus then letter",             "-a",                  Err(InvalidNumber)),
            ("one fraction digit",            "1.5",                 Ok(D(dec(1500)))),
            ("two fraction digits",           "1.25",                Ok(D(dec(1250)))),
            ("three fraction digits",         "-0.125",              Ok(D(dec(-125)))),
            ("twelve integer digits",         "999999999999.999",    Ok(D(dec(999_999_999_999_999)))),
            ("thirteen integer digits fail",  "1000000000000.0",     Err(DecimalTooLong)),
            ("four fraction digits fail",     "1.2345",              Err(DecimalFractionTooLong)),
            ("trailing dot fails",            "1.",                  Err(DecimalTrailingDot)),
        ];
        for (rule, input, expected) in cases {
            assert_eq!(
                number(input).map_err(|e| e.kind),
                *expected,
                "{rule}: {input}"
            );
        }
    }

    #[test]
    fn error_offsets_point_at_the_excess_digit() {
        assert_eq!(number("1234567890123456").unwrap_err().offset, 15);
        assert_eq!(number("1.2345").unwrap_err().offset, 5);
        assert_eq!(number("1.").unwrap_err().offset, 2);
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
