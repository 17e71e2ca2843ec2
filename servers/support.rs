//! Integration-test support: start the real rate-limited HTTP servers in
//! `servers/` (express + express-rate-limit, Flask + Flask-Limiter), read their
//! `/stats` counters, and kill them on drop.
//!
//! std only. Include it from an integration test of a crate one level below the
//! workspace root:
//!
//! ```ignore
//! #[path = "../../servers/support.rs"]
//! mod support;
//! let srv = support::TestServer::express(&[("LIMIT", "3")]);
//! ```
//!
//! Install the servers first with `scripts/servers-setup.sh`. Start-up failures
//! panic (tests fail loudly; they never skip).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The `servers/` directory of the workspace.
pub const SERVERS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../servers");

const START_TIMEOUT: Duration = Duration::from_secs(20);
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// Cap on the stderr kept for panic messages.
const STDERR_CAP: usize = 64 * 1024;
/// Config env vars of both servers: removed from the inherited environment so a
/// stray value in the test runner's environment cannot change the policy.
const CONFIG_VARS: &[&str] = &[
    "LIMIT",
    "WINDOW_MS",
    "LIMIT2",
    "WINDOW2_MS",
    "LIMITS",
    "RETRY_AFTER",
];
const SETUP_HINT: &str = "run `scripts/servers-setup.sh` from the workspace root";

/// A running test server; killed (and reaped) on drop.
pub struct TestServer {
    pub port: u16,
    child: Child,
    /// Held open for the child's life; dropping it (EOF) makes the server exit.
    stdin: Option<ChildStdin>,
    name: &'static str,
    stderr: Arc<Mutex<Vec<u8>>>,
}

/// Counts of one route as reported by the server itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RouteCount {
    pub ok: u64,
    pub rejected: u64,
}

/// Parsed `GET /stats` answer.
#[derive(Debug, Clone)]
pub struct Stats {
    routes: Vec<(String, RouteCount)>,
    raw: String,
}

impl Stats {
    /// Counts of `route` (e.g. "draft6", "limited"); panics if the server does
    /// not report that route.
    pub fn get(&self, route: &str) -> RouteCount {
        match self.routes.iter().find(|(name, _)| name == route) {
            Some((_, count)) => *count,
            None => panic!("/stats has no route {route:?}; body: {}", self.raw),
        }
    }

    /// Every route reported, in server order.
    pub fn routes(&self) -> &[(String, RouteCount)] {
        &self.routes
    }
}

impl TestServer {
    /// `node server.js` in `servers/express`. Env: LIMIT, WINDOW_MS, LIMIT2, WINDOW2_MS.
    pub fn express(env: &[(&str, &str)]) -> TestServer {
        let dir = Path::new(SERVERS_DIR).join("express");
        let marker = dir.join("node_modules/express-rate-limit/package.json");
        if !marker.is_file() {
            panic!(
                "express test server is not installed: {} is missing; {SETUP_HINT}",
                marker.display()
            );
        }
        let mut cmd = Command::new("node");
        cmd.arg("server.js");
        Self::start("express", cmd, dir, env)
    }

    /// `servers/flask/.venv/bin/python app.py`. Env: LIMITS, RETRY_AFTER.
    pub fn flask(env: &[(&str, &str)]) -> TestServer {
        let dir = Path::new(SERVERS_DIR).join("flask");
        let python = dir.join(".venv/bin/python");
        if !python.exists() {
            panic!(
                "flask test server is not installed: {} is missing; {SETUP_HINT}",
                python.display()
            );
        }
        let mut cmd = Command::new(&python);
        cmd.arg("app.py")
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1");
        Self::start("flask", cmd, dir, env)
    }

