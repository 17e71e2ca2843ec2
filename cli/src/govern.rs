//! `ratelimit-governor govern`: one client's governor over JSON lines
//! (`../shared/contract/cli.md` section 2).
//!
//! One [`GovernorState`] (default capacities) and one [`GovernorConfig`] live for the
//! whole input. `sent` calls [`GovernorState::on_send`] and queues the send time;
//! `response` pairs with the oldest send not yet answered (or, when there is none,
//! with its own arrival time), is parsed by the core library and folded in with
//! [`GovernorState::observe`]; `next` asks [`GovernorState::decide`] with the next
//! sample of a [`SplitMix64`] seeded by `--seed`, so the same input and seed always
//! give the same answers.

use std::collections::VecDeque;
use std::io::{BufRead, Write};
use std::time::Duration;

use ratelimit_governor::{
    Action, Advice, GovernorConfig, GovernorState, MonoTime, RandomSource, Response, SplitMix64,
    parse,
};
use serde_json::Value;

use crate::PROGRAM;
use crate::failure::{Failure, io_reason};
use crate::govern_args::GovernArgs;
use crate::jsonl::{self, Op, ResponseLine};

/// The governor of one client: its state, configuration, jitter stream and the send
/// times of requests not yet answered.
#[derive(Clone, Debug)]
pub struct Governor {
    state: GovernorState,
    config: GovernorConfig,
    rng: SplitMix64,
    outstanding: VecDeque<MonoTime>,
}

impl Governor {
    /// A client that has sent nothing yet, with the declared quotas of `args`.
    pub fn new(args: &GovernArgs) -> Result<Self, Failure> {
        let mut state = GovernorState::new();
        for (declared, quota) in args.quotas.iter().enumerate() {
            state.declare(*quota).map_err(|_| {
                Failure::new(format!(
                    "too many --quota and --lifetime options: the governor holds at most {declared}"
                ))
            })?;
        }
        Ok(Governor {
            state,
            config: args.config,
            rng: SplitMix64::new(args.seed),
            outstanding: VecDeque::new(),
        })
    }

    /// Applies one input line; a `next` gives the advice to answer.
    pub fn apply(&mut self, op: &Op) -> Option<Advice> {
        match op {
            Op::Sent { t } => {
                self.state.on_send(*t);
                self.outstanding.push_back(*t);
                None
            }
            Op::Response(response) => {
                self.observe(response);
                None
            }
            Op::Next { t, work_left } => {
                let u01 = self.rng.next_unit();
                Some(self.state.decide(*t, *work_left, &self.config, u01))
            }
        }
    }

    /// Parses a response and folds it into the state.
    fn observe(&mut self, line: &ResponseLine) {
        let sent_at = self.outstanding.pop_front().unwrap_or(line.t);
        let pairs: Vec<(&str, &str)> = line
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let mut response = Response::new(pairs.as_slice()).status(line.status);
        if let Some(body) = &line.body {
            response = response.body(body.as_bytes());
        }
        if let Some(unix) = line.unix {
            response = response.now(unix);
        }
        let limits = parse(&response);
        self.state.observe(&limits, sent_at, line.t);
    }

    /// Requests sent so far.
    pub fn sent_total(&self) -> u64 {
        self.state.sent_total()
    }
}

/// The answer to a `next`: `{"action": ..., "wait_s": ...}` and a newline.
pub fn answer(advice: &Advice) -> String {
    let wait = match advice.action {
        Action::Proceed => Duration::ZERO,
        Action::Wait | Action::GiveUp => advice.wait,
    };
    format!(
        "{{\"action\": {}, \"wait_s\": {}}}\n",
        Value::from(advice.action.as_str()),
        seconds_up(wait)
    )
}

/// Seconds as a JSON number, rounded up to the millisecond so that a caller who
/// sleeps for it never wakes early.
fn seconds_up(d: Duration) -> Value {
    let millis = d
        .as_millis()
        .saturating_add(u128::from(d.subsec_nanos() % 1_000_000 != 0));
    // Exact below 2^53 ms (285,000 years); beyond, the nearest double is fine.
    Value::from(millis as f64 / 1000.0)
}

