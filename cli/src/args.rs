//! The command line's grammar: the program's help text, and the `inspect` options
//! and help (`../shared/contract/cli.md` section 1, "Options"). The `govern` options
//! are in `govern_args.rs`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use ratelimit_governor::{DEFAULT_MAX_WAIT, UnixTime};

use crate::options;
use crate::seconds::{self, SecondsError};

/// Where the response head is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Standard input (no FILE, or `-`).
    Stdin,
    /// A file.
    File(PathBuf),
}

/// The options of `ratelimit-governor inspect`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectArgs {
    /// Print the contract's JSON object instead of the human view.
    pub json: bool,
    /// The client's wall clock (`--now`); `None` means the system clock.
    pub now: Option<UnixTime>,
    /// Longest wait the decision may ask for (`--max-wait`).
    pub max_wait: Duration,
    /// Where the response is read from.
    pub input: Input,
}

/// What the `inspect` command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InspectCommand {
    /// `--help`: print the usage.
    Help,
    /// Inspect a response.
    Run(InspectArgs),
}

/// The program's usage (`ratelimit-governor --help`).
pub fn main_help() -> String {
    format!(
        "ratelimit-governor {version}: read rate-limit headers and advise how long to wait

Usage: ratelimit-governor <COMMAND> [OPTIONS]

Commands:
  inspect   parse one HTTP response head and print its quota windows, retry hint
            and the advised wait (see `ratelimit-governor inspect --help`)
  govern    a long-running governor for one client: read sends, responses and
            questions as JSON lines on stdin, answer each question with the wait
            before the next request (see `ratelimit-governor govern --help`)
  fetch     send governed GET requests (URLs x --repeat, --concurrency workers
            sharing one governor per server) and print a summary
  demo      start two rate-limited servers on 127.0.0.1 and race a naive client
            (retry after 1/2/4 s) against the governed one; about 20 s

Options:
  -h, --help      print this help
  -V, --version   print the version
",
        version = env!("CARGO_PKG_VERSION")
    )
}

/// The usage of `ratelimit-governor inspect`.
pub fn inspect_help() -> String {
    format!(
        "Parse one HTTP response head and advise on the next request.

Usage: ratelimit-governor inspect [--json] [--now UNIX_SECONDS] [--max-wait SECONDS] [FILE|-]

Reads the response as `curl -sD -` or `curl -si` prints it, from FILE or, when FILE
is absent or `-`, from standard input: an optional status line (`HTTP/1.1 429 ...`,
`HTTP/2 429`), `Name: value` header lines (CRLF or LF; lines starting with a space
or tab continue the previous value), an empty line, then the body. When the input
holds several heads (`100 Continue`, redirects followed by `curl -L`), the last
head and the body after it are used.

Options:
  --json                  print one JSON object (the stable contract) instead of
                          the human view
  --now UNIX_SECONDS      the client's wall clock, integer or decimal seconds since
                          1970-01-01 UTC (default: the system clock). Absolute times
                          count from the response's Date header when it is valid,
                          else from this clock
  --max-wait SECONDS      longest wait the decision may ask for; a longer required
                          wait gives `give_up` (default: {default} s, the library's
                          DEFAULT_MAX_WAIT: {default_min} minutes)
  -h, --help              print this help

Exit status: 0 on success, 2 on unusable input or arguments.
",
        default = DEFAULT_MAX_WAIT.as_secs(),
        default_min = DEFAULT_MAX_WAIT.as_secs() / 60,
    )
}

/// Reads the arguments that follow `inspect`. The error is one line naming what was
/// wrong (without the program prefix).
pub fn parse_inspect<I>(args: I) -> Result<InspectCommand, String>
where
    I: IntoIterator<Item = OsString>,
{
    let mut json = false;
    let mut now = None;
    let mut max_wait = DEFAULT_MAX_WAIT;
    let mut input: Option<Input> = None;
    let mut only_operands = false;
    let mut args = args.into_iter();

    while let Some(arg) = args.next() {
        if only_operands || arg == "-" || !arg.to_string_lossy().starts_with('-') {
            set_input(&mut input, arg)?;
            continue;
        }
        let Some(text) = arg.to_str() else {
            return Err(format!("unknown option {:?}", arg.to_string_lossy()));
        };
        let (name, inline) = options::split(text);
        let inline = inline.map(str::to_owned);
        match name {
            "--" => only_operands = true,
            "-h" | "--help" => return Ok(InspectCommand::Help),
            "--json" => {
                if inline.is_some() {
                    return Err("option --json takes no value".to_owned());
                }
                json = true;
            }
            "--now" => {
                let value = option_value(name, inline, &mut args)?;
                let millis =
                    seconds::parse_millis(&value, true).map_err(|e| bad_value(name, &value, e))?;
                now = Some(UnixTime::from_millis(millis));
            }
            "--max-wait" => {
                let value = option_value(name, inline, &mut args)?;
                let millis =
                    seconds::parse_millis(&value, false).map_err(|e| bad_value(name, &value, e))?;
                max_wait = Duration::from_millis(millis.unsigned_abs());
            }
            _ => {
                return Err(format!(
                    "unknown option '{name}' (see 'ratelimit-governor inspect --help')"
                ));
            }
        }
    }
    Ok(InspectCommand::Run(InspectArgs {
        json,
        now,
        max_wait,
        input: input.unwrap_or(Input::Stdin),
    }))
}

