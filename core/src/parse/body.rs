//! JSON error envelopes in the body (`../shared/spec/headers.md` section 5 "Retry time
//! carried in JSON bodies", T44, T49-T53, T61): `retry_after_seconds`, `retry_after`
//! (decimal), `retryAfter`, Akamai's `rateLimitNextRequest`, "try again in 3.89s" in a
//! message, problem+json `type` and `violated-policies`, Shopify GraphQL's
//! `throttleStatus`, and markers that say the error is a rate limit.
//!
//! The scan is a single forward pass over at most
//! [`ParseOptions::body_scan_limit`](super::ParseOptions) bytes: no tree, no
//! allocation, no recursion. A string followed by `:` is a key; the value after it is
//! matched against the keys above wherever it is nested.

use core::time::Duration;

use super::bucketed::contains_ci;
use super::ctx::Ctx;
use crate::model::{HintSource, Problem, ProblemType, Refill, RetryHint, Source, Window};
use crate::number::{Decimal, parse_decimal};
use crate::time::{parse_go_duration, parse_lenient_date};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
    Str(&'a [u8]),
    Num(&'a [u8]),
    Literal(&'a [u8]),
    Open(u8, usize),
    Close(u8),
    Colon,
    Comma,
    Junk,
}

struct Scanner<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn skip_ws(&mut self) {
        while self
            .input
            .get(self.pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.pos = self.pos.saturating_add(1);
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.input.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<Token<'a>> {
        let b = self.peek()?;
        let start = self.pos;
        self.pos = self.pos.saturating_add(1);
        Some(match b {
            b'"' => {
                let mut i = self.pos;
                while let Some(&c) = self.input.get(i) {
                    match c {
                        b'\\' => i = i.saturating_add(2),
                        b'"' => break,
                        _ => i = i.saturating_add(1),
                    }
                }
                let s = self.input.get(self.pos..i).unwrap_or_default();
                self.pos = i.saturating_add(1);
                Token::Str(s)
            }
            b'{' | b'[' => Token::Open(b, start),
            b'}' | b']' => Token::Close(b),
            b':' => Token::Colon,
            b',' => Token::Comma,
            b'-' | b'0'..=b'9' => {
                self.take_while(|c| {
                    c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')
                });
                Token::Num(self.input.get(start..self.pos).unwrap_or_default())
            }
            b'a'..=b'z' => {
                self.take_while(|c| c.is_ascii_alphabetic());
                Token::Literal(self.input.get(start..self.pos).unwrap_or_default())
            }
            _ => Token::Junk,
        })
    }

    fn take_while(&mut self, keep: impl Fn(u8) -> bool) {
        while self.input.get(self.pos).is_some_and(|&c| keep(c)) {
            self.pos = self.pos.saturating_add(1);
        }
    }

    /// From an opening bracket at `start`, the slice up to its matching close.
    fn skip_container(&mut self, start: usize) -> &'a [u8] {
        let mut depth: usize = 1;
        let mut i = self.pos;
        while let Some(&c) = self.input.get(i) {
            match c {
                b'"' => {
                    i = i.saturating_add(1);
                    while let Some(&s) = self.input.get(i) {
                        match s {
                            b'\\' => i = i.saturating_add(2),
                            b'"' => break,
                            _ => i = i.saturating_add(1),
                        }
                    }
                }
                b'[' | b'{' => depth = depth.saturating_add(1),
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        i = i.saturating_add(1);
                        break;
                    }
                }
                _ => {}
            }
            i = i.saturating_add(1);
        }
        let end = i.min(self.input.len());
        self.pos = end;
        self.input.get(start..end).unwrap_or_default()
    }
}

#[derive(Default)]
struct Found<'a> {
    field_hint: Option<Duration>,
    message_hint: Option<Duration>,
    violated: Option<&'a [u8]>,
    problem: Option<ProblemType>,
    marker: bool,
    secondary: bool,
    global: bool,
    maximum: Option<Decimal>,
    current: Option<Decimal>,
    restore: Option<Decimal>,
}

