//! The demo's rate-limited server: HTTP/1.1 on 127.0.0.1, std only, one thread per
//! connection (at most [`MAX_CONNECTIONS`]), keep-alive, `Content-Length` bodies.
//!
//! Every request counts against the stacked fixed windows of [`FixedWindows`] (one
//! client per server instance) and every response carries the draft-8 fields a
//! real server sends: `RateLimit-Policy`, `RateLimit` and `Date`; a rejected
//! request gets `429 Too Many Requests` and `Retry-After`. The server counts what it
//! accepted and rejected itself: those are the demo's figures.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use ratelimit_governor::time::ImfFixdate;
use ratelimit_governor_std::{Clock, SystemClock};

use crate::demo_windows::{FixedWindows, Limit, ceil_secs, policy_header, ratelimit_header};

/// Longest request head accepted (request line and header lines).
pub const MAX_HEAD: usize = 8 * 1024;
/// Longest request body accepted (it is read and dropped).
pub const MAX_BODY: u64 = 64 * 1024;
/// Connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 64;
/// A connection idle this long is closed.
const IDLE: Duration = Duration::from_secs(30);

/// What the server has answered so far.
#[derive(Debug, Default)]
pub struct Counts {
    accepted: AtomicU64,
    rejected: AtomicU64,
}

impl Counts {
    /// Requests served (200).
    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }

    /// Requests refused with 429.
    pub fn rejected(&self) -> u64 {
        self.rejected.load(Ordering::Relaxed)
    }
}

/// What every connection thread shares.
#[derive(Debug)]
struct Shared {
    limits: Vec<Limit>,
    policy: String,
    windows: Mutex<FixedWindows>,
    epoch: Instant,
    counts: Arc<Counts>,
    connections: AtomicUsize,
}

/// A running server; it stops accepting connections when dropped.
#[derive(Debug)]
pub struct DemoServer {
    addr: SocketAddr,
    counts: Arc<Counts>,
    stop: Arc<AtomicBool>,
}

