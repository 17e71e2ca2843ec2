//! One input line of `ratelimit-governor govern` read into a typed [`Op`]
//! (`../shared/contract/cli.md` section 2, "Input lines").
//!
//! Each line is one JSON object with an `op` member: `sent`, `response` or `next`.
//! Members the contract does not name are ignored; an optional member given as
//! `null` counts as absent. The error is one line saying what was wrong, without the
//! line number (the caller adds it).

use std::time::Duration;

use ratelimit_governor::{MonoTime, UnixTime};
use serde_json::{Map, Value};

/// One input line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// `{"op": "sent", "t": ...}`: a request left at `t`.
    Sent {
        /// When the request left.
        t: MonoTime,
    },
    /// `{"op": "response", ...}`: a response arrived.
    Response(ResponseLine),
    /// `{"op": "next", "t": ..., "work_left": ...}`: how long before the next request?
    Next {
        /// When the question is asked.
        t: MonoTime,
        /// Requests the client still has to send, this one included.
        work_left: Option<u64>,
    },
}

/// The members of a `response` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseLine {
    /// When the response arrived.
    pub t: MonoTime,
    /// The status code, 100 to 999.
    pub status: u16,
    /// The header fields in order, as (name, value).
    pub headers: Vec<(String, String)>,
    /// The body, when given.
    pub body: Option<String>,
    /// The client's wall clock when the response arrived, when given.
    pub unix: Option<UnixTime>,
}

/// Reads one line (without its line ending) as an [`Op`].
pub fn read_op(line: &str) -> Result<Op, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| json_error(&e))?;
    let Value::Object(object) = value else {
        return Err(format!("expected a JSON object, found {}", kind_of(&value)));
    };
    let op = match object.get("op") {
        None => return Err("missing \"op\"".to_owned()),
        Some(Value::String(op)) => op.as_str(),
        Some(_) => return Err("\"op\" must be a string".to_owned()),
    };
    match op {
        "sent" => Ok(Op::Sent { t: time(&object)? }),
        "response" => Ok(Op::Response(ResponseLine {
            t: time(&object)?,
            status: status(&object)?,
            headers: headers(&object)?,
            body: body(&object)?,
            unix: unix(&object)?,
        })),
        "next" => Ok(Op::Next {
            t: time(&object)?,
            work_left: work_left(&object)?,
        }),
        other => Err(format!(
            "unknown op {} (expected \"sent\", \"response\" or \"next\")",
            Value::from(other)
        )),
    }
}

/// serde_json's message without its ` at line 1 column N` suffix, the column kept.
fn json_error(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let message = match text.rfind(" at line ") {
        Some(cut) => text.get(..cut).unwrap_or(&text),
        None => &text,
    };
    format!("not valid JSON (column {}): {message}", error.column())
}

/// A JSON value's kind, for messages (`an array`, `a string` ...).
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A member that is present and not `null`.
fn optional<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

/// `t`: non-negative seconds on the caller's monotonic clock.
fn time(object: &Map<String, Value>) -> Result<MonoTime, String> {
    let Some(value) = optional(object, "t") else {
        return Err("missing \"t\"".to_owned());
    };
    let Some(seconds) = value.as_f64() else {
        return Err("\"t\" must be a number".to_owned());
    };
    if seconds < 0.0 {
        return Err("\"t\" must not be negative".to_owned());
    }
    Duration::try_from_secs_f64(seconds)
        .map(MonoTime::from_duration)
        .map_err(|_| "\"t\" is too large".to_owned())
}

/// `status`: an integer from 100 to 999.
fn status(object: &Map<String, Value>) -> Result<u16, String> {
    let Some(value) = optional(object, "status") else {
        return Err("missing \"status\"".to_owned());
    };
    value
        .as_u64()
        .filter(|s| (100..=999).contains(s))
        .and_then(|s| u16::try_from(s).ok())
        .ok_or_else(|| "\"status\" must be an integer from 100 to 999".to_owned())
}

/// `headers`: an array of `[name, value]` pairs of strings.
fn headers(object: &Map<String, Value>) -> Result<Vec<(String, String)>, String> {
    let Some(value) = optional(object, "headers") else {
        return Err("missing \"headers\" (use [] for none)".to_owned());
    };
    let Some(entries) = value.as_array() else {
        return Err("\"headers\" must be an array of [name, value] pairs".to_owned());
    };
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| match entry.as_array().map(Vec::as_slice) {
            Some([Value::String(name), Value::String(value)]) => Ok((name.clone(), value.clone())),
            _ => Err(format!(
                "\"headers\"[{i}] must be a [name, value] array of two strings"
            )),
        })
        .collect()
}

/// `body`: an optional string.
fn body(object: &Map<String, Value>) -> Result<Option<String>, String> {
    match optional(object, "body") {
        None => Ok(None),
        Some(Value::String(body)) => Ok(Some(body.clone())),
        Some(_) => Err("\"body\" must be a string".to_owned()),
    }
}

/// `unix`: optional wall-clock seconds since 1970 (may be negative), kept to the
/// nearest millisecond.
fn unix(object: &Map<String, Value>) -> Result<Option<UnixTime>, String> {
    let Some(value) = optional(object, "unix") else {
        return Ok(None);
    };
    let Some(seconds) = value.as_f64() else {
        return Err("\"unix\" must be a number".to_owned());
    };
    let millis = (seconds * 1000.0).round();
    // i64 holds +-9.2e18 ms; stay well inside so the conversion is exact.
    if !(-9.0e18..=9.0e18).contains(&millis) {
        return Err("\"unix\" is out of range".to_owned());
    }
    Ok(Some(UnixTime::from_millis(millis as i64)))
}

