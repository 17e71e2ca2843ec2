//! A one-line progress display on stderr, redrawn with `\r` at most ten times a
//! second, and only when stderr is a terminal: a pipe or a log file gets nothing.
//!
//! [`ProgressLine::start`] takes a closure that renders the current line;
//! [`Status`] is the usual line of a bulk job (done/total, quota, wait, elapsed,
//! ETA) and [`WaitGauge`] estimates the governor's current wait from its running
//! total of time waited.

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use ratelimit_governor_std::Quota;

/// Time between two redraws.
pub const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// Longest line drawn, in characters (longer renders are cut).
const MAX_WIDTH: usize = 100;

/// A progress line being redrawn on stderr by a thread of its own.
#[derive(Debug)]
pub struct ProgressLine {
    stop: Sender<()>,
    thread: JoinHandle<()>,
}

impl ProgressLine {
    /// Starts redrawing `render()`'s line every [`REDRAW_EVERY`] when stderr is a
    /// terminal; `None` (and nothing drawn) otherwise.
    pub fn start<F>(render: F) -> Option<ProgressLine>
    where
        F: FnMut() -> String + Send + 'static,
    {
        if !io::stderr().is_terminal() {
            return None;
        }
        let (stop, stopped) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("progress".to_owned())
            .spawn(move || redraw_until_stopped(render, &stopped))
            .ok()?;
        Some(ProgressLine { stop, thread })
    }

    /// Stops redrawing and erases the line, so what follows starts on a clean line.
    pub fn finish(self) {
        // The thread ends on the message or, if it is gone already, on the hang-up.
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

fn redraw_until_stopped<F>(mut render: F, stopped: &mpsc::Receiver<()>)
where
    F: FnMut() -> String,
{
    let mut drawn: usize = 0;
    loop {
        let line: String = render().chars().take(MAX_WIDTH).collect();
        let width = line.chars().count();
        // Pad over the rest of a longer previous line; a vanished stderr is ignored.
        let pad = drawn.saturating_sub(width);
        let _ = write!(io::stderr().lock(), "\r{line}{:pad$}", "");
        drawn = width;
        match stopped.recv_timeout(REDRAW_EVERY) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let _ = write!(io::stderr().lock(), "\r{:drawn$}\r", "");
}

/// The usual progress line of a bulk job:
/// `12/40 done  quota 3/5  wait 1.8s  elapsed 4.2s  eta 9.9s`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    /// Requests finished.
    pub done: u64,
    /// Requests in the job.
    pub total: u64,
    /// The latest quota seen (`Server::quota`), if any.
    pub quota: Option<Quota>,
    /// The governor's current wait, if one is under way (shown from 0.1 s).
    pub waiting: Duration,
    /// Time since the job started.
    pub elapsed: Duration,
}

impl Status {
    /// Time left, estimated: the pace so far over the requests left, and at least
    /// the current wait. `None` before the first request is done.
    pub fn eta(&self) -> Option<Duration> {
        if self.done == 0 {
            return None;
        }
        let left = self.total.saturating_sub(self.done);
        let pace = self.elapsed.as_secs_f64() / self.done as f64;
        let estimate = Duration::try_from_secs_f64(pace * left as f64).unwrap_or(Duration::MAX);
        Some(if left == 0 {
            Duration::ZERO
        } else {
            estimate.max(self.waiting)
        })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} done", self.done, self.total)?;
        if let Some(q) = self.quota {
            let count = |n: Option<u64>| n.map_or_else(|| "?".to_owned(), |n| n.to_string());
            write!(f, "  quota {}/{}", count(q.remaining), count(q.limit))?;
        }
        if self.waiting >= Duration::from_millis(100) {
            write!(f, "  wait {}", Short(self.waiting))?;
        }
        write!(f, "  elapsed {}", Short(self.elapsed))?;
        match self.eta() {
            Some(eta) => write!(f, "  eta {}", Short(eta)),
            None => write!(f, "  eta ?"),
        }
    }
}

/// A duration for a progress line: `0.4s`, `12.5s`, `4m05s`, `2h10m`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Short(pub Duration);

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.as_secs();
        if secs < 60 {
            // Tenths, truncated so 59.96 s does not print as 60.0s.
            write!(f, "{secs}.{}s", self.0.subsec_millis() / 100)
        } else if secs < 3600 {
            write!(f, "{}m{:02}s", secs / 60, secs % 60)
        } else {
            write!(f, "{}h{:02}m", secs / 3600, secs % 3600 / 60)
        }
    }
}

