//! Shared checks for the fuzz targets in `fuzz_targets/`: walkers that touch every
//! part of a parsed Structured Field, the reference times the date parsers are run
//! against, the text format the `response` target splits its input with, the
//! invariants every parsed response and its advice must satisfy, the segments the
//! `governor` target splits its input into, and [`draw`], which turns fuzz bytes into
//! the durations, floats and configurations of the `governor` and `retry` targets.
//!
//! Every check panics (and so makes libFuzzer report a crash) when an invariant
//! documented by `ratelimit-governor` does not hold.

use core::fmt::Write as _;
use core::time::Duration;

use ratelimit_governor::sf::{
    self, BareItem, Item, Member, Parameters, base64_decoded_len, decode_base64,
    decode_display_string,
};
use ratelimit_governor::{
    Action, Advice, DEFAULT_MAX_WAIT, Limits, ParseOptions, Reason, Response, UnixTime, advise,
    parse,
};

/// The reference time of `../shared/spec/headers.md` section 7 (`NOW`).
pub const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

/// Reference times the date parsers are run against: the usual one, the epoch, the
/// ends of the representable range and the ends of the four-digit years.
pub const REFERENCES: [UnixTime; 6] = [
    NOW,
    UnixTime::EPOCH,
    UnixTime::from_millis(i64::MIN),
    UnixTime::from_millis(i64::MAX),
    UnixTime::from_secs(-62_135_596_800),
    UnixTime::from_secs(253_402_300_799),
];

/// The `max_wait` bounds [`advise`] is asked with.
pub const MAX_WAITS: [Duration; 4] = [
    Duration::ZERO,
    Duration::from_secs(1),
    DEFAULT_MAX_WAIT,
    Duration::MAX,
];

/// Touches every part of the parameters: iteration and lookup by each key.
pub fn walk_params(params: &Parameters<'_>) {
    let mut count = 0usize;
    for (key, value) in params.iter() {
        count += 1;
        assert!(!key.is_empty(), "empty parameter key");
        assert!(params.get(key).is_some(), "iterated key {key:?} not found");
        walk_bare(&value);
    }
    assert_eq!(
        params.is_empty(),
        count == 0,
        "is_empty disagrees with iter"
    );
    let _ = params.as_str();
}

/// Touches a bare item: accessors, unescaping, and decoding of Byte Sequences and
/// Display Strings (which must succeed for any value the parser accepted).
pub fn walk_bare(bare: &BareItem<'_>) {
    let _ = (
        bare.as_integer(),
        bare.as_decimal(),
        bare.as_token(),
        bare.as_bool(),
        bare.as_date(),
    );
    match *bare {
        BareItem::String(s) => {
            let unescaped: String = s.chars().collect();
            assert!(s.eq_str(&unescaped), "eq_str rejects its own chars()");
            if !s.has_escapes() {
                assert_eq!(s.as_plain(), Some(s.raw()));
            }
        }
        BareItem::ByteSequence(b64) => {
            let len = base64_decoded_len(b64).expect("accepted Byte Sequence is not base64");
            let mut out = vec![0u8; len];
            let decoded = decode_base64(b64, &mut out).expect("decode into exact buffer");
            assert_eq!(decoded.len(), len);
            if len > 0 {
                let mut short = vec![0u8; len - 1];
                assert!(decode_base64(b64, &mut short).is_none());
            }
        }
        BareItem::DisplayString(raw) => {
            let mut out = vec![0u8; raw.len()];
            assert!(
                decode_display_string(raw, &mut out).is_some(),
                "accepted Display String {raw:?} does not decode"
            );
        }
        BareItem::Decimal(d) => {
            let _ = (d.milli(), d.is_integral(), d.trunc());
        }
        _ => {}
    }
}

/// Touches an item and its parameters.
pub fn walk_item(item: &Item<'_>) {
    walk_bare(&item.bare);
    walk_params(&item.params);
}

/// Touches a List or Dictionary member; an Inner List must yield exactly `len()` items.
pub fn walk_member(member: &Member<'_>) {
    match member {
        Member::Item(item) => walk_item(item),
        Member::InnerList(inner) => {
            let mut count = 0usize;
            for item in inner.items() {
                count += 1;
                walk_item(&item);
            }
            assert_eq!(count, inner.len(), "inner list len() != items().count()");
            assert_eq!(inner.is_empty(), count == 0);
        }
    }
    walk_params(&member.params());
    let _ = (member.as_item(), member.as_inner_list());
}

