//! `ratelimit-governor demo`: two in-process rate-limited servers, the same bulk job
//! run against each at the same time by a naive client and by the governed client,
//! and a side-by-side table of what happened.
//!
//! The parts: the scenarios (here), the options (`demo_args.rs`), the servers'
//! limit (`demo_windows.rs`) and HTTP side (`demo_server.rs`),
//! the lower bound (`demo_bound.rs`), the clients (`demo_clients.rs`), the progress
//! line (`demo_progress.rs`) and the table (`demo_report.rs`).

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use crate::demo_args::{self, DemoArgs, DemoCommand};
use crate::demo_bound::lower_bound;
use crate::demo_clients::{JobProgress, run_governed, run_naive};
use crate::demo_progress::{self, Lane};
use crate::demo_report::{self, ClientRun, Report};
use crate::demo_server::DemoServer;
use crate::demo_windows::Limit;
use crate::failure::Failure;

/// The servers' limits and the job's size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// The two stacked windows every server enforces.
    pub limits: [Limit; 2],
    /// Requests in each client's job.
    pub requests: u64,
}

/// The README's demo: 40 requests through 5 per 2 s and 20 per 10 s, a lower bound
/// of 16 s.
pub const DEFAULT: Scenario = Scenario {
    limits: [
        Limit {
            name: "burst",
            quota: 5,
            window: Duration::from_secs(2),
        },
        Limit {
            name: "long",
            quota: 20,
            window: Duration::from_secs(10),
        },
    ],
    requests: 40,
};

/// `--quick`: 12 requests through 3 per 1 s and 6 per 3 s, a lower bound of 4 s.
pub const QUICK: Scenario = Scenario {
    limits: [
        Limit {
            name: "burst",
            quota: 3,
            window: Duration::from_secs(1),
        },
        Limit {
            name: "long",
            quota: 6,
            window: Duration::from_secs(3),
        },
    ],
    requests: 12,
};

/// Runs the command.
pub fn main(args: impl Iterator<Item = OsString>) -> ExitCode {
    match demo_args::parse_demo(args) {
        Ok(DemoCommand::Help) => crate::print(&demo_args::demo_help()),
        Ok(DemoCommand::Run(options)) => run(&options),
        Err(message) => crate::fail("demo: ", &Failure::new(message)),
    }
}

/// A failure of the demo itself (not of its arguments): one line, exit status 1.
fn broken(message: &str) -> ExitCode {
    let _ = writeln!(io::stderr().lock(), "{}: demo: {message}", crate::PROGRAM);
    ExitCode::FAILURE
}

fn run(options: &DemoArgs) -> ExitCode {
    let scenario = if options.quick { &QUICK } else { &DEFAULT };
    let requests = options.requests.unwrap_or(scenario.requests);
    let bound = lower_bound(&scenario.limits, requests);
    let servers = DemoServer::start(&scenario.limits)
        .and_then(|naive| Ok((naive, DemoServer::start(&scenario.limits)?)));
    let (naive_server, governed_server) = match servers {
        Ok(servers) => servers,
        Err(e) => {
            return broken(&format!(
                "cannot start a server on 127.0.0.1: {}",
                crate::failure::io_reason(&e)
            ));
        }
    };
    if !options.json {
        let intro = demo_report::wrap(
            &format!(
                "Two servers on 127.0.0.1 (in this process) each allow {}, and say so in \
                 draft-8 RateLimit fields. Job: {requests} GET requests per client; a \
                 perfect client needs {:.0} s. Both clients run at the same time.",
                demo_args::describe(scenario),
                bound.as_secs_f64()
            ),
            demo_report::WIDTH,
        );
        if let Err(e) = io::stdout().lock().write_all(intro.as_bytes()) {
            return crate::fail("demo: ", &Failure::output(&e));
        }
    }

    let (naive_job, governed_job) = (JobProgress::default(), JobProgress::default());
    let (naive_counts, governed_counts) = (naive_server.counts(), governed_server.counts());
    let (naive_url, governed_url) = (naive_server.base_url(), governed_server.base_url());
    let start = Instant::now();
    let (naive, governed) = thread::scope(|s| {
        let naive = s.spawn(|| run_naive(&naive_url, requests, &naive_job));
        let governed = s.spawn(|| run_governed(&governed_url, requests, &governed_job));
        let lanes = [
            Lane {
                label: "naive",
                job: &naive_job,
                counts: &naive_counts,
            },
            Lane {
                label: "governed",
                job: &governed_job,
                counts: &governed_counts,
            },
        ];
        demo_progress::show(&lanes, requests, start, || {
            naive.is_finished() && governed.is_finished()
        });
        (naive.join(), governed.join())
    });
    let (Ok(naive), Ok(governed)) = (naive, governed) else {
        return broken("a client stopped unexpectedly");
    };

    let report = Report {
        scenario,
        requests,
        lower_bound: bound,
        naive: ClientRun {
            outcome: naive,
            accepted: naive_counts.accepted(),
            rejected: naive_counts.rejected(),
        },
        governed: ClientRun {
            outcome: governed,
            accepted: governed_counts.accepted(),
            rejected: governed_counts.rejected(),
        },
    };
    let text = if options.json {
        demo_report::json(&report)
    } else {
        format!("\n{}", demo_report::table(&report))
    };
    crate::print(&text)
}
