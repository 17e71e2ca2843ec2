//! The `fetch` options, help text and URL lists (`../shared/contract/cli.md`
//! section 3, "Options").

use std::ffi::OsString;
use std::io::{self, Read};
use std::path::PathBuf;
use std::time::Duration;

use ratelimit_governor::DEFAULT_MAX_WAIT;
use ureq::http::Uri;

use crate::failure::io_reason;
use crate::options;
use crate::seconds;

/// Most worker threads `--concurrency` may ask for.
pub const MAX_CONCURRENCY: u64 = 256;

/// Longest wait for a TCP (and TLS) connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest wait for a response head once the request is sent.
pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(60);

/// Most bytes of a response body read (and discarded); the rest is dropped with
/// the connection.
pub const BODY_LIMIT: u64 = 64 * 1024 * 1024;

/// Where `--urls` reads from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlSource {
    /// Standard input (`--urls -`).
    Stdin,
    /// A file.
    File(PathBuf),
}

/// The options of `ratelimit-governor fetch`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchArgs {
    /// URLs given as arguments, checked, in order.
    pub urls: Vec<String>,
    /// URL lists (`--urls`), read after the arguments, in order.
    pub url_files: Vec<UrlSource>,
    /// Times each URL is requested (`--repeat`).
    pub repeat: u64,
    /// Worker threads (`--concurrency`).
    pub concurrency: u64,
    /// Longest wait the governor may ask for (`--max-wait`).
    pub max_wait: Duration,
    /// Print the summary as one JSON line on stdout (`--summary-json`).
    pub summary_json: bool,
}

/// What the `fetch` command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchCommand {
    /// `--help`: print the usage.
    Help,
    /// Fetch the URLs.
    Run(FetchArgs),
}

/// The usage of `ratelimit-governor fetch`.
pub fn fetch_help() -> String {
    format!(
        r#"Send GET requests through the governed HTTP client: wait before each request as
the server's rate-limit headers require, retry refused requests when the server
says when, and report what happened.

Usage: ratelimit-governor fetch [--repeat N] [--urls FILE|-] [--concurrency K]
                                [--max-wait SECONDS] [--summary-json] [URL...]

Every URL (http:// or https://) is requested N times, in rounds (each URL once,
then again). K workers share one governor per server (scheme, host, port), so
their requests to a server count against one quota, and each request tells the
governor how many requests to that server are left in the job, so the last ones
spend the quota without waiting for a reset they do not need. Response bodies are
read and discarded (at most {body_mib} MiB each). Timeouts: {connect} s to connect, {response} s
for the response head.

Options:
  --repeat N              request each URL N times (default: 1)
  --urls FILE             also read URLs from FILE, one per line (`-`: standard
                          input); blank lines and lines starting with `#` are
                          skipped. Repeatable
  --concurrency K         requests in flight at once, 1 to {max_concurrency} (default: 1)
  --max-wait SECONDS      longest wait for the governor to ask for; a request
                          whose required wait is longer is given up (default:
                          {max_wait} s, the library's DEFAULT_MAX_WAIT: {max_wait_min} minutes)
  --summary-json          print the summary as one JSON line on standard output,
                          last
  -h, --help              print this help

While it runs, a progress line is redrawn on standard error when it is a terminal:
requests done/total, the quota left in the latest response (remaining/limit), the
current wait on the governor, time elapsed and an estimate of the time left.

At the end, failures are listed on standard error (the first few), then the
summary: on standard error as one human-readable line, or with --summary-json on
standard output as
  {{"requests": 40, "ok": 40, "rejected": 0, "retries": 0, "gave_up": 0,
   "failed": 0, "elapsed_s": 15.8, "waited_s": 14.9}}
  requests   logical requests (URLs x N)
  ok         requests that ended in a 2xx response
  rejected   429 and 503 responses seen, retries included
  retries    requests sent again
  gave_up    requests abandoned: the governor's wait exceeded --max-wait, or
             the retry policy stopped while the server still answered 429/503
  failed     transport errors (connection refused, timeout ...) and other
             final non-2xx responses
  elapsed_s  wall time, seconds
  waited_s   time spent waiting on the governor, summed over the workers

Exit status: 0 when every request ended in a 2xx response, 1 otherwise, 2 on
unusable arguments or URL lists (one line on stderr naming the file and line).
"#,
        body_mib = BODY_LIMIT / (1024 * 1024),
        connect = CONNECT_TIMEOUT.as_secs(),
        response = RESPONSE_TIMEOUT.as_secs(),
        max_concurrency = MAX_CONCURRENCY,
        max_wait = DEFAULT_MAX_WAIT.as_secs(),
        max_wait_min = DEFAULT_MAX_WAIT.as_secs() / 60,
    )
}

/// Reads the arguments that follow `fetch`. The error is one line naming what was
/// wrong (without the program prefix).
pub fn parse_fetch<I>(args: I) -> Result<FetchCommand, String>
where
    I: IntoIterator<Item = OsString>,
{
    let mut options = FetchArgs {
        urls: Vec::new(),
        url_files: Vec::new(),
        repeat: 1,
        concurrency: 1,
        max_wait: DEFAULT_MAX_WAIT,
        summary_json: false,
    };
    let mut only_operands = false;
    let mut args = args.into_iter();

    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        if only_operands || !text.starts_with('-') || text == "-" {
            check_url(&text).map_err(|why| format!("invalid URL '{text}': {why}"))?;
            options.urls.push(text);
            continue;
        }
        let (name, inline) = options::split(&text);
        match name {
            "--" => only_operands = true,
            "-h" | "--help" => return Ok(FetchCommand::Help),
            "--summary-json" => {
                if inline.is_some() {
                    return Err("option --summary-json takes no value".to_owned());
                }
                options.summary_json = true;
            }
            "--repeat" | "--urls" | "--concurrency" | "--max-wait" => {
                let value = options::value(name, inline, &mut args)?;
                let bad = |why: &str| format!("invalid value '{value}' for {name}: {why}");
                match name {
                    "--repeat" => {
                        options.repeat = positive(&value, u64::MAX, "too large").map_err(bad)?
                    }
                    "--concurrency" => {
                        options.concurrency =
                            positive(&value, MAX_CONCURRENCY, "at most 256 workers")
                                .map_err(bad)?;
                    }
                    "--max-wait" => {
                        let millis = seconds::parse_millis(&value, false)
                            .map_err(|e| bad(&e.to_string()))?;
                        options.max_wait = Duration::from_millis(millis.unsigned_abs());
                    }
                    _ => options.url_files.push(match value.as_str() {
                        "" => return Err(bad("empty file name")),
                        "-" => UrlSource::Stdin,
                        _ => UrlSource::File(PathBuf::from(value)),
                    }),
                }
            }
            _ => {
                return Err(format!(
                    "unknown option '{name}' (see 'ratelimit-governor fetch --help')"
                ));
            }
        }
    }
    Ok(FetchCommand::Run(options))
}