impl DemoServer {
    /// Starts a server enforcing `limits` on a free port of 127.0.0.1.
    pub fn start(limits: &[Limit]) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let counts = Arc::new(Counts::default());
        let shared = Arc::new(Shared {
            limits: limits.to_vec(),
            policy: policy_header(limits),
            windows: Mutex::new(FixedWindows::new(limits)),
            epoch: Instant::now(),
            counts: Arc::clone(&counts),
            connections: AtomicUsize::new(0),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        thread::Builder::new()
            .name("demo-server".to_owned())
            .spawn(move || accept_loop(&listener, &shared, &stopped))?;
        Ok(DemoServer { addr, counts, stop })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The server's own counts.
    pub fn counts(&self) -> Arc<Counts> {
        Arc::clone(&self.counts)
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, stop: &AtomicBool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else { continue };
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            let _ = write_plain(
                &mut stream,
                503,
                "Service Unavailable",
                "too many connections",
            );
            continue;
        }
        let shared_here = Arc::clone(shared);
        let spawned = thread::Builder::new()
            .name("demo-connection".to_owned())
            .spawn(move || {
                // A connection that fails (reset, timeout, bad request) just ends.
                let _ = serve_connection(stream, &shared_here);
                shared_here.connections.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// The parts of a request head the server needs.
#[derive(Debug, PartialEq, Eq)]
struct Head {
    content_length: u64,
    keep_alive: bool,
}

/// Why a request head cannot be served.
#[derive(Debug, PartialEq, Eq)]
enum BadRequest {
    /// 400: malformed.
    Malformed,
    /// 431: the head is longer than [`MAX_HEAD`].
    TooLong,
    /// 413: the body is longer than [`MAX_BODY`].
    BodyTooLong,
    /// 501: a chunked (or other) transfer coding.
    TransferCoding,
}

impl BadRequest {
    fn status(&self) -> (u16, &'static str) {
        match self {
            BadRequest::Malformed => (400, "Bad Request"),
            BadRequest::TooLong => (431, "Request Header Fields Too Large"),
            BadRequest::BodyTooLong => (413, "Content Too Large"),
            BadRequest::TransferCoding => (501, "Not Implemented"),
        }
    }
}

fn serve_connection(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    // Bounded by the client: each pass reads one request, the idle timeout ends a
    // silent connection.
    loop {
        let head = match read_head(&mut reader)? {
            None => return Ok(()),
            Some(Ok(head)) => head,
            Some(Err(bad)) => {
                let (code, reason) = bad.status();
                return write_plain(&mut writer, code, reason, "unusable request");
            }
        };
        io::copy(
            &mut (&mut reader).take(head.content_length),
            &mut io::sink(),
        )?;
        respond(&mut writer, shared, head.keep_alive)?;
        if !head.keep_alive {
            return Ok(());
        }
    }
}

/// Reads one request head: `None` at a clean end of the connection.
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<Result<Head, BadRequest>>> {
    let mut lines: Vec<String> = Vec::new();
    let mut size = 0;
    // Bounded by MAX_HEAD: every line adds at least one byte.
    loop {
        let mut line = Vec::new();
        let limit = (MAX_HEAD + 1 - size) as u64;
        let read = reader.by_ref().take(limit).read_until(b'\n', &mut line)?;
        if read == 0 {
            return if lines.is_empty() && size == 0 {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        size += read;
        if size > MAX_HEAD {
            return Ok(Some(Err(BadRequest::TooLong)));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if lines.is_empty() {
                continue; // RFC 9112 2.2: ignore empty lines before the request line
            }
            return Ok(Some(parse_head(&lines)));
        }
        lines.push(text.to_owned());
    }
}

fn parse_head(lines: &[String]) -> Result<Head, BadRequest> {
    let (request_line, fields) = lines.split_first().ok_or(BadRequest::Malformed)?;
    let mut parts = request_line.split(' ');
    let (Some(_method), Some(_target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(BadRequest::Malformed);
    };
    let mut keep_alive = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(BadRequest::Malformed),
    };
    let mut content_length = 0;
    for field in fields {
        let (name, value) = field.split_once(':').ok_or(BadRequest::Malformed)?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            content_length = value.parse().map_err(|_| BadRequest::Malformed)?;
            if content_length > MAX_BODY {
                return Err(BadRequest::BodyTooLong);
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(BadRequest::TransferCoding);
        } else if name.eq_ignore_ascii_case("connection") {
            for option in value.split(',').map(str::trim) {
                if option.eq_ignore_ascii_case("close") {
                    keep_alive = false;
                } else if option.eq_ignore_ascii_case("keep-alive") {
                    keep_alive = true;
                }
            }
        }
    }
    Ok(Head {
        content_length,
        keep_alive,
    })
}

/// Counts the request against the windows and answers it.
fn respond(out: &mut impl Write, shared: &Shared, keep_alive: bool) -> io::Result<()> {
    let verdict = {
        let now = shared.epoch.elapsed();
        let mut windows = shared
            .windows
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        windows.hit(now)
    };
    let counter = if verdict.accepted {
        &shared.counts.accepted
    } else {
        &shared.counts.rejected
    };
    counter.fetch_add(1, Ordering::Relaxed);
    let mut extra = format!(
        "RateLimit-Policy: {}\r\nRateLimit: {}\r\n",
        shared.policy,
        ratelimit_header(&shared.limits, &verdict.windows)
    );
    if let Some(wait) = verdict.retry_after {
        extra.push_str(&format!("Retry-After: {}\r\n", ceil_secs(wait)));
    }
    let (code, reason, body) = if verdict.accepted {
        (200, "OK", "{\"item\": \"ok\"}\n")
    } else {
        (
            429,
            "Too Many Requests",
            "{\"error\": \"too many requests\"}\n",
        )
    };
    write_response(out, code, reason, &extra, body, keep_alive)
}

fn write_plain(out: &mut impl Write, code: u16, reason: &str, message: &str) -> io::Result<()> {
    let body = format!("{{\"error\": \"{message}\"}}\n");
    write_response(out, code, reason, "", &body, false)
}

fn write_response(
    out: &mut impl Write,
    code: u16,
    reason: &str,
    extra: &str,
    body: &str,
    keep_alive: bool,
) -> io::Result<()> {
    let connection = if keep_alive { "keep-alive" } else { "close" };
    let response = format!(
        "HTTP/1.1 {code} {reason}\r\nDate: {date}\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\nConnection: {connection}\r\n{extra}\r\n{body}",
        date = ImfFixdate(SystemClock::new().wall()),
        length = body.len(),
    );
    out.write_all(response.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Option<Result<Head, BadRequest>> {
        read_head(&mut text.as_bytes()).unwrap()
    }

    #[test]
    fn heads_are_read_with_keep_alive_and_length() {
        assert_eq!(head(""), None);
        assert_eq!(
            head("GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\n"),
            Some(Ok(Head {
                content_length: 0,
                keep_alive: true
            }))
        );
        assert_eq!(
            head("\r\nPOST / HTTP/1.1\nConnection: Close\nContent-Length: 12\n\n"),
            Some(Ok(Head {
                content_length: 12,
                keep_alive: false
            }))
        );
        assert_eq!(
            head("GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n"),
            Some(Ok(Head {
                content_length: 0,
                keep_alive: true
            }))
        );
    }

    #[test]
    fn unusable_heads_are_refused() {
        assert_eq!(head("GET /\r\n\r\n"), Some(Err(BadRequest::Malformed)));
        assert_eq!(
            head("GET / HTTP/1.1\r\nno colon\r\n\r\n"),
            Some(Err(BadRequest::Malformed))
        );
        assert_eq!(
            head("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Some(Err(BadRequest::TransferCoding))
        );
        assert_eq!(
            head("GET / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"),
            Some(Err(BadRequest::BodyTooLong))
        );
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(head(&long), Some(Err(BadRequest::TooLong)));
        assert!(read_head(&mut "GET / HTTP/1.1\r\n".as_bytes()).is_err());
    }

    /// A raw exchange with a live server: keep-alive, the draft-8 fields, then a
    /// 429 with `Retry-After`, then `Connection: close`.
    #[test]
    fn a_live_server_answers_with_draft_8_fields() {
        let limits = [Limit {
            name: "burst",
            quota: 1,
            window: Duration::from_secs(60),
        }];
        let server = DemoServer::start(&limits).unwrap();
        let addr = server.base_url().trim_start_matches("http://").to_owned();
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut writer = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        let mut exchange = |request: &str| {
            writer.write_all(request.as_bytes()).unwrap();
            let mut head = String::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .unwrap()
                .parse()
                .unwrap();
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            head
        };
        let first = exchange("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        assert!(first.starts_with("HTTP/1.1 200 OK\r\n"), "{first}");
        assert!(first.contains("RateLimit-Policy: \"burst\";q=1;w=60\r\n"));
        assert!(first.contains("RateLimit: \"burst\";r=0;t=60\r\n"));
        assert!(first.contains("Connection: keep-alive\r\n"));
        assert!(first.contains(" GMT\r\n"));
        let second = exchange("GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assert!(second.starts_with("HTTP/1.1 429 "), "{second}");
        assert!(second.contains("Retry-After: 60\r\n"));
        assert!(second.contains("Connection: close\r\n"));
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty(), "the server closed the connection");
        let counts = server.counts();
        assert_eq!((counts.accepted(), counts.rejected()), (1, 1));
    }
}
