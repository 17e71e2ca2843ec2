//! The `govern` options and help text (`../shared/contract/cli.md` section 2,
//! "Options"). Every default is the library's: [`GovernorConfig::DEFAULT`].

use std::ffi::OsString;
use std::time::Duration;

use ratelimit_governor::{DEFAULT_MAX_WAIT, GovernorConfig, KnownQuota, Mode, Reserve};

use crate::options;
use crate::seconds;

/// The jitter seed when `--seed` is not given, so that a run is reproducible.
pub const DEFAULT_SEED: u64 = 1;

/// The options of `ratelimit-governor govern`.
#[derive(Clone, Debug, PartialEq)]
pub struct GovernArgs {
    /// The governor's configuration: `--mode`, `--reserve`, `--max-wait` over the
    /// library defaults.
    pub config: GovernorConfig,
    /// Seed of the jitter stream (`--seed`).
    pub seed: u64,
    /// Quotas declared with `--quota` and `--lifetime`, in command-line order.
    pub quotas: Vec<KnownQuota>,
}

/// What the `govern` command line asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum GovernCommand {
    /// `--help`: print the usage.
    Help,
    /// Govern the JSON lines on stdin (boxed: the configuration is large).
    Run(Box<GovernArgs>),
}

/// The name `--mode` takes for `mode`.
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Batch => "batch",
        Mode::Smooth => "smooth",
    }
}

/// The name `--reserve` takes for `reserve`.
pub fn reserve_name(reserve: Reserve) -> String {
    match reserve {
        Reserve::Strict => "strict".to_owned(),
        Reserve::Optimistic => "optimistic".to_owned(),
        Reserve::Fixed(n) => n.to_string(),
    }
}

/// The usage of `ratelimit-governor govern`.
pub fn govern_help() -> String {
    let defaults = GovernorConfig::DEFAULT;
    format!(
        r#"Govern one client's requests to one server: read events as JSON lines on standard
input and answer each `next` with how long to wait before the next request.

Usage: ratelimit-governor govern [--max-wait SECONDS] [--seed N] [--mode batch|smooth]
                                 [--reserve strict|optimistic|N]
                                 [--quota LIMIT/PERIOD_SECONDS]... [--lifetime LIMIT[:WARN_AT]]

Input, one JSON object per line (times `t` are seconds on the caller's monotonic
clock, decimals allowed; unknown members are ignored, blank lines skipped):
  {{"op": "sent", "t": 0}}
      a request left at `t`
  {{"op": "response", "t": 0.2, "status": 429, "headers": [["Retry-After", "2"]],
   "body": "...", "unix": 1700000000.2}}
      a response arrived at `t`; `body` (string) and `unix` (the client's wall
      clock, seconds since 1970) are optional. It answers the oldest request not
      yet answered
  {{"op": "next", "t": 0.2, "work_left": 10}}
      how long before the next request? `work_left` (optional): requests still
      to send, this one included; without it the workload is open-ended

Output, one line per `next`, flushed at once:
  {{"action": "proceed"|"wait"|"give_up", "wait_s": 2.013}}
  `wait_s` is in seconds, rounded up to the millisecond; 0 with `proceed`; with
  `give_up` the wait that was required (0 when the server said not to retry or a
  lifetime quota is used up). After a failed response (429, 503 ...) ask `next`
  again and re-send the same request: the governor counts consecutive failures.

Options:
  --max-wait SECONDS      longest wait to answer; a longer required wait gives
                          `give_up` (default: {max_wait} s, the library's
                          DEFAULT_MAX_WAIT: {max_wait_min} minutes)
  --seed N                seed of the jitter stream, 0 to 2^64-1 (default: {seed});
                          the same input and seed give the same output. Give
                          clients sharing a key different seeds
  --mode batch|smooth     batch: spend the quota at full speed, then wait for the
                          reset; smooth: spread the remaining quota until the
                          reset (default: {mode})
  --reserve strict|optimistic|N
                          quota units kept back for other clients' requests in
                          flight: strict estimates them from the server's counts,
                          optimistic keeps none, N keeps N (default: {reserve})
  --quota LIMIT/PERIOD_SECONDS
                          a quota the server does not announce, e.g. 2/1 (two per
                          second) or 400/3600; repeatable
  --lifetime LIMIT[:WARN_AT]
                          at most LIMIT requests in total (then `give_up`); a
                          warning goes to stderr once WARN_AT requests are sent
                          (default WARN_AT: 90% of LIMIT, rounded up)
  -h, --help              print this help

Exit status: 0 at the end of the input, 2 on unusable input or arguments (one line
on stderr naming the input line).
"#,
        max_wait = DEFAULT_MAX_WAIT.as_secs(),
        max_wait_min = DEFAULT_MAX_WAIT.as_secs() / 60,
        seed = DEFAULT_SEED,
        mode = mode_name(defaults.mode),
        reserve = reserve_name(defaults.reserve),
    )
}

