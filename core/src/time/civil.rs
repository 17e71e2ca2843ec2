//! Proleptic Gregorian calendar arithmetic shared by every date parser.
//!
//! Conversions between civil dates and days since 1970-01-01 follow Howard Hinnant's
//! `days_from_civil` / `civil_from_days` algorithms
//! (<https://howardhinnant.github.io/date_algorithms.html>). The module also holds the
//! small byte-level helpers (digits, UTC offsets, month and day names) and the sliding
//! 50-year rule for two-digit years (RFC 9110 section 5.6.7, `../shared/spec/headers.md`
//! section 2), so that the HTTP-date, RFC 3339 and lenient parsers agree on them.
//!
//! Every function is total: out-of-range input saturates or yields `None`, never a
//! panic.

use super::UnixTime;

/// Seconds in a civil day (leap seconds are not counted, as in POSIX time).
pub(crate) const SECS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of the proleptic Gregorian date `year-month-day`.
///
/// `month` is 1..=12 and `day` 1..=31; the caller validates them (see [`valid_date`]).
/// Out-of-range values give a meaningless but panic-free result. Exact for
/// `|year| < 10^9`; beyond that it saturates.
pub(crate) const fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let m = month as i64;
    let d = day as i64;
    // Years start on March 1st so that the leap day is the last day of the year.
    let y = if month <= 2 {
        year.saturating_sub(1)
    } else {
        year
    };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // [0, 399]
    let mp = if month > 2 {
        m.saturating_sub(3)
    } else {
        m.saturating_add(9)
    }; // [0, 11]
    let doy = mp
        .saturating_mul(153)
        .saturating_add(2)
        .div_euclid(5)
        .saturating_add(d)
        .saturating_sub(1); // [0, 365]
    let doe = yoe
        .saturating_mul(365)
        .saturating_add(yoe.div_euclid(4))
        .saturating_sub(yoe.div_euclid(100))
        .saturating_add(doy); // [0, 146096]
    era.saturating_mul(146_097)
        .saturating_add(doe)
        .saturating_sub(719_468)
}

/// The civil date `(year, month, day)` of the day `days` after 1970-01-01.
pub(crate) const fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = doe
        .saturating_sub(doe.div_euclid(1460))
        .saturating_add(doe.div_euclid(36_524))
        .saturating_sub(doe.div_euclid(146_096))
        .div_euclid(365); // [0, 399]
    let doy = doe.saturating_sub(
        yoe.saturating_mul(365)
            .saturating_add(yoe.div_euclid(4))
            .saturating_sub(yoe.div_euclid(100)),
    ); // [0, 365]
    let mp = doy.saturating_mul(5).saturating_add(2).div_euclid(153); // [0, 11]
    let day = doy
        .saturating_sub(mp.saturating_mul(153).saturating_add(2).div_euclid(5))
        .saturating_add(1); // [1, 31]
    let month = if mp < 10 {
        mp.saturating_add(3)
    } else {
        mp.saturating_sub(9)
    }; // [1, 12]
    let y = yoe.saturating_add(era.saturating_mul(400));
    let year = if month <= 2 { y.saturating_add(1) } else { y };
    (year, month as u32, day as u32)
}

/// Day of the week of the day `days` after 1970-01-01: 0 = Sunday ... 6 = Saturday.
///
/// The HTTP-date parsers deliberately do not check day names against it (RFC 9110 does
/// not ask recipients to); [`ImfFixdate`](super::ImfFixdate) writes it.
pub(crate) const fn weekday_from_days(days: i64) -> u32 {
    // 1970-01-01 was a Thursday (4).
    let r = days.rem_euclid(7) as u32; // [0, 6]
    if r < 3 {
        r.wrapping_add(4)
    } else {
        r.wrapping_sub(3)
    }
}

