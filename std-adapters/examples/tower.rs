//! A bulk job through hyper-util's client wrapped in the governor's tower layer:
//! `N` GETs of one URL, spread over `WORKERS` tasks that share one governor.
//!
//! ```text
//! cargo run -p ratelimit-governor-std --features tower --example tower -- \
//!     [URL (default http://127.0.0.1:3000/draft8)] [N (default 30)] [WORKERS (default 1)]
//! ```
//!
//! Start a rate-limited server first, e.g. `node servers/express/server.js` (after
//! `scripts/servers-setup.sh`). Each line shows the status, what the server said
//! about its quota and how long the governor held the request back.

use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use ratelimit_governor_std::tower::GovernorLayer;
use ratelimit_governor_std::{Governor, ServerKey};
use tower::{Layer, ServiceExt};

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:3000/draft8".to_owned());
    let n: u64 = args.next().map_or(Ok(30), |a| a.parse())?;
    let workers: u64 = args.next().map_or(Ok(1), |a| a.parse())?;
    let key = ServerKey::from_url(&url).ok_or(format!("{url}: not an absolute http(s) URL"))?;

    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let governor = Governor::new();
    let service = GovernorLayer::new(governor.clone()).layer(client);

    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..workers.max(1) {
        let (service, url, governor, key) =
            (service.clone(), url.clone(), governor.clone(), key.clone());
        // Worker w sends requests w, w + workers, w + 2 * workers ...
        let mine: Vec<u64> = (worker..n).step_by(workers.max(1) as usize).collect();
        tasks.push(tokio::spawn(async move {
            for i in mine {
                let request = http::Request::get(url.as_str()).body(Empty::new())?;
                let sent = Instant::now();
                let response = service.clone().oneshot(request).await?;
                let status = response.status();
                response.into_body().collect().await?;
                let quota = governor.server(&key).quota();
                println!(
                    "#{i:<3} worker {worker}: {status} after {:>6.2} s (at {:>6.2} s), quota {quota:?}",
                    sent.elapsed().as_secs_f64(),
                    started.elapsed().as_secs_f64(),
                );
            }
            Ok::<(), Failure>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    println!(
        "{n} requests in {:.2} s; {:?}",
        started.elapsed().as_secs_f64(),
        governor.stats()
    );
    Ok(())
}