fn set_input(input: &mut Option<Input>, arg: OsString) -> Result<(), String> {
    if input.is_some() {
        return Err(format!(
            "unexpected argument '{}': only one FILE may be given",
            arg.to_string_lossy()
        ));
    }
    *input = Some(if arg == "-" {
        Input::Stdin
    } else {
        Input::File(PathBuf::from(arg))
    });
    Ok(())
}

fn option_value<I>(name: &str, inline: Option<String>, rest: &mut I) -> Result<String, String>
where
    I: Iterator<Item = OsString>,
{
    if let Some(v) = inline {
        return Ok(v);
    }
    match rest.next() {
        Some(v) => v
            .into_string()
            .map_err(|v| bad_value(name, &v.to_string_lossy(), SecondsError::NotDecimal)),
        None => Err(format!("option {name} needs a value")),
    }
}

fn bad_value(name: &str, value: &str, error: SecondsError) -> String {
    format!("invalid value '{value}' for {name}: {error}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<InspectCommand, String> {
        parse_inspect(args.iter().map(OsString::from))
    }

    fn run(args: &[&str]) -> InspectArgs {
        match parse(args) {
            Ok(InspectCommand::Run(a)) => a,
            other => panic!("{args:?} gave {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let a = run(&[]);
        assert!(!a.json);
        assert_eq!(a.now, None);
        assert_eq!(a.max_wait, DEFAULT_MAX_WAIT);
        assert_eq!(a.input, Input::Stdin);
    }

    #[test]
    fn every_option_in_both_spellings() {
        let a = run(&[
            "--json",
            "--now",
            "1700000000.5",
            "--max-wait=90",
            "resp.http",
        ]);
        assert!(a.json);
        assert_eq!(a.now, Some(UnixTime::from_millis(1_700_000_000_500)));
        assert_eq!(a.max_wait, Duration::from_secs(90));
        assert_eq!(a.input, Input::File(PathBuf::from("resp.http")));
        let b = run(&["resp.http", "--now=-2", "--max-wait", "0.25"]);
        assert_eq!(b.now, Some(UnixTime::from_millis(-2_000)));
        assert_eq!(b.max_wait, Duration::from_millis(250));
    }

    #[test]
    fn dash_is_stdin_and_double_dash_ends_options() {
        assert_eq!(run(&["-"]).input, Input::Stdin);
        assert_eq!(
            run(&["--", "--json"]).input,
            Input::File(PathBuf::from("--json"))
        );
    }

    #[test]
    fn help() {
        assert_eq!(parse(&["--json", "-h"]), Ok(InspectCommand::Help));
        assert!(inspect_help().contains("default: 3900 s"));
    }

    #[test]
    fn errors_name_the_option() {
        assert_eq!(
            parse(&["--now", "abc"]),
            Err("invalid value 'abc' for --now: not a decimal number of seconds".to_owned())
        );
        assert_eq!(
            parse(&["--max-wait", "-3"]),
            Err("invalid value '-3' for --max-wait: must not be negative".to_owned())
        );
        assert_eq!(
            parse(&["--now"]),
            Err("option --now needs a value".to_owned())
        );
        assert_eq!(
            parse(&["--frobnicate"]),
            Err(
                "unknown option '--frobnicate' (see 'ratelimit-governor inspect --help')"
                    .to_owned()
            )
        );
        assert_eq!(
            parse(&["a", "b"]),
            Err("unexpected argument 'b': only one FILE may be given".to_owned())
        );
        assert_eq!(
            parse(&["--json=yes"]),
            Err("option --json takes no value".to_owned())
        );
    }
}