/// True for Gregorian leap years.
pub(crate) const fn is_leap_year(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// Number of days in `month` (1..=12) of `year`; 0 for an invalid month.
pub(crate) const fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// True when `year-month-day` exists in the proleptic Gregorian calendar.
pub(crate) const fn valid_date(year: i64, month: u32, day: u32) -> bool {
    day >= 1 && day <= days_in_month(year, month)
}

/// Seconds since the epoch of a validated civil date and time at UTC offset
/// `offset_secs` (east of Greenwich positive), or `None` when a field is out of range.
///
/// Accepted ranges: month 1-12, day valid for the month, hour 0-23, minute 0-59,
/// second 0-60. A leap second (`:60`) is read as one second after `:59`, i.e. the first
/// second of the next minute, since Unix time has no slot for it.
pub(crate) const fn unix_secs(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    offset_secs: i64,
) -> Option<i64> {
    if !valid_date(year, month, day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let sod = hour
        .wrapping_mul(3600)
        .wrapping_add(minute.wrapping_mul(60))
        .wrapping_add(second); // < 86_461
    Some(
        days.saturating_mul(SECS_PER_DAY)
            .saturating_add(sod as i64)
            .saturating_sub(offset_secs),
    )
}

/// [`unix_secs`] at UTC for a year of at most four digits (0..=9999), in plain
/// unsigned arithmetic: every intermediate is small, so nothing can saturate and the
/// result is exactly that of [`unix_secs`].
#[inline]
pub(crate) const fn unix_secs_four_digit_year(
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<i64> {
    if year > 9999 {
        return unix_secs(year as i64, month, day, hour, minute, second, 0);
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if day == 0 || day > month_days || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // `days_from_civil` with the year shifted by one 400-year era (146,097 days) so
    // that the March-based year stays non-negative: 399..=10399.
    let march = month > 2;
    let y = year
        .wrapping_add(400)
        .wrapping_sub(if march { 0 } else { 1 });
    let era = y / 400;
    let yoe = y % 400;
    let mp = if march {
        month.wrapping_sub(3)
    } else {
        month.wrapping_add(9)
    };
    let doy = mp
        .wrapping_mul(153)
        .wrapping_add(2)
        .wrapping_div(5)
        .wrapping_add(day)
        .wrapping_sub(1);
    let doe = yoe
        .wrapping_mul(365)
        .wrapping_add(yoe / 4)
        .wrapping_sub(yoe / 100)
        .wrapping_add(doy);
    let days = (era as i64)
        .wrapping_mul(146_097)
        .wrapping_add(doe as i64)
        .wrapping_sub(719_468 + 146_097);
    let sod = hour
        .wrapping_mul(3600)
        .wrapping_add(minute.wrapping_mul(60))
        .wrapping_add(second);
    Some(days.wrapping_mul(SECS_PER_DAY).wrapping_add(sod as i64))
}

/// Resolves a two-digit year with the sliding 50-year window of RFC 9110 section 5.6.7.
///
/// Picks the most recent year ending in `yy` whose instant (`month`, `day`,
/// `sec_of_day` in that year) is not more than 50 years after `reference`: a year that
/// "appears to be more than 50 years in the future" becomes "the most recent year in
/// the past that had the same last two digits". With a reference in 2023, `69` is 2069
/// (46 years ahead) but `75` is 1975 (2075 would be 52 years ahead). The window slides
/// with the reference, so with a reference in 2080, `10` is 2110 rather than 2010.
pub(crate) const fn resolve_two_digit_year(
    yy: u32,
    month: u32,
    day: u32,
    sec_of_day: u32,
    reference: UnixTime,
) -> i64 {
    let ref_secs = reference.as_secs();
    let (ry, rm, rd) = civil_from_days(ref_secs.div_euclid(SECS_PER_DAY));
    let ref_sod = ref_secs.rem_euclid(SECS_PER_DAY);
    let limit_year = ry.saturating_add(50);
    let century = ry.div_euclid(100).saturating_mul(100);
    let year = century.saturating_add(yy as i64);
    if after_limit(year, month, day, sec_of_day, limit_year, rm, rd, ref_sod) {
        year.saturating_sub(100)
    } else {
        let next = year.saturating_add(100);
        if after_limit(next, month, day, sec_of_day, limit_year, rm, rd, ref_sod) {
            year
        } else {
            next
        }
    }
}

/// True when `(y, m, d, s)` is lexicographically after `(ly, lm, ld, ls)`.
#[allow(clippy::too_many_arguments)]
const fn after_limit(y: i64, m: u32, d: u32, s: u32, ly: i64, lm: u32, ld: u32, ls: i64) -> bool {
    if y != ly {
        return y > ly;
    }
    if m != lm {
        return m > lm;
    }
    if d != ld {
        return d > ld;
    }
    (s as i64) > ls
}

/// The value of an ASCII decimal digit.
#[inline]
pub(crate) const fn digit(b: u8) -> Option<u32> {
    let d = b.wrapping_sub(b'0');
    if d < 10 { Some(d as u32) } else { None }
}

/// The value of two ASCII decimal digits.
#[inline]
pub(crate) const fn two_digits(a: u8, b: u8) -> Option<u32> {
    match (digit(a), digit(b)) {
        (Some(a), Some(b)) => Some(a.wrapping_mul(10).wrapping_add(b)),
        _ => None,
    }
}

/// The value of four ASCII decimal digits.
#[inline]
pub(crate) const fn four_digits(a: u8, b: u8, c: u8, d: u8) -> Option<u32> {
    match (two_digits(a, b), two_digits(c, d)) {
        (Some(hi), Some(lo)) => Some(hi.wrapping_mul(100).wrapping_add(lo)),
        _ => None,
    }
}

/// The value of a run of one to nine ASCII digits (`None` otherwise).
pub(crate) fn small_number(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    s.iter().try_fold(0u32, |acc, &b| {
        Some(acc.wrapping_mul(10).wrapping_add(digit(b)?))
    })
}

/// The month number of a case-sensitive three-letter name (`Jan` ... `Dec`), as
/// RFC 9110 requires.
#[inline]
pub(crate) const fn month_from_abbrev(m: [u8; 3]) -> Option<u32> {
    Some(match abbrev(m) {
        JAN => 1,
        FEB => 2,
        MAR => 3,
        APR => 4,
        MAY => 5,
        JUN => 6,
        JUL => 7,
        AUG => 8,
        SEP => 9,
        OCT => 10,
        NOV => 11,
        DEC => 12,
        _ => return None,
    })
}

/// Three bytes as one number, so that a name is matched in one comparison.
#[inline(always)]
const fn abbrev(d: [u8; 3]) -> u32 {
    let [a, b, c] = d;
    u32::from_le_bytes([a, b, c, 0])
}

const JAN: u32 = abbrev(*b"Jan");
const FEB: u32 = abbrev(*b"Feb");
const MAR: u32 = abbrev(*b"Mar");
const APR: u32 = abbrev(*b"Apr");
const MAY: u32 = abbrev(*b"May");
const JUN: u32 = abbrev(*b"Jun");
const JUL: u32 = abbrev(*b"Jul");
const AUG: u32 = abbrev(*b"Aug");
const SEP: u32 = abbrev(*b"Sep");
const OCT: u32 = abbrev(*b"Oct");
const NOV: u32 = abbrev(*b"Nov");
const DEC: u32 = abbrev(*b"Dec");
const MON: u32 = abbrev(*b"Mon");
const TUE: u32 = abbrev(*b"Tue");
const WED: u32 = abbrev(*b"Wed");
const THU: u32 = abbrev(*b"Thu");
const FRI: u32 = abbrev(*b"Fri");
const SAT: u32 = abbrev(*b"Sat");
const SUN: u32 = abbrev(*b"Sun");

/// True for a case-sensitive three-letter day name (`Mon` ... `Sun`).
#[inline]
pub(crate) const fn is_day_abbrev(d: [u8; 3]) -> bool {
    matches!(abbrev(d), MON | TUE | WED | THU | FRI | SAT | SUN)
}

/// A UTC offset `+hh`, `+hhmm` or `+hh:mm` (or `-`), as seconds east of UTC.
///
/// Hours 00-23 and minutes 00-59; `-00:00` is accepted as UTC.
pub(crate) const fn parse_offset(s: &[u8]) -> Option<i64> {
    let (sign, h0, h1, m0, m1) = match *s {
        [sign, h0, h1] => (sign, h0, h1, b'0', b'0'),
        [sign, h0, h1, m0, m1] | [sign, h0, h1, b':', m0, m1] => (sign, h0, h1, m0, m1),
        _ => return None,
    };
    let (Some(h), Some(m)) = (two_digits(h0, h1), two_digits(m0, m1)) else {
        return None;
    };
    if h > 23 || m > 59 {
        return None;
    }
    let secs = h.wrapping_mul(3600).wrapping_add(m.wrapping_mul(60)) as i64;
    match sign {
        b'+' => Some(secs),
        b'-' => Some(secs.wrapping_neg()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_civil_known_dates() {
        #[rustfmt::skip]
        let rows: &[(&str, i64, u32, u32, i64)] = &[
            ("epoch", 1970, 1, 1, 0),
            ("day_before_epoch", 1969, 12, 31, -1),
            ("y2k", 2000, 1, 1, 10_957),
            ("leap_day_2000", 2000, 2, 29, 11_016),
            ("now_2023_11_14", 2023, 11, 14, 19_675),
            ("year_zero", 0, 3, 1, -719_468),
            ("rfc_example_1994", 1994, 11, 6, 9_075),
        ];
        for &(name, y, m, d, days) in rows {
            assert_eq!(days_from_civil(y, m, d), days, "{name}");
            assert_eq!(civil_from_days(days), (y, m, d), "{name} inverse");
        }
    }

    #[test]
    fn civil_round_trip_over_a_wide_range() {
        let mut days = -800_000i64;
        while days < 800_000 {
            let (y, m, d) = civil_from_days(days);
            assert!(valid_date(y, m, d), "{days}");
            assert_eq!(days_from_civil(y, m, d), days);
            days += 7;
        }
    }

    #[test]
    fn extreme_years_do_not_panic() {
        for y in [-999_999_999i64, 999_999_999, i64::MAX, i64::MIN] {
            let days = days_from_civil(y, 6, 15);
            if y.unsigned_abs() < 1_000_000_000 {
                assert_eq!(civil_from_days(days), (y, 6, 15));
            }
            let _ = weekday_from_days(days);
        }
        let _ = civil_from_days(i64::MAX);
        let _ = civil_from_days(i64::MIN);
        let _ = days_from_civil(2000, 99, 99);
    }

    #[test]
    fn weekdays() {
        #[rustfmt::skip]
        let rows: &[(&str, i64, u32, u32, u32)] = &[
            ("epoch_thursday", 1970, 1, 1, 4),
            ("rfc_example_sunday", 1994, 11, 6, 0),
            ("now_tuesday", 2023, 11, 14, 2),
            ("dec_1_2023_friday", 2023, 12, 1, 5),
            ("before_epoch_wednesday", 1969, 12, 31, 3),
            ("leap_day_2000_tuesday", 2000, 2, 29, 2),
            ("saturday", 2023, 11, 18, 6),
        ];
        for &(name, y, m, d, wd) in rows {
            assert_eq!(weekday_from_days(days_from_civil(y, m, d)), wd, "{name}");
        }
    }

    #[test]
    fn validity() {
        #[rustfmt::skip]
        let rows: &[(&str, i64, u32, u32, bool)] = &[
            ("leap_day_2000", 2000, 2, 29, true),
            ("no_leap_day_1900", 1900, 2, 29, false),
            ("leap_day_2024", 2024, 2, 29, true),
            ("no_leap_day_2023", 2023, 2, 29, false),
            ("feb_30", 2024, 2, 30, false),
            ("april_31", 2023, 4, 31, false),
            ("month_13", 2023, 13, 1, false),
            ("month_0", 2023, 0, 1, false),
            ("day_0", 2023, 1, 0, false),
            ("dec_31", 2023, 12, 31, true),
        ];
        for &(name, y, m, d, ok) in rows {
            assert_eq!(valid_date(y, m, d), ok, "{name}");
        }
    }

    #[test]
    fn four_digit_year_fast_path_matches_unix_secs() {
        for year in (0u32..=10_001)
            .step_by(7)
            .chain([0, 1, 4, 100, 400, 1600, 1900, 2000, 9999])
        {
            for month in 0..=13 {
                for day in [0, 1, 28, 29, 30, 31, 32] {
                    for (h, mi, s) in [(0, 0, 0), (23, 59, 60), (24, 0, 0), (0, 60, 0), (0, 0, 61)]
                    {
                        assert_eq!(
                            unix_secs_four_digit_year(year, month, day, h, mi, s),
                            unix_secs(i64::from(year), month, day, h, mi, s, 0),
                            "{year}-{month}-{day} {h}:{mi}:{s}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn unix_secs_ranges() {
        assert_eq!(unix_secs(2023, 11, 14, 22, 13, 20, 0), Some(1_700_000_000));
        assert_eq!(
            unix_secs(2023, 11, 14, 23, 13, 20, 3600),
            Some(1_700_000_000)
        );
        assert_eq!(
            unix_secs(2016, 12, 31, 23, 59, 60, 0),
            unix_secs(2017, 1, 1, 0, 0, 0, 0)
        );
        assert_eq!(unix_secs(2023, 11, 14, 24, 0, 0, 0), None);
        assert_eq!(unix_secs(2023, 11, 14, 23, 60, 0, 0), None);
        assert_eq!(unix_secs(2023, 11, 14, 23, 59, 61, 0), None);
    }

    #[test]
    fn two_digit_years_slide_with_the_reference() {
        let now = UnixTime::from_secs(1_700_000_000); // 2023-11-14T22:13:20Z
        #[rustfmt::skip]
        let rows: &[(&str, u32, u32, u32, u32, UnixTime, i64)] = &[
            ("past_same_century", 20, 1, 1, 0, now, 2020),
            ("46_years_ahead", 69, 11, 14, 80_000, now, 2069),
            ("52_years_ahead_goes_back", 75, 11, 14, 80_000, now, 1975),
            ("71_years_ahead_goes_back", 94, 11, 6, 0, now, 1994),
            ("exactly_50_years_is_kept", 73, 11, 14, 80_000, now, 2073),
            ("one_second_past_50_years", 73, 11, 14, 80_001, now, 1973),
            ("late_century_reference_wraps", 10, 1, 1, 0, UnixTime::from_secs(3_471_292_800), 2110),
            ("pre_epoch_reference", 99, 1, 1, 0, UnixTime::from_secs(-1_000_000_000), 1899),
        ];
        for &(name, yy, m, d, s, r, want) in rows {
            assert_eq!(resolve_two_digit_year(yy, m, d, s, r), want, "{name}");
        }
    }

    #[test]
    fn offsets() {
        #[rustfmt::skip]
        let rows: &[(&str, &[u8], Option<i64>)] = &[
            ("colon", b"+01:00", Some(3600)),
            ("no_colon_negative", b"-0500", Some(-18_000)),
            ("hours_only", b"+05", Some(18_000)),
            ("half_hour", b"+05:30", Some(19_800)),
            ("minus_zero", b"-00:00", Some(0)),
            ("hour_24", b"+24:00", None),
            ("minute_60", b"+01:60", None),
            ("no_sign", b"01:00", None),
            ("three_digits", b"+010", None),
            ("empty", b"", None),
        ];
        for &(name, s, want) in rows {
            assert_eq!(parse_offset(s), want, "{name}");
        }
    }
}