    fn start(
        name: &'static str,
        mut cmd: Command,
        dir: PathBuf,
        env: &[(&str, &str)],
    ) -> TestServer {
        for var in CONFIG_VARS {
            cmd.env_remove(var);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        // The servers exit when their stdin closes (EXIT_ON_STDIN_EOF=1), so one
        // whose test process died without running Drop does not linger.
        cmd.env("EXIT_ON_STDIN_EOF", "1");
        cmd.current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let what = format!("{cmd:?} (in {})", dir.display());

        let mut child = match cmd.spawn() {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                "{name} test server: cannot spawn {what}: {e} (is the program on PATH / installed?); {SETUP_HINT}"
            ),
            Err(e) => panic!("{name} test server: cannot spawn {what}: {e}"),
        };

        // Drain stderr for the whole life of the child (keeps the pipe from filling).
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let stderr_thread = {
            let mut pipe = child.stderr.take().expect("stderr is piped");
            let buf = Arc::clone(&stderr);
            thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                loop {
                    match pipe.read(&mut chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            let mut buf = buf.lock().unwrap_or_else(|e| e.into_inner());
                            let room = STDERR_CAP.saturating_sub(buf.len());
                            buf.extend_from_slice(&chunk[..n.min(room)]);
                        }
                    }
                }
            })
        };

        // Forward stdout lines until EOF; after LISTENING the receiver is gone and
        // the thread just keeps draining.
        let (tx, rx) = mpsc::channel::<String>();
        {
            let pipe = child.stdout.take().expect("stdout is piped");
            thread::spawn(move || {
                let mut reader = BufReader::new(pipe);
                let mut line = String::new();
                loop {
                    line.clear();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => {
                            let _ = tx.send(line.trim_end().to_string());
                        }
                    }
                }
            });
        }

        let deadline = Instant::now() + START_TIMEOUT;
        let mut other_stdout = Vec::new();
        let failure = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix("LISTENING ") {
                        match rest.trim().parse::<u16>() {
                            Ok(port) if port != 0 => {
                                let stdin = child.stdin.take();
                                return TestServer {
                                    port,
                                    child,
                                    stdin,
                                    name,
                                    stderr,
                                };
                            }
                            _ => break format!("bad start line {line:?}"),
                        }
                    }
                    if other_stdout.len() < 50 {
                        other_stdout.push(line);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    break format!("no `LISTENING <port>` line within {START_TIMEOUT:?}");
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    break "stdout closed before the `LISTENING <port>` line".to_string();
                }
            }
        };

        let status = stop_child(&mut child);
        // Give the stderr reader a bounded moment to collect the last output.
        let until = Instant::now() + Duration::from_secs(2);
        while !stderr_thread.is_finished() && Instant::now() < until {
            thread::sleep(Duration::from_millis(10));
        }
        let err =
            String::from_utf8_lossy(&stderr.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
        panic!(
            "{name} test server failed to start: {failure}\n  command: {what}\n  child ended with {}\n  \
             stdout: {other_stdout:?}\n  stderr:\n{err}\n  (if dependencies are missing, {SETUP_HINT})",
            match status {
                Some(s) => s.to_string(), // "exit status: N" / "signal: N ..."
                None => "unknown status (still running after kill)".to_string(),
            }
        );
    }

    /// `http://127.0.0.1:<port><path>`
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }

    /// Server-side counts from `GET /stats`.
    pub fn stats(&self) -> Stats {
        let (status, body) = self.request("GET", "/stats");
        if status != 200 {
            panic!("{} GET /stats answered {status}; body: {body}", self.name);
        }
        match parse_stats(&body) {
            Some(routes) => Stats { routes, raw: body },
            None => panic!("{} GET /stats: cannot parse body: {body}", self.name),
        }
    }

    /// `POST /stats/reset`: zero the server's counters (not its limiter state).
    pub fn reset_stats(&self) {
        let (status, body) = self.request("POST", "/stats/reset");
        if status != 200 {
            panic!(
                "{} POST /stats/reset answered {status}; body: {body}",
                self.name
            );
        }
    }

    /// Captured stderr of the server so far (capped at 64 KiB).
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }

    /// Minimal HTTP/1.1 request with `Connection: close`; returns (status, body).
    fn request(&self, method: &str, path: &str) -> (u16, String) {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let fail = |e: std::io::Error| -> ! {
            panic!(
                "{} {method} {path}: {e}; server stderr:\n{}",
                self.name,
                self.stderr()
            )
        };
        let mut stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT).unwrap_or_else(|e| fail(e));
        stream
            .set_read_timeout(Some(IO_TIMEOUT))
            .unwrap_or_else(|e| fail(e));
        stream
            .set_write_timeout(Some(IO_TIMEOUT))
            .unwrap_or_else(|e| fail(e));
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        );
        stream.write_all(req.as_bytes()).unwrap_or_else(|e| fail(e));
        let mut raw = Vec::new();
        // Bounded by the read timeout; the server closes after the response.
        stream
            .take(1 << 20)
            .read_to_end(&mut raw)
            .unwrap_or_else(|e| fail(e));
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = match raw.split_once("\r\n\r\n") {
            Some(parts) => parts,
            None => panic!("{} {method} {path}: malformed response: {raw:?}", self.name),
        };
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .unwrap_or_else(|| panic!("{} {method} {path}: bad status line: {raw:?}", self.name));
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            panic!(
                "{} {method} {path}: unexpected chunked response: {raw:?}",
                self.name
            );
        }
        (status, body.to_string())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        stop_child(&mut self.child);
    }
}

/// Kill the child and reap it; bounded. Returns its exit status if reaped.
fn stop_child(child: &mut Child) -> Option<ExitStatus> {
    if let Ok(Some(status)) = child.try_wait() {
        return Some(status);
    }
    let _ = child.kill();
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < until => thread::sleep(Duration::from_millis(10)),
            _ => return None,
        }
    }
}

/// Parses `{"route": {"ok": n, "rejected": m}, ...}` (whitespace allowed,
/// unknown integer fields ignored). `None` on anything else.
fn parse_stats(body: &str) -> Option<Vec<(String, RouteCount)>> {
    let mut p = Json {
        s: body.as_bytes(),
        i: 0,
    };
    let mut out = Vec::new();
    p.eat(b'{')?;
    if p.peek()? == b'}' {
        p.i += 1;
    } else {
        loop {
            let route = p.string()?;
            p.eat(b':')?;
            p.eat(b'{')?;
            let (mut ok, mut rejected) = (None, None);
            loop {
                let key = p.string()?;
                p.eat(b':')?;
                let value = p.number()?;
                match key.as_str() {
                    "ok" => ok = Some(value),
                    "rejected" => rejected = Some(value),
                    _ => {}
                }
                match p.next()? {
                    b',' => continue,
                    b'}' => break,
                    _ => return None,
                }
            }
            out.push((
                route,
                RouteCount {
                    ok: ok?,
                    rejected: rejected?,
                },
            ));
            match p.next()? {
                b',' => continue,
                b'}' => break,
                _ => return None,
            }
        }
    }
    p.skip_ws();
    (p.i == p.s.len()).then_some(out)
}

struct Json<'a> {
    s: &'a [u8],
    i: usize,
}

impl Json<'_> {
    fn skip_ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.i).copied()
    }
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }
    fn eat(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }
    /// A string without escapes (route and field names are plain ASCII).
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let start = self.i;
        while *self.s.get(self.i)? != b'"' {
            if self.s[self.i] == b'\\' {
                return None;
            }
            self.i += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .to_string();
        self.i += 1;
        Some(text)
    }
    fn number(&mut self) -> Option<u64> {
        self.skip_ws();
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .parse()
            .ok()
    }
}