fn number(token: Token<'_>) -> Option<Decimal> {
    match token {
        Token::Num(n) | Token::Str(n) => parse_decimal(n).ok(),
        _ => None,
    }
}

/// "try again in 3.89s" / "retry after 20ms" in prose.
fn prose_delay(text: &[u8]) -> Option<Duration> {
    for lead in [&b"try again in "[..], b"retry after ", b"retry in "] {
        let Some(at) = text
            .windows(lead.len())
            .position(|w| w.eq_ignore_ascii_case(lead))
        else {
            continue;
        };
        let rest = text.get(at.saturating_add(lead.len())..)?;
        let end = rest
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'.'))
            .unwrap_or(rest.len());
        let word = rest
            .get(..end)?
            .strip_suffix(b".")
            .unwrap_or(rest.get(..end)?);
        if let Some(d) = parse_go_duration(word) {
            return Some(d);
        }
        let word = word
            .strip_suffix(b"seconds")
            .or_else(|| word.strip_suffix(b"sec"));
        if let Some(d) = word.and_then(|w| parse_decimal(w).ok()) {
            return Some(d.as_seconds());
        }
    }
    None
}

fn on_string(found: &mut Found<'_>, key: &[u8], s: &[u8]) {
    match key {
        b"type" | b"errorType" | b"code" | b"error" | b"status" => {
            if contains_ci(s, b"http-problem-types#quota-exceeded") {
                found.problem = Some(ProblemType::QuotaExceeded);
            } else if contains_ci(s, b"http-problem-types#temporary-reduced-capacity") {
                found.problem = Some(ProblemType::TemporaryReducedCapacity);
            } else if contains_ci(s, b"http-problem-types#abnormal-usage-detected") {
                found.problem = Some(ProblemType::AbnormalUsageDetected);
            }
            if contains_ci(s, b"rate_limit")
                || contains_ci(s, b"ratelimit")
                || contains_ci(s, b"rate limit")
                || s == b"RATE_LIMIT"
                || contains_ci(s, b"throttl")
            {
                found.marker = true;
            }
        }
        b"message" | b"detail" | b"title" | b"error_description" => {
            if contains_ci(s, b"secondary rate limit") {
                found.secondary = true;
                found.marker = true;
            }
            if contains_ci(s, b"rate limit")
                || contains_ci(s, b"too many requests")
                || contains_ci(s, b"throttled")
            {
                found.marker = true;
            }
            if found.message_hint.is_none() {
                found.message_hint = prose_delay(s);
            }
        }
        _ => {}
    }
}

fn on_value<'a>(found: &mut Found<'a>, key: &[u8], value: Token<'a>) {
    match key {
        b"retry_after_seconds" | b"retry_after" | b"retryAfter" | b"retry-after" => {
            if let Some(d) = number(value) {
                found.field_hint.get_or_insert(d.as_seconds());
            }
        }
        b"global" => found.global |= value == Token::Literal(b"true"),
        b"maximumAvailable" => found.maximum = number(value),
        b"currentlyAvailable" => found.current = number(value),
        b"restoreRate" => found.restore = number(value),
        b"code" | b"errorcode" => {
            // Twitter's code 88 and Salesforce Marketing Cloud's 50100 are rate limits.
            if matches!(value, Token::Num(b"88") | Token::Num(b"50100")) {
                found.marker = true;
            }
        }
        _ => {}
    }
    if let Token::Str(s) = value {
        on_string(found, key, s);
    }
}

