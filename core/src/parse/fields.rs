//! The header names this crate understands, matched case-insensitively
//! (`../shared/spec/headers.md` A15), and a one-pass index of a response's fields.
//!
//! Fixed names get a slot each (first value, line count); vendor families whose names
//! carry a bucket (`x-ratelimit-limit-tokens`, `anthropic-ratelimit-input-tokens-reset`,
//! `zendesk-ratelimit-tickets-index`) are kept in a small bounded list.

use super::input::HeaderPair;
use crate::model::{Bounded, Limits, Problem};

/// A header name with a fixed meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    RateLimit,
    RateLimitPolicy,
    RateLimitLimit,
    RateLimitRemaining,
    RateLimitReset,
    RateLimitObserved,
    RateLimitResetTime,
    RateLimitName,
    RateLimitReason,
    RetryAfter,
    RetryAfterMs,
    Date,
    Age,
    XrlLimit,
    XrlRemaining,
    XrlReset,
    XrlUsed,
    XrlResource,
    XrlResetAfter,
    XrlBucket,
    XrlGlobal,
    XrlScope,
    XrlNearLimit,
    XRateLimit,
    XdLimit,
    XdRemaining,
    XdReset,
    ShopifyCallLimit,
    SforceLimitInfo,
    StripeShouldRetry,
    StripeReason,
    XShouldRetry,
    HubDaily,
    HubDailyRemaining,
    HubIntervalMs,
    HubMax,
    HubRemaining,
    HubSecondly,
    HubSecondlyRemaining,
    AppDayLimit,
    AppDayRemaining,
    AppDayReset,
    UserDayLimit,
    UserDayRemaining,
    UserDayReset,
}

const FIELD_COUNT: usize = Field::UserDayReset as usize + 1;

/// Vendor families whose header names carry a bucket name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BucketFamily {
    /// `x-ratelimit-{limit,remaining,reset}-<bucket>`: OpenAI buckets or Kong periods.
    XRateLimit,
    /// `anthropic-ratelimit-<bucket>-{limit,remaining,reset}`.
    Anthropic,
    /// `zendesk-ratelimit-<name>`.
    Zendesk,
}

/// Which quantity a bucketed header carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Metric {
    Limit,
    Remaining,
    Reset,
    /// A combined value (`total=100; remaining=99; resets=41`).
    Combined,
}

/// One bucketed header line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Bucketed<'a> {
    pub family: BucketFamily,
    pub metric: Metric,
    pub bucket: &'a [u8],
    pub name: &'a [u8],
    pub value: &'a [u8],
}

/// What a header name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class<'a> {
    Known(Field),
    Bucket(BucketFamily, Metric, &'a [u8]),
    Other,
}

fn strip_ci<'n>(name: &'n [u8], prefix: &[u8]) -> Option<&'n [u8]> {
    let head = name.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        name.get(prefix.len()..)
    } else {
        None
    }
}

fn is(name: &[u8], lit: &[u8]) -> bool {
    name.eq_ignore_ascii_case(lit)
}

/// Classifies a header name.
pub(crate) fn classify(name: &[u8]) -> Class<'_> {
    let Some(&first) = name.first() else {
        return Class::Other;
    };
    match first.to_ascii_lowercase() {
        b'r' => classify_r(name),
        b'x' => classify_x(name),
        b'd' if is(name, b"date") => Class::Known(Field::Date),
        b'a' => classify_a(name),
        b's' => classify_s(name),
        b'z' => match strip_ci(name, b"zendesk-ratelimit-") {
            Some(bucket) if !bucket.is_empty() => {
                Class::Bucket(BucketFamily::Zendesk, Metric::Combined, bucket)
            }
            _ => Class::Other,
        },
        _ => Class::Other,
    }
}

fn classify_r(name: &[u8]) -> Class<'_> {
    if let Some(rest) = strip_ci(name, b"ratelimit") {
        let field = if rest.is_empty() {
            Field::RateLimit
        } else {
            match strip_ci(rest, b"-") {
                Some(s) if is(s, b"policy") => Field::RateLimitPolicy,
                Some(s) if is(s, b"limit") => Field::RateLimitLimit,
                Some(s) if is(s, b"remaining") => Field::RateLimitRemaining,
                Some(s) if is(s, b"reset") => Field::RateLimitReset,
                Some(s) if is(s, b"observed") => Field::RateLimitObserved,
                Some(s) if is(s, b"resettime") => Field::RateLimitResetTime,
                Some(s) if is(s, b"name") => Field::RateLimitName,
                Some(s) if is(s, b"reason") => Field::RateLimitReason,
                _ => return Class::Other,
            }
        };
        return Class::Known(field);
    }
    if is(name, b"retry-after") {
        Class::Known(Field::RetryAfter)
    } else if is(name, b"retry-after-ms") {
        Class::Known(Field::RetryAfterMs)
    } else {
        Class::Other
    }
}