/// Estimates the governor's current wait from its running total of time waited
/// (`Stats::waited`), which grows by a whole wait when the wait begins: a growth
/// of `g` seen with `n` waiters is taken as `n` waits of `g / n` from now on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WaitGauge {
    total: Duration,
    until: Option<Instant>,
}

impl WaitGauge {
    /// A gauge that has seen nothing waited yet.
    pub fn new() -> Self {
        WaitGauge::default()
    }

    /// Updates the gauge with the running total `waited` as of `now`, `waiters`
    /// being how many workers may be waiting; returns the wait left.
    pub fn update(&mut self, waited: Duration, waiters: u64, now: Instant) -> Duration {
        let grown = waited.saturating_sub(self.total);
        self.total = self.total.max(waited);
        if !grown.is_zero() {
            let each = grown / u32::try_from(waiters.max(1)).unwrap_or(u32::MAX);
            let until = now.checked_add(each).unwrap_or(now);
            self.until = Some(self.until.map_or(until, |u| u.max(until)));
        }
        self.until
            .map_or(Duration::ZERO, |u| u.saturating_duration_since(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(done: u64, waiting: u64, elapsed: u64) -> Status {
        Status {
            done,
            total: 40,
            quota: Some(Quota {
                limit: Some(5),
                remaining: Some(3),
                reset: None,
            }),
            waiting: Duration::from_millis(waiting),
            elapsed: Duration::from_millis(elapsed),
        }
    }

    #[test]
    fn the_line_shows_progress_quota_wait_and_eta() {
        assert_eq!(
            status(10, 1_850, 4_000).to_string(),
            "10/40 done  quota 3/5  wait 1.8s  elapsed 4.0s  eta 12.0s"
        );
        assert_eq!(
            status(0, 0, 300).to_string(),
            "0/40 done  quota 3/5  elapsed 0.3s  eta ?"
        );
        let mut unknown = status(40, 0, 75_000);
        unknown.quota = Some(Quota {
            limit: None,
            remaining: Some(0),
            reset: None,
        });
        assert_eq!(
            unknown.to_string(),
            "40/40 done  quota 0/?  elapsed 1m15s  eta 0.0s"
        );
    }

    #[test]
    fn eta_is_at_least_the_current_wait() {
        assert_eq!(status(39, 0, 39_000).eta(), Some(Duration::from_secs(1)));
        assert_eq!(
            status(39, 5_000, 39_000).eta(),
            Some(Duration::from_secs(5))
        );
        assert_eq!(status(0, 5_000, 1_000).eta(), None);
    }

    #[test]
    fn short_durations() {
        let s = |ms: u64| Short(Duration::from_millis(ms)).to_string();
        assert_eq!(s(0), "0.0s");
        assert_eq!(s(59_960), "59.9s");
        assert_eq!(s(245_000), "4m05s");
        assert_eq!(s(7_800_000), "2h10m");
    }

    #[test]
    fn the_wait_gauge_spreads_growth_over_the_waiters() {
        let t0 = Instant::now();
        let mut gauge = WaitGauge::new();
        assert_eq!(gauge.update(Duration::ZERO, 2, t0), Duration::ZERO);
        // Two workers began waiting 2 s each.
        assert_eq!(
            gauge.update(Duration::from_secs(4), 2, t0),
            Duration::from_secs(2)
        );
        let later = t0 + Duration::from_millis(500);
        assert_eq!(
            gauge.update(Duration::from_secs(4), 2, later),
            Duration::from_millis(1_500)
        );
        // A shorter new wait does not shorten the one under way.
        assert_eq!(
            gauge.update(Duration::from_millis(4_200), 1, later),
            Duration::from_millis(1_500)
        );
        let done = t0 + Duration::from_secs(3);
        assert_eq!(
            gauge.update(Duration::from_millis(4_200), 1, done),
            Duration::ZERO
        );
    }
}