/// Reads the arguments that follow `govern`. The error is one line naming what was
/// wrong (without the program prefix).
pub fn parse_govern<I>(args: I) -> Result<GovernCommand, String>
where
    I: IntoIterator<Item = OsString>,
{
    let mut config = GovernorConfig::DEFAULT;
    let mut seed = DEFAULT_SEED;
    let mut quotas = Vec::new();
    let mut args = args.into_iter();

    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if !text.starts_with('-') || text == "-" {
            return Err(format!(
                "unexpected argument '{text}': govern reads standard input only"
            ));
        }
        let (name, inline) = options::split(&text);
        if matches!(name, "-h" | "--help") {
            return Ok(GovernCommand::Help);
        }
        if !matches!(
            name,
            "--max-wait" | "--seed" | "--mode" | "--reserve" | "--quota" | "--lifetime"
        ) {
            return Err(format!(
                "unknown option '{name}' (see 'ratelimit-governor govern --help')"
            ));
        }
        let value = options::value(name, inline, &mut args)?;
        let bad = |why: String| format!("invalid value '{value}' for {name}: {why}");
        match name {
            "--max-wait" => {
                let millis =
                    seconds::parse_millis(&value, false).map_err(|e| bad(e.to_string()))?;
                config.max_wait = Duration::from_millis(millis.unsigned_abs());
            }
            "--seed" => seed = parse_seed(&value).map_err(bad)?,
            "--mode" => config.mode = parse_mode(&value).map_err(bad)?,
            "--reserve" => config.reserve = parse_reserve(&value).map_err(bad)?,
            "--quota" => quotas.push(parse_quota(&value).map_err(bad)?),
            _ => quotas.push(parse_lifetime(&value).map_err(bad)?),
        }
    }
    Ok(GovernCommand::Run(Box::new(GovernArgs {
        config,
        seed,
        quotas,
    })))
}

