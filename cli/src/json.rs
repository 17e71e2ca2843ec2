//! The `inspect --json` object (`../shared/contract/cli.md` section 1, "Output"),
//! keys in the contract's order, values escaped by `serde_json`.
//!
//! Durations are seconds as JSON numbers with millisecond precision (`64.57`,
//! `0.012`); `window_s` is whole seconds, rounded up when fractional.

use std::time::Duration;

use ratelimit_governor::{Text, Unit, Window};
use serde_json::Value;

use crate::inspect::Inspection;

/// Renders the inspection as the contract's JSON object, followed by a newline.
pub fn render(inspection: &Inspection<'_>) -> String {
    let limits = &inspection.limits;
    let advice = &inspection.advice;
    let windows: Vec<String> = limits.windows().map(window).collect();
    let warnings: Vec<String> = limits
        .warnings()
        .map(|w| Value::String(w.to_string()).to_string())
        .collect();
    let hint = limits.retry_hint();
    let decision = object(&[
        ("action", Value::from(advice.action.as_str())),
        ("wait_s", seconds(advice.wait)),
        ("reason", Value::from(advice.reason.as_str())),
    ]);

    let mut members = vec![
        ("status", Value::from(limits.status()).to_string()),
        ("windows", array(&windows)),
        (
            "retry_after_s",
            hint.map_or(Value::Null, |h| seconds(h.delay)).to_string(),
        ),
        (
            "retry_after_source",
            hint.map_or(Value::Null, |h| Value::from(h.source.as_str()))
                .to_string(),
        ),
        ("decision", decision),
        ("warnings", array(&warnings)),
    ];
    let dropped = limits.warnings_dropped();
    if dropped > 0 {
        members.push(("warnings_dropped", Value::from(dropped).to_string()));
    }

    let mut out = String::from("{\n");
    for (i, (key, value)) in members.iter().enumerate() {
        let comma = if i + 1 < members.len() { "," } else { "" };
        out.push_str(&format!("  {}: {value}{comma}\n", Value::from(*key)));
    }
    out.push_str("}\n");
    out
}

/// One window as a one-line object.
fn window(w: &Window<'_>) -> String {
    object(&[
        ("policy", w.policy.map_or(Value::Null, text)),
        ("limit", Value::from(w.limit)),
        ("remaining", Value::from(w.remaining)),
        ("used", Value::from(w.used)),
        ("reset_s", w.reset.map_or(Value::Null, seconds)),
        ("window_s", Value::from(w.window.map(whole_seconds_up))),
        ("unit", Value::from(unit_name(&w.unit))),
        ("source", Value::from(w.source.as_str())),
    ])
}

/// The unit's name, escapes removed for a server-named unit.
pub fn unit_name(unit: &Unit<'_>) -> String {
    match unit {
        Unit::Other(t) => t.to_string(),
        known => known.as_str().to_owned(),
    }
}

fn text(t: Text<'_>) -> Value {
    Value::String(t.to_string())
}

/// Seconds as a JSON number, rounded to the millisecond.
pub fn seconds(d: Duration) -> Value {
    Value::from(seconds_f64(d))
}

/// Seconds as `f64`, rounded to the nearest millisecond.
pub fn seconds_f64(d: Duration) -> f64 {
    let round_up = d.subsec_nanos() % 1_000_000 >= 500_000;
    let millis = d.as_millis().saturating_add(u128::from(round_up));
    // u128 -> f64 is exact below 2^53 ms (285,000 years); beyond, nearest is fine.
    #[allow(clippy::cast_precision_loss)]
    let millis = millis as f64;
    millis / 1000.0
}

/// Whole seconds, a fractional second rounding up.
pub fn whole_seconds_up(d: Duration) -> u64 {
    d.as_secs().saturating_add(u64::from(d.subsec_nanos() > 0))
}

fn object(members: &[(&str, Value)]) -> String {
    let inner: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}: {v}", Value::from(*k)))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

/// A JSON array of already rendered values, one per line when not empty.
fn array(items: &[String]) -> String {
    if items.is_empty() {
        return "[]".to_owned();
    }
    format!("[\n    {}\n  ]", items.join(",\n    "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_keep_milliseconds() {
        assert_eq!(seconds(Duration::from_millis(64_570)).to_string(), "64.57");
        assert_eq!(seconds(Duration::from_millis(12)).to_string(), "0.012");
        assert_eq!(seconds(Duration::from_secs(2)).to_string(), "2.0");
        assert_eq!(seconds(Duration::from_micros(1_500)).to_string(), "0.002");
        assert_eq!(seconds(Duration::ZERO).to_string(), "0.0");
    }

    #[test]
    fn window_seconds_round_up() {
        assert_eq!(whole_seconds_up(Duration::from_secs(60)), 60);
        assert_eq!(whole_seconds_up(Duration::from_millis(1_001)), 2);
        assert_eq!(whole_seconds_up(Duration::from_millis(500)), 1);
        assert_eq!(whole_seconds_up(Duration::MAX), u64::MAX);
    }

    #[test]
    fn server_named_units_are_unescaped() {
        assert_eq!(unit_name(&Unit::Other(Text::sf_escaped(r#"a\"b"#))), "a\"b");
        assert_eq!(unit_name(&Unit::Tokens), "tokens");
    }
}
