//! `ratelimit-governor govern`: JSON lines in, one answer per `next` out
//! (`../shared/contract/cli.md` section 2), run through the built binary.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::run;
use serde_json::{Value, json};

/// One answer: the action and the wait in seconds.
type Answer = (String, f64);

/// The input lines as JSON text, one per line.
fn input(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Runs `govern` with `args` on `lines`; checks success and returns the raw stdout.
fn govern_raw(args: &[&str], lines: &[Value]) -> String {
    let mut all = vec!["govern"];
    all.extend_from_slice(args);
    let r = run(&all, input(lines).as_bytes());
    assert_eq!(r.code, Some(0), "{args:?}: stderr {}", r.stderr);
    assert_eq!(r.stderr, "", "{args:?}");
    r.stdout
}

/// Runs `govern` and reads every answer, checking its shape.
fn govern(args: &[&str], lines: &[Value]) -> Vec<Answer> {
    govern_raw(args, lines)
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("each answer is JSON");
            let object = v.as_object().expect("each answer is an object");
            assert_eq!(object.len(), 2, "{line}");
            let action = v["action"].as_str().expect("action is a string").to_owned();
            let wait = v["wait_s"].as_f64().expect("wait_s is a number");
            assert!(
                ["proceed", "wait", "give_up"].contains(&action.as_str()),
                "{line}"
            );
            assert!(wait >= 0.0, "{line}");
            if action == "proceed" {
                assert_eq!(wait, 0.0, "{line}");
            }
            (action, wait)
        })
        .collect()
}

fn sent(t: f64) -> Value {
    json!({"op": "sent", "t": t})
}

fn response(t: f64, status: u16, headers: &[(&str, &str)]) -> Value {
    let headers: Vec<[&str; 2]> = headers.iter().map(|(n, v)| [*n, *v]).collect();
    json!({"op": "response", "t": t, "status": status, "headers": headers})
}

fn next(t: f64) -> Value {
    json!({"op": "next", "t": t})
}

fn next_with_work(t: f64, work_left: u64) -> Value {
    json!({"op": "next", "t": t, "work_left": work_left})
}