/// Parses `data` as an SF Item and walks it.
pub fn check_sf_item(data: &[u8]) {
    if let Ok(item) = sf::parse_item(data) {
        walk_item(&item);
    }
}

/// Parses `data` as an SF List and walks it; iteration must yield `len()` members.
pub fn check_sf_list(data: &[u8]) {
    if let Ok(list) = sf::parse_list(data) {
        let mut count = 0usize;
        for member in list.iter() {
            count += 1;
            walk_member(&member);
        }
        assert_eq!(count, list.len(), "list len() != iter().count()");
        assert_eq!(list.is_empty(), count == 0);
    }
}

/// Parses `data` as an SF Dictionary and walks it; every key found by iteration must
/// be found by lookup (the last duplicate wins, so the value may differ).
pub fn check_sf_dictionary(data: &[u8]) {
    if let Ok(dict) = sf::parse_dictionary(data) {
        let mut count = 0usize;
        for (key, member) in dict.iter() {
            count += 1;
            assert!(dict.contains_key(key), "iterated key {key:?} not found");
            assert!(dict.get(key).is_some());
            walk_member(&member);
        }
        assert_eq!(dict.is_empty(), count == 0);
    }
}

/// One response in the `response` target's text format, borrowed from the input.
#[derive(Debug)]
pub struct SplitResponse<'a> {
    /// The status, when the first line starts with a number that fits `u16`.
    pub status: Option<u16>,
    /// The client clock (seconds), when the first line has a second number.
    pub now: Option<UnixTime>,
    /// Header lines as (name, value) byte pairs.
    pub headers: Vec<(&'a [u8], &'a [u8])>,
    /// Everything after the first empty line, when there is one.
    pub body: Option<&'a [u8]>,
}

fn number<T: core::str::FromStr>(bytes: &[u8]) -> Option<T> {
    core::str::from_utf8(bytes).ok()?.parse().ok()
}

/// Takes the next `\n`-terminated line off `rest`, without its `\r`.
fn next_line<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    if rest.is_empty() {
        return None;
    }
    let (line, tail) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (*rest, &[][..]),
    };
    *rest = tail;
    Some(line.strip_suffix(b"\r").unwrap_or(line))
}

/// Splits fuzz input into a response:
///
/// ```text
/// STATUS [NOW]\n          first line: status and optional client clock (Unix seconds)
/// Name: value\n           header lines; a line without ':' is a name with an empty value
/// \n                      an empty line ends the headers
/// body...                 the rest, when present, is the body
/// ```
///
/// A trailing `\r` is dropped from every line; values lose leading spaces and tabs.
pub fn split_response(data: &[u8]) -> SplitResponse<'_> {
    let mut rest = data;
    let first = next_line(&mut rest).unwrap_or_default();
    let mut words = first.split(|&b| b == b' ').filter(|w| !w.is_empty());
    let status = words.next().and_then(number::<u16>);
    let now = words
        .next()
        .and_then(number::<i64>)
        .map(UnixTime::from_secs);
    let mut headers = Vec::new();
    let mut body = None;
    while let Some(line) = next_line(&mut rest) {
        if line.is_empty() {
            body = Some(rest);
            break;
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(i) => (&line[..i], &line[i + 1..]),
            None => (line, &[][..]),
        };
        let start = value
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .unwrap_or(value.len());
        headers.push((name, &value[start..]));
    }
    SplitResponse {
        status,
        now,
        headers,
        body,
    }
}

impl<'a> SplitResponse<'a> {
    /// The response to parse: the headers, and the status, clock and body when given.
    pub fn response(&self) -> Response<'a, &[(&'a [u8], &'a [u8])]> {
        let mut response = Response::new(self.headers.as_slice());
        if let Some(status) = self.status {
            response = response.status(status);
        }
        if let Some(now) = self.now {
            response = response.now(now);
        }
        if let Some(body) = self.body {
            response = response.body(body);
        }
        response
    }
}

/// What separates the segments of the `governor` target's input.
pub const SEGMENT_SEPARATOR: &[u8] = b"\n%%\n";

/// Splits `data` at every [`SEGMENT_SEPARATOR`] into at most `max` segments (the last
/// one keeps the rest, separators included).
pub fn split_segments(data: &[u8], max: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while out.len() + 1 < max {
        match rest
            .windows(SEGMENT_SEPARATOR.len())
            .position(|w| w == SEGMENT_SEPARATOR)
        {
            Some(i) => {
                out.push(&rest[..i]);
                rest = &rest[i + SEGMENT_SEPARATOR.len()..];
            }
            None => break,
        }
    }
    if max > 0 {
        out.push(rest);
    }
    out
}

