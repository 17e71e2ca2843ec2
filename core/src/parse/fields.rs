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

impl BucketFamily {
    const fn bit(self) -> u8 {
        1u8.wrapping_shl(self as u32)
    }
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

/// Loads 8 bytes at `i` as a little-endian word (0 when fewer are left).
#[inline(always)]
fn word(b: &[u8], i: usize) -> u64 {
    b.get(i..i.wrapping_add(8))
        .and_then(|s| <[u8; 8]>::try_from(s).ok())
        .map_or(0, u64::from_le_bytes)
}

/// For eight bytes of lowercase text, `0x20` in each byte that is a letter `a..=z`
/// and 0 elsewhere: `(name | mask) == lit` then compares letters in either case and
/// every other byte exactly.
#[inline(always)]
const fn letter_mask(lit: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low7 = lit & !HIGH;
    // High bit of each byte set when its low seven bits are >= 'a' / > 'z'; no carry
    // crosses a byte.
    let at_least_a = low7.wrapping_add(0x1f1f_1f1f_1f1f_1f1f);
    let above_z = low7.wrapping_add(0x0505_0505_0505_0505);
    let lower = at_least_a & !above_z & !lit & HIGH;
    lower >> 2
}

/// True when the eight bytes `name` equal the eight bytes `lit` (lowercase) ignoring
/// ASCII case.
#[inline(always)]
const fn eq8(name: u64, lit: u64) -> bool {
    name | letter_mask(lit) == lit
}

/// True when the first `lit.len()` bytes of `name` equal `lit` ignoring ASCII case;
/// `lit` is lowercase. Compares eight bytes at a time.
#[inline(always)]
fn starts_lower(name: &[u8], lit: &[u8]) -> bool {
    let n = lit.len();
    if name.len() < n {
        return false;
    }
    if n < 8 {
        // One word each, zero-padded (zero bytes compare equal).
        let (mut a, mut b) = ([0u8; 8], [0u8; 8]);
        if let (Some(a), Some(head), Some(b)) = (a.get_mut(..n), name.get(..n), b.get_mut(..n)) {
            a.copy_from_slice(head);
            b.copy_from_slice(lit);
        }
        return eq8(u64::from_le_bytes(a), u64::from_le_bytes(b));
    }
    let mut i = 0usize;
    while i.wrapping_add(8) < n {
        if !eq8(word(name, i), word(lit, i)) {
            return false;
        }
        i = i.wrapping_add(8);
    }
    // The last (possibly overlapping) eight bytes.
    let last = n.wrapping_sub(8);
    eq8(word(name, last), word(lit, last))
}

/// True when `name` equals `lit` ignoring ASCII case; `lit` is lowercase.
#[inline(always)]
fn is(name: &[u8], lit: &[u8]) -> bool {
    name.len() == lit.len() && starts_lower(name, lit)
}

/// `name` without `prefix` (lowercase), matched ignoring ASCII case.
#[inline(always)]
fn strip_ci<'n>(name: &'n [u8], prefix: &[u8]) -> Option<&'n [u8]> {
    if starts_lower(name, prefix) {
        name.get(prefix.len()..)
    } else {
        None
    }
}

/// (first letter, shortest, longest) of every name [`classify`] may recognise; a
/// prefix family has no longest (`usize::MAX`).
const NAME_SPANS: &[(u8, usize, usize)] = &[
    // ratelimit, retry-after, ratelimit-name, retry-after-ms, ratelimit-limit,
    // ratelimit-reset, ratelimit-policy, ratelimit-reason, ratelimit-observed,
    // ratelimit-remaining, ratelimit-resettime
    (b'r', 9, 9),
    (b'r', 11, 11),
    (b'r', 14, 16),
    (b'r', 18, 19),
    // date
    (b'd', 4, 4),
    // age; anthropic-ratelimit-<bucket>-limit and longer
    (b'a', 3, 3),
    (b'a', 27, usize::MAX),
    // sforce-limit-info, stripe-should-retry, stripe-rate-limited-reason
    (b's', 17, 17),
    (b's', 19, 19),
    (b's', 26, 26),
    // zendesk-ratelimit-<name>
    (b'z', 19, usize::MAX),
    // x-rate-limit; x-should-retry; x-ratelimit-used and every longer `x-` name
    (b'x', 12, 12),
    (b'x', 14, 14),
    (b'x', 16, usize::MAX),
];