/// Runs the command: reads `input` to its end, answers each `next` on `out` (flushed
/// at once) and reports on `diag` the first time a declared lifetime quota reaches
/// its warning threshold.
pub fn run(
    args: &GovernArgs,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    diag: &mut dyn Write,
) -> Result<(), Failure> {
    let mut governor = Governor::new(args)?;
    let mut warned = false;
    let mut line = Vec::new();
    let mut number: u64 = 0;
    loop {
        line.clear();
        let read = input
            .read_until(b'\n', &mut line)
            .map_err(|e| Failure::new(format!("cannot read stdin: {}", io_reason(&e))))?;
        if read == 0 {
            return Ok(());
        }
        number = number.saturating_add(1);
        let at = |problem: String| Failure::new(format!("stdin line {number}: {problem}"));
        let text = std::str::from_utf8(&line).map_err(|_| at("not UTF-8 text".to_owned()))?;
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        let op = jsonl::read_op(text).map_err(at)?;
        let Some(advice) = governor.apply(&op) else {
            continue;
        };
        out.write_all(answer(&advice).as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| Failure::output(&e))?;
        if advice.quota_warning && !warned {
            warned = true;
            // A lost warning must not stop the governor.
            let _ = writeln!(
                diag,
                "{PROGRAM}: govern: warning: stdin line {number}: a declared lifetime quota \
                 reached its warning threshold ({} requests sent)",
                governor.sent_total()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::govern_args::DEFAULT_SEED;
    use ratelimit_governor::{KnownQuota, Reason};

    fn args() -> GovernArgs {
        GovernArgs {
            config: GovernorConfig::DEFAULT,
            seed: DEFAULT_SEED,
            quotas: Vec::new(),
        }
    }

    fn ms(millis: u64) -> MonoTime {
        MonoTime::from_millis(millis)
    }

    fn response(t: u64, status: u16, headers: &[(&str, &str)]) -> Op {
        Op::Response(ResponseLine {
            t: ms(t),
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: None,
            unix: None,
        })
    }

    fn next(g: &mut Governor, t: u64) -> Advice {
        g.apply(&Op::Next {
            t: ms(t),
            work_left: None,
        })
        .unwrap()
    }

    /// Runs `run` on `input`; returns (result, stdout, stderr).
    fn run_text(args: &GovernArgs, input: &str) -> (Result<(), Failure>, String, String) {
        let mut out = Vec::new();
        let mut diag = Vec::new();
        let result = run(args, &mut input.as_bytes(), &mut out, &mut diag);
        (
            result,
            String::from_utf8(out).unwrap(),
            String::from_utf8(diag).unwrap(),
        )
    }

    #[test]
    fn responses_pair_with_the_oldest_send() {
        let mut g = Governor::new(&args()).unwrap();
        g.apply(&Op::Sent { t: ms(0) });
        g.apply(&Op::Sent { t: ms(1000) });
        assert_eq!(g.state.in_flight(), 2);
        g.apply(&response(2000, 200, &[]));
        // The round trip is measured from the first send (2 s), not the second (1 s).
        assert_eq!(g.state.rtt(), Some(Duration::from_secs(2)));
        g.apply(&response(2500, 200, &[]));
        assert_eq!(g.state.rtt(), Some(Duration::from_millis(1750)));
        // A response without a send: a zero round trip, nothing in flight.
        g.apply(&response(3000, 200, &[]));
        assert_eq!(g.state.rtt(), Some(Duration::from_millis(875)));
        assert_eq!(g.state.in_flight(), 0);
        assert!(g.outstanding.is_empty());
    }

    #[test]
    fn headers_body_and_clock_reach_the_core() {
        let mut g = Governor::new(&args()).unwrap();
        g.apply(&Op::Sent { t: ms(0) });
        g.apply(&Op::Response(ResponseLine {
            t: ms(100),
            status: 429,
            headers: vec![(
                "Retry-After".to_owned(),
                "Tue, 14 Nov 2023 22:13:30 GMT".to_owned(),
            )],
            body: None,
            unix: Some(ratelimit_governor::UnixTime::from_secs(1_700_000_000)),
        }));
        let a = next(&mut g, 100);
        assert_eq!((a.action, a.reason), (Action::Wait, Reason::RetryAfter));
        assert!(a.wait >= Duration::from_secs(10) && a.wait <= Duration::from_secs(11));

        let mut g = Governor::new(&args()).unwrap();
        g.apply(&Op::Response(ResponseLine {
            t: ms(0),
            status: 429,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: Some(r#"{"retry_after": 7}"#.to_owned()),
            unix: None,
        }));
        let a = next(&mut g, 0);
        assert_eq!((a.action, a.reason), (Action::Wait, Reason::RetryAfter));
        assert!(a.wait >= Duration::from_secs(7) && a.wait <= Duration::from_millis(7700));
    }

    #[test]
    fn the_jitter_stream_advances_once_per_next() {
        let mut g = Governor::new(&args()).unwrap();
        let mut rng = SplitMix64::new(DEFAULT_SEED);
        for t in [0, 1000] {
            g.apply(&Op::Sent { t: ms(t) });
            g.apply(&response(t, 429, &[]));
        }
        let a = next(&mut g, 1000);
        let want = g.state.decide(ms(1000), None, &g.config, rng.next_unit());
        assert_eq!(a, want);
        let b = next(&mut g, 1000);
        let want = g.state.decide(ms(1000), None, &g.config, rng.next_unit());
        assert_eq!(b, want);
        assert_ne!(a.wait, b.wait);
    }

    #[test]
    fn too_many_declared_quotas() {
        let mut a = args();
        a.quotas = vec![
            KnownQuota::Lifetime {
                limit: 9,
                warn_at: 9
            };
            5
        ];
        assert_eq!(
            Governor::new(&a).unwrap_err().message,
            "too many --quota and --lifetime options: the governor holds at most 4"
        );
    }

    #[test]
    fn answers_round_up_to_the_millisecond() {
        let wait = |micros: u64, action| {
            answer(&Advice::new(
                action,
                Duration::from_micros(micros),
                Reason::Backoff,
            ))
        };
        assert_eq!(
            wait(2_000_001, Action::Wait),
            "{\"action\": \"wait\", \"wait_s\": 2.001}\n"
        );
        assert_eq!(
            wait(2_000_000, Action::Wait),
            "{\"action\": \"wait\", \"wait_s\": 2.0}\n"
        );
        assert_eq!(
            wait(120_000_000, Action::GiveUp),
            "{\"action\": \"give_up\", \"wait_s\": 120.0}\n"
        );
        assert_eq!(
            answer(&Advice::proceed()),
            "{\"action\": \"proceed\", \"wait_s\": 0.0}\n"
        );
    }

    #[test]
    fn blank_lines_are_skipped_and_numbers_count_every_line() {
        let (result, out, _) = run_text(
            &args(),
            "\n{\"op\": \"next\", \"t\": 0}\r\n  \n{\"op\": \"nxt\", \"t\": 0}\n",
        );
        assert_eq!(out, "{\"action\": \"proceed\", \"wait_s\": 0.0}\n");
        assert_eq!(
            result.unwrap_err().message,
            "stdin line 4: unknown op \"nxt\" (expected \"sent\", \"response\" or \"next\")"
        );
    }

    #[test]
    fn non_utf8_line() {
        let mut out = Vec::new();
        let result = run(
            &args(),
            &mut &b"{\"op\": \"next\", \"t\": 0}\n\xff\n"[..],
            &mut out,
            &mut Vec::new(),
        );
        assert_eq!(result.unwrap_err().message, "stdin line 2: not UTF-8 text");
        assert_eq!(out, b"{\"action\": \"proceed\", \"wait_s\": 0.0}\n");
    }

    #[test]
    fn lifetime_warning_is_reported_once() {
        let mut a = args();
        a.quotas = vec![KnownQuota::Lifetime {
            limit: 3,
            warn_at: 2,
        }];
        let input = [
            r#"{"op": "sent", "t": 0}"#,
            r#"{"op": "response", "t": 0.5, "status": 200, "headers": []}"#,
            r#"{"op": "next", "t": 0.5}"#,
            r#"{"op": "sent", "t": 1}"#,
            r#"{"op": "response", "t": 1.5, "status": 200, "headers": []}"#,
            r#"{"op": "next", "t": 1.5}"#,
            r#"{"op": "sent", "t": 2}"#,
            r#"{"op": "response", "t": 2.5, "status": 200, "headers": []}"#,
            r#"{"op": "next", "t": 2.5}"#,
        ]
        .join("\n");
        let (result, out, diag) = run_text(&a, &input);
        assert!(result.is_ok());
        assert_eq!(
            out,
            "{\"action\": \"proceed\", \"wait_s\": 0.0}\n\
             {\"action\": \"proceed\", \"wait_s\": 0.0}\n\
             {\"action\": \"give_up\", \"wait_s\": 0.0}\n"
        );
        assert_eq!(
            diag,
            "ratelimit-governor: govern: warning: stdin line 6: a declared lifetime quota \
             reached its warning threshold (2 requests sent)\n"
        );
    }
}