/// Fuzz bytes to values. Every function consumes a few bytes of the
/// [`Unstructured`](libfuzzer_sys::arbitrary::Unstructured) and, once it is
/// exhausted, returns the value of all-zero bytes: no function fails.
pub mod draw {
    use core::time::Duration;

    use libfuzzer_sys::arbitrary::{Arbitrary, Unstructured};
    use ratelimit_governor::DEFAULT_MAX_WAIT;
    use ratelimit_governor::retry::{Backoff, Jitter};

    /// The largest sample a `RandomSource` returns: `1 - 2^-53`.
    pub const TOP: f64 = 1.0 - 1.0 / 9_007_199_254_740_992.0;

    /// Any value of `T`, or its default once the input is exhausted.
    pub fn get<'a, T: Arbitrary<'a> + Default>(u: &mut Unstructured<'a>) -> T {
        T::arbitrary(u).unwrap_or_default()
    }

    /// A byte.
    pub fn byte(u: &mut Unstructured<'_>) -> u8 {
        get(u)
    }

    /// A boolean.
    pub fn flag(u: &mut Unstructured<'_>) -> bool {
        byte(u) & 1 == 1
    }

    /// Any duration, from zero to [`Duration::MAX`], biased towards the ends and to
    /// human scales.
    pub fn duration(u: &mut Unstructured<'_>) -> Duration {
        match byte(u) % 10 {
            0 => Duration::ZERO,
            1 => Duration::from_nanos(u64::from(get::<u32>(u))),
            2 => Duration::from_millis(u64::from(get::<u16>(u))),
            3 => Duration::from_secs(u64::from(get::<u16>(u))),
            4 => Duration::from_secs(u64::from(get::<u32>(u))),
            5 => Duration::new(get::<u64>(u), get::<u32>(u) % 1_000_000_000),
            6 => Duration::MAX,
            7 => Duration::from_secs(1),
            8 => DEFAULT_MAX_WAIT,
            _ => Duration::from_secs(u64::MAX - u64::from(get::<u8>(u))),
        }
    }

    /// A step of the clock: mostly milliseconds to minutes, sometimes none, sometimes
    /// years, sometimes enough to saturate.
    pub fn delta(u: &mut Unstructured<'_>) -> Duration {
        match byte(u) % 8 {
            0 => Duration::ZERO,
            1..=3 => Duration::from_millis(u64::from(get::<u16>(u))),
            4 => Duration::from_secs(u64::from(get::<u16>(u))),
            5 => Duration::from_secs(u64::from(get::<u32>(u))),
            6 => Duration::new(get::<u64>(u), get::<u32>(u) % 1_000_000_000),
            _ => Duration::from_millis(u64::from(get::<u8>(u)) * 100),
        }
    }

    /// A `max_wait`: zero, one second, the default, [`Duration::MAX`] or any.
    pub fn max_wait(u: &mut Unstructured<'_>) -> Duration {
        match byte(u) % 6 {
            0 => Duration::ZERO,
            1 => Duration::from_secs(1),
            2 => DEFAULT_MAX_WAIT,
            3 => Duration::MAX,
            _ => duration(u),
        }
    }

    /// A sample in `[0, 1)`, as a `RandomSource` makes them (the ends included).
    pub fn unit(u: &mut Unstructured<'_>) -> f64 {
        match byte(u) % 4 {
            0 => 0.0,
            1 => TOP,
            _ => (get::<u64>(u) >> 11) as f64 / 9_007_199_254_740_992.0,
        }
    }

    /// Any `f64`: NaN, the infinities, zeros, the ends of `[0, 1]`, negatives,
    /// subnormals or any bit pattern.
    pub fn any_f64(u: &mut Unstructured<'_>) -> f64 {
        match byte(u) % 12 {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => f64::NEG_INFINITY,
            3 => 0.0,
            4 => -0.0,
            5 => 1.0,
            6 => TOP,
            7 => -1.0,
            8 => f64::MIN_POSITIVE / 2.0,
            9 => f64::MAX,
            _ => f64::from_bits(get(u)),
        }
    }

    /// A growth factor: the usual ones or [`any_f64`].
    pub fn factor(u: &mut Unstructured<'_>) -> f64 {
        match byte(u) % 5 {
            0 => 2.0,
            1 => 1.5,
            2 => 1.6,
            _ => any_f64(u),
        }
    }

