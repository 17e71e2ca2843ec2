//! Unusable input or arguments: exit status 2, nothing on stdout, and one line on
//! stderr naming what was wrong and where (`../shared/contract/cli.md`, "Exit status").

mod common;

use common::run;

/// Runs and checks the failure; returns stderr.
fn fails(args: &[&str], stdin: &[u8]) -> String {
    let r = run(args, stdin);
    assert_eq!(
        r.code,
        Some(2),
        "{args:?}: stdout {:?}, stderr {:?}",
        r.stdout,
        r.stderr
    );
    assert_eq!(r.stdout, "", "{args:?}");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.stderr
}

fn fails_with(args: &[&str], stdin: &[u8], line: &str) {
    assert_eq!(fails(args, stdin), format!("{line}\n"), "{args:?}");
}

#[test]
fn header_line_without_colon_names_file_and_line() {
    let path = common::temp_file("no-colon.http", b"HTTP/1.1 200 OK\nA: 1\nnot a header\n\n");
    let path = path.to_str().expect("UTF-8 path");
    fails_with(
        &["inspect", path],
        b"",
        &format!("ratelimit-governor: inspect: {path} line 3: header line without ':'"),
    );
}

#[test]
fn errors_in_stdin_name_stdin() {
    fails_with(
        &["inspect", "--json"],
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nbroken\r\n\r\n",
        "ratelimit-governor: inspect: stdin line 4: header line without ':'",
    );
}

#[test]
fn missing_file() {
    fails_with(
        &["inspect", "/nonexistent/resp.http"],
        b"",
        "ratelimit-governor: inspect: cannot read /nonexistent/resp.http: No such file or directory",
    );
}

#[test]
fn bad_numbers() {
    fails_with(
        &["inspect", "--now", "abc"],
        b"",
        "ratelimit-governor: inspect: invalid value 'abc' for --now: not a decimal number of seconds",
    );
    fails_with(
        &["inspect", "--max-wait=-1"],
        b"",
        "ratelimit-governor: inspect: invalid value '-1' for --max-wait: must not be negative",
    );
    fails_with(
        &["inspect", "--max-wait"],
        b"",
        "ratelimit-governor: inspect: option --max-wait needs a value",
    );
}

#[test]
fn unknown_option() {
    fails_with(
        &["inspect", "--jsn"],
        b"",
        "ratelimit-governor: inspect: unknown option '--jsn' (see 'ratelimit-governor inspect --help')",
    );
}

#[test]
fn two_files() {
    fails_with(
        &["inspect", "a.http", "b.http"],
        b"",
        "ratelimit-governor: inspect: unexpected argument 'b.http': only one FILE may be given",
    );
}

#[test]
fn non_utf8_header_name() {
    fails_with(
        &["inspect"],
        b"HTTP/1.1 200 OK\nX-Caf\xe9: 1\n\n",
        "ratelimit-governor: inspect: stdin line 2: header name is not ASCII text (non-UTF-8 or non-ASCII bytes)",
    );
}

#[test]
fn malformed_status_line() {
    fails_with(
        &["inspect"],
        b"HTTP/1.1 OK\n\n",
        "ratelimit-governor: inspect: stdin line 1: malformed status line (expected `HTTP/<version> <status>`)",
    );
}

#[test]
fn continuation_without_header() {
    fails_with(
        &["inspect"],
        b"HTTP/1.1 200 OK\n  folded\n\n",
        "ratelimit-governor: inspect: stdin line 2: continuation line (starting with a space or tab) without a header line before it",
    );
}

#[test]
fn empty_input() {
    fails_with(
        &["inspect"],
        b"",
        "ratelimit-governor: inspect: stdin line 1: input is empty: no response head",
    );
}

#[test]
fn unknown_command_prints_usage() {
    let err = fails(&["frobnicate"], b"");
    let mut lines = err.lines();
    assert_eq!(
        lines.next(),
        Some("ratelimit-governor: unknown command 'frobnicate'")
    );
    assert!(err.contains("Usage: ratelimit-governor <COMMAND>"), "{err}");
    let err = fails(&[], b"");
    assert!(
        err.starts_with("ratelimit-governor: a command is required\n"),
        "{err}"
    );
}

#[test]
fn help_is_not_an_error() {
    let r = run(&["--help"], b"");
    assert_eq!(r.code, Some(0));
    assert!(r.stdout.contains("inspect"), "{}", r.stdout);
    assert!(r.stdout.contains("\n  govern "), "{}", r.stdout);
    let r = run(&["inspect", "--help"], b"");
    assert_eq!(r.code, Some(0));
    assert!(r.stdout.contains("--max-wait SECONDS"), "{}", r.stdout);
    assert!(r.stdout.contains("default: 3900 s"), "{}", r.stdout);
    assert_eq!(r.stderr, "");
}
