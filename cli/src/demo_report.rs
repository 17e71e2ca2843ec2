//! The demo's result: the side-by-side table (with one sentence of explanation) or
//! the same figures as one JSON object.

use std::time::Duration;

use serde_json::{Value, json};

use crate::demo::Scenario;
use crate::demo_clients::{JobOutcome, NAIVE_BACKOFF};

/// One client's figures: its job's outcome and its server's counts.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientRun {
    /// What the client saw.
    pub outcome: JobOutcome,
    /// Requests the server served.
    pub accepted: u64,
    /// Requests the server refused with 429.
    pub rejected: u64,
}

impl ClientRun {
    /// Requests the server received.
    fn sent(&self) -> u64 {
        self.accepted + self.rejected
    }
}

/// Everything the demo reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Report<'a> {
    /// The servers' limits.
    pub scenario: &'a Scenario,
    /// Requests in each client's job.
    pub requests: u64,
    /// The time a perfect client needs for the job.
    pub lower_bound: Duration,
    /// The naive client.
    pub naive: ClientRun,
    /// The governed client.
    pub governed: ClientRun,
}

/// `elapsed` as a multiple of `bound`; `None` when the bound is zero (the whole job
/// fits in the first windows).
fn multiple(elapsed: Duration, bound: Duration) -> Option<f64> {
    (!bound.is_zero()).then(|| elapsed.as_secs_f64() / bound.as_secs_f64())
}

/// Seconds with millisecond precision.
fn seconds(d: Duration) -> f64 {
    d.as_millis() as f64 / 1000.0
}

/// The table and its explanation.
pub fn table(report: &Report<'_>) -> String {
    let backoff: Vec<String> = NAIVE_BACKOFF
        .iter()
        .map(|d| d.as_secs().to_string())
        .collect();
    let naive_title = format!("naive ({} s backoff)", backoff.join("/"));
    let (naive, governed) = (&report.naive, &report.governed);
    let bound = report.lower_bound;
    let ratio = |run: &ClientRun| match multiple(run.outcome.elapsed, bound) {
        Some(m) => format!("{m:.2}x"),
        None => "-".to_owned(),
    };
    let time = |run: &ClientRun| format!("{:.1} s", run.outcome.elapsed.as_secs_f64());
    let rows: [(String, String, String); 7] = [
        (String::new(), naive_title, "governed".to_owned()),
        (
            "requests".to_owned(),
            report.requests.to_string(),
            report.requests.to_string(),
        ),
        (
            "ok".to_owned(),
            naive.outcome.ok.to_string(),
            governed.outcome.ok.to_string(),
        ),
        (
            "failed".to_owned(),
            naive.outcome.failed.to_string(),
            governed.outcome.failed.to_string(),
        ),
        (
            "sent to the server".to_owned(),
            naive.sent().to_string(),
            governed.sent().to_string(),
        ),
        (
            "429 responses".to_owned(),
            naive.rejected.to_string(),
            governed.rejected.to_string(),
        ),
        ("time".to_owned(), time(naive), time(governed)),
    ];
    let last = (
        format!("x lower bound ({:.0} s)", bound.as_secs_f64()),
        ratio(naive),
        ratio(governed),
    );
    let mut out = String::new();
    for (label, a, b) in rows.iter().chain(std::iter::once(&last)) {
        out.push_str(&format!("{label:<22}{a:>26}{b:>12}\n"));
    }
    out.push('\n');
    out.push_str(&explanation(report));
    for (name, run) in [("naive", naive), ("governed", governed)] {
        if let Some(error) = &run.outcome.first_error {
            out.push_str(&format!("({name}: first failure: {error})\n"));
        }
    }
    out
}

/// One sentence on what the figures show, wrapped for the terminal.
fn explanation(report: &Report<'_>) -> String {
    let (naive, governed) = (&report.naive, &report.governed);
    let sentence = if naive.rejected == 0 && governed.rejected == 0 {
        "The job fits in the servers' first windows: neither client was refused, so \
         neither had anything to wait for; try more requests."
            .to_owned()
    } else {
        format!(
            "The governed client read the RateLimit fields of every response and waited \
             for the windows to reset before sending ({} x 429), while the naive client \
             learned of the limits only from refusals ({} x 429) and slept fixed backoffs \
             that know nothing of when the windows reset.",
            governed.rejected, naive.rejected,
        )
    };
    wrap(&sentence, WIDTH)
}