/// (first letter, position, letters) : every name [`classify`] may recognise that
/// starts with that letter has one of `letters` (either case) at `position`.
const NAME_LETTERS: &[(u8, usize, &[u8])] = &[
    // ratelimit*, retry-after*
    (b'r', 1, b"ae"),
    // date
    (b'd', 1, b"a"),
    // age, anthropic-*
    (b'a', 1, b"gn"),
    // sforce-*, stripe-*
    (b's', 1, b"ft"),
    // zendesk-*
    (b'z', 1, b"e"),
    // x-rate*, x-hubspot-*, x-app-*, x-user-*, x-shopify-*, x-should-*
    (b'x', 2, b"rhaus"),
];

/// What a name starting with a given letter needs to possibly be known.
#[derive(Clone, Copy)]
struct Filter {
    /// Bit `L` (`L` < 63) when a name of length `L` may be known; bit 63 for every
    /// length from 63 on.
    lengths: u64,
    /// Where [`Filter::letters`] applies (0 when there are no names).
    position: usize,
    /// Bit `c - 0x40` for each byte `c` (lowercase) allowed at `position`.
    letters: u64,
}

const fn filter_for(letter: u8) -> Filter {
    let mut filter = Filter {
        lengths: 0,
        position: 0,
        letters: 0,
    };
    let mut spans = NAME_SPANS;
    while let [(first, shortest, longest), tail @ ..] = spans {
        if *first == letter {
            let mut len = *shortest;
            while len <= *longest && len <= 63 {
                filter.lengths |= 1u64.wrapping_shl(len as u32);
                len = len.wrapping_add(1);
            }
        }
        spans = tail;
    }
    let mut rules = NAME_LETTERS;
    while let [(first, position, letters), tail @ ..] = rules {
        if *first == letter {
            filter.position = *position;
            let mut rest = *letters;
            while let [c, more @ ..] = rest {
                filter.letters |= 1u64.wrapping_shl(c.wrapping_sub(0x40) as u32);
                rest = more;
            }
        }
        rules = tail;
    }
    filter
}

/// [`filter_for`] each byte value's five low bits: slot `c & 31` of a letter `c`
/// (either case) is that letter's filter; other bytes share slots with letters
/// (they never start a known name, so letting them through the filter is only
/// slower, never wrong).
const FILTERS: [Filter; 32] = {
    let mut table = [Filter {
        lengths: 0,
        position: 0,
        letters: 0,
    }; 32];
    let mut slot = 0u8;
    let mut rest: &mut [Filter] = &mut table;
    while let [filter, tail @ ..] = rest {
        // Slots 1 to 26 are `a` to `z`.
        if slot >= 1 && slot <= 26 {
            *filter = filter_for(slot | 0x60);
        }
        slot = slot.wrapping_add(1);
        rest = tail;
    }
    table
};

/// A first filter: false when no known name has this first letter, length and
/// second (or third) letter.
#[inline(always)]
fn may_be_known(name: &[u8]) -> bool {
    let Some(&first) = name.first() else {
        return false;
    };
    let Some(filter) = FILTERS.get(usize::from(first & 31)) else {
        return false;
    };
    let length_bit = 1u64.wrapping_shl(name.len().min(63) as u32);
    if filter.lengths & length_bit == 0 {
        return false;
    }
    // Only letters are allowed there, and `c | 0x20` is a letter's lowercase exactly
    // when `c` is that letter; any other byte maps outside them or beyond bit 63.
    let c = name.get(filter.position).map_or(0, |&c| c | 0x20);
    let letter_bit = 1u64
        .checked_shl(u32::from(c.wrapping_sub(0x40)))
        .unwrap_or(0);
    filter.letters & letter_bit != 0
}

/// Classifies a header name. A table lookup by first letter and length turns most
/// ordinary headers away before any comparison.
#[inline(always)]
pub(crate) fn classify(name: &[u8]) -> Class<'_> {
    if may_be_known(name) {
        classify_candidate(name)
    } else {
        Class::Other
    }
}

/// Classifies a name that passed [`may_be_known`]. Dispatches on the first byte and
/// the length before comparing.
#[inline(never)]
fn classify_candidate(name: &[u8]) -> Class<'_> {
    let Some(&first) = name.first() else {
        return Class::Other;
    };
    // `first | 0x20` equals a lowercase letter exactly when `first` is that letter in
    // either case.
    match first | 0x20 {
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
    let field = match name.len() {
        9 if is(name, b"ratelimit") => Field::RateLimit,
        11 if is(name, b"retry-after") => Field::RetryAfter,
        14 if is(name, b"ratelimit-name") => Field::RateLimitName,
        14 if is(name, b"retry-after-ms") => Field::RetryAfterMs,
        15 if is(name, b"ratelimit-limit") => Field::RateLimitLimit,
        15 if is(name, b"ratelimit-reset") => Field::RateLimitReset,
        16 if is(name, b"ratelimit-policy") => Field::RateLimitPolicy,
        16 if is(name, b"ratelimit-reason") => Field::RateLimitReason,
        18 if is(name, b"ratelimit-observed") => Field::RateLimitObserved,
        19 if is(name, b"ratelimit-remaining") => Field::RateLimitRemaining,
        19 if is(name, b"ratelimit-resettime") => Field::RateLimitResetTime,
        _ => return Class::Other,
    };
    Class::Known(field)
}