fn classify_x(name: &[u8]) -> Class<'_> {
    if let Some(rest) = strip_ci(name, b"x-ratelimit-") {
        return classify_x_ratelimit(rest);
    }
    if let Some(rest) = strip_ci(name, b"x-rate-limit") {
        let field = if rest.is_empty() {
            Field::XRateLimit
        } else {
            match strip_ci(rest, b"-") {
                Some(s) if is(s, b"limit") => Field::XdLimit,
                Some(s) if is(s, b"remaining") => Field::XdRemaining,
                Some(s) if is(s, b"reset") => Field::XdReset,
                _ => return Class::Other,
            }
        };
        return Class::Known(field);
    }
    if let Some(rest) = strip_ci(name, b"x-hubspot-ratelimit-") {
        let field = if is(rest, b"daily") {
            Field::HubDaily
        } else if is(rest, b"daily-remaining") {
            Field::HubDailyRemaining
        } else if is(rest, b"interval-milliseconds") {
            Field::HubIntervalMs
        } else if is(rest, b"max") {
            Field::HubMax
        } else if is(rest, b"remaining") {
            Field::HubRemaining
        } else if is(rest, b"secondly") {
            Field::HubSecondly
        } else if is(rest, b"secondly-remaining") {
            Field::HubSecondlyRemaining
        } else {
            return Class::Other;
        };
        return Class::Known(field);
    }
    for (prefix, fields) in [
        (
            &b"x-app-limit-24hour-"[..],
            [
                Field::AppDayLimit,
                Field::AppDayRemaining,
                Field::AppDayReset,
            ],
        ),
        (
            &b"x-user-limit-24hour-"[..],
            [
                Field::UserDayLimit,
                Field::UserDayRemaining,
                Field::UserDayReset,
            ],
        ),
    ] {
        if let Some(rest) = strip_ci(name, prefix) {
            let [limit, remaining, reset] = fields;
            return if is(rest, b"limit") {
                Class::Known(limit)
            } else if is(rest, b"remaining") {
                Class::Known(remaining)
            } else if is(rest, b"reset") {
                Class::Known(reset)
            } else {
                Class::Other
            };
        }
    }
    if is(name, b"x-shopify-shop-api-call-limit") {
        Class::Known(Field::ShopifyCallLimit)
    } else if is(name, b"x-should-retry") {
        Class::Known(Field::XShouldRetry)
    } else {
        Class::Other
    }
}

fn classify_x_ratelimit(rest: &[u8]) -> Class<'_> {
    let field = if is(rest, b"limit") {
        Field::XrlLimit
    } else if is(rest, b"remaining") {
        Field::XrlRemaining
    } else if is(rest, b"reset") {
        Field::XrlReset
    } else if is(rest, b"used") {
        Field::XrlUsed
    } else if is(rest, b"resource") {
        Field::XrlResource
    } else if is(rest, b"reset-after") {
        Field::XrlResetAfter
    } else if is(rest, b"bucket") {
        Field::XrlBucket
    } else if is(rest, b"global") {
        Field::XrlGlobal
    } else if is(rest, b"scope") {
        Field::XrlScope
    } else if is(rest, b"nearlimit") {
        Field::XrlNearLimit
    } else {
        for (prefix, metric) in [
            (&b"limit-"[..], Metric::Limit),
            (&b"remaining-"[..], Metric::Remaining),
            (&b"reset-"[..], Metric::Reset),
        ] {
            if let Some(bucket) = strip_ci(rest, prefix) {
                if !bucket.is_empty() {
                    return Class::Bucket(BucketFamily::XRateLimit, metric, bucket);
                }
            }
        }
        return Class::Other;
    };
    Class::Known(field)
}

fn classify_a(name: &[u8]) -> Class<'_> {
    if is(name, b"age") {
        return Class::Known(Field::Age);
    }
    let Some(rest) = strip_ci(name, b"anthropic-ratelimit-") else {
        return Class::Other;
    };
    for (suffix, metric) in [
        (&b"-limit"[..], Metric::Limit),
        (&b"-remaining"[..], Metric::Remaining),
        (&b"-reset"[..], Metric::Reset),
    ] {
        if rest.len() > suffix.len() {
            let split = rest.len().saturating_sub(suffix.len());
            if let (Some(bucket), Some(tail)) = (rest.get(..split), rest.get(split..)) {
                if is(tail, suffix) {
                    return Class::Bucket(BucketFamily::Anthropic, metric, bucket);
                }
            }
        }
    }
    Class::Other
}

fn classify_s(name: &[u8]) -> Class<'_> {
    if is(name, b"stripe-should-retry") {
        Class::Known(Field::StripeShouldRetry)
    } else if is(name, b"stripe-rate-limited-reason") {
        Class::Known(Field::StripeReason)
    } else if is(name, b"sforce-limit-info") {
        Class::Known(Field::SforceLimitInfo)
    } else {
        Class::Other
    }
}