/// Width of the wrapped text's lines.
pub const WIDTH: usize = 80;

/// `text`'s words in lines of at most `width` characters (a longer word stands on
/// its own line), each ending in a newline.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The figures as one JSON object on one line.
pub fn json(report: &Report<'_>) -> String {
    let limits: Vec<Value> = report
        .scenario
        .limits
        .iter()
        .map(|l| json!({"policy": l.name, "quota": l.quota, "window_s": l.window.as_secs()}))
        .collect();
    let client = |run: &ClientRun| {
        json!({
            "ok": run.outcome.ok,
            "failed": run.outcome.failed,
            "sent": run.sent(),
            "rejected": run.rejected,
            "time_s": seconds(run.outcome.elapsed),
            "multiple": multiple(run.outcome.elapsed, report.lower_bound)
                .map(|m| (m * 1000.0).round() / 1000.0),
            "first_error": run.outcome.first_error,
        })
    };
    let object = json!({
        "requests": report.requests,
        "limits": limits,
        "lower_bound_s": seconds(report.lower_bound),
        "naive": client(&report.naive),
        "governed": client(&report.governed),
    });
    format!("{object}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::DEFAULT;

    fn run(ok: u64, failed: u64, secs: u64, accepted: u64, rejected: u64) -> ClientRun {
        ClientRun {
            outcome: JobOutcome {
                ok,
                failed,
                elapsed: Duration::from_millis(secs),
                first_error: (failed > 0).then(|| "status 429".to_owned()),
            },
            accepted,
            rejected,
        }
    }

    fn report() -> Report<'static> {
        Report {
            scenario: &DEFAULT,
            requests: 40,
            lower_bound: Duration::from_secs(16),
            naive: run(38, 2, 24_480, 38, 30),
            governed: run(40, 0, 16_160, 40, 0),
        }
    }

    #[test]
    fn the_table_is_side_by_side() {
        let text = table(&report());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[..8],
            [
                "                         naive (1/2/4 s backoff)    governed",
                "requests                                      40          40",
                "ok                                            38          40",
                "failed                                         2           0",
                "sent to the server                            68          40",
                "429 responses                                 30           0",
                "time                                      24.5 s      16.2 s",
                "x lower bound (16 s)                       1.53x       1.01x",
            ]
        );
        assert!(text.contains("(naive: first failure: status 429)"));
        assert!(!text.contains("governed: first failure"));
    }

    #[test]
    fn the_json_object_has_every_figure() {
        let value: Value = serde_json::from_str(&json(&report())).unwrap();
        assert_eq!(value["requests"], 40);
        assert_eq!(value["lower_bound_s"], 16.0);
        assert_eq!(value["limits"][1]["policy"], "long");
        assert_eq!(value["limits"][1]["quota"], 20);
        assert_eq!(value["naive"]["sent"], 68);
        assert_eq!(value["naive"]["time_s"], 24.48);
        assert_eq!(value["governed"]["rejected"], 0);
        assert_eq!(value["governed"]["multiple"], 1.01);
        assert_eq!(value["naive"]["multiple"], 1.53);
        assert_eq!(value["governed"]["first_error"], Value::Null);
    }

    #[test]
    fn the_explanation_is_wrapped() {
        assert_eq!(wrap("aa bb cc", 5), "aa bb\ncc\n");
        assert_eq!(wrap("aaaaaaa b", 5), "aaaaaaa\nb\n");
        assert_eq!(wrap("", 5), "");
        let text = table(&report());
        assert!(text.contains("(0 x 429)"));
        assert!(text.contains("(30 x 429)"));
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
    }

    #[test]
    fn a_zero_lower_bound_has_no_multiple() {
        let mut small = report();
        small.lower_bound = Duration::ZERO;
        let row = format!("x lower bound (0 s){}-{}-", " ".repeat(28), " ".repeat(11));
        assert!(table(&small).contains(&row), "{}", table(&small));
        let value: Value = serde_json::from_str(&json(&small)).unwrap();
        assert_eq!(value["governed"]["multiple"], Value::Null);
    }
}