pub(crate) fn parse<'a, const W: usize, const N: usize>(ctx: &mut Ctx<'a, '_, W, N>) {
    let Some(body) = ctx.body else {
        return;
    };
    let start = body.trim_ascii_start();
    if !matches!(start.first(), Some(b'{' | b'[')) {
        return;
    }
    let limit = ctx.body_scan_limit;
    let scanned = if start.len() > limit {
        ctx.warn_name(b"body", Problem::BodyScanTruncated { scanned: limit });
        start.get(..limit).unwrap_or_default()
    } else {
        start
    };
    let mut scanner = Scanner {
        input: scanned,
        pos: 0,
    };
    let mut found = Found::default();
    let mut next_date: Option<&'a [u8]> = None;
    while let Some(token) = scanner.next() {
        let Token::Str(key) = token else {
            continue;
        };
        if scanner.peek() != Some(b':') {
            continue;
        }
        let _ = scanner.next();
        let Some(value) = scanner.next() else {
            break;
        };
        match (key, value) {
            (b"violated-policies", Token::Open(b'[', at)) => {
                found.violated = Some(scanner.skip_container(at));
            }
            (b"rateLimitNextRequest", Token::Str(s)) => next_date = Some(s),
            _ => on_value(&mut found, key, value),
        }
    }
    apply(ctx, found, next_date);
}

fn apply<'a, const W: usize, const N: usize>(
    ctx: &mut Ctx<'a, '_, W, N>,
    found: Found<'a>,
    next_date: Option<&'a [u8]>,
) {
    let signals = &mut ctx.out.signals;
    signals.body_marker |= found.marker || found.problem.is_some();
    signals.secondary_rate_limit |= found.secondary;
    signals.global |= found.global;
    if found.problem.is_some() {
        signals.problem = found.problem;
    }
    if let Some(v) = found.violated {
        signals.violated_policies = core::str::from_utf8(v).ok();
    }
    if ctx.out.retry.is_none() {
        let date_hint = next_date
            .and_then(|d| parse_lenient_date(d, ctx.century_reference()))
            .and_then(|at| ctx.until(at, b"body"));
        if let Some(delay) = found.field_hint.or(date_hint) {
            ctx.out.retry = Some(RetryHint {
                delay,
                source: HintSource::BodyField,
            });
        } else if let Some(delay) = found.message_hint {
            ctx.out.retry = Some(RetryHint {
                delay,
                source: HintSource::BodyMessage,
            });
        }
    }
    if let (Some(max), Some(current)) = (found.maximum, found.current) {
        let mut w = Window::new(Source::ShopifyGraphql);
        w.unit = crate::model::Unit::Points;
        w.limit = Some(max.whole);
        w.remaining = Some(current.whole);
        if let Some(rate) = found.restore {
            let rate_milli = milli(rate);
            if rate_milli > 0 {
                w.refill = Some(Refill {
                    milli_units: rate_milli,
                    per: Duration::from_secs(1),
                });
                let deficit = milli(max).saturating_sub(milli(current));
                let nanos = u128::from(deficit)
                    .saturating_mul(1_000_000_000)
                    .checked_div(u128::from(rate_milli))
                    .unwrap_or(0);
                w.reset = Some(Duration::from_nanos(
                    u64::try_from(nanos).unwrap_or(u64::MAX),
                ));
            }
        }
        ctx.push(w, b"body");
    }
}

fn milli(d: Decimal) -> u64 {
    d.whole
        .saturating_mul(1000)
        .saturating_add(u64::from(d.nanos / 1_000_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_delays() {
        let rows: &[(&str, Option<Duration>)] = &[
            (
                "Please try again in 3.89s. Visit",
                Some(Duration::from_millis(3890)),
            ),
            ("Please try again in 20ms.", Some(Duration::from_millis(20))),
            ("try again in 6m0s", Some(Duration::from_secs(360))),
            ("Retry after 5 seconds", None),
            ("retry after 5seconds", Some(Duration::from_secs(5))),
            ("nothing here", None),
        ];
        for (text, want) in rows {
            assert_eq!(prose_delay(text.as_bytes()), *want, "{text}");
        }
    }
}