/// The draft-08 pair of fields for a burst window of 5 per 2 s and a daily one.
fn draft8(burst_remaining: u64, daily_remaining: u64) -> [(&'static str, String); 2] {
    [
        (
            "RateLimit-Policy",
            r#""burst";q=5;w=2, "daily";q=100;w=86400"#.to_owned(),
        ),
        (
            "RateLimit",
            format!(r#""burst";r={burst_remaining};t=2, "daily";r={daily_remaining};t=86400"#),
        ),
    ]
}

fn response_owned(t: f64, status: u16, headers: &[(&str, String)]) -> Value {
    let pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    response(t, status, &pairs)
}

fn assert_between(answer: &Answer, action: &str, low: f64, high: f64) {
    assert_eq!(answer.0, action, "{answer:?}");
    assert!(
        answer.1 >= low && answer.1 <= high,
        "{answer:?} not in [{low}, {high}]"
    );
}

/// `n` rejections without headers, each answered by `next` at its arrival.
fn rejections(n: u32) -> Vec<Value> {
    let mut lines = Vec::new();
    let mut t = 0.0;
    for _ in 0..n {
        lines.push(sent(t));
        lines.push(response(t + 0.05, 429, &[]));
        lines.push(next(t + 0.05));
        t += 30.0;
    }
    lines
}

#[test]
fn exhausted_burst_window_on_a_200_waits_for_its_reset() {
    let answers = govern(
        &[],
        &[
            next(0.0),
            sent(0.0),
            response_owned(0.05, 200, &draft8(0, 95)),
            next(0.05),
            // Asked again later, the wait counts down to the same reset.
            next(1.05),
        ],
    );
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[0], ("proceed".to_owned(), 0.0));
    // The reset, plus wake-up jitter of at most 2% of the 2 s window.
    assert_between(&answers[1], "wait", 2.0, 2.04);
    assert_between(&answers[2], "wait", 1.0, 1.04);
}

#[test]
fn burst_window_with_quota_left_proceeds() {
    let answers = govern(
        &[],
        &[
            sent(0.0),
            response_owned(0.05, 200, &draft8(3, 95)),
            next(0.05),
        ],
    );
    assert_eq!(answers, [("proceed".to_owned(), 0.0)]);
}

#[test]
fn retry_after_is_a_floor_with_bounded_jitter() {
    for (hint, spread) in [(5.0, 0.5), (2.0, 0.2), (30.0, 1.0)] {
        let hint_text = format!("{hint}");
        for seed in 1..=20u64 {
            let seed = seed.to_string();
            let answers = govern(
                &["--seed", &seed],
                &[
                    sent(10.0),
                    response(10.2, 429, &[("Retry-After", &hint_text)]),
                    next(10.2),
                ],
            );
            // hint <= wait <= hint + min(10% of the hint, 1 s).
            assert_between(&answers[0], "wait", hint, hint + spread);
        }
    }
}

#[test]
fn retry_after_counts_down_from_the_response() {
    let answers = govern(
        &[],
        &[
            sent(0.0),
            response(0.5, 429, &[("Retry-After", "10")]),
            next(4.5),
        ],
    );
    assert_between(&answers[0], "wait", 6.0, 7.0);
}

#[test]
fn http_date_retry_after_uses_the_unix_clock() {
    let answers = govern(
        &[],
        &[
            sent(0.0),
            json!({"op": "response", "t": 0.1, "status": 503,
                   "headers": [["Retry-After", "Tue, 14 Nov 2023 22:13:30 GMT"]],
                   "unix": 1_700_000_000}),
            next(0.1),
        ],
    );
    assert_between(&answers[0], "wait", 10.0, 11.0);
}

#[test]
fn retry_hint_in_the_body_is_read() {
    let answers = govern(
        &[],
        &[
            sent(0.0),
            json!({"op": "response", "t": 0.1, "status": 429,
                   "headers": [["Content-Type", "application/json"]],
                   "body": "{\"error\": {\"retry_after\": 7}}"}),
            next(0.1),
        ],
    );
    assert_between(&answers[0], "wait", 7.0, 7.7);
}

#[test]
fn after_a_success_the_answer_is_proceed() {
    let mut lines = vec![
        sent(0.0),
        response(0.1, 429, &[("Retry-After", "1")]),
        next(0.1),
    ];
    lines.extend(rejections(4).into_iter().map(|mut l| {
        // Shift the rejections after the first retry.
        let t = l["t"].as_f64().expect("t") + 2.0;
        l["t"] = json!(t);
        l
    }));
    lines.extend([sent(200.0), response(200.1, 200, &[]), next(200.1)]);
    let answers = govern(&[], &lines);
    assert_eq!(answers.len(), 6);
    assert_between(&answers[0], "wait", 1.0, 1.1);
    for a in &answers[1..5] {
        assert_eq!(a.0, "wait", "{answers:?}");
    }
    assert_eq!(answers[5], ("proceed".to_owned(), 0.0), "{answers:?}");
}

#[test]
fn consecutive_rejections_back_off_positive_and_capped() {
    const ROUNDS: u32 = 8;
    const SEEDS: u64 = 24;
    let mut sums = [0.0; ROUNDS as usize];
    for seed in 1..=SEEDS {
        let seed = seed.to_string();
        let answers = govern(&["--seed", &seed], &rejections(ROUNDS));
        assert_eq!(answers.len(), ROUNDS as usize);
        for (i, a) in answers.iter().enumerate() {
            // Never an immediate retry, never above the 20 s backoff cap.
            assert_between(a, "wait", 0.1, 20.0);
            sums[i] += a.1;
        }
    }
    // Full jitter over 1, 2, 4, 8, 16, 20, 20, 20 s: the mean grows, so over two
    // dozen seeds the later rounds wait far longer on average than the first.
    let mean = |i: usize| sums[i] / SEEDS as f64;
    assert!(mean(0) < 1.0, "{sums:?}");
    assert!(mean(4) > 2.0 * mean(0), "{sums:?}");
    assert!(mean(6) > 2.0 * mean(1), "{sums:?}");
}

#[test]
fn same_seed_same_bytes_different_seed_different_waits() {
    let lines = rejections(6);
    let a = govern_raw(&["--seed", "7"], &lines);
    let b = govern_raw(&["--seed", "7"], &lines);
    assert_eq!(a, b);
    assert_eq!(
        govern_raw(&[], &lines),
        govern_raw(&["--seed", "1"], &lines)
    );
    let c = govern_raw(&["--seed", "8"], &lines);
    assert_eq!(a.lines().count(), c.lines().count());
    assert_ne!(a, c);
}

#[test]
fn give_up_when_the_required_wait_exceeds_max_wait() {
    let hint = [
        sent(0.0),
        response(0.1, 429, &[("Retry-After", "120")]),
        next(0.1),
    ];
    assert_eq!(
        govern(&["--max-wait", "60"], &hint),
        [("give_up".to_owned(), 120.0)]
    );
    assert_between(&govern(&[], &hint)[0], "wait", 120.0, 121.0);

    // A window that resets in an hour, on a 200.
    let window = [
        sent(0.0),
        response(0.1, 200, &[("RateLimit", r#""hourly";r=0;t=3600"#)]),
        next(0.1),
    ];
    assert_eq!(
        govern(&["--max-wait=600"], &window),
        [("give_up".to_owned(), 3600.0)]
    );
    // The default (65 minutes) waits for an hourly reset.
    assert_between(&govern(&[], &window)[0], "wait", 3600.0, 3601.0);
}

#[test]
fn server_that_says_no_retry_gives_up() {
    let answers = govern(
        &[],
        &[
            sent(0.0),
            response(0.1, 503, &[("Stripe-Should-Retry", "false")]),
            next(0.1),
        ],
    );
    assert_eq!(answers, [("give_up".to_owned(), 0.0)]);
}

#[test]
fn work_left_lets_a_roomy_daily_window_pass_a_small_job() {
    let lines = |work_left: Option<u64>| {
        vec![
            sent(0.0),
            response(
                0.1,
                200,
                &[
                    ("RateLimit-Policy", r#""daily";q=1000;w=86400"#),
                    ("RateLimit", r#""daily";r=900;t=80000"#),
                ],
            ),
            match work_left {
                Some(n) => next_with_work(0.1, n),
                None => next(0.1),
            },
        ]
    };
    for mode in ["batch", "smooth"] {
        assert_eq!(
            govern(&["--mode", mode], &lines(Some(10))),
            [("proceed".to_owned(), 0.0)],
            "{mode}"
        );
    }
    // An open-ended or larger job in smooth mode spreads the 900 left over 80,000 s.
    for work_left in [None, Some(5000)] {
        let answers = govern(&["--mode", "smooth"], &lines(work_left));
        assert_between(&answers[0], "wait", 88.0, 89.0);
    }
}

#[test]
fn declared_quota_paces_sends() {
    let answers = govern(
        &["--quota", "2/1"],
        &[sent(0.0), sent(0.1), next(0.2), sent(1.0), next(1.0)],
    );
    // The period's end plus the 50 ms margin for the server opening its window on
    // arrival (no response yet, so no RTT to go by).
    assert_eq!(
        answers,
        [("wait".to_owned(), 0.85), ("wait".to_owned(), 0.15)]
    );
}

#[test]
fn lifetime_quota_gives_up_and_warns() {
    let r = run(
        &["govern", "--lifetime", "2:1"],
        input(&[
            next(0.0),
            sent(0.0),
            response(0.2, 200, &[]),
            next(0.5),
            sent(1.0),
            response(1.2, 200, &[]),
            next(1.5),
        ])
        .as_bytes(),
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "{\"action\": \"proceed\", \"wait_s\": 0.0}\n\
         {\"action\": \"proceed\", \"wait_s\": 0.0}\n\
         {\"action\": \"give_up\", \"wait_s\": 0.0}\n"
    );
    assert_eq!(
        r.stderr,
        "ratelimit-governor: govern: warning: stdin line 4: a declared lifetime quota \
         reached its warning threshold (1 requests sent)\n"
    );
}

#[test]
fn reserve_keeps_units_back() {
    let lines = [
        sent(0.0),
        response(0.1, 200, &[("RateLimit", r#""burst";r=3;t=10"#)]),
        next(0.1),
    ];
    assert_eq!(govern(&[], &lines), [("proceed".to_owned(), 0.0)]);
    assert_eq!(
        govern(&["--reserve", "optimistic"], &lines),
        [("proceed".to_owned(), 0.0)]
    );
    assert_between(&govern(&["--reserve", "3"], &lines)[0], "wait", 10.0, 11.0);
}

#[test]
fn empty_input_gives_no_output() {
    for text in ["", "\n", "  \n\r\n"] {
        let r = run(&["govern"], text.as_bytes());
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (Some(0), "", ""),
            "{text:?}"
        );
    }
}

/// Runs `govern` on `text`, expects exit status 2 and returns (stdout, stderr).
fn fails(args: &[&str], text: &str) -> (String, String) {
    let mut all = vec!["govern"];
    all.extend_from_slice(args);
    let r = run(&all, text.as_bytes());
    assert_eq!(r.code, Some(2), "{text:?}: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    (r.stdout, r.stderr)
}

#[test]
fn malformed_lines_name_the_line() {
    let ok = "{\"op\": \"next\", \"t\": 0}\n{\"op\": \"sent\", \"t\": 0}\n";
    let cases = [
        (
            "{\"op\": \"next\", \"t\": 1\n",
            "not valid JSON (column 21): EOF while parsing an object",
        ),
        ("{\"op\": \"next\"}\n", "missing \"t\""),
        (
            "{\"op\": \"next\", \"t\": \"soon\"}\n",
            "\"t\" must be a number",
        ),
        (
            "{\"op\": \"sent\", \"t\": -1}\n",
            "\"t\" must not be negative",
        ),
        (
            "{\"op\": \"response\", \"t\": 1, \"status\": 200, \"headers\": [[\"Retry-After\"]]}\n",
            "\"headers\"[0] must be a [name, value] array of two strings",
        ),
        (
            "{\"op\": \"response\", \"t\": 1, \"status\": 200, \"headers\": {\"Retry-After\": \"1\"}}\n",
            "\"headers\" must be an array of [name, value] pairs",
        ),
        (
            "{\"op\": \"response\", \"t\": 1, \"status\": 42, \"headers\": []}\n",
            "\"status\" must be an integer from 100 to 999",
        ),
        (
            "{\"op\": \"wait\", \"t\": 1}\n",
            "unknown op \"wait\" (expected \"sent\", \"response\" or \"next\")",
        ),
        ("[\"next\", 1]\n", "expected a JSON object, found an array"),
        (
            "{\"op\": \"next\", \"t\": 1, \"work_left\": -3}\n",
            "\"work_left\" must be a non-negative integer",
        ),
    ];
    for (bad, problem) in cases {
        // Two good lines, a blank one (still counted), then the bad line 4.
        let text = format!("{ok}\n{bad}{ok}");
        let (stdout, stderr) = fails(&[], &text);
        assert_eq!(
            stderr,
            format!("ratelimit-governor: govern: stdin line 4: {problem}\n"),
            "{bad}"
        );
        // The answer before the bad line was given; nothing after it.
        assert_eq!(
            stdout, "{\"action\": \"proceed\", \"wait_s\": 0.0}\n",
            "{bad}"
        );
    }
}

#[test]
fn non_utf8_line() {
    let r = run(&["govern"], b"{\"op\": \"sent\", \"t\": 0}\n\xff\xfe\n");
    assert_eq!(r.code, Some(2));
    assert_eq!(
        r.stderr,
        "ratelimit-governor: govern: stdin line 2: not UTF-8 text\n"
    );
}

#[test]
fn bad_arguments() {
    let (stdout, stderr) = fails(&["--seed", "x"], "");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "ratelimit-governor: govern: invalid value 'x' for --seed: not a whole number from 0 to 18446744073709551615\n"
    );
    let (_, stderr) = fails(&["--max-wait"], "");
    assert_eq!(
        stderr,
        "ratelimit-governor: govern: option --max-wait needs a value\n"
    );
    let (_, stderr) = fails(&["--mode", "burst"], "");
    assert_eq!(
        stderr,
        "ratelimit-governor: govern: invalid value 'burst' for --mode: expected 'batch' or 'smooth'\n"
    );
}

#[test]
fn help_documents_every_option_and_default() {
    let r = run(&["govern", "--help"], b"");
    assert_eq!((r.code, r.stderr.as_str()), (Some(0), ""));
    for text in [
        "--max-wait SECONDS",
        "(default: 3900 s",
        "--seed N",
        "(default: 1)",
        "--mode batch|smooth",
        "--reserve strict|optimistic|N",
        "--quota LIMIT/PERIOD_SECONDS",
        "--lifetime LIMIT[:WARN_AT]",
        "\"op\": \"sent\"",
        "\"op\": \"response\"",
        "\"op\": \"next\"",
        "work_left",
    ] {
        assert!(r.stdout.contains(text), "{text}: {}", r.stdout);
    }
}

#[test]
fn answers_are_flushed_at_once() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ratelimit-governor"))
        .arg("govern")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        while let Some(Ok(line)) = lines.next() {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    for t in 0..3 {
        writeln!(stdin, "{{\"op\": \"next\", \"t\": {t}}}").expect("stdin takes a line");
        stdin.flush().expect("stdin flushes");
        // Stdin is still open: the answer must arrive without waiting for its end.
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the answer arrives while stdin is open");
        assert_eq!(line, "{\"action\": \"proceed\", \"wait_s\": 0.0}");
    }
    drop(stdin);
    let status = child.wait().expect("the binary ends");
    assert_eq!(status.code(), Some(0));
    reader.join().expect("the reader ends");
}
