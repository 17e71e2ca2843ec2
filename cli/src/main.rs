//! `ratelimit-governor`: the command-line face of the `ratelimit-governor` library
//! (`../shared/contract/cli.md`).
//!
//! This file dispatches subcommands and turns their outcome into an exit status:
//! 0 on success, 2 with one line on stderr when input or arguments are unusable.

mod args;
mod demo;
mod demo_args;
mod demo_bound;
mod demo_clients;
mod demo_progress;
mod demo_report;
mod demo_server;
mod demo_windows;
mod failure;
mod fetch;
mod fetch_args;
mod fetch_attempts;
mod govern;
mod govern_args;
mod head;
mod inspect;
mod json;
mod jsonl;
mod options;
mod progress;
mod seconds;
mod table;

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use args::InspectCommand;
use failure::Failure;
use govern_args::GovernCommand;

/// The program name used in messages.
const PROGRAM: &str = "ratelimit-governor";

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(command) = args.next() else {
        return usage_error("a command is required");
    };
    match command.to_str() {
        Some("-h" | "--help" | "help") => print(&args::main_help()),
        Some("-V" | "--version") => print(&format!("{PROGRAM} {}\n", env!("CARGO_PKG_VERSION"))),
        Some("inspect") => run_inspect(args),
        Some("govern") => run_govern(args),
        Some("fetch") => fetch::main(args),
        Some("demo") => demo::main(args),
        _ => usage_error(&format!("unknown command '{}'", command.to_string_lossy())),
    }
}

/// `ratelimit-governor inspect ...`: one response head in, its reading out.
fn run_inspect(args: impl Iterator<Item = OsString>) -> ExitCode {
    let outcome = match args::parse_inspect(args) {
        Ok(InspectCommand::Help) => return print(&args::inspect_help()),
        Ok(InspectCommand::Run(options)) => inspect::run(&options, &mut io::stdout().lock()),
        Err(message) => Err(Failure::new(message)),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail("inspect: ", &failure),
    }
}

/// `ratelimit-governor govern ...`: JSON lines in, one answer per `next` out.
fn run_govern(args: impl Iterator<Item = OsString>) -> ExitCode {
    let outcome = match govern_args::parse_govern(args) {
        Ok(GovernCommand::Help) => return print(&govern_args::govern_help()),
        Ok(GovernCommand::Run(options)) => govern::run(
            &options,
            &mut io::stdin().lock(),
            &mut io::stdout().lock(),
            &mut io::stderr(),
        ),
        Err(message) => Err(Failure::new(message)),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail("govern: ", &failure),
    }
}

/// Prints to stdout; exit status 0, or 2 when stdout cannot be written.
fn print(text: &str) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail("", &Failure::output(&e)),
    }
}

/// Reports a failure on one stderr line; exit status 2.
fn fail(context: &str, failure: &Failure) -> ExitCode {
    if !failure.quiet {
        // Nothing more can be done when stderr is gone too.
        let _ = writeln!(
            io::stderr().lock(),
            "{PROGRAM}: {context}{}",
            failure.message
        );
    }
    ExitCode::from(2)
}

/// An unusable command line: the reason, then the usage, on stderr; exit status 2.
fn usage_error(message: &str) -> ExitCode {
    let _ = write!(
        io::stderr().lock(),
        "{PROGRAM}: {message}\n\n{}",
        args::main_help()
    );
    ExitCode::from(2)
}
