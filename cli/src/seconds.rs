//! Decimal seconds as typed on the command line (`--now 1700000000.293`,
//! `--max-wait 90`), read exactly (no floating point) to millisecond precision.

use std::fmt;

/// Why a value is not a number of seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondsError {
    /// Nothing was given.
    Empty,
    /// Not of the form `123` or `123.456`.
    NotDecimal,
    /// A minus sign where only non-negative values make sense.
    Negative,
    /// Too large to represent in milliseconds.
    TooLarge,
}

impl fmt::Display for SecondsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SecondsError::Empty => "empty value",
            SecondsError::NotDecimal => "not a decimal number of seconds",
            SecondsError::Negative => "must not be negative",
            SecondsError::TooLarge => "too large",
        })
    }
}

/// Reads `[-]DIGITS[.DIGITS]` (or `[-].DIGITS`) as milliseconds; digits past the
/// third decimal are truncated. A leading `-` is accepted only when `signed`.
pub fn parse_millis(text: &str, signed: bool) -> Result<i64, SecondsError> {
    if text.is_empty() {
        return Err(SecondsError::Empty);
    }
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) if signed => (true, rest),
        Some(_) => return Err(SecondsError::Negative),
        None => (false, text),
    };
    let (whole, frac) = match unsigned.split_once('.') {
        Some((w, f)) => (w, f),
        None => (unsigned, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !all_digits(whole) || !all_digits(frac) {
        return Err(SecondsError::NotDecimal);
    }
    if unsigned.ends_with('.') {
        return Err(SecondsError::NotDecimal);
    }
    let mut millis: i64 = 0;
    for b in whole.bytes() {
        millis = millis
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(b - b'0')))
            .ok_or(SecondsError::TooLarge)?;
    }
    millis = millis.checked_mul(1000).ok_or(SecondsError::TooLarge)?;
    let mut scale = 100;
    for b in frac.bytes().take(3) {
        millis = millis
            .checked_add(i64::from(b - b'0') * scale)
            .ok_or(SecondsError::TooLarge)?;
        scale /= 10;
    }
    Ok(if negative { -millis } else { millis })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_integers_and_decimals() {
        assert_eq!(parse_millis("1700000000", false), Ok(1_700_000_000_000));
        assert_eq!(parse_millis("1795321215.293", false), Ok(1_795_321_215_293));
        assert_eq!(parse_millis("0.012", false), Ok(12));
        assert_eq!(parse_millis(".5", false), Ok(500));
        assert_eq!(parse_millis("2.99999", false), Ok(2_999));
        assert_eq!(parse_millis("-1.5", true), Ok(-1_500));
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        assert_eq!(parse_millis("", false), Err(SecondsError::Empty));
        assert_eq!(parse_millis("abc", false), Err(SecondsError::NotDecimal));
        assert_eq!(parse_millis("1e9", false), Err(SecondsError::NotDecimal));
        assert_eq!(parse_millis("1.", false), Err(SecondsError::NotDecimal));
        assert_eq!(parse_millis(".", false), Err(SecondsError::NotDecimal));
        assert_eq!(parse_millis("1.2.3", false), Err(SecondsError::NotDecimal));
        assert_eq!(parse_millis("+5", false), Err(SecondsError::NotDecimal));
        assert_eq!(parse_millis("-5", false), Err(SecondsError::Negative));
        assert_eq!(parse_millis("--5", true), Err(SecondsError::NotDecimal));
        assert_eq!(
            parse_millis("99999999999999999999", false),
            Err(SecondsError::TooLarge)
        );
    }
}