fn classify_x(name: &[u8]) -> Class<'_> {
    // Every name here starts `x-` and is told apart by its third byte.
    let third = name.get(2).map_or(0, |&b| b | 0x20);
    let field = match third {
        b'r' => {
            if let Some(rest) = strip_ci(name, b"x-ratelimit-") {
                return classify_x_ratelimit(rest);
            }
            match name.len() {
                12 if is(name, b"x-rate-limit") => Field::XRateLimit,
                18 if is(name, b"x-rate-limit-limit") => Field::XdLimit,
                18 if is(name, b"x-rate-limit-reset") => Field::XdReset,
                22 if is(name, b"x-rate-limit-remaining") => Field::XdRemaining,
                _ => return Class::Other,
            }
        }
        b'h' => {
            let Some(rest) = strip_ci(name, b"x-hubspot-ratelimit-") else {
                return Class::Other;
            };
            match rest.len() {
                3 if is(rest, b"max") => Field::HubMax,
                5 if is(rest, b"daily") => Field::HubDaily,
                8 if is(rest, b"secondly") => Field::HubSecondly,
                9 if is(rest, b"remaining") => Field::HubRemaining,
                15 if is(rest, b"daily-remaining") => Field::HubDailyRemaining,
                18 if is(rest, b"secondly-remaining") => Field::HubSecondlyRemaining,
                21 if is(rest, b"interval-milliseconds") => Field::HubIntervalMs,
                _ => return Class::Other,
            }
        }
        b'a' | b'u' => {
            let (prefix, [limit, remaining, reset]) = if third == b'a' {
                (
                    &b"x-app-limit-24hour-"[..],
                    [
                        Field::AppDayLimit,
                        Field::AppDayRemaining,
                        Field::AppDayReset,
                    ],
                )
            } else {
                (
                    &b"x-user-limit-24hour-"[..],
                    [
                        Field::UserDayLimit,
                        Field::UserDayRemaining,
                        Field::UserDayReset,
                    ],
                )
            };
            let Some(rest) = strip_ci(name, prefix) else {
                return Class::Other;
            };
            if is(rest, b"limit") {
                limit
            } else if is(rest, b"remaining") {
                remaining
            } else if is(rest, b"reset") {
                reset
            } else {
                return Class::Other;
            }
        }
        b's' => match name.len() {
            14 if is(name, b"x-should-retry") => Field::XShouldRetry,
            29 if is(name, b"x-shopify-shop-api-call-limit") => Field::ShopifyCallLimit,
            _ => return Class::Other,
        },
        _ => return Class::Other,
    };
    Class::Known(field)
}

fn classify_x_ratelimit(rest: &[u8]) -> Class<'_> {
    let field = match rest.len() {
        4 if is(rest, b"used") => Some(Field::XrlUsed),
        5 if is(rest, b"limit") => Some(Field::XrlLimit),
        5 if is(rest, b"reset") => Some(Field::XrlReset),
        5 if is(rest, b"scope") => Some(Field::XrlScope),
        6 if is(rest, b"bucket") => Some(Field::XrlBucket),
        6 if is(rest, b"global") => Some(Field::XrlGlobal),
        8 if is(rest, b"resource") => Some(Field::XrlResource),
        9 if is(rest, b"remaining") => Some(Field::XrlRemaining),
        9 if is(rest, b"nearlimit") => Some(Field::XrlNearLimit),
        11 if is(rest, b"reset-after") => Some(Field::XrlResetAfter),
        _ => None,
    };
    if let Some(field) = field {
        return Class::Known(field);
    }
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
    Class::Other
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
    let field = match name.len() {
        17 if is(name, b"sforce-limit-info") => Field::SforceLimitInfo,
        19 if is(name, b"stripe-should-retry") => Field::StripeShouldRetry,
        26 if is(name, b"stripe-rate-limited-reason") => Field::StripeReason,
        _ => return Class::Other,
    };
    Class::Known(field)
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

#[derive(Clone, Copy, Debug)]
struct Slot<'a> {
    name: &'a [u8],
    value: &'a [u8],
    /// `value` as text, when the header pair held it as text.
    text: Option<&'a str>,
    lines: u32,
}