    /// Any [`Jitter`] variant.
    pub fn jitter(u: &mut Unstructured<'_>) -> Jitter {
        match byte(u) % 6 {
            0 => Jitter::None,
            1 => Jitter::Full,
            2 => Jitter::Equal,
            3 => Jitter::Decorrelated,
            4 => Jitter::Additive { max: duration(u) },
            _ => Jitter::Proportional {
                percent: match byte(u) % 3 {
                    0 => 20,
                    1 => u32::from(byte(u)),
                    _ => get(u),
                },
            },
        }
    }

    /// A [`Backoff`] with every setting drawn: base, factor, cap, attempts, deadline,
    /// jitter and seed.
    pub fn backoff(u: &mut Unstructured<'_>) -> Backoff {
        let attempts = match byte(u) % 4 {
            0 => None,
            1 => Some(u32::from(byte(u) % 16)),
            2 => Some(u32::MAX - u32::from(byte(u))),
            _ => Some(get(u)),
        };
        let deadline = flag(u).then(|| duration(u));
        Backoff::new()
            .base(duration(u))
            .factor(factor(u))
            .cap(duration(u))
            .max_attempts(attempts)
            .deadline(deadline)
            .jitter(jitter(u))
            .seed(get(u))
    }
}

/// Asserts the invariants of one parse result.
pub fn check_limits<const W: usize, const N: usize>(limits: &Limits<'_, W, N>) {
    assert!(limits.window_count() <= W);
    assert!(limits.warnings().count() <= N);
    for w in limits.windows() {
        if let Some(reset) = w.reset {
            assert!(reset.as_secs_f64().is_finite(), "reset not finite");
            if let Some(reference) = limits.reference_time() {
                let _ = reference.saturating_add(reset);
            }
        }
        if let (Some(e), Some(l)) = (w.effective_remaining(), w.limit) {
            assert!(e <= l, "effective_remaining above limit");
        }
        let _ = (w.is_exhausted(), w.has_quota(), w.unit.as_str());
        if let Some(p) = w.policy {
            let _ = p.chars().count();
            let shown = p.to_string();
            assert!(p.eq_str(&shown), "policy Display != eq_str");
        }
        if let Some(pk) = w.partition_key {
            let mut out = [0u8; 256];
            let _ = pk.decode(&mut out);
        }
        let _ = w.source.as_str();
    }
    let mut text = String::new();
    for warning in limits.warnings() {
        text.clear();
        write!(text, "{warning}").expect("formatting a warning");
        assert!(!text.is_empty());
    }
    let _ = (
        limits.exhausted_reset(),
        limits.most_restrictive(),
        limits.retry_hint(),
        limits.server_date(),
        limits.is_cached(),
        limits.warnings_dropped(),
    );
    let _ = limits.signals().violated_policy_names().count();
    for max_wait in MAX_WAITS {
        check_advice(advise(limits, max_wait), max_wait);
    }
}

/// Asserts the invariants of one piece of advice.
pub fn check_advice(advice: Advice, max_wait: Duration) {
    let _ = (advice.action.as_str(), advice.reason.as_str());
    match advice.action {
        Action::Proceed => {
            assert_eq!(
                advice.wait,
                Duration::ZERO,
                "Proceed with a wait: {advice:?}"
            );
            assert_eq!(advice.reason, Reason::QuotaAvailable);
        }
        Action::Wait => {
            if matches!(advice.reason, Reason::RetryAfter | Reason::WindowExhausted) {
                assert!(
                    advice.wait <= max_wait,
                    "rule 1/2 wait over max: {advice:?}"
                );
            }
        }
        Action::GiveUp => {
            if advice.reason == Reason::WaitExceedsMax {
                assert!(
                    advice.wait > max_wait,
                    "gave up on a short wait: {advice:?}"
                );
            }
        }
    }
}

/// Parses the response in `data` (see [`split_response`]) with the default and with
/// permissive options and tiny capacities, checking every result; a parse must be a
/// pure function of its input.
pub fn check_response(data: &[u8]) {
    let split = split_response(data);
    let response = split.response();
    let limits = parse(&response);
    check_limits(&limits);
    assert_eq!(limits, parse(&response), "parse is not deterministic");

    let permissive = response.options(ParseOptions {
        ignore_cached_ietf_fields: false,
        body_scan_limit: 16,
        refine_date_with_clock: true,
    });
    check_limits(&ratelimit_governor::parse_with_capacity::<_, _, 1, 1>(
        &permissive,
    ));
    check_limits(&ratelimit_governor::parse_with_capacity::<_, _, 0, 0>(
        &response,
    ));
}
