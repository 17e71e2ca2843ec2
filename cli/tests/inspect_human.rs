//! The human view of `inspect`: a table of windows with the most restrictive one
//! marked, the retry hint, the decision in words and the warnings, in 80 columns.

mod common;

use common::{NOW, run};

fn human(response: &[u8], extra: &[&str]) -> String {
    let mut args = vec!["inspect", "--now", NOW];
    args.extend_from_slice(extra);
    let r = run(&args, response);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for line in r.stdout.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
    r.stdout
}

const EXHAUSTED_BURST: &[u8] = b"HTTP/1.1 200 OK\n\
RateLimit-Policy: \"daily\";q=100;w=86400, \"burst\";q=5;w=2\n\
RateLimit: \"daily\";r=95;t=86400, \"burst\";r=0;t=2\n\n";

#[test]
fn table_marks_the_exhausted_window() {
    let out = human(EXHAUSTED_BURST, &[]);
    let header = out
        .lines()
        .find(|l| l.contains("policy"))
        .expect("a table header");
    for column in [
        "policy",
        "limit",
        "remaining",
        "used",
        "reset",
        "window",
        "unit",
        "source",
    ] {
        assert!(header.contains(column), "{column} missing from {header:?}");
    }
    let burst = out
        .lines()
        .find(|l| l.contains("burst "))
        .expect("burst row");
    let daily = out
        .lines()
        .find(|l| l.contains("daily "))
        .expect("daily row");
    assert!(burst.trim_start().starts_with("* burst"), "{burst:?}");
    assert!(!daily.contains('*'), "{daily:?}");
    assert!(burst.contains("ietf-draft-08"), "{burst:?}");
    assert!(out.contains("* most restrictive"), "{out}");
    assert!(out.contains("status    200"), "{out}");
}

#[test]
fn decision_in_words() {
    let out = human(EXHAUSTED_BURST, &[]);
    let prose = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        prose.contains(
            "Wait 2.0 s before the next request: the burst window is exhausted and resets in 2 s."
        ),
        "{out}"
    );
    let out = human(EXHAUSTED_BURST, &["--max-wait", "1"]);
    let prose = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        prose.contains(
            "Give up: the burst window's reset asks for a wait of 2 s, longer than --max-wait 1 s."
        ),
        "{out}"
    );
}

#[test]
fn retry_hint_and_its_source() {
    let out = human(b"HTTP/1.1 429 Too Many Requests\nRetry-After: 30\n\n", &[]);
    assert!(
        out.contains("retry     30 s (from Retry-After, in seconds)"),
        "{out}"
    );
    assert!(out.contains("windows   none"), "{out}");
    let out = human(b"HTTP/1.1 200 OK\nRetry-After: 30\n\n", &[]);
    assert!(out.contains("forces no wait"), "{out}");
    assert!(out.contains("decision  Proceed"), "{out}");
}

#[test]
fn warnings_are_listed() {
    let out = human(
        b"HTTP/1.1 200 OK\nRateLimit: \"default\";r=50;t=30,\n\n",
        &[],
    );
    assert!(out.contains("warnings  1"), "{out}");
    assert!(out.contains("\n  - RateLimit: not a valid"), "{out}");
    let prose = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        prose.contains(
            "- RateLimit: not a valid Structured Field (trailing comma at byte 19); field ignored"
        ),
        "{out}"
    );
}
