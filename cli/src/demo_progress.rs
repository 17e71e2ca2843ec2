//! The demo's progress display on stderr while the jobs run: one line with each
//! client's requests done and the 429s its server has sent so far. On a terminal
//! the line is redrawn in place; otherwise a line is printed every few seconds.

use std::io::{self, IsTerminal, Write};
use std::thread;
use std::time::{Duration, Instant};

use crate::demo_clients::JobProgress;
use crate::demo_server::Counts;

/// Redraw interval on a terminal.
const REDRAW: Duration = Duration::from_millis(200);
/// Interval between lines when stderr is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(5);
/// How often the end of the jobs is checked.
const POLL: Duration = Duration::from_millis(50);

/// One client as the display shows it.
#[derive(Debug)]
pub struct Lane<'a> {
    /// The client's name.
    pub label: &'static str,
    /// Its job's progress.
    pub job: &'a JobProgress,
    /// Its server's counts (the 429s).
    pub counts: &'a Counts,
}

/// Shows progress until `finished()` is true, then one last line.
pub fn show(lanes: &[Lane<'_>], requests: u64, start: Instant, finished: impl Fn() -> bool) {
    let terminal = io::stderr().is_terminal();
    let every = if terminal { REDRAW } else { LINE_EVERY };
    let mut last_drawn = Instant::now();
    // Ends when the jobs end; the jobs' requests have timeouts and bounded retries.
    while !finished() {
        thread::sleep(POLL);
        if last_drawn.elapsed() >= every {
            draw(&line(lanes, requests, start.elapsed()), terminal, false);
            last_drawn = Instant::now();
        }
    }
    draw(&line(lanes, requests, start.elapsed()), terminal, true);
}

fn draw(text: &str, terminal: bool, last: bool) {
    let mut err = io::stderr().lock();
    // Progress is best effort: a closed stderr does not stop the demo.
    let _ = if !terminal {
        writeln!(err, "{text}")
    } else if last {
        writeln!(err, "\r{text}\x1b[K")
    } else {
        write!(err, "\r{text}\x1b[K")
    };
    let _ = err.flush();
}

/// `[  8.3 s] naive 23/40 done, 12 x 429 | governed 25/40 done, 0 x 429`
fn line(lanes: &[Lane<'_>], requests: u64, elapsed: Duration) -> String {
    let lanes: Vec<String> = lanes
        .iter()
        .map(|lane| {
            let failed = match lane.job.failed() {
                0 => String::new(),
                n => format!(" ({n} failed)"),
            };
            format!(
                "{} {}/{requests} done{failed}, {} x 429",
                lane.label,
                lane.job.done(),
                lane.counts.rejected()
            )
        })
        .collect();
    format!("[{:>5.1} s] {}", elapsed.as_secs_f64(), lanes.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_each_client() {
        let (job, counts) = (JobProgress::default(), Counts::default());
        let lanes = [
            Lane {
                label: "naive",
                job: &job,
                counts: &counts,
            },
            Lane {
                label: "governed",
                job: &job,
                counts: &counts,
            },
        ];
        assert_eq!(
            line(&lanes, 40, Duration::from_millis(8300)),
            "[  8.3 s] naive 0/40 done, 0 x 429 | governed 0/40 done, 0 x 429"
        );
    }
}
