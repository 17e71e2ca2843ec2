//! The tower adapter's behaviour against a scripted inner service on a FakeClock:
//! no network, no real sleeping; every wait the governor asked for is recorded.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::Full;
use http_body_util::combinators::BoxBody;
use ratelimit_governor::GovernorConfig;
use ratelimit_governor_std::tower::{Error, GovernorLayer, NoReplay, ReplayBody};
use ratelimit_governor_std::{FakeClock, Governor, GovernorError, RetryPolicy, Settings};
use tower::{Layer, Service, ServiceExt};

const URL: &str = "http://api.test/items";

/// What the scripted server answers, in order.
type Answer = Result<Response<String>, io::Error>;

/// A request as the inner service saw it.
#[derive(Debug, PartialEq)]
struct Seen {
    method: Method,
    body: String,
}

/// The scripted inner service's shared log and script.
#[derive(Clone, Default)]
struct Script {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Script {
    fn new(answers: Vec<Answer>) -> Self {
        Script {
            answers: Arc::new(Mutex::new(answers.into())),
            seen: Arc::default(),
        }
    }

    fn seen(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }

    /// A tower service answering from the script (and 200 when it runs out),
    /// recording each request; the body is rendered with `render`.
    fn service<B: Send + 'static>(
        &self,
        render: fn(&B) -> String,
    ) -> impl Service<Request<B>, Response = Response<String>, Error = io::Error, Future: Send>
    + Clone
    + Send
    + 'static {
        let script = self.clone();
        tower::service_fn(move |request: Request<B>| {
            let script = script.clone();
            async move {
                script.seen.lock().unwrap().push(Seen {
                    method: request.method().clone(),
                    body: render(request.body()),
                });
                let next = script.answers.lock().unwrap().pop_front();
                next.unwrap_or_else(|| Ok(response(200, &[])))
            }
        })
    }
}

fn response(status: u16, headers: &[(&str, &str)]) -> Response<String> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(format!("status {status}")).unwrap()
}

fn too_many(retry_after: &str) -> Answer {
    Ok(response(429, &[("retry-after", retry_after)]))
}

fn reset() -> Answer {
    Err(io::Error::new(
        io::ErrorKind::ConnectionReset,
        "connection reset",
    ))
}

fn governor(retry: RetryPolicy) -> (FakeClock, Governor<FakeClock>) {
    let clock = FakeClock::at_unix_secs(1_700_000_000);
    let settings = Settings {
        retry,
        seed: Some(7),
        ..Settings::default()
    };
    (clock.clone(), Governor::with_clock(clock, settings))
}

fn get(body: &str) -> Request<String> {
    Request::get(URL).body(body.to_owned()).unwrap()
}

fn post(body: &str) -> Request<String> {
    Request::post(URL).body(body.to_owned()).unwrap()
}

