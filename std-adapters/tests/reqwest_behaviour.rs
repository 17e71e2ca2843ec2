//! The reqwest middleware's behaviour against an in-process stub server that
//! answers canned responses, on a [`FakeClock`]: waits are recorded, not slept.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use ratelimit_governor_std::reqwest::client;
use ratelimit_governor_std::{
    BodyNotReplayable, FakeClock, GaveUp, Governor, RetryPolicy, Settings,
};
use reqwest_middleware::{ClientWithMiddleware, Error};

/// One canned answer of the stub, for one connection.
enum Reply {
    /// Written as is after the request is read.
    Raw(String),
    /// The connection is closed without an answer.
    Hang,
}

/// A response with `Content-Length`.
fn reply(status: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut text = format!("HTTP/1.1 {status}\r\nconnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    Reply::Raw(text)
}

/// A response with a chunked body, in chunks of `chunk` bytes.
fn chunked_reply(status: &str, body: &str, chunk: usize) -> Reply {
    let mut text =
        format!("HTTP/1.1 {status}\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n");
    for piece in body.as_bytes().chunks(chunk) {
        text.push_str(&format!("{:x}\r\n", piece.len()));
        text.push_str(std::str::from_utf8(piece).unwrap());
        text.push_str("\r\n");
    }
    text.push_str("0\r\n\r\n");
    Reply::Raw(text)
}

/// A request the stub received.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Received {
    method: String,
    path: String,
    body: String,
}

/// A server on 127.0.0.1 that answers one connection per reply, in order, then
/// stops listening.
struct Stub {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    thread: Option<JoinHandle<()>>,
}

impl Stub {
    fn new(replies: Vec<Reply>) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let thread = std::thread::spawn(move || {
            for reply in replies {
                let (stream, _) = listener.accept().unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let request = read_request(&stream);
                log.lock().unwrap().push(request);
                let mut stream = stream;
                if let Reply::Raw(text) = reply {
                    stream.write_all(text.as_bytes()).unwrap();
                }
            }
        });
        Stub {
            addr,
            received,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        // A stub still waiting for a connection is left to the process's end; one
        // that finished is joined so its panics surface.
        if let Some(thread) = self.thread.take() {
            if thread.is_finished() {
                thread.join().unwrap();
            }
        }
    }
}

/// Reads a request head and its body (`Content-Length` or chunked).
fn read_request(stream: &TcpStream) -> Received {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let (mut length, mut chunked) = (0usize, false);
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        let header = header.trim_end().to_ascii_lowercase();
        if header.is_empty() {
            break;
        }
        if let Some(value) = header.strip_prefix("content-length:") {
            length = value.trim().parse().unwrap();
        }
        if header.starts_with("transfer-encoding:") && header.contains("chunked") {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).unwrap();
            let size = usize::from_str_radix(size.trim(), 16).unwrap();
            let mut piece = vec![0; size + 2];
            reader.read_exact(&mut piece).unwrap();
            if size == 0 {
                break;
            }
            body.extend_from_slice(&piece[..size]);
        }
    } else {
        body.resize(length, 0);
        reader.read_exact(&mut body).unwrap();
    }
    Received {
        method,
        path,
        body: String::from_utf8(body).unwrap(),
    }
}

/// A governor on a fake clock, with `retry` as its policy.
fn governed(retry: RetryPolicy) -> (ClientWithMiddleware, Governor<FakeClock>, FakeClock) {
    let clock = FakeClock::at_unix_secs(1_700_000_000);
    let settings = Settings {
        retry,
        seed: Some(7),
        ..Settings::default()
    };
    let governor = Governor::with_clock(clock.clone(), settings);
    let http = client(reqwest::Client::new(), governor.clone());
    (http, governor, clock)
}

fn total(slept: &[Duration]) -> Duration {
    slept.iter().sum()
}

fn methods(received: &[Received]) -> Vec<&str> {
    received.iter().map(|r| r.method.as_str()).collect()
}

#[tokio::test]
async fn a_get_is_retried_after_a_429_once_its_retry_after_has_passed() {
    let stub = Stub::new(vec![
        reply(
            "429 Too Many Requests",
            &[("retry-after", "7")],
            "slow down",
        ),
        reply("200 OK", &[], "fine"),
    ]);
    let (http, governor, clock) = governed(RetryPolicy::new());
    let response = http.get(stub.url("/items/1")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "fine");
    assert_eq!(methods(&stub.received()), ["GET", "GET"]);
    let waited = total(&clock.slept());
    assert!(
        waited >= Duration::from_secs(7) && waited < Duration::from_secs(9),
        "waited {waited:?}: {:?}",
        clock.slept()
    );
    let stats = governor.stats();
    assert_eq!((stats.sent, stats.rejected, stats.retries), (2, 1, 1));
}