/// Most bucketed lines one response may carry (Anthropic sends 12).
pub(crate) const BUCKETED_CAPACITY: usize = 32;

/// A set of [`Field`]s, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct FieldSet(u64);

impl FieldSet {
    /// The set of these fields.
    pub const fn of(fields: &[Field]) -> Self {
        let mut bits = 0u64;
        let mut rest = fields;
        while let [field, tail @ ..] = rest {
            bits |= FieldSet::bit(*field);
            rest = tail;
        }
        FieldSet(bits)
    }

    const fn bit(field: Field) -> u64 {
        1u64.wrapping_shl(field as u32)
    }

    /// True when the two sets share a field.
    pub const fn intersects(self, other: FieldSet) -> bool {
        self.0 & other.0 != 0
    }
}

// Every field has a bit.
const _: () = assert!(FIELD_COUNT <= 64);

/// The fields of one response, indexed in one pass.
pub(crate) struct Fields<'a, 'h> {
    /// One slot per field, `None` when absent (a `None` is a null pointer: cheap to
    /// set up, unlike a slot of empty slices).
    slots: [Option<Slot<'a>>; FIELD_COUNT],
    /// The fields present (at least one line).
    present: FieldSet,
    /// The bucket families present, one bit per [`BucketFamily`].
    families: u8,
    /// The bucketed lines, once there is one (most responses have none, and
    /// the list is kilobytes large).
    buckets: Option<Bounded<Bucketed<'a>, BUCKETED_CAPACITY>>,
    source: &'h dyn LineSource<'a>,
}

impl<'a, 'h> Fields<'a, 'h> {
    /// An empty index of `headers`; [`Fields::index`] fills it.
    #[inline(always)]
    pub fn new<H, P>(headers: &'h H) -> Self
    where
        H: IntoIterator<Item = P> + Clone,
        P: HeaderPair<'a>,
    {
        Fields {
            slots: [None; FIELD_COUNT],
            present: FieldSet(0),
            families: 0,
            buckets: None,
            source: headers,
        }
    }

    /// Indexes the headers in one pass.
    #[inline(always)]
    pub fn index<H, P, const W: usize, const N: usize>(
        &mut self,
        headers: &H,
        out: &mut Limits<'a, W, N>,
    ) where
        H: IntoIterator<Item = P> + Clone,
        P: HeaderPair<'a>,
    {
        let mut warned = false;
        for pair in headers.clone() {
            let (name, value) = pair.pair();
            match classify(name) {
                Class::Known(field) => {
                    if let Some(slot) = self.slots.get_mut(field as usize) {
                        match slot {
                            Some(s) => s.lines = s.lines.saturating_add(1),
                            None => {
                                *slot = Some(Slot {
                                    name,
                                    value,
                                    text: pair.value_text(),
                                    lines: 1,
                                })
                            }
                        }
                    }
                    self.present.0 |= FieldSet::bit(field);
                }
                Class::Bucket(family, metric, bucket) => {
                    let fits = self
                        .buckets
                        .get_or_insert_with(Bounded::new)
                        .push(Bucketed {
                            family,
                            metric,
                            bucket,
                            name,
                            value,
                        });
                    if fits {
                        self.families |= family.bit();
                    } else if !warned {
                        warned = true;
                        out.warn(name, Problem::FieldCapacityExceeded);
                    }
                }
                Class::Other => {}
            }
        }
    }

    /// The bucketed lines, in order.
    pub fn buckets(&self) -> impl Iterator<Item = &Bucketed<'a>> + '_ {
        self.buckets.iter().flat_map(Bounded::iter)
    }

    #[inline(always)]
    fn slot(&self, field: Field) -> Option<&Slot<'a>> {
        if self.has(field) {
            self.slots.get(field as usize)?.as_ref()
        } else {
            None
        }
    }

    /// True when the response has this field.
    #[inline(always)]
    pub fn has(&self, field: Field) -> bool {
        self.present.0 & FieldSet::bit(field) != 0
    }

    /// True when the response has any of these fields.
    #[inline(always)]
    pub fn has_any(&self, fields: FieldSet) -> bool {
        self.present.intersects(fields)
    }

    /// True when a bucketed line of this family is kept.
    #[inline(always)]
    pub fn has_family(&self, family: BucketFamily) -> bool {
        self.families & family.bit() != 0
    }

    /// The field's first value.
    #[inline(always)]
    pub fn first(&self, field: Field) -> Option<&'a [u8]> {
        self.slot(field).map(|s| s.value)
    }