/// `work_left`: an optional non-negative integer.
fn work_left(object: &Map<String, Value>) -> Result<Option<u64>, String> {
    match optional(object, "work_left") {
        None => Ok(None),
        Some(value) => value
            .as_u64()
            .map(Some)
            .ok_or_else(|| "\"work_left\" must be a non-negative integer".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(millis: u64) -> MonoTime {
        MonoTime::from_millis(millis)
    }

    fn err(line: &str) -> String {
        read_op(line).unwrap_err()
    }

    #[test]
    fn reads_every_op() {
        assert_eq!(
            read_op(r#"{"op": "sent", "t": 1.25}"#),
            Ok(Op::Sent { t: ms(1250) })
        );
        assert_eq!(
            read_op(r#"{"op": "next", "t": 0, "work_left": 7}"#),
            Ok(Op::Next {
                t: ms(0),
                work_left: Some(7)
            })
        );
        assert_eq!(
            read_op(r#"{"op":"next","t":3,"work_left":null}"#),
            Ok(Op::Next {
                t: ms(3000),
                work_left: None
            })
        );
        assert_eq!(
            read_op(
                r#"{"op": "response", "t": 2, "status": 429, "headers": [["Retry-After", "5"]], "body": "{}", "unix": 1700000000.293}"#
            ),
            Ok(Op::Response(ResponseLine {
                t: ms(2000),
                status: 429,
                headers: vec![("Retry-After".to_owned(), "5".to_owned())],
                body: Some("{}".to_owned()),
                unix: Some(UnixTime::from_millis(1_700_000_000_293)),
            }))
        );
    }

    #[test]
    fn extra_members_are_ignored() {
        assert_eq!(
            read_op(r#"{"op": "sent", "t": 1, "id": "req-9", "note": [1, 2]}"#),
            Ok(Op::Sent { t: ms(1000) })
        );
        let Ok(Op::Response(r)) = read_op(
            r#"{"op": "response", "t": 1, "status": 200, "headers": [], "body": null, "x": {}}"#,
        ) else {
            panic!("not a response");
        };
        assert_eq!(
            (r.status, r.headers.len(), r.body, r.unix),
            (200, 0, None, None)
        );
    }

    #[test]
    fn json_errors_keep_the_column_only() {
        assert_eq!(
            err(r#"{"op": "sent", "t": }"#),
            "not valid JSON (column 21): expected value"
        );
        assert_eq!(
            err(""),
            "not valid JSON (column 0): EOF while parsing a value"
        );
        assert_eq!(err("[1]"), "expected a JSON object, found an array");
        assert_eq!(err("null"), "expected a JSON object, found null");
    }

    #[test]
    fn op_errors() {
        assert_eq!(err(r#"{"t": 1}"#), "missing \"op\"");
        assert_eq!(err(r#"{"op": 1, "t": 1}"#), "\"op\" must be a string");
        assert_eq!(
            err(r#"{"op": "sen", "t": 1}"#),
            "unknown op \"sen\" (expected \"sent\", \"response\" or \"next\")"
        );
    }

    #[test]
    fn time_errors() {
        assert_eq!(err(r#"{"op": "sent"}"#), "missing \"t\"");
        assert_eq!(err(r#"{"op": "sent", "t": null}"#), "missing \"t\"");
        assert_eq!(err(r#"{"op": "next", "t": "1"}"#), "\"t\" must be a number");
        assert_eq!(
            err(r#"{"op": "next", "t": -0.5}"#),
            "\"t\" must not be negative"
        );
        assert_eq!(err(r#"{"op": "next", "t": 1e300}"#), "\"t\" is too large");
        assert_eq!(
            read_op(r#"{"op": "next", "t": -0}"#),
            Ok(Op::Next {
                t: ms(0),
                work_left: None
            })
        );
    }

    #[test]
    fn response_errors() {
        let with = |rest: &str| err(&format!(r#"{{"op": "response", "t": 1, {rest}}}"#));
        assert_eq!(with(r#""headers": []"#), "missing \"status\"");
        for bad in ["99", "1000", "200.5", "-1", "\"200\""] {
            assert_eq!(
                with(&format!(r#""status": {bad}, "headers": []"#)),
                "\"status\" must be an integer from 100 to 999",
                "{bad}"
            );
        }
        assert_eq!(
            with(r#""status": 200"#),
            "missing \"headers\" (use [] for none)"
        );
        assert_eq!(
            with(r#""status": 200, "headers": {"a": "b"}"#),
            "\"headers\" must be an array of [name, value] pairs"
        );
        for bad in [r#"["a"]"#, r#"["a", "b", "c"]"#, r#"["a", 1]"#, r#""a: b""#] {
            assert_eq!(
                with(&format!(r#""status": 200, "headers": [["x", "y"], {bad}]"#)),
                "\"headers\"[1] must be a [name, value] array of two strings",
                "{bad}"
            );
        }
        assert_eq!(
            with(r#""status": 200, "headers": [], "body": 5"#),
            "\"body\" must be a string"
        );
        assert_eq!(
            with(r#""status": 200, "headers": [], "unix": "now""#),
            "\"unix\" must be a number"
        );
        assert_eq!(
            with(r#""status": 200, "headers": [], "unix": 1e300"#),
            "\"unix\" is out of range"
        );
    }

    #[test]
    fn work_left_errors() {
        for bad in ["-1", "1.5", "\"3\""] {
            assert_eq!(
                err(&format!(r#"{{"op": "next", "t": 1, "work_left": {bad}}}"#)),
                "\"work_left\" must be a non-negative integer",
                "{bad}"
            );
        }
    }
}
