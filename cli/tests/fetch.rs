//! `ratelimit-governor fetch` (`../shared/contract/cli.md` section 3), run through
//! the built binary against the real express-rate-limit server in `servers/`
//! (install it once with `scripts/servers-setup.sh`).

mod common;

#[path = "../../servers/support.rs"]
mod support;

use std::net::TcpListener;

use common::{Run, run, temp_file};
use serde_json::Value;
use support::TestServer;

/// The contract's summary keys, in its order.
const KEYS: [&str; 8] = [
    "requests",
    "ok",
    "rejected",
    "retries",
    "gave_up",
    "failed",
    "elapsed_s",
    "waited_s",
];

/// Runs `fetch` with `args`, feeding `stdin`.
fn fetch(args: &[&str], stdin: &[u8]) -> Run {
    let mut all = vec!["fetch"];
    all.extend_from_slice(args);
    run(&all, stdin)
}

/// The `--summary-json` line: the last and only line on stdout, every key of the
/// contract in its order, counts as integers, seconds as non-negative numbers.
fn summary(r: &Run) -> Value {
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains('\r'),
        "no panic, no progress line on a pipe: {}",
        r.stderr
    );
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stdout: {:?}", r.stdout);
    assert!(r.stdout.ends_with('\n'));
    let value: Value = serde_json::from_str(lines[0]).expect("the summary is JSON");
    let object = value.as_object().expect("the summary is an object");
    let keys: Vec<&str> = object.keys().map(String::as_str).collect();
    let mut sorted = KEYS.to_vec();
    sorted.sort_unstable();
    assert_eq!(keys, sorted, "exactly the contract's keys: {value}");
    let positions: Vec<usize> = KEYS
        .iter()
        .map(|k| lines[0].find(&format!("\"{k}\"")).expect("key present"))
        .collect();
    assert!(
        positions.is_sorted(),
        "keys in the contract's order: {}",
        lines[0]
    );
    for key in &KEYS[..6] {
        assert!(value[key].is_u64(), "{key} is a count: {value}");
    }
    for key in &KEYS[6..] {
        assert!(
            value[key].as_f64().is_some_and(|s| s >= 0.0),
            "{key}: {value}"
        );
    }
    value
}

/// Asserts the counts of a summary.
fn assert_counts(value: &Value, expected: &[(&str, u64)]) {
    for &(key, n) in expected {
        assert_eq!(value[key], n, "{key} in {value}");
    }
}

/// Asserts an unusable command line: exit 2, one stderr line containing `what`.
fn assert_usage_error(args: &[&str], what: &str) {
    let r = fetch(args, b"");
    assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
    assert_eq!(r.stdout, "", "{args:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
    assert!(
        r.stderr.starts_with("ratelimit-governor: fetch: ") && r.stderr.contains(what),
        "{args:?}: {}",
        r.stderr
    );
}

#[test]
fn draft8_two_workers_are_never_rejected() {
    let server = TestServer::express(&[
        ("LIMIT", "5"),
        ("WINDOW_MS", "2000"),
        ("LIMIT2", "15"),
        ("WINDOW2_MS", "10000"),
    ]);
    let url = server.url("/draft8");
    let r = fetch(
        &[
            "--repeat",
            "20",
            "--concurrency",
            "2",
            "--summary-json",
            &url,
        ],
        b"",
    );
    let s = summary(&r);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_counts(
        &s,
        &[
            ("requests", 20),
            ("ok", 20),
            ("rejected", 0),
            ("retries", 0),
            ("gave_up", 0),
            ("failed", 0),
        ],
    );
    let counted = server.stats().get("draft8");
    assert_eq!((counted.ok, counted.rejected), (20, 0), "server side");
    // 15 per 10 s: the last 5 wait for the long window's reset, about 10 s in.
    let elapsed = s["elapsed_s"].as_f64().unwrap_or(0.0);
    assert!((9.5..=15.0).contains(&elapsed), "{s}");
    assert!(s["waited_s"].as_f64().unwrap_or(0.0) > 5.0, "{s}");
}

#[test]
fn url_list_file_and_repeat() {
    let server = TestServer::express(&[]);
    let list = format!(
        "# two URLs, a blank line and comments\n\n{}\n  # indented comment\n{}\n",
        server.url("/unlimited?a"),
        server.url("/unlimited?b"),
    );
    let path = temp_file("fetch-two-urls.txt", list.as_bytes());
    let path = path.to_str().expect("UTF-8 path");
    let r = fetch(&["--urls", path, "--repeat", "2", "--summary-json"], b"");
    let s = summary(&r);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_counts(
        &s,
        &[
            ("requests", 4),
            ("ok", 4),
            ("rejected", 0),
            ("retries", 0),
            ("gave_up", 0),
            ("failed", 0),
        ],
    );
}

#[test]
fn urls_from_stdin_and_arguments_with_a_human_summary() {
    let server = TestServer::express(&[]);
    let stdin = format!(
        "{}\r\n{}\n",
        server.url("/unlimited?1"),
        server.url("/unlimited?2")
    );
    let url = server.url("/unlimited?0");
    let r = fetch(
        &["--urls", "-", "--repeat=2", "--concurrency=3", &url],
        stdin.as_bytes(),
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout, "", "the human summary goes to stderr");
    assert!(!r.stderr.contains('\r'), "no progress line on a pipe");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("6 requests in ") && r.stderr.contains(": 6 ok, 0 gave up, 0 failed;"),
        "{}",
        r.stderr
    );
}

