//! `ratelimit-governor fetch` (placeholder: being written).

use std::ffi::OsString;
use std::process::ExitCode;

/// Runs the command.
pub fn main(_args: impl Iterator<Item = OsString>) -> ExitCode {
    eprintln!("ratelimit-governor: fetch: not implemented yet");
    ExitCode::from(2)
}