#[tokio::test]
async fn a_post_is_not_retried_by_default() {
    let stub = Stub::new(vec![
        reply("429 Too Many Requests", &[("retry-after", "1")], ""),
        reply("200 OK", &[], ""),
    ]);
    let (http, governor, clock) = governed(RetryPolicy::new());
    let response = http
        .post(stub.url("/orders"))
        .body("order")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(methods(&stub.received()), ["POST"]);
    assert_eq!(governor.stats().retries, 0);
    assert!(clock.slept().is_empty(), "{:?}", clock.slept());
}

#[tokio::test]
async fn a_post_is_retried_with_its_body_when_the_policy_opts_in() {
    let stub = Stub::new(vec![
        reply("503 Service Unavailable", &[("retry-after", "2")], ""),
        reply("201 Created", &[], ""),
    ]);
    let (http, _, clock) = governed(RetryPolicy::new().retry_non_idempotent(true));
    let response = http
        .post(stub.url("/orders"))
        .body("order")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let received = stub.received();
    assert_eq!(methods(&received), ["POST", "POST"]);
    assert!(received.iter().all(|r| r.body == "order"), "{received:?}");
    assert!(total(&clock.slept()) >= Duration::from_secs(2));
}

#[tokio::test]
async fn a_streaming_body_is_sent_once_and_a_due_retry_is_an_error() {
    let stub = Stub::new(vec![reply(
        "429 Too Many Requests",
        &[("retry-after", "1")],
        "",
    )]);
    let (http, _, _) = governed(RetryPolicy::new().retry_non_idempotent(true));
    let url = stub.url("/upload");
    let sent = http
        .post(&url)
        .body(reqwest::Body::wrap("chunk of a stream".to_owned()))
        .send()
        .await;
    let Err(Error::Middleware(e)) = sent else {
        panic!("expected a middleware error, got {sent:?}");
    };
    let not_replayable = e.downcast_ref::<BodyNotReplayable>().unwrap();
    assert_eq!(
        not_replayable,
        &BodyNotReplayable {
            method: "POST".into(),
            uri: url,
            status: Some(429),
        }
    );
    let received = stub.received();
    assert_eq!(methods(&received), ["POST"]);
    assert_eq!(received[0].body, "chunk of a stream");
}