/// A whole number from 0 to `u64::MAX`, digits only.
fn parse_u64(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_seed(text: &str) -> Result<u64, String> {
    parse_u64(text).ok_or_else(|| "not a whole number from 0 to 18446744073709551615".to_owned())
}

fn parse_mode(text: &str) -> Result<Mode, String> {
    match text {
        "batch" => Ok(Mode::Batch),
        "smooth" => Ok(Mode::Smooth),
        _ => Err("expected 'batch' or 'smooth'".to_owned()),
    }
}

fn parse_reserve(text: &str) -> Result<Reserve, String> {
    match text {
        "strict" => Ok(Reserve::Strict),
        "optimistic" => Ok(Reserve::Optimistic),
        _ => parse_u64(text)
            .and_then(|n| u32::try_from(n).ok())
            .map(Reserve::Fixed)
            .ok_or_else(|| "expected 'strict', 'optimistic' or a whole number of units".to_owned()),
    }
}

/// `LIMIT/PERIOD_SECONDS`: a positive limit, a positive decimal period.
fn parse_quota(text: &str) -> Result<KnownQuota, String> {
    let Some((limit, period)) = text.split_once('/') else {
        return Err("expected LIMIT/PERIOD_SECONDS, e.g. 2/1 or 400/3600".to_owned());
    };
    let limit = positive(limit, "LIMIT")?;
    let millis = seconds::parse_millis(period, false)
        .map_err(|e| format!("PERIOD_SECONDS: {e}"))?
        .unsigned_abs();
    if millis == 0 {
        return Err("PERIOD_SECONDS must be at least 0.001".to_owned());
    }
    Ok(KnownQuota::PerPeriod {
        limit,
        period: Duration::from_millis(millis),
    })
}

/// `LIMIT[:WARN_AT]`: a positive limit; the warning at 90% (rounded up) by default.
fn parse_lifetime(text: &str) -> Result<KnownQuota, String> {
    let (limit, warn_at) = match text.split_once(':') {
        Some((l, w)) => (positive(l, "LIMIT")?, Some(w)),
        None => (positive(text, "LIMIT")?, None),
    };
    let warn_at = match warn_at {
        Some(w) => parse_u64(w).ok_or_else(|| "WARN_AT: not a whole number".to_owned())?,
        None => limit.saturating_sub(limit / 10),
    };
    if warn_at > limit {
        return Err("WARN_AT must not exceed LIMIT".to_owned());
    }
    Ok(KnownQuota::Lifetime { limit, warn_at })
}

fn positive(text: &str, what: &str) -> Result<u64, String> {
    match parse_u64(text) {
        Some(0) => Err(format!("{what} must be at least 1")),
        Some(n) => Ok(n),
        None => Err(format!("{what}: not a whole number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<GovernCommand, String> {
        parse_govern(args.iter().map(OsString::from))
    }

    fn run(args: &[&str]) -> GovernArgs {
        match parse(args) {
            Ok(GovernCommand::Run(a)) => *a,
            other => panic!("{args:?} gave {other:?}"),
        }
    }

    #[test]
    fn defaults_are_the_library_defaults() {
        let a = run(&[]);
        assert_eq!(a.config, GovernorConfig::DEFAULT);
        assert_eq!(a.config.max_wait, DEFAULT_MAX_WAIT);
        assert_eq!(a.seed, DEFAULT_SEED);
        assert!(a.quotas.is_empty());
    }

    #[test]
    fn every_option_in_both_spellings() {
        let a = run(&[
            "--max-wait=90.5",
            "--seed",
            "18446744073709551615",
            "--mode",
            "smooth",
            "--reserve=3",
            "--quota",
            "2/1",
            "--quota=400/3600",
            "--lifetime",
            "50000",
        ]);
        assert_eq!(a.config.max_wait, Duration::from_millis(90_500));
        assert_eq!(a.seed, u64::MAX);
        assert_eq!(a.config.mode, Mode::Smooth);
        assert_eq!(a.config.reserve, Reserve::Fixed(3));
        assert_eq!(
            a.quotas,
            [
                KnownQuota::PerPeriod {
                    limit: 2,
                    period: Duration::from_secs(1)
                },
                KnownQuota::PerPeriod {
                    limit: 400,
                    period: Duration::from_secs(3600)
                },
                KnownQuota::Lifetime {
                    limit: 50_000,
                    warn_at: 45_000
                },
            ]
        );
        let b = run(&["--mode=batch", "--reserve", "optimistic", "--lifetime=5:2"]);
        assert_eq!(b.config.mode, Mode::Batch);
        assert_eq!(b.config.reserve, Reserve::Optimistic);
        assert_eq!(
            b.quotas,
            [KnownQuota::Lifetime {
                limit: 5,
                warn_at: 2
            }]
        );
        assert_eq!(
            run(&["--reserve", "strict"]).config.reserve,
            Reserve::Strict
        );
        assert_eq!(
            run(&["--quota", "1/0.25"]).quotas,
            [KnownQuota::PerPeriod {
                limit: 1,
                period: Duration::from_millis(250)
            }]
        );
    }

    #[test]
    fn lifetime_warning_defaults_to_ninety_percent_rounded_up() {
        let warn = |arg: &str| match run(&["--lifetime", arg]).quotas.as_slice() {
            [KnownQuota::Lifetime { warn_at, .. }] => *warn_at,
            other => panic!("{other:?}"),
        };
        assert_eq!(warn("1"), 1);
        assert_eq!(warn("15"), 14);
        assert_eq!(warn("100"), 90);
        assert_eq!(warn("7:0"), 0);
    }

    #[test]
    fn help() {
        assert_eq!(parse(&["--seed", "3", "--help"]), Ok(GovernCommand::Help));
        assert_eq!(parse(&["-h"]), Ok(GovernCommand::Help));
        let help = govern_help();
        for option in [
            "--max-wait SECONDS",
            "--seed N",
            "--mode batch|smooth",
            "--reserve strict|optimistic|N",
            "--quota LIMIT/PERIOD_SECONDS",
            "--lifetime LIMIT[:WARN_AT]",
        ] {
            assert!(help.contains(&format!("\n  {option}")), "{option}");
        }
        assert!(help.contains("(default: 3900 s"), "{help}");
        assert!(help.contains("(default: 1)"), "{help}");
        assert!(help.contains("(default: batch)"), "{help}");
        assert!(help.contains("(default: strict)"), "{help}");
    }

    #[test]
    fn errors_name_the_option() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["--max-wait", "-3"],
                "invalid value '-3' for --max-wait: must not be negative",
            ),
            (&["--seed"], "option --seed needs a value"),
            (
                &["--seed", "-1"],
                "invalid value '-1' for --seed: not a whole number from 0 to 18446744073709551615",
            ),
            (
                &["--seed=18446744073709551616"],
                "invalid value '18446744073709551616' for --seed: not a whole number from 0 to 18446744073709551615",
            ),
            (
                &["--mode", "fast"],
                "invalid value 'fast' for --mode: expected 'batch' or 'smooth'",
            ),
            (
                &["--reserve", "-2"],
                "invalid value '-2' for --reserve: expected 'strict', 'optimistic' or a whole number of units",
            ),
            (
                &["--quota", "5"],
                "invalid value '5' for --quota: expected LIMIT/PERIOD_SECONDS, e.g. 2/1 or 400/3600",
            ),
            (
                &["--quota", "0/1"],
                "invalid value '0/1' for --quota: LIMIT must be at least 1",
            ),
            (
                &["--quota", "5/0"],
                "invalid value '5/0' for --quota: PERIOD_SECONDS must be at least 0.001",
            ),
            (
                &["--quota", "5/x"],
                "invalid value '5/x' for --quota: PERIOD_SECONDS: not a decimal number of seconds",
            ),
            (
                &["--lifetime", "10:11"],
                "invalid value '10:11' for --lifetime: WARN_AT must not exceed LIMIT",
            ),
            (
                &["--lifetime", "ten"],
                "invalid value 'ten' for --lifetime: LIMIT: not a whole number",
            ),
            (
                &["--lifetime", "10:"],
                "invalid value '10:' for --lifetime: WARN_AT: not a whole number",
            ),
            (
                &["--frobnicate"],
                "unknown option '--frobnicate' (see 'ratelimit-governor govern --help')",
            ),
            (
                &["input.jsonl"],
                "unexpected argument 'input.jsonl': govern reads standard input only",
            ),
            (
                &["-"],
                "unexpected argument '-': govern reads standard input only",
            ),
        ];
        for (args, message) in cases {
            assert_eq!(parse(args), Err((*message).to_owned()), "{args:?}");
        }
    }
}
