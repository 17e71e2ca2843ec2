//! `inspect --json`: the contract's object (`../shared/contract/cli.md` section 1) for
//! responses read in every form `curl` prints them.

mod common;

use common::{inspect_json, window};
use serde_json::json;

const DRAFT8_MULTI: &[u8] = b"HTTP/1.1 200 OK\r\n\
RateLimit-Policy: \"burst\";q=5;w=2, \"daily\";q=100;w=86400\r\n\
RateLimit: \"burst\";r=0;t=2, \"daily\";r=95;t=86400\r\n\
Content-Type: application/json\r\n\
\r\n\
{\"ok\":true}";

#[test]
fn draft8_multi_window_object_is_exactly_the_contract() {
    let out = inspect_json(DRAFT8_MULTI, &[]);
    let expected = json!({
        "status": 200,
        "windows": [
            {"policy": "burst", "limit": 5, "remaining": 0, "used": null,
             "reset_s": 2.0, "window_s": 2, "unit": "requests", "source": "ietf-draft-08"},
            {"policy": "daily", "limit": 100, "remaining": 95, "used": null,
             "reset_s": 86400.0, "window_s": 86400, "unit": "requests", "source": "ietf-draft-08"}
        ],
        "retry_after_s": null,
        "retry_after_source": null,
        // A lone client waits exactly for the reset (jitter only spreads sharers).
        "decision": {"action": "wait", "wait_s": 2.0, "reason": "window-exhausted"},
        "warnings": []
    });
    assert_eq!(out, expected);
}

#[test]
fn lf_and_crlf_give_the_same_object() {
    let lf: Vec<u8> = DRAFT8_MULTI
        .windows(2)
        .enumerate()
        .filter(|(_, w)| *w != b"\r\n")
        .map(|(i, _)| DRAFT8_MULTI[i])
        .chain(DRAFT8_MULTI.last().copied())
        .collect();
    assert!(!lf.contains(&b'\r'));
    assert_eq!(inspect_json(&lf, &[]), inspect_json(DRAFT8_MULTI, &[]));
}

#[test]
fn folded_lines_continue_the_previous_value() {
    let folded = b"HTTP/1.1 200 OK\n\
RateLimit-Policy: \"burst\";q=5;w=2,\n \"daily\";q=100;w=86400\n\
RateLimit: \"burst\";r=0;t=2,\n\t\"daily\";r=95;t=86400\n\n";
    let out = inspect_json(folded, &[]);
    assert_eq!(out["windows"].as_array().map(Vec::len), Some(2));
    assert_eq!(window(&out, "daily")["remaining"], 95);
    assert_eq!(window(&out, "burst")["limit"], 5);
    assert_eq!(out["warnings"], json!([]));
}

#[test]
fn the_last_head_after_100_continue_is_used() {
    let input = b"HTTP/1.1 100 Continue\r\n\r\n\
HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\n\r\n";
    let out = inspect_json(input, &[]);
    assert_eq!(out["status"], 429);
    assert_eq!(out["retry_after_s"], 7.0);
    assert_eq!(
        out["decision"],
        // A lone client waits exactly the hint (jitter only spreads sharers).
        json!({"action": "wait", "wait_s": 7.0, "reason": "retry-after"})
    );
}

#[test]
fn redirect_heads_before_the_last_are_ignored() {
    let input = b"HTTP/1.1 301 Moved Permanently\r\nLocation: /b\r\nRetry-After: 9\r\n\r\n\
HTTP/2 200\r\nx-ratelimit-limit: 60\r\nx-ratelimit-remaining: 59\r\n\r\n";
    let out = inspect_json(input, &[]);
    assert_eq!(out["status"], 200);
    assert_eq!(out["retry_after_s"], json!(null));
    assert_eq!(out["windows"][0]["limit"], 60);
    assert_eq!(out["decision"]["action"], "proceed");
}

