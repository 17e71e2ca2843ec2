//! Plain decimal numbers as vendors send them outside Structured Fields
//! (`../shared/spec/headers.md` section 6 A4, A5, A7): `42`, `588.0`, `64.57`,
//! `1470173023.123`, with optional surrounding whitespace.
//!
//! Integers past `u64` are reported as [`NumberError::Overflow`] rather than wrapped;
//! fractions are kept to nanoseconds and extra digits are truncated.

use core::time::Duration;

/// Why a numeric value could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberError {
    /// The value was empty (or only whitespace).
    Empty,
    /// The value had a leading minus sign.
    Negative,
    /// The value was not a plain decimal number.
    NotANumber,
    /// The integer part did not fit in 64 bits.
    Overflow,
}

impl NumberError {
    /// A short description, for warnings.
    pub const fn as_str(self) -> &'static str {
        match self {
            NumberError::Empty => "empty value",
            NumberError::Negative => "negative value",
            NumberError::NotANumber => "not a number",
            NumberError::Overflow => "number too large",
        }
    }
}

/// A non-negative decimal number: whole part and nanosecond-resolution fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal {
    /// The whole part.
    pub whole: u64,
    /// The fraction in billionths (0..1_000_000_000).
    pub nanos: u32,
}

impl Decimal {
    /// The value as a [`Duration`] of that many seconds.
    pub const fn as_seconds(self) -> Duration {
        Duration::new(self.whole, self.nanos)
    }

    /// The value read as milliseconds, as a [`Duration`] (saturating).
    pub fn as_millis_duration(self) -> Duration {
        let secs = self.whole / 1000;
        let rem_ms = self.whole % 1000;
        // rem_ms < 1000 and nanos < 1e9, so this stays below 1e12 nanos.
        let nanos = rem_ms
            .saturating_mul(1_000_000)
            .saturating_add(u64::from(self.nanos) / 1000);
        Duration::from_secs(secs).saturating_add(Duration::from_nanos(nanos))
    }

    /// True when the fraction is zero.
    pub const fn is_whole(self) -> bool {
        self.nanos == 0
    }
}

fn trim(s: &[u8]) -> &[u8] {
    s.trim_ascii()
}

/// Reads `1*DIGIT` (after trimming whitespace) as a `u64`.
pub fn parse_u64(s: &[u8]) -> Result<u64, NumberError> {
    let s = trim(s);
    if s.is_empty() {
        return Err(NumberError::Empty);
    }
    if s.first() == Some(&b'-') {
        return Err(NumberError::Negative);
    }
    digits_u64(s)
}

fn digits_u64(s: &[u8]) -> Result<u64, NumberError> {
    if s.is_empty() {
        return Err(NumberError::NotANumber);
    }
    let mut acc: u64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return Err(NumberError::NotANumber);
        }
        acc = acc
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b.wrapping_sub(b'0'))))
            .ok_or(NumberError::Overflow)?;
    }
    Ok(acc)
}

/// Reads `1*DIGIT [ "." 1*DIGIT ]` (after trimming whitespace) as a [`Decimal`].
pub fn parse_decimal(s: &[u8]) -> Result<Decimal, NumberError> {
    let s = trim(s);
    if s.is_empty() {
        return Err(NumberError::Empty);
    }
    if s.first() == Some(&b'-') {
        return Err(NumberError::Negative);
    }
    let (whole, frac) = match s.iter().position(|&b| b == b'.') {
        Some(dot) => (
            s.get(..dot).unwrap_or_default(),
            Some(s.get(dot.saturating_add(1)..).unwrap_or_default()),
        ),
        None => (s, None),
    };
    let whole = digits_u64(whole)?;
    let nanos = match frac {
        None => 0,
        Some(f) => fraction_nanos(f)?,
    };
    Ok(Decimal { whole, nanos })
}

/// Reads the digits after a decimal point as billionths, truncating past nine digits.
pub fn fraction_nanos(f: &[u8]) -> Result<u32, NumberError> {
    if f.is_empty() {
        return Err(NumberError::NotANumber);
    }
    let mut nanos: u32 = 0;
    let mut scale: u32 = 100_000_000;
    for &b in f {
        if !b.is_ascii_digit() {
            return Err(NumberError::NotANumber);
        }
        let d = u32::from(b.wrapping_sub(b'0'));
        nanos = nanos.saturating_add(d.saturating_mul(scale));
        scale /= 10;
    }
    Ok(nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(parse_u64(b" 42 "), Ok(42));
        assert_eq!(parse_u64(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_u64(b"18446744073709551616"),
            Err(NumberError::Overflow)
        );
        assert_eq!(parse_u64(b"-1"), Err(NumberError::Negative));
        assert_eq!(parse_u64(b""), Err(NumberError::Empty));
        assert_eq!(parse_u64(b"1.0"), Err(NumberError::NotANumber));
        assert_eq!(parse_u64(b"12a"), Err(NumberError::NotANumber));
    }

    #[test]
    fn decimals() {
        assert_eq!(
            parse_decimal(b"588.0"),
            Ok(Decimal {
                whole: 588,
                nanos: 0
            })
        );
        assert_eq!(
            parse_decimal(b"64.57"),
            Ok(Decimal {
                whole: 64,
                nanos: 570_000_000
            })
        );
        assert_eq!(
            parse_decimal(b"1.1234567899"),
            Ok(Decimal {
                whole: 1,
                nanos: 123_456_789
            })
        );
        assert_eq!(parse_decimal(b"1."), Err(NumberError::NotANumber));
        assert_eq!(parse_decimal(b".5"), Err(NumberError::NotANumber));
        assert_eq!(parse_decimal(b"-0.5"), Err(NumberError::Negative));
        assert_eq!(parse_decimal(b"1.2.3"), Err(NumberError::NotANumber));
    }

    #[test]
    fn millis() {
        let d = parse_decimal(b"1500").unwrap().as_millis_duration();
        assert_eq!(d, Duration::from_millis(1500));
        let d = parse_decimal(b"1.5").unwrap().as_millis_duration();
        assert_eq!(d, Duration::from_micros(1500));
        let d = Decimal {
            whole: u64::MAX,
            nanos: 999_999_999,
        }
        .as_millis_duration();
        assert!(d > Duration::from_secs(u64::MAX / 1001));
    }
}
