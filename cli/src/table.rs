//! The human view of `inspect`: status, reference time, a table of quota windows with
//! the most restrictive one marked, the retry hint, the decision in words and the
//! warnings, laid out for an 80-column terminal.

use std::time::Duration;

use ratelimit_governor::{Action, HintSource, Reason, Window};

use crate::inspect::{ClockSource, Inspection};
use crate::json::{seconds_f64, unit_name};

/// Width the prose lines are wrapped to.
const WIDTH: usize = 78;
/// Width of the labels in the left margin (`status`, `decision` ...).
const LABEL: usize = 10;
/// Longest policy, unit or source shown in full in the table.
const CELL_MAX: usize = 20;

/// Renders the human view.
pub fn render(inspection: &Inspection<'_>) -> String {
    let limits = &inspection.limits;
    let mut out = String::new();

    let status = limits
        .status()
        .map_or_else(|| "none (no status line)".to_owned(), |s| s.to_string());
    labelled(&mut out, "status", &status);
    labelled(&mut out, "reference", &reference_line(inspection));

    let count = limits.window_count();
    let heading = match count {
        0 => "none".to_owned(),
        1 => "1 window".to_owned(),
        n => format!("{n} windows"),
    };
    labelled(&mut out, "windows", &heading);
    if count > 0 {
        out.push_str(&window_table(inspection));
    }

    labelled(&mut out, "retry", &retry_line(inspection));
    labelled(&mut out, "decision", &decision_sentence(inspection));

    let warnings: Vec<String> = limits.warnings().map(ToString::to_string).collect();
    let dropped = limits.warnings_dropped();
    if warnings.is_empty() && dropped == 0 {
        labelled(&mut out, "warnings", "none");
    } else {
        labelled(
            &mut out,
            "warnings",
            &warnings.len().saturating_add(dropped).to_string(),
        );
        for w in &warnings {
            wrap_into(&mut out, &format!("- {w}"), 2, 4);
        }
        if dropped > 0 {
            wrap_into(
                &mut out,
                &format!("- ... and {dropped} more not kept"),
                2,
                4,
            );
        }
    }
    out
}

fn reference_line(inspection: &Inspection<'_>) -> String {
    let limits = &inspection.limits;
    let Some(reference) = limits.reference_time() else {
        return "unknown".to_owned();
    };
    let origin = if limits.server_date().is_some() {
        "the response's Date header"
    } else {
        match inspection.clock {
            ClockSource::NowOption => "--now",
            ClockSource::System => "the system clock",
        }
    };
    let millis = reference.as_millis();
    let frac = millis.rem_euclid(1000);
    let secs = reference.as_secs();
    let when = if frac == 0 {
        format!("{secs}")
    } else {
        format!("{secs}.{frac:03}")
    };
    format!("unix time {when} (from {origin})")
}

fn retry_line(inspection: &Inspection<'_>) -> String {
    let limits = &inspection.limits;
    let Some(hint) = limits.retry_hint() else {
        return "none".to_owned();
    };
    let mut line = format!(
        "{} (from {})",
        human_duration(hint.delay),
        hint_source(hint.source)
    );
    if !limits.is_failure() {
        line.push_str("; reported only: a hint on a successful response forces no wait");
    }
    line
}

fn hint_source(source: HintSource) -> &'static str {
    match source {
        HintSource::RetryAfterSeconds => "Retry-After, in seconds",
        HintSource::RetryAfterDate => "Retry-After, an HTTP-date",
        HintSource::RetryAfterMs => "retry-after-ms",
        HintSource::BodyField => "a field of the JSON error body",
        HintSource::BodyMessage => "the JSON error message",
        other => other.as_str(),
    }
}