/// Why `url` cannot be fetched, if it cannot: it must be an absolute `http` or
/// `https` URL with a host.
pub fn check_url(url: &str) -> Result<(), String> {
    let Some((scheme, _)) = url.split_once("://") else {
        return Err("not an absolute URL (expected http://HOST/...)".to_owned());
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(format!("scheme '{scheme}' is not http or https"));
    }
    let uri: Uri = url.parse().map_err(|e| format!("{e}"))?;
    match uri.host() {
        Some(h) if !h.is_empty() => Ok(()),
        _ => Err("no host".to_owned()),
    }
}

/// The URLs of one `--urls` source, checked. The error names the file and line.
pub fn read_url_list(source: &UrlSource) -> Result<Vec<String>, String> {
    let (name, text) = match source {
        UrlSource::Stdin => {
            let mut text = String::new();
            io::stdin()
                .lock()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read URLs from standard input: {}", io_reason(&e)))?;
            ("<stdin>".to_owned(), text)
        }
        UrlSource::File(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read URL file '{name}': {}", io_reason(&e)))?;
            (name, text)
        }
    };
    parse_url_list(&name, &text)
}

/// The URLs in `text`, one per line; blank lines and `#` comments skipped.
pub fn parse_url_list(name: &str, text: &str) -> Result<Vec<String>, String> {
    let mut urls = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let url = line.trim();
        if url.is_empty() || url.starts_with('#') {
            continue;
        }
        check_url(url)
            .map_err(|why| format!("{name}:{}: invalid URL '{url}': {why}", index + 1))?;
        urls.push(url.to_owned());
    }
    Ok(urls)
}

