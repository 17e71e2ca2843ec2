//! `ratelimit-governor demo` (placeholder: being written).

use std::ffi::OsString;
use std::process::ExitCode;

/// Runs the command.
pub fn main(_args: impl Iterator<Item = OsString>) -> ExitCode {
    eprintln!("ratelimit-governor: demo: not implemented yet");
    ExitCode::from(2)
}