/// Walks the headers again for one field's lines (only used for repeated fields).
pub(crate) trait LineSource<'a> {
    fn each_line(&self, field: Field, visit: &mut dyn FnMut(&'a [u8]));
}

impl<'a, H, P> LineSource<'a> for H
where
    H: IntoIterator<Item = P> + Clone,
    P: HeaderPair<'a>,
{
    fn each_line(&self, field: Field, visit: &mut dyn FnMut(&'a [u8])) {
        for pair in self.clone() {
            let (name, value) = pair.pair();
            if classify(name) == Class::Known(field) {
                visit(value);
            }
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct Slot<'a> {
    name: &'a [u8],
    value: &'a [u8],
    lines: u32,
}

/// Most bucketed lines one response may carry (Anthropic sends 12).
pub(crate) const BUCKETED_CAPACITY: usize = 32;

/// The fields of one response, indexed in one pass.
pub(crate) struct Fields<'a, 'h> {
    slots: [Slot<'a>; FIELD_COUNT],
    pub buckets: Bounded<Bucketed<'a>, BUCKETED_CAPACITY>,
    source: &'h dyn LineSource<'a>,
}

impl<'a, 'h> Fields<'a, 'h> {
    /// Indexes the headers in one pass.
    pub fn index<H, P, const W: usize, const N: usize>(
        headers: &'h H,
        out: &mut Limits<'a, W, N>,
    ) -> Self
    where
        H: IntoIterator<Item = P> + Clone,
        P: HeaderPair<'a>,
    {
        let mut slots = [Slot::default(); FIELD_COUNT];
        let mut buckets = Bounded::new();
        let mut warned = false;
        for pair in headers.clone() {
            let (name, value) = pair.pair();
            match classify(name) {
                Class::Known(field) => {
                    if let Some(slot) = slots.get_mut(field as usize) {
                        if slot.lines == 0 {
                            slot.name = name;
                            slot.value = value;
                        }
                        slot.lines = slot.lines.saturating_add(1);
                    }
                }
                Class::Bucket(family, metric, bucket) => {
                    let fits = buckets.push(Bucketed {
                        family,
                        metric,
                        bucket,
                        name,
                        value,
                    });
                    if !fits && !warned {
                        warned = true;
                        out.warn(name, Problem::FieldCapacityExceeded);
                    }
                }
                Class::Other => {}
            }
        }
        Fields {
            slots,
            buckets,
            source: headers,
        }
    }

    fn slot(&self, field: Field) -> Option<&Slot<'a>> {
        self.slots.get(field as usize).filter(|s| s.lines > 0)
    }

    /// True when the response has this field.
    pub fn has(&self, field: Field) -> bool {
        self.slot(field).is_some()
    }

    /// The field's first value.
    pub fn first(&self, field: Field) -> Option<&'a [u8]> {
        self.slot(field).map(|s| s.value)
    }

    /// The field's name as sent (for warnings); a lowercase default when absent.
    pub fn name(&self, field: Field) -> &'a [u8] {
        self.slot(field).map_or(b"", |s| s.name)
    }

    /// How many lines carry the field.
    pub fn line_count(&self, field: Field) -> u32 {
        self.slot(field).map_or(0, |s| s.lines)
    }

    /// Visits every line of the field, in order.
    pub fn each_line(&self, field: Field, visit: &mut dyn FnMut(&'a [u8])) {
        match self.slot(field) {
            None => {}
            Some(s) if s.lines == 1 => visit(s.value),
            Some(_) => self.source.each_line(field, visit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive() {
        let rows: &[(&str, Class<'_>)] = &[
            ("RateLimit", Class::Known(Field::RateLimit)),
            ("ratelimit-policy", Class::Known(Field::RateLimitPolicy)),
            ("RATELIMIT-RESET", Class::Known(Field::RateLimitReset)),
            ("Retry-After", Class::Known(Field::RetryAfter)),
            ("retry-after-ms", Class::Known(Field::RetryAfterMs)),
            (
                "X-RateLimit-Reset-After",
                Class::Known(Field::XrlResetAfter),
            ),
            ("x-rate-limit", Class::Known(Field::XRateLimit)),
            ("X-Rate-Limit-Reset", Class::Known(Field::XdReset)),
            ("Date", Class::Known(Field::Date)),
            (
                "x-ratelimit-reset-tokens",
                Class::Bucket(BucketFamily::XRateLimit, Metric::Reset, b"tokens"),
            ),
            (
                "X-RateLimit-Limit-Minute",
                Class::Bucket(BucketFamily::XRateLimit, Metric::Limit, b"Minute"),
            ),
            (
                "anthropic-ratelimit-input-tokens-remaining",
                Class::Bucket(BucketFamily::Anthropic, Metric::Remaining, b"input-tokens"),
            ),
            (
                "zendesk-ratelimit-tickets-index",
                Class::Bucket(BucketFamily::Zendesk, Metric::Combined, b"tickets-index"),
            ),
            ("x-app-limit-24hour-reset", Class::Known(Field::AppDayReset)),
            ("Content-Type", Class::Other),
            ("x-ratelimit-", Class::Other),
            ("x-ratelimit-limit-", Class::Other),
            ("anthropic-ratelimit--limit", Class::Other),
            ("", Class::Other),
        ];
        for (name, want) in rows {
            assert_eq!(classify(name.as_bytes()), *want, "{name}");
        }
    }
}