#[test]
fn unusable_arguments_exit_2_with_one_line() {
    let url = "http://127.0.0.1:9/";
    assert_usage_error(
        &["--concurrency", "0", url],
        "invalid value '0' for --concurrency: must be at least 1",
    );
    assert_usage_error(&["--summary-json"], "no URL given");
    assert_usage_error(
        &["--max-wait", "soon", url],
        "invalid value 'soon' for --max-wait",
    );
    assert_usage_error(&["--max-wait=-1", url], "must not be negative");
    assert_usage_error(&["--max-wait", "NaN", url], "for --max-wait");
    assert_usage_error(&["--repeat", "0", url], "for --repeat");
    assert_usage_error(&["ftp://example.com/"], "invalid URL 'ftp://example.com/'");
    let missing = temp_file("fetch-exists.txt", b"");
    let missing = missing.with_file_name("fetch-no-such-list.txt");
    let missing = missing.to_str().expect("UTF-8 path");
    assert_usage_error(
        &["--urls", missing],
        &format!("cannot read URL file '{missing}'"),
    );
    let bad = temp_file(
        "fetch-bad-line.txt",
        b"# ok\nhttp://a.example/\n\nnot a url\n",
    );
    let bad = bad.to_str().expect("UTF-8 path");
    assert_usage_error(
        &["--urls", bad],
        &format!("{bad}:4: invalid URL 'not a url'"),
    );
    let empty = temp_file("fetch-empty.txt", b"# nothing\n\n");
    assert_usage_error(
        &["--urls", empty.to_str().expect("UTF-8 path")],
        "no URL given",
    );
}

#[test]
fn help_exits_0() {
    let r = fetch(&["--help"], b"");
    assert_eq!(r.code, Some(0));
    assert!(r.stdout.starts_with("Send GET requests"), "{}", r.stdout);
    assert!(r.stdout.contains("--summary-json"));
}

#[test]
fn a_closed_port_fails_without_a_panic() {
    // A port nobody listens on: bound, then released.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address").port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    // A short --max-wait keeps the backoff between retries short.
    let r = fetch(&["--max-wait", "0.2", "--summary-json", &url], b"");
    let s = summary(&r);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_counts(
        &s,
        &[
            ("requests", 1),
            ("ok", 0),
            ("rejected", 0),
            ("gave_up", 0),
            ("failed", 1),
        ],
    );
    // Retried while the backoff stayed under --max-wait, at most the policy's 5.
    assert!(s["retries"].as_u64().is_some_and(|n| n <= 5), "{s}");
    assert!(
        r.stderr.contains(&format!("fetch: {url}: ")),
        "the failure is named: {}",
        r.stderr
    );
}

#[test]
fn a_wait_above_max_wait_gives_up() {
    // One request per minute: after the first, the next window is 60 s away.
    let server = TestServer::express(&[("LIMIT", "1"), ("WINDOW_MS", "60000")]);
    let url = server.url("/draft8");
    let r = fetch(
        &["--repeat", "3", "--max-wait", "1", "--summary-json", &url],
        b"",
    );
    let s = summary(&r);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_counts(
        &s,
        &[
            ("requests", 3),
            ("ok", 1),
            ("rejected", 0),
            ("retries", 0),
            ("gave_up", 2),
            ("failed", 0),
        ],
    );
    assert!(
        s["elapsed_s"].as_f64().unwrap_or(99.0) < 5.0,
        "no waiting: {s}"
    );
    let counted = server.stats().get("draft8");
    assert_eq!((counted.ok, counted.rejected), (1, 0), "server side");
    assert!(r.stderr.contains("exceeds max_wait"), "{}", r.stderr);
}
