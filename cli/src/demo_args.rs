//! The `demo` options and help text, in the house style of `govern_args.rs`:
//! `--name value` or `--name=value`, one line naming what was wrong.

use std::ffi::OsString;

use crate::demo::{DEFAULT, QUICK, Scenario};
use crate::demo_clients::NAIVE_BACKOFF;
use crate::options;

/// Largest `--requests` accepted (the job must end in reasonable time).
pub const MAX_REQUESTS: u64 = 10_000;

/// The options of `ratelimit-governor demo`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoArgs {
    /// Requests in the job (`--requests`); `None`: the scenario's.
    pub requests: Option<u64>,
    /// Print the table as one JSON object (`--json`).
    pub json: bool,
    /// The small scenario (`--quick`).
    pub quick: bool,
}

/// What the `demo` command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DemoCommand {
    /// `--help`: print the usage.
    Help,
    /// Run the demo.
    Run(DemoArgs),
}

/// The usage of `ratelimit-governor demo`.
pub fn demo_help() -> String {
    let backoff: Vec<String> = NAIVE_BACKOFF
        .iter()
        .map(|d| d.as_secs().to_string())
        .collect();
    format!(
        r#"Show the governor at work: start two rate-limited HTTP servers on 127.0.0.1 (in this
process, nothing to install) and run the same bulk job against each at the same
time, once with a naive client and once with the governed client, then compare.

Usage: ratelimit-governor demo [--requests N] [--quick] [--json]

The servers enforce two fixed windows, each starting at the first request after
the previous one ended, and describe them on every response with draft-8 fields
(`RateLimit-Policy`, `RateLimit`), plus `Retry-After` on a 429:
  default: {default}, {default_n} requests
  --quick: {quick}, {quick_n} requests

The naive client sends as fast as it can and retries a 429 after sleeping
{backoff} s; a request still refused after those {retries} retries counts as failed.
The governed client is `ratelimit_governor_std::ureq::GovernedAgent` with the
default settings, told how many requests are left.

Progress goes to stderr; the table to stdout: requests, 429 responses (counted
by the servers), time, and its multiple of the lower bound (the time a perfect
client needs: every request sent the moment the server would accept it).

Options:
  --requests N   requests in the job, 1 to {max} (default: the scenario's)
  --quick        the small scenario, for tests (a few seconds)
  --json         print the table as one JSON object
  -h, --help     print this help

Exit status: 0 when the demo ran, 2 on unusable arguments, 1 when the servers
could not start.
"#,
        default = describe(&DEFAULT),
        default_n = DEFAULT.requests,
        quick = describe(&QUICK),
        quick_n = QUICK.requests,
        backoff = backoff.join(", "),
        retries = NAIVE_BACKOFF.len(),
        max = MAX_REQUESTS,
    )
}

/// `"burst" 5 per 2 s and "long" 20 per 10 s`
pub fn describe(scenario: &Scenario) -> String {
    let limits: Vec<String> = scenario
        .limits
        .iter()
        .map(|l| format!("\"{}\" {} per {} s", l.name, l.quota, l.window.as_secs()))
        .collect();
    limits.join(" and ")
}

/// Reads the arguments that follow `demo`. The error is one line naming what was
/// wrong (without the program prefix).
pub fn parse_demo<I>(args: I) -> Result<DemoCommand, String>
where
    I: IntoIterator<Item = OsString>,
{
    let mut options = DemoArgs {
        requests: None,
        json: false,
        quick: false,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if !text.starts_with('-') || text == "-" {
            return Err(format!(
                "unexpected argument '{text}' (see 'ratelimit-governor demo --help')"
            ));
        }
        let (name, inline) = options::split(&text);
        match (name, inline) {
            ("-h" | "--help", None) => return Ok(DemoCommand::Help),
            ("--json", None) => options.json = true,
            ("--quick", None) => options.quick = true,
            ("--json" | "--quick" | "--help", Some(_)) => {
                return Err(format!("option {name} takes no value"));
            }
            ("--requests", inline) => {
                let value = options::value(name, inline, &mut args)?;
                options.requests = Some(
                    parse_requests(&value)
                        .map_err(|why| format!("invalid value '{value}' for --requests: {why}"))?,
                );
            }
            _ => {
                return Err(format!(
                    "unknown option '{name}' (see 'ratelimit-governor demo --help')"
                ));
            }
        }
    }
    Ok(DemoCommand::Run(options))
}

/// A whole number from 1 to [`MAX_REQUESTS`], digits only.
fn parse_requests(text: &str) -> Result<u64, String> {
    let expected = || format!("expected a whole number from 1 to {MAX_REQUESTS}");
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(expected());
    }
    match text.parse::<u64>() {
        Ok(n) if (1..=MAX_REQUESTS).contains(&n) => Ok(n),
        _ => Err(expected()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<DemoCommand, String> {
        parse_demo(args.iter().map(OsString::from))
    }

    fn run(requests: Option<u64>, json: bool, quick: bool) -> Result<DemoCommand, String> {
        Ok(DemoCommand::Run(DemoArgs {
            requests,
            json,
            quick,
        }))
    }

    #[test]
    fn options_are_read() {
        assert_eq!(parse(&[]), run(None, false, false));
        assert_eq!(
            parse(&["--quick", "--json", "--requests", "7"]),
            run(Some(7), true, true)
        );
        assert_eq!(
            parse(&["--requests=10000"]),
            run(Some(10_000), false, false)
        );
        assert_eq!(parse(&["--json", "-h"]), Ok(DemoCommand::Help));
    }

    #[test]
    fn unusable_arguments_are_named() {
        let err = |args: &[&str]| parse(args).unwrap_err();
        assert_eq!(err(&["--requests"]), "option --requests needs a value");
        assert_eq!(
            err(&["--requests", "0"]),
            "invalid value '0' for --requests: expected a whole number from 1 to 10000"
        );
        assert!(err(&["--requests=10001"]).contains("from 1 to 10000"));
        assert!(err(&["--requests", "-3"]).contains("'-3'"));
        assert_eq!(
            err(&["--fast"]),
            "unknown option '--fast' (see 'ratelimit-governor demo --help')"
        );
        assert_eq!(err(&["--json=yes"]), "option --json takes no value");
        assert!(err(&["extra"]).starts_with("unexpected argument 'extra'"));
    }

    #[test]
    fn the_help_describes_both_scenarios() {
        let help = demo_help();
        assert!(
            help.contains("default: \"burst\" 5 per 2 s and \"long\" 20 per 10 s, 40 requests")
        );
        assert!(help.contains("--quick: \"burst\" 3 per 1 s and \"long\" 6 per 3 s, 12 requests"));
        assert!(help.contains("1, 2, 4 s"));
    }
}
