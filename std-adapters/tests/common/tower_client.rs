//! The tower adapter as the real-server tests drive it: hyper-util's legacy client
//! through [`GovernorLayer`], one tokio task per worker on a two-thread runtime.

use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use ratelimit_governor_std::Governor;
use ratelimit_governor_std::tower::{Governed, GovernorLayer};
use tower::{Layer, ServiceExt};

use super::adapter::Adapter;
use super::report::{JobReport, Outcomes};
use super::runtime::runtime;

type Service = Governed<Client<HttpConnector, Empty<Bytes>>>;

/// The tower adapter ([`GovernorLayer`] over hyper-util's client).
pub struct Tower;

impl Adapter for Tower {
    const NAME: &'static str = "tower";

    fn run(&self, governor: Governor, url: &str, shares: &[u64]) -> JobReport {
        runtime().block_on(async {
            let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
            let service = GovernorLayer::new(governor).layer(client);
            let started = Instant::now();
            let tasks: Vec<_> = shares
                .iter()
                .map(|&n| tokio::spawn(worker(service.clone(), url.to_owned(), n)))
                .collect();
            let mut outcomes = Outcomes::default();
            for task in tasks {
                outcomes.add(task.await.expect("a tower worker panicked"));
            }
            let elapsed = started.elapsed();
            eprintln!("tower {url}: {:?}", service.governor().stats());
            JobReport {
                started,
                elapsed,
                outcomes,
            }
        })
    }
}

/// `n` GETs of `url` one after the other.
async fn worker(service: Service, url: String, n: u64) -> Outcomes {
    let mut outcomes = Outcomes::default();
    for _ in 0..n {
        let request = http::Request::get(url.as_str())
            .body(Empty::new())
            .expect("a GET request");
        match service.clone().oneshot(request).await {
            Ok(response) => {
                let status = response.status();
                // Read the body so the connection goes back to the pool.
                if let Err(e) = response.into_body().collect().await {
                    outcomes.failures.push(format!("body: {e}"));
                } else if status.is_success() {
                    outcomes.ok += 1;
                } else {
                    outcomes.failures.push(format!("status {status}"));
                }
            }
            Err(e) => outcomes.failures.push(e.to_string()),
        }
    }
    outcomes
}