/// A whole number from 1 to `max`, digits only; `too_large` says why a larger one
/// is refused.
fn positive(text: &str, max: u64, too_large: &'static str) -> Result<u64, &'static str> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("not a whole number");
    }
    match text.parse::<u64>() {
        Ok(0) => Err("must be at least 1"),
        Ok(n) if n <= max => Ok(n),
        _ => Err(too_large),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<FetchCommand, String> {
        parse_fetch(args.iter().map(OsString::from))
    }

    fn run(args: &[&str]) -> FetchArgs {
        match parse(args) {
            Ok(FetchCommand::Run(a)) => a,
            other => panic!("{args:?} gave {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let a = run(&["http://a.example/"]);
        assert_eq!(a.urls, ["http://a.example/"]);
        assert!(a.url_files.is_empty());
        assert_eq!(a.repeat, 1);
        assert_eq!(a.concurrency, 1);
        assert_eq!(a.max_wait, DEFAULT_MAX_WAIT);
        assert!(!a.summary_json);
    }

    #[test]
    fn every_option_in_both_spellings() {
        let a = run(&[
            "--repeat",
            "20",
            "--concurrency=4",
            "--max-wait",
            "0.5",
            "--urls",
            "list.txt",
            "--urls=-",
            "--summary-json",
            "https://b.example:8443/x?y=1",
            "--",
            "http://c.example",
        ]);
        assert_eq!(a.repeat, 20);
        assert_eq!(a.concurrency, 4);
        assert_eq!(a.max_wait, Duration::from_millis(500));
        assert_eq!(
            a.url_files,
            [UrlSource::File(PathBuf::from("list.txt")), UrlSource::Stdin]
        );
        assert!(a.summary_json);
        assert_eq!(a.urls, ["https://b.example:8443/x?y=1", "http://c.example"]);
        let b = run(&["--repeat=1", "--concurrency", "256", "--max-wait=0"]);
        assert_eq!(b.concurrency, 256);
        assert_eq!(b.max_wait, Duration::ZERO);
        assert!(b.urls.is_empty());
    }

    #[test]
    fn help() {
        assert_eq!(parse(&["--repeat", "2", "-h"]), Ok(FetchCommand::Help));
        assert_eq!(parse(&["--help"]), Ok(FetchCommand::Help));
        let help = fetch_help();
        for option in [
            "--repeat N",
            "--urls FILE",
            "--concurrency K",
            "--max-wait SECONDS",
            "--summary-json",
        ] {
            assert!(help.contains(&format!("\n  {option}")), "{option}");
        }
        assert!(
            help.contains("(default:\n                          3900 s"),
            "{help}"
        );
    }

    #[test]
    fn errors_name_the_option() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["--concurrency", "0"],
                "invalid value '0' for --concurrency: must be at least 1",
            ),
            (
                &["--concurrency=257"],
                "invalid value '257' for --concurrency: at most 256 workers",
            ),
            (
                &["--repeat", "x"],
                "invalid value 'x' for --repeat: not a whole number",
            ),
            (
                &["--repeat", "-1"],
                "invalid value '-1' for --repeat: not a whole number",
            ),
            (
                &["--repeat", "0"],
                "invalid value '0' for --repeat: must be at least 1",
            ),
            (
                &["--max-wait", "-1"],
                "invalid value '-1' for --max-wait: must not be negative",
            ),
            (
                &["--max-wait", "NaN"],
                "invalid value 'NaN' for --max-wait: not a decimal number of seconds",
            ),
            (&["--max-wait"], "option --max-wait needs a value"),
            (&["--urls="], "invalid value '' for --urls: empty file name"),
            (
                &["--summary-json=yes"],
                "option --summary-json takes no value",
            ),
            (
                &["--frobnicate"],
                "unknown option '--frobnicate' (see 'ratelimit-governor fetch --help')",
            ),
            (
                &["ftp://a.example/"],
                "invalid URL 'ftp://a.example/': scheme 'ftp' is not http or https",
            ),
            (
                &["example.com/x"],
                "invalid URL 'example.com/x': not an absolute URL (expected http://HOST/...)",
            ),
            (
                &["-"],
                "invalid URL '-': not an absolute URL (expected http://HOST/...)",
            ),
        ];
        for (args, message) in cases {
            assert_eq!(parse(args), Err((*message).to_owned()), "{args:?}");
        }
    }

    #[test]
    fn url_lists_skip_blanks_and_comments_and_name_the_line() {
        let text =
            "# servers\n\nhttp://a.example/1\n   http://a.example/2  \n#x\r\nhttps://b.example/\n";
        assert_eq!(
            parse_url_list("list.txt", text),
            Ok(vec![
                "http://a.example/1".to_owned(),
                "http://a.example/2".to_owned(),
                "https://b.example/".to_owned(),
            ])
        );
        assert_eq!(
            parse_url_list("list.txt", "http://a.example/\n\nnot a url\n"),
            Err(
                "list.txt:3: invalid URL 'not a url': not an absolute URL (expected http://HOST/...)"
                    .to_owned()
            )
        );
        assert_eq!(
            parse_url_list("-", "http://a b/\n"),
            Err("-:1: invalid URL 'http://a b/': invalid uri character".to_owned())
        );
    }
}