#[tokio::test]
async fn a_streaming_body_that_needs_no_retry_is_sent_as_usual() {
    let stub = Stub::new(vec![reply("200 OK", &[], "stored")]);
    let (http, _, _) = governed(RetryPolicy::new());
    let response = http
        .put(stub.url("/upload"))
        .body(reqwest::Body::wrap("streamed".to_owned()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(stub.received()[0].body, "streamed");
}

#[tokio::test]
async fn a_wait_above_max_wait_returns_the_last_response_then_gives_up() {
    let stub = Stub::new(vec![reply(
        "429 Too Many Requests",
        &[("retry-after", "7200")],
        "come back tomorrow",
    )]);
    let (http, governor, clock) = governed(RetryPolicy::new());
    // The retry would need two hours (max_wait is 65 minutes): the 429 comes back.
    let response = http.get(stub.url("/a")).send().await.unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.text().await.unwrap(), "come back tomorrow");
    // The next request is not sent at all.
    let sent = http.get(stub.url("/b")).send().await;
    let Err(Error::Middleware(e)) = sent else {
        panic!("expected a give-up, got {sent:?}");
    };
    let gave_up = e.downcast_ref::<GaveUp>().unwrap();
    assert!(gave_up.wait > Duration::from_secs(3600), "{gave_up:?}");
    assert_eq!(methods(&stub.received()), ["GET"]);
    assert!(clock.slept().is_empty(), "{:?}", clock.slept());
    assert_eq!(governor.stats().sent, 1);
}

#[tokio::test]
async fn retries_stop_at_max_retries_with_the_last_response() {
    let throttled = || reply("429 Too Many Requests", &[("retry-after", "1")], "");
    let stub = Stub::new(vec![throttled(), throttled(), throttled(), throttled()]);
    let (http, governor, _) = governed(RetryPolicy::new().max_retries(2));
    let response = http.get(stub.url("/a")).send().await.unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(stub.received().len(), 3);
    assert_eq!(governor.stats().retries, 2);
}

#[tokio::test]
async fn a_get_is_retried_after_a_transport_error() {
    let stub = Stub::new(vec![Reply::Hang, reply("200 OK", &[], "back")]);
    let (http, governor, clock) = governed(RetryPolicy::new());
    let response = http.get(stub.url("/a")).send().await.unwrap();
    assert_eq!(response.text().await.unwrap(), "back");
    assert_eq!(methods(&stub.received()), ["GET", "GET"]);
    let stats = governor.stats();
    assert_eq!((stats.transport_errors, stats.retries), (1, 1));
    // The retry waited for the backoff.
    assert!(!clock.slept().is_empty());
}

#[tokio::test]
async fn a_post_transport_error_is_handed_back() {
    let stub = Stub::new(vec![Reply::Hang, reply("200 OK", &[], "")]);
    let (http, governor, _) = governed(RetryPolicy::new());
    let sent = http.post(stub.url("/a")).body("x").send().await;
    assert!(matches!(sent, Err(Error::Reqwest(_))), "{sent:?}");
    assert_eq!(methods(&stub.received()), ["POST"]);
    assert_eq!(governor.stats().retries, 0);
}

#[tokio::test]
async fn a_streaming_body_after_a_transport_error_is_not_replayable() {
    let stub = Stub::new(vec![Reply::Hang]);
    let (http, _, _) = governed(RetryPolicy::new());
    let sent = http
        .put(stub.url("/a"))
        .body(reqwest::Body::wrap("streamed".to_owned()))
        .send()
        .await;
    let Err(Error::Middleware(e)) = sent else {
        panic!("expected a middleware error, got {sent:?}");
    };
    assert_eq!(e.downcast_ref::<BodyNotReplayable>().unwrap().status, None);
    // The transport error is kept as the cause.
    assert!(e.chain().any(|cause| cause.is::<reqwest::Error>()), "{e:?}");
}

#[tokio::test]
async fn the_retry_hint_of_a_json_body_is_honoured() {
    let envelope = r#"{"error":{"code":"rate_limited","retry_after_seconds":12}}"#;
    let stub = Stub::new(vec![
        reply(
            "429 Too Many Requests",
            &[("content-type", "application/json")],
            envelope,
        ),
        reply("200 OK", &[], "fine"),
    ]);
    let (http, _, clock) = governed(RetryPolicy::new());
    let response = http.get(stub.url("/a")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let waited = total(&clock.slept());
    assert!(
        waited >= Duration::from_secs(12) && waited < Duration::from_secs(14),
        "waited {waited:?}"
    );
}

#[tokio::test]
async fn the_caller_still_reads_a_body_the_governor_read() {
    let envelope = r#"{"error":{"retry_after_seconds":3}}"#;
    let stub = Stub::new(vec![reply(
        "429 Too Many Requests",
        &[("content-type", "application/json"), ("x-request-id", "r1")],
        envelope,
    )]);
    let (http, _, _) = governed(RetryPolicy::never());
    let url = stub.url("/a?page=2");
    let response = http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.url().as_str(), url);
    assert_eq!(response.headers()["x-request-id"], "r1");
    assert_eq!(response.text().await.unwrap(), envelope);
}

#[tokio::test]
async fn a_body_longer_than_the_scan_limit_reaches_the_caller_whole() {
    let body: String = (0..100_000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let stub = Stub::new(vec![chunked_reply("503 Service Unavailable", &body, 4000)]);
    let (http, governor, _) = governed(RetryPolicy::never());
    let response = http.get(stub.url("/a")).send().await.unwrap();
    assert_eq!(response.status(), 503);
    let text = response.text().await.unwrap();
    assert_eq!(text.len(), body.len());
    assert!(text == body, "the body changed");
    assert_eq!(governor.stats().rejected, 1);
}

#[tokio::test]
async fn a_body_cut_short_while_the_governor_reads_it_fails_for_the_caller_too() {
    // A chunked 429 whose connection closes in the middle of a chunk.
    let cut = "HTTP/1.1 429 Too Many Requests\r\nconnection: close\r\n\
               transfer-encoding: chunked\r\n\r\n10\r\n{\"error\":";
    let stub = Stub::new(vec![Reply::Raw(cut.to_owned())]);
    let (http, governor, _) = governed(RetryPolicy::never());
    let response = http.get(stub.url("/a")).send().await.unwrap();
    assert_eq!(response.status(), 429);
    let read = response.bytes().await;
    assert!(read.is_err(), "the caller must see the cut: {read:?}");
    assert_eq!(governor.stats().rejected, 1);
}
