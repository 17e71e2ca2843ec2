//! Runs the built `ratelimit-governor` binary for the integration tests.

#![allow(dead_code, reason = "each test file uses a different part")]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// The reference clock of the corpus: `Tue, 14 Nov 2023 22:13:20 GMT`.
pub const NOW: &str = "1700000000";

/// What one run of the binary gave.
pub struct Run {
    /// The exit status (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs the binary with `args`, feeding `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ratelimit-governor"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin)
        .expect("stdin takes the input");
    let out = child.wait_with_output().expect("the binary ends");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `inspect --json --now NOW` on `response` (stdin) and parses the object.
pub fn inspect_json(response: &[u8], extra: &[&str]) -> Value {
    let mut args = vec!["inspect", "--json", "--now", NOW];
    args.extend_from_slice(extra);
    let r = run(&args, response);
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert_eq!(r.stderr, "");
    serde_json::from_str(&r.stdout).expect("stdout is one JSON object")
}

/// Writes `content` to a fresh file in the test scratch directory.
pub fn temp_file(name: &str, content: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, content).expect("the scratch file is written");
    path
}

/// The window whose policy is `name`.
pub fn window<'a>(out: &'a Value, name: &str) -> &'a Value {
    out["windows"]
        .as_array()
        .expect("windows is an array")
        .iter()
        .find(|w| w["policy"] == name)
        .unwrap_or_else(|| panic!("no window {name} in {out}"))
}