#[test]
fn http2_status_line() {
    let out = inspect_json(b"HTTP/2 429\nretry-after: 3\n\n", &[]);
    assert_eq!(out["status"], 429);
    assert_eq!(out["decision"]["wait_s"], 3.0);
}

#[test]
fn the_body_reaches_the_parser() {
    let input = b"HTTP/1.1 429 Too Many Requests\n\
content-type: application/json\n\n\
{\"error\": {\"message\": \"Rate limit reached. Please try again in 3.89s.\", \"type\": \"requests\"}}";
    let out = inspect_json(input, &[]);
    assert_eq!(out["retry_after_s"], 3.89);
    assert_eq!(out["decision"]["action"], "wait");
    assert_eq!(out["decision"]["wait_s"], 3.89);
}

#[test]
fn no_status_line_gives_null_status() {
    let out = inspect_json(
        b"RateLimit: \"a\";r=3;t=10\nRateLimit-Policy: \"a\";q=10;w=60\n",
        &[],
    );
    assert_eq!(out["status"], json!(null));
    assert_eq!(window(&out, "a")["remaining"], 3);
    assert_eq!(window(&out, "a")["window_s"], 60);
}

#[test]
fn milliseconds_are_kept() {
    let out = inspect_json(
        b"HTTP/1.1 429 Too Many Requests\nretry-after-ms: 12\n\n",
        &[],
    );
    assert_eq!(out["retry_after_s"], 0.012);
    assert_eq!(out["decision"]["wait_s"], 0.012);
}

#[test]
fn date_header_is_the_reference_time() {
    // Reset at 1700000100 is 100 s after the Date header, whatever --now says.
    let input = b"HTTP/1.1 200 OK\nDate: Tue, 14 Nov 2023 22:13:20 GMT\n\
X-RateLimit-Limit: 10\nX-RateLimit-Remaining: 0\nX-RateLimit-Reset: 1700000100\n\n";
    let out = inspect_json(input, &["--now", "1699999000"]);
    assert_eq!(out["windows"][0]["reset_s"], 100.0);
    assert_eq!(out["decision"]["wait_s"], 100.0);
}

#[test]
fn give_up_when_the_required_wait_exceeds_max_wait() {
    let out = inspect_json(DRAFT8_MULTI, &["--max-wait", "1.5"]);
    assert_eq!(
        out["decision"],
        json!({"action": "give_up", "wait_s": 2.0, "reason": "wait-exceeds-max"})
    );
    let retry = b"HTTP/1.1 503 Service Unavailable\nRetry-After: 120\n\n";
    let out = inspect_json(retry, &["--max-wait=60"]);
    assert_eq!(
        out["decision"],
        json!({"action": "give_up", "wait_s": 120.0, "reason": "wait-exceeds-max"})
    );
    let out = inspect_json(retry, &["--max-wait", "120"]);
    assert_eq!(out["decision"]["action"], "wait");
}

#[test]
fn warnings_are_display_strings() {
    let out = inspect_json(
        b"HTTP/1.1 200 OK\nRateLimit: \"default\";r=50;t=30,\n\n",
        &[],
    );
    assert_eq!(out["windows"], json!([]));
    assert_eq!(
        out["warnings"],
        json!([
            "RateLimit: not a valid Structured Field (trailing comma at byte 19); field ignored"
        ])
    );
    assert!(out.get("warnings_dropped").is_none());
}

#[test]
fn non_utf8_header_values_are_accepted() {
    let out = inspect_json(
        b"HTTP/1.1 200 OK\nX-Note: caf\xe9\nX-RateLimit-Remaining: 4\n\n",
        &[],
    );
    assert_eq!(out["windows"][0]["remaining"], 4);
}

#[test]
fn a_file_argument_reads_the_file() {
    let path = common::temp_file("draft8-multi.http", DRAFT8_MULTI);
    let path = path.to_str().expect("the scratch path is UTF-8");
    let r = common::run(&["inspect", "--json", "--now", common::NOW, path], b"");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let out: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(out["decision"]["reason"], "window-exhausted");
}
