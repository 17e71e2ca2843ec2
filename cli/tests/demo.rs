//! `ratelimit-governor demo`: the quick scenario end to end (two in-process servers,
//! the naive and the governed client side by side), and its argument errors.

mod common;

use common::run;
use serde_json::Value;

/// The quick scenario: 12 requests through 3 per 1 s and 6 per 3 s (lower bound
/// 4 s). Takes about as long as the naive client (several seconds).
#[test]
fn quick_json_governed_client_is_never_refused_and_near_the_lower_bound() {
    let r = run(&["demo", "--quick", "--json"], b"");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).expect("stdout is one JSON object");
    assert_eq!(report["requests"], 12);
    assert_eq!(report["lower_bound_s"], 4.0);
    assert_eq!(report["limits"][0]["policy"], "burst");

    let governed = &report["governed"];
    assert_eq!(governed["ok"], 12, "{report}");
    assert_eq!(governed["failed"], 0, "{report}");
    assert_eq!(governed["rejected"], 0, "server-counted 429s: {report}");
    assert_eq!(governed["sent"], 12, "{report}");
    let multiple = governed["multiple"].as_f64().expect("a multiple");
    assert!(
        multiple <= 1.15,
        "governed took {multiple}x the lower bound: {report}"
    );

    let naive = &report["naive"];
    let naive_rejected = naive["rejected"].as_u64().expect("a count");
    assert!(
        naive_rejected > governed["rejected"].as_u64().expect("a count"),
        "the naive client is refused more often: {report}"
    );
    assert_eq!(
        naive["ok"].as_u64().unwrap() + naive["failed"].as_u64().unwrap(),
        12,
        "{report}"
    );
    assert_eq!(
        naive["sent"].as_u64().unwrap(),
        naive["ok"].as_u64().unwrap() + naive_rejected,
        "every naive request ends in one 200 or in 429s only: {report}"
    );

    // Progress went to stderr, ending with both jobs done.
    let last = r.stderr.lines().last().unwrap_or_default();
    assert!(
        last.contains("naive 12/12 done") && last.contains("governed 12/12 done, 0 x 429"),
        "{}",
        r.stderr
    );
}

/// A job that fits in the first windows: the human table, with no multiple.
#[test]
fn small_job_prints_the_side_by_side_table() {
    let r = run(&["demo", "--quick", "--requests", "3"], b"");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    let rows: Vec<Vec<&str>> = r
        .stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let row = |label: &[&str]| {
        rows.iter()
            .find(|words| words.starts_with(label))
            .map(|words| words[label.len()..].to_vec())
            .unwrap_or_else(|| panic!("no row {label:?} in\n{}", r.stdout))
    };
    assert_eq!(row(&["naive", "(1/2/4", "s", "backoff)"]), ["governed"]);
    assert_eq!(row(&["requests"]), ["3", "3"]);
    assert_eq!(row(&["ok"]), ["3", "3"]);
    assert_eq!(row(&["429", "responses"]), ["0", "0"]);
    assert_eq!(row(&["x", "lower", "bound", "(0", "s)"]), ["-", "-"]);
    assert!(
        r.stdout.contains("a perfect client needs 0 s"),
        "{}",
        r.stdout
    );
}

#[test]
fn help_is_printed() {
    let r = run(&["demo", "--help"], b"");
    assert_eq!(r.code, Some(0));
    assert!(r.stdout.contains("Usage: ratelimit-governor demo"));
    assert_eq!(r.stderr, "");
}

#[test]
fn unusable_arguments_exit_2_with_one_line() {
    for (args, line) in [
        (
            &["demo", "--requests", "0"][..],
            "ratelimit-governor: demo: invalid value '0' for --requests: expected a whole number from 1 to 10000",
        ),
        (
            &["demo", "--requests"][..],
            "ratelimit-governor: demo: option --requests needs a value",
        ),
        (
            &["demo", "--requests=many"][..],
            "ratelimit-governor: demo: invalid value 'many' for --requests: expected a whole number from 1 to 10000",
        ),
        (
            &["demo", "--fast"][..],
            "ratelimit-governor: demo: unknown option '--fast' (see 'ratelimit-governor demo --help')",
        ),
        (
            &["demo", "now"][..],
            "ratelimit-governor: demo: unexpected argument 'now' (see 'ratelimit-governor demo --help')",
        ),
    ] {
        let r = run(args, b"");
        assert_eq!(r.code, Some(2), "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
        assert_eq!(r.stderr, format!("{line}\n"), "{args:?}");
    }
}