fn total(waits: &[Duration]) -> Duration {
    waits.iter().sum()
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_the_hint() {
    let (clock, governor) = governor(RetryPolicy::new());
    let script = Script::new(vec![too_many("7")]);
    let service = GovernorLayer::new(governor.clone()).layer(script.service(String::clone));

    let response = service.oneshot(get("payload")).await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let seen = script.seen();
    assert_eq!(seen.len(), 2, "one retry");
    assert_eq!(seen[1].body, "payload", "the retry sends the same body");
    let waited = total(&clock.slept());
    assert!(
        waited >= Duration::from_secs(7) && waited <= Duration::from_millis(7_700),
        "waited {waited:?}: Retry-After 7 s plus at most 10% jitter"
    );
    let stats = governor.stats();
    assert_eq!((stats.sent, stats.rejected, stats.retries), (2, 1, 1));
}

#[tokio::test]
async fn the_next_request_is_paced_by_the_previous_response_head() {
    let (clock, governor) = governor(RetryPolicy::new());
    let spent = Ok(response(
        200,
        &[
            ("ratelimit-policy", "\"burst\";q=5;w=2"),
            ("ratelimit", "\"burst\";r=0;t=2"),
        ],
    ));
    let script = Script::new(vec![spent]);
    let mut service = GovernorLayer::new(governor).layer(script.service(String::clone));

    for _ in 0..2 {
        let response = service.ready().await.unwrap().call(get("")).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    let waited = total(&clock.slept());
    assert!(
        waited >= Duration::from_secs(2) && waited <= Duration::from_millis(2_100),
        "the second request waits for the reset: {waited:?}"
    );
    assert_eq!(script.seen().len(), 2);
}

#[tokio::test]
async fn a_post_is_not_retried_and_the_caller_sees_the_429() {
    let (clock, governor) = governor(RetryPolicy::new());
    let script = Script::new(vec![too_many("1")]);
    let service = GovernorLayer::new(governor.clone()).layer(script.service(String::clone));

    let response = service.oneshot(post("order")).await.unwrap();

    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.body(), "status 429");
    assert_eq!(script.seen().len(), 1);
    assert!(clock.slept().is_empty());
    assert_eq!(governor.stats().retries, 0);
}

#[tokio::test]
async fn a_post_is_retried_when_the_policy_opts_in() {
    let (_clock, governor) = governor(RetryPolicy::new().retry_non_idempotent(true));
    let script = Script::new(vec![too_many("1")]);
    let service = GovernorLayer::new(governor).layer(script.service(String::clone));

    let response = service.oneshot(post("order")).await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let seen = script.seen();
    assert_eq!(seen.len(), 2);
    assert!(
        seen.iter()
            .all(|s| s.method == Method::POST && s.body == "order")
    );
}

#[tokio::test]
async fn a_stream_body_that_needs_a_retry_is_an_error_naming_the_request() {
    let (_clock, governor) = governor(RetryPolicy::new());
    let script = Script::new(vec![too_many("1")]);
    let service = GovernorLayer::new(governor)
        .layer(script.service(|_: &NoReplay<Full<Bytes>>| "stream".to_owned()));
    let request = Request::put(URL)
        .body(NoReplay(Full::new(Bytes::from_static(b"chunk"))))
        .unwrap();

    let error = service.oneshot(request).await.unwrap_err();

    match error {
        Error::Governor(GovernorError::BodyNotReplayable(e)) => {
            assert_eq!((e.method.as_str(), e.uri.as_str()), ("PUT", URL));
            assert_eq!(e.status, Some(429));
        }
        other => panic!("expected BodyNotReplayable, got {other:?}"),
    }
    assert_eq!(script.seen().len(), 1, "sent once, not re-sent truncated");
}

#[tokio::test]
async fn a_stream_body_goes_through_when_no_retry_is_needed() {
    let (_clock, governor) = governor(RetryPolicy::new());
    let script = Script::new(vec![]);
    type Stream = BoxBody<Bytes, Infallible>;
    let service = GovernorLayer::new(governor).layer(script.service(|_: &Stream| String::new()));
    let body: Stream = BoxBody::new(Full::new(Bytes::from_static(b"chunk")));
    assert!(body.replay().is_none());

    let response = service
        .oneshot(Request::get(URL).body(body).unwrap())
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_wait_above_max_wait_returns_the_last_response_then_gave_up() {
    let (clock, governor) = governor(RetryPolicy::new());
    let script = Script::new(vec![too_many("36000")]);
    let mut service = GovernorLayer::new(governor.clone()).layer(script.service(String::clone));

    // The 429 asks for 10 h, more than max_wait: the caller gets the 429.
    let first = service.ready().await.unwrap().call(get("")).await.unwrap();
    assert_eq!(first.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(script.seen().len(), 1);

    // The next request is not sent at all.
    let second = service.ready().await.unwrap().call(get("")).await;
    match second {
        Err(Error::Governor(GovernorError::GaveUp(gave_up))) => {
            assert!(
                gave_up.wait > GovernorConfig::DEFAULT.max_wait,
                "{gave_up:?}"
            );
            assert_eq!(gave_up.server, "http://api.test:80");
        }
        other => panic!("expected GaveUp, got {other:?}"),
    }
    assert!(script.seen().is_empty());
    assert!(clock.slept().is_empty(), "nothing is slept on a give-up");
    assert_eq!(governor.stats().gave_up, 2);
}

#[tokio::test]
async fn transport_errors_are_retried_for_get_with_backoff() {
    let (clock, governor) = governor(RetryPolicy::new());
    let script = Script::new(vec![reset(), reset()]);
    let service = GovernorLayer::new(governor.clone()).layer(script.service(String::clone));

    let response = service.oneshot(get("q")).await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(script.seen().len(), 3);
    let stats = governor.stats();
    assert_eq!((stats.transport_errors, stats.retries), (2, 2));
    assert!(!clock.slept().is_empty(), "backoff between the attempts");
}

#[tokio::test]
async fn a_transport_error_on_post_is_the_inner_error() {
    let (_clock, governor) = governor(RetryPolicy::new());
    let script = Script::new(vec![reset()]);
    let service = GovernorLayer::new(governor).layer(script.service(String::clone));

    let error = service.oneshot(post("order")).await.unwrap_err();

    assert_eq!(error.to_string(), "connection reset");
    let inner = error.into_inner().expect("the inner service's error");
    assert_eq!(inner.kind(), io::ErrorKind::ConnectionReset);
    assert_eq!(script.seen().len(), 1);
}

#[tokio::test]
async fn retries_stop_at_max_retries_with_the_last_response() {
    let (_clock, governor) = governor(RetryPolicy::new().max_retries(2));
    let script = Script::new((0..10).map(|_| too_many("1")).collect());
    let service = GovernorLayer::new(governor.clone()).layer(script.service(String::clone));

    let response = service.oneshot(get("")).await.unwrap();

    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(script.seen().len(), 3, "one attempt and two retries");
    assert_eq!(governor.stats().retries, 2);
}

#[tokio::test]
async fn a_relative_uri_names_no_server() {
    let (_clock, governor) = governor(RetryPolicy::new());
    let script = Script::new(vec![]);
    let service = GovernorLayer::new(governor).layer(script.service(String::clone));

    let error = service
        .oneshot(Request::get("/relative").body(String::new()).unwrap())
        .await
        .unwrap_err();

    assert!(matches!(error.governor(), Some(GovernorError::NoServer(_))));
    assert!(script.seen().is_empty());
}

#[tokio::test]
async fn clones_share_one_governor_across_tasks() {
    let (clock, governor) = governor(RetryPolicy::new());
    let spent = Ok(response(
        200,
        &[("retry-after", "3"), ("ratelimit", "\"w\";r=0;t=3")],
    ));
    let script = Script::new(vec![spent]);
    let service = GovernorLayer::new(governor.clone()).layer(script.service(String::clone));

    let first = tokio::spawn(service.clone().oneshot(get("a")));
    assert_eq!(first.await.unwrap().unwrap().status(), StatusCode::OK);
    let second = tokio::spawn(service.oneshot(get("b")));
    assert_eq!(second.await.unwrap().unwrap().status(), StatusCode::OK);

    assert!(total(&clock.slept()) >= Duration::from_secs(3));
    assert_eq!(governor.stats().sent, 2);
}
