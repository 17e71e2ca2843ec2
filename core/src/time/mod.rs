//! Points in time and the date and duration formats servers use for them.
//!
//! Implements `../shared/spec/headers.md` section 2 (RFC 9110 HTTP-date in all three
//! forms, with the sliding 50-year rule for RFC 850 years), the date forms of section 6
//! A16 (RFC 3339, minute-precision ISO 8601, the RFC 2822 family, JavaScript
//! `Date.toString()`), and Go-style durations (OpenAI, section 5).
//!
//! Everything here is a pure function of its input and an explicit reference time: no
//! clock is ever read.

mod civil;
mod go_duration;
mod http_date;
mod imf_fixdate;
mod lenient_date;
#[cfg(test)]
mod mutations;
mod rfc3339;
mod unix_time;

#[allow(
    unused_imports,
    reason = "calendar helpers offered to the rest of the crate"
)]
pub(crate) use civil::{days_from_civil, weekday_from_days};
pub use go_duration::parse_go_duration;
pub use http_date::{parse_http_date, parse_imf_fixdate};
pub use imf_fixdate::ImfFixdate;
pub use lenient_date::parse_lenient_date;
pub use rfc3339::parse_rfc3339;
pub use unix_time::UnixTime;
