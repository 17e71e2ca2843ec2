//! Writing an IMF-fixdate (RFC 9110 section 5.6.7), the inverse of
//! [`parse_imf_fixdate`](super::parse_imf_fixdate): for servers and simulators that
//! send a `Date` header. No allocation: [`ImfFixdate`] implements `Display`.

use core::fmt;

use super::UnixTime;
use super::civil::{civil_from_days, weekday_from_days};

/// A point in time shown as an IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`
/// (sub-second parts are dropped). The format has four-digit years: a time outside
/// years 0-9999 is written with its year as it is, which no HTTP parser accepts.
///
/// ```
/// use ratelimit_governor::time::{ImfFixdate, parse_imf_fixdate};
/// use ratelimit_governor::UnixTime;
///
/// let text = ImfFixdate(UnixTime::from_secs(784_111_777)).to_string();
/// assert_eq!(text, "Sun, 06 Nov 1994 08:49:37 GMT");
/// assert_eq!(parse_imf_fixdate(text.as_bytes()), Some(UnixTime::from_secs(784_111_777)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImfFixdate(pub UnixTime);

impl fmt::Display for ImfFixdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.as_secs();
        let days = secs.div_euclid(86_400);
        let of_day = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
            weekday_name(weekday_from_days(days)),
            month_name(month),
            of_day.div_euclid(3600),
            of_day.div_euclid(60).rem_euclid(60),
            of_day.rem_euclid(60)
        )
    }
}

/// The IMF-fixdate name of a weekday, 0 = Sunday.
const fn weekday_name(weekday: u32) -> &'static str {
    match weekday {
        0 => "Sun",
        1 => "Mon",
        2 => "Tue",
        3 => "Wed",
        4 => "Thu",
        5 => "Fri",
        _ => "Sat",
    }
}

/// The IMF-fixdate name of a month, 1 = January.
const fn month_name(month: u32) -> &'static str {
    match month {
        1 => "Jan",
        2 => "Feb",
        3 => "Mar",
        4 => "Apr",
        5 => "May",
        6 => "Jun",
        7 => "Jul",
        8 => "Aug",
        9 => "Sep",
        10 => "Oct",
        11 => "Nov",
        _ => "Dec",
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::ToString;

    use super::*;
    use crate::time::parse_imf_fixdate;

    fn show(secs: i64) -> std::string::String {
        ImfFixdate(UnixTime::from_secs(secs)).to_string()
    }

    #[test]
    fn known_dates() {
        assert_eq!(show(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(show(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(show(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(show(1_700_000_000), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(show(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
    }

    #[test]
    fn sub_seconds_are_dropped() {
        let t = UnixTime::from_millis(784_111_777_999);
        assert_eq!(ImfFixdate(t).to_string(), "Sun, 06 Nov 1994 08:49:37 GMT");
    }

    #[test]
    fn the_parser_reads_it_back() {
        for secs in [
            0,
            68_169_600,
            951_868_799,
            1_700_000_000,
            4_102_444_800,
            253_402_300_799,
        ] {
            let text = show(secs);
            assert_eq!(
                parse_imf_fixdate(text.as_bytes()),
                Some(UnixTime::from_secs(secs)),
                "{text}"
            );
        }
    }
}