    /// The field's first value as text, when the header pair held it as text.
    #[inline(always)]
    pub fn first_text(&self, field: Field) -> Option<&'a str> {
        self.slot(field).and_then(|s| s.text)
    }

    /// The field's name as sent (for warnings); a lowercase default when absent.
    #[inline(always)]
    pub fn name(&self, field: Field) -> &'a [u8] {
        self.slot(field).map_or(b"", |s| s.name)
    }

    /// How many lines carry the field.
    #[inline(always)]
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
    extern crate std;
    use super::*;
    use std::string::String;
    use std::vec::Vec;

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

    /// The classifier as it was before the length/letter filter and the
    /// word-at-a-time comparisons, kept to check that they changed nothing.
    mod reference {
        use super::super::{BucketFamily, Class, Field, Metric};

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

        pub(super) fn classify(name: &[u8]) -> Class<'_> {
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
    }

    /// Every known name, with case and length variations and bytes that only look
    /// alike once ORed with 0x20, classifies as the reference classifier does.
    #[test]
    fn classification_matches_the_reference() {
        let known: &[&str] = &[
            "ratelimit",
            "ratelimit-policy",
            "ratelimit-limit",
            "ratelimit-remaining",
            "ratelimit-reset",
            "ratelimit-observed",
            "ratelimit-resettime",
            "ratelimit-name",
            "ratelimit-reason",
            "retry-after",
            "retry-after-ms",
            "date",
            "age",
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
            "x-ratelimit-used",
            "x-ratelimit-resource",
            "x-ratelimit-reset-after",
            "x-ratelimit-bucket",
            "x-ratelimit-global",
            "x-ratelimit-scope",
            "x-ratelimit-nearlimit",
            "x-rate-limit",
            "x-rate-limit-limit",
            "x-rate-limit-remaining",
            "x-rate-limit-reset",
            "x-shopify-shop-api-call-limit",
            "sforce-limit-info",
            "stripe-should-retry",
            "stripe-rate-limited-reason",
            "x-should-retry",
            "x-hubspot-ratelimit-daily",
            "x-hubspot-ratelimit-daily-remaining",
            "x-hubspot-ratelimit-interval-milliseconds",
            "x-hubspot-ratelimit-max",
            "x-hubspot-ratelimit-remaining",
            "x-hubspot-ratelimit-secondly",
            "x-hubspot-ratelimit-secondly-remaining",
            "x-app-limit-24hour-limit",
            "x-app-limit-24hour-remaining",
            "x-app-limit-24hour-reset",
            "x-user-limit-24hour-limit",
            "x-user-limit-24hour-remaining",
            "x-user-limit-24hour-reset",
            "x-ratelimit-limit-tokens",
            "x-ratelimit-remaining-requests",
            "x-ratelimit-reset-minute",
            "anthropic-ratelimit-input-tokens-reset",
            "anthropic-ratelimit-r-limit",
            "anthropic-ratelimit-tokens-remaining",
            "zendesk-ratelimit-tickets-index",
            "zendesk-ratelimit-a",
            "content-type",
            "server",
            "x-request-id",
            "access-control-allow-origin",
            "strict-transport-security",
            "etag",
            "vary",
        ];
        let mut names: Vec<Vec<u8>> = Vec::new();
        for name in known {
            let b = name.as_bytes();
            names.push(b.to_vec());
            names.push(b.to_ascii_uppercase());
            // Every prefix and a few extensions.
            for end in 0..b.len() {
                names.push(b[..end].to_vec());
            }
            for tail in [&b"-"[..], b"x", b"-limit", b"-reset", b"s", &[0xc3, 0xa9]] {
                names.push([b, tail].concat());
            }
            // Each byte replaced by look-alikes: its other case, the byte 0x20
            // below or above it, a space, a NUL and a non-ASCII byte.
            for i in 0..b.len() {
                for f in [0x20u8, 0x40, 0x80] {
                    let mut v = b.to_vec();
                    v[i] ^= f;
                    names.push(v);
                }
                for r in [b' ', 0, 0xff, b'\r', b'_'] {
                    let mut v = b.to_vec();
                    v[i] = r;
                    names.push(v);
                }
            }
        }
        // Mixed case, deterministically.
        let mut state: u32 = 0x2545_f491;
        for name in known {
            for _ in 0..8 {
                let v: Vec<u8> = name
                    .bytes()
                    .map(|c| {
                        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                        if state >> 31 == 1 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        }
                    })
                    .collect();
                names.push(v);
            }
        }
        for name in &names {
            assert_eq!(
                classify(name),
                reference::classify(name),
                "{:?}",
                String::from_utf8_lossy(name)
            );
        }
        assert!(names.len() > 10_000);
    }
}
