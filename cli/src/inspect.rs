//! `ratelimit-governor inspect`: read one response head, parse it with the core
//! library and print what it says (`../shared/contract/cli.md` section 1).

use std::io::{self, Read, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ratelimit_governor::{Advice, Limits, Response, UnixTime, advise, parse_with_capacity};

use crate::args::{Input, InspectArgs};
use crate::failure::{Failure, io_reason};
use crate::head::{self, Head};
use crate::{json, table};

/// Windows kept per response: more than any real server sends, so none is dropped.
pub const WINDOW_CAPACITY: usize = 64;

/// Warnings kept per response; the rest are only counted.
pub const WARNING_CAPACITY: usize = 64;

/// The parse result `inspect` works with.
pub type InspectLimits<'a> = Limits<'a, WINDOW_CAPACITY, WARNING_CAPACITY>;

/// Where the client's clock came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockSource {
    /// `--now`.
    NowOption,
    /// The system clock.
    System,
}

/// Everything the renderers show: the parsed response and the advice for it.
#[derive(Clone, Copy, Debug)]
pub struct Inspection<'a> {
    /// The parsed response.
    pub limits: InspectLimits<'a>,
    /// The default governor's advice for the next request.
    pub advice: Advice,
    /// The `--max-wait` bound the advice was computed with.
    pub max_wait: Duration,
    /// Where the client clock (used when there is no valid `Date`) came from.
    pub clock: ClockSource,
}

/// Inspects a parsed head: runs the core parser and the default advice.
pub fn inspect<'a>(
    head: &'a Head<'_>,
    pairs: &'a [(&'a [u8], &'a [u8])],
    now: UnixTime,
    clock: ClockSource,
    max_wait: Duration,
) -> Inspection<'a> {
    let mut response = Response::new(pairs).now(now);
    if let Some(status) = head.status {
        response = response.status(status);
    }
    if !head.body.is_empty() {
        response = response.body(head.body);
    }
    let limits = parse_with_capacity::<_, _, WINDOW_CAPACITY, WARNING_CAPACITY>(&response);
    let advice = advise(&limits, max_wait);
    Inspection {
        limits,
        advice,
        max_wait,
        clock,
    }
}

/// Runs the command and writes its output to `out`.
pub fn run(args: &InspectArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let (origin, bytes) = read_input(&args.input)?;
    let head = head::read_last_head(&bytes)
        .map_err(|e| Failure::new(format!("{origin} line {}: {}", e.line, e.problem)))?;
    let pairs: Vec<(&[u8], &[u8])> = head
        .fields
        .iter()
        .map(|f| (f.name, f.value.as_ref()))
        .collect();
    let (now, clock) = match args.now {
        Some(now) => (now, ClockSource::NowOption),
        None => (system_now(), ClockSource::System),
    };
    let inspection = inspect(&head, &pairs, now, clock, args.max_wait);
    let text = if args.json {
        json::render(&inspection)
    } else {
        table::render(&inspection)
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure::output(&e))
}

/// Reads the whole input; returns a name for it (used in error messages) and its bytes.
fn read_input(input: &Input) -> Result<(String, Vec<u8>), Failure> {
    match input {
        Input::Stdin => {
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::new(format!("cannot read stdin: {}", io_reason(&e))))?;
            Ok(("stdin".to_owned(), bytes))
        }
        Input::File(path) => {
            let name = path.display().to_string();
            let bytes = std::fs::read(path)
                .map_err(|e| Failure::new(format!("cannot read {name}: {}", io_reason(&e))))?;
            Ok((name, bytes))
        }
    }
}

/// The system clock as a [`UnixTime`] (negative before 1970).
fn system_now() -> UnixTime {
    let millis = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => UnixTime::from_millis(millis(d)),
        Err(e) => UnixTime::from_millis(millis(e.duration()).saturating_neg()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratelimit_governor::{Action, Reason};

    fn inspect_text(text: &[u8], now: i64, max_wait: u64) -> (Option<u16>, usize, Advice) {
        let head = head::read_last_head(text).unwrap();
        let pairs: Vec<(&[u8], &[u8])> = head
            .fields
            .iter()
            .map(|f| (f.name, f.value.as_ref()))
            .collect();
        let i = inspect(
            &head,
            &pairs,
            UnixTime::from_secs(now),
            ClockSource::NowOption,
            Duration::from_secs(max_wait),
        );
        (i.limits.status(), i.limits.window_count(), i.advice)
    }

    #[test]
    fn folded_draft8_list_reaches_the_core() {
        let (status, windows, advice) = inspect_text(
            b"HTTP/1.1 200 OK\r\nRateLimit-Policy: \"burst\";q=5;w=2,\r\n \"daily\";q=100;w=86400\r\nRateLimit: \"burst\";r=0;t=2,\r\n\t\"daily\";r=95;t=86400\r\n\r\n",
            1_700_000_000,
            100,
        );
        assert_eq!(status, Some(200));
        assert_eq!(windows, 2);
        assert_eq!(advice.action, Action::Wait);
        // The reset plus at most 2% of the window as wake-up jitter.
        assert!(
            advice.wait >= Duration::from_secs(2) && advice.wait <= Duration::from_millis(2040)
        );
        assert_eq!(advice.reason, Reason::WindowExhausted);
    }

    #[test]
    fn body_reaches_the_core() {
        let (_, _, advice) = inspect_text(
            b"HTTP/1.1 429 Too Many Requests\ncontent-type: application/json\n\n{\"retry_after\": 7}",
            1_700_000_000,
            100,
        );
        assert_eq!(advice.action, Action::Wait);
        // The hint is a floor; at most 10% (and 1 s) of jitter is added.
        assert!(
            advice.wait >= Duration::from_secs(7) && advice.wait <= Duration::from_millis(7700)
        );
    }
}