/// The decision in one sentence.
fn decision_sentence(inspection: &Inspection<'_>) -> String {
    let limits = &inspection.limits;
    let advice = &inspection.advice;
    let wait = wait_text(advice.wait);
    let exhausted = || {
        let longest = limits.exhausted_reset();
        limits
            .windows()
            .filter(|w| w.remaining == Some(0))
            .find(|w| w.reset.is_some() && w.reset == longest)
    };
    // What the wait adds on top of the server's figure, so that sharers do not all
    // wake at the same instant.
    let jitter_note = |base: Duration| {
        let extra = advice.wait.saturating_sub(base);
        if extra >= Duration::from_millis(1) {
            format!(" (plus {} of jitter)", human_duration(extra))
        } else {
            String::new()
        }
    };
    let status = limits
        .status()
        .map_or_else(|| "no status".to_owned(), |s| format!("status {s}"));
    match (advice.action, advice.reason) {
        (Action::Proceed, _) => "Proceed: nothing in the response asks for a wait.".to_owned(),
        (Action::Wait, Reason::RetryAfter) => {
            let hint = limits.retry_after().unwrap_or(advice.wait);
            format!(
                "Wait {wait} before the next request: the server asked to retry after {}{}.",
                human_duration(hint),
                jitter_note(hint)
            )
        }
        (Action::Wait, Reason::WindowExhausted) => {
            let window = exhausted();
            let name = window.map_or_else(|| "a".to_owned(), window_name);
            let reset = window.and_then(|w| w.reset).unwrap_or(advice.wait);
            format!(
                "Wait {wait} before the next request: {name} window is exhausted and resets in {}{}.",
                human_duration(reset),
                jitter_note(reset)
            )
        }
        (Action::Wait, Reason::Backoff) => format!(
            "Wait {wait} before the next request: the server refused it ({status}) without \
             saying when to retry, so the governor backs off."
        ),
        (Action::Wait, Reason::SecondaryRateLimit) => format!(
            "Wait {wait} before the next request: GitHub secondary rate limit without \
             retry-after; {wait} is GitHub's documented minimum."
        ),
        (Action::GiveUp, Reason::WaitExceedsMax) => {
            let cause = if limits.is_failure() && limits.retry_hint().is_some() {
                "the server's retry hint".to_owned()
            } else {
                let name = exhausted().map_or_else(|| "an exhausted".to_owned(), window_name);
                format!("{name} window's reset")
            };
            format!(
                "Give up: {cause} asks for a wait of {}, longer than --max-wait {}.",
                human_duration(advice.wait),
                human_duration(inspection.max_wait)
            )
        }
        (Action::GiveUp, Reason::ServerSaysNoRetry) => {
            "Give up: the server says this request should not be retried.".to_owned()
        }
        (Action::Wait, other) => {
            format!("Wait {wait} before the next request ({}).", other.as_str())
        }
        (Action::GiveUp, other) => format!("Give up ({}).", other.as_str()),
    }
}

/// `the burst` (window), or `the unnamed github` (window) for a window without a name.
fn window_name(w: &Window<'_>) -> String {
    match w.policy {
        Some(p) => format!("the {p}"),
        None => format!("the unnamed {}", w.source.as_str()),
    }
}

/// The table of windows, the most restrictive marked with `*`.
fn window_table(inspection: &Inspection<'_>) -> String {
    let limits = &inspection.limits;
    let marked = limits.most_restrictive();
    let mut marked_done = false;
    let header = [
        "policy",
        "limit",
        "remaining",
        "used",
        "reset",
        "window",
        "unit",
        "source",
    ];
    let mut rows: Vec<(bool, [String; 8])> = Vec::new();
    for w in limits.windows() {
        let mark = !marked_done && marked == Some(w);
        marked_done |= mark;
        let num = |v: Option<u64>| v.map_or_else(|| "-".to_owned(), |n| n.to_string());
        let dur = |v: Option<Duration>| v.map_or_else(|| "-".to_owned(), human_duration);
        rows.push((
            mark,
            [
                clip(&w.policy.map_or_else(|| "-".to_owned(), |p| p.to_string())),
                num(w.limit),
                num(w.remaining),
                num(w.used),
                dur(w.reset),
                dur(w.window),
                clip(&unit_name(&w.unit)),
                clip(w.source.as_str()),
            ],
        ));
    }
    let mut widths = header.map(str::len);
    for (_, cells) in &rows {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    // Numbers and durations right-aligned, names left-aligned.
    let right = [false, true, true, true, true, true, false, false];
    let line = |mark: &str, cells: &[String; 8]| {
        let mut s = format!("  {mark} ");
        for (i, cell) in cells.iter().enumerate() {
            let width = widths.get(i).copied().unwrap_or(0);
            let pad = width.saturating_sub(cell.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if right.get(i).copied().unwrap_or(false) {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.push_str(&" ".repeat(pad));
            }
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = line(" ", &header.map(str::to_owned));
    for (mark, cells) in &rows {
        out.push_str(&line(if *mark { "*" } else { " " }, cells));
    }
    if marked_done {
        out.push_str("  * most restrictive: the window that binds first\n");
    }
    out
}

/// Shortens a cell to [`CELL_MAX`] characters, ending in `~` when cut.
fn clip(text: &str) -> String {
    if text.chars().count() <= CELL_MAX {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(CELL_MAX.saturating_sub(1)).collect();
    s.push('~');
    s
}

/// A wait for the decision sentence: seconds with at least one decimal (`2.0 s`,
/// `0.012 s`), and a coarse reading for long ones (`5400.0 s (1 h 30 min)`).
fn wait_text(d: Duration) -> String {
    let secs = seconds_f64(d);
    let mut text = if (secs * 10.0).fract() == 0.0 {
        format!("{secs:.1} s")
    } else {
        format!("{} s", trim_decimals(secs))
    };
    if d >= Duration::from_secs(120) {
        text.push_str(&format!(" ({})", human_duration(d)));
    }
    text
}

/// A duration for reading: `2 s`, `64.57 s`, `5 min`, `1 h 30 min`, `1 d` (seconds
/// below two minutes, else the largest unit and the next one when not zero).
pub fn human_duration(d: Duration) -> String {
    if d < Duration::from_secs(120) {
        return format!("{} s", trim_decimals(seconds_f64(d)));
    }
    let total = d.as_secs();
    let units = [(86_400, "d"), (3_600, "h"), (60, "min"), (1, "s")];
    let mut parts = Vec::new();
    let mut rest = total;
    for (size, name) in units {
        let n = rest / size;
        rest %= size;
        if n > 0 || !parts.is_empty() {
            parts.push((n, name));
        }
    }
    // The largest unit and, when not zero, the next one.
    let mut shown: Vec<String> = Vec::new();
    for (i, (n, name)) in parts.iter().take(2).enumerate() {
        if i == 0 || *n > 0 {
            shown.push(format!("{n} {name}"));
        }
    }
    shown.join(" ")
}

/// `2`, `64.57`, `0.012`: up to three decimals, trailing zeros removed.
fn trim_decimals(secs: f64) -> String {
    let s = format!("{secs:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

/// `label     text`, the text wrapped under itself.
fn labelled(out: &mut String, label: &str, text: &str) {
    for (i, line) in wrap(text, WIDTH.saturating_sub(LABEL)).iter().enumerate() {
        let margin = if i == 0 { label } else { "" };
        out.push_str(&format!("{margin:<LABEL$}{line}\n"));
    }
}

/// Appends `text` wrapped at [`WIDTH`]: the first line indented by `first`, the others
/// by `rest` spaces.
fn wrap_into(out: &mut String, text: &str, first: usize, rest: usize) {
    for (i, line) in wrap(text, WIDTH.saturating_sub(rest)).iter().enumerate() {
        let indent = if i == 0 { first } else { rest };
        out.push_str(&format!("{:indent$}{line}\n", ""));
    }
}

/// Splits `text` into lines of at most `width` characters at spaces; a word longer
/// than a line stays whole.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(Duration::from_secs(2)), "2 s");
        assert_eq!(human_duration(Duration::from_millis(64_570)), "64.57 s");
        assert_eq!(human_duration(Duration::from_secs(150)), "2 min 30 s");
        assert_eq!(human_duration(Duration::from_millis(12)), "0.012 s");
        assert_eq!(human_duration(Duration::from_millis(3_890)), "3.89 s");
        assert_eq!(human_duration(Duration::from_secs(7_200)), "2 h");
        assert_eq!(human_duration(Duration::from_secs(5_400)), "1 h 30 min");
        assert_eq!(human_duration(Duration::from_secs(86_400)), "1 d");
        assert_eq!(human_duration(Duration::from_secs(90_000)), "1 d 1 h");
    }

    #[test]
    fn waits_keep_a_decimal() {
        assert_eq!(wait_text(Duration::from_secs(2)), "2.0 s");
        assert_eq!(wait_text(Duration::from_millis(2_500)), "2.5 s");
        assert_eq!(wait_text(Duration::from_millis(64_570)), "64.57 s");
        assert_eq!(
            wait_text(Duration::from_secs(5_400)),
            "5400.0 s (1 h 30 min)"
        );
    }

    #[test]
    fn long_lines_wrap_under_the_text() {
        let mut out = String::new();
        let words = "word ".repeat(30);
        labelled(&mut out, "decision", &words);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.len() <= WIDTH));
        assert!(lines[0].starts_with("decision  word"));
        assert!(lines[1].starts_with("          word"));
    }
}
