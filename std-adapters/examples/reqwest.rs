//! A bulk job through reqwest: fetch N items from a rate-limited server without
//! tripping its limit, and report what the governor did.
//!
//! ```text
//! cargo run -p ratelimit-governor-std --features reqwest --example reqwest -- \
//!     [URL] [COUNT] [WORKERS]
//! ```
//!
//! URL defaults to `http://127.0.0.1:3000/draft8` (`node servers/express/server.js`
//! prints its port; pass the URL it serves), COUNT to 30, WORKERS to 2. Every
//! worker shares one governor, so together they stay inside the server's quota.

use std::time::Instant;

use ratelimit_governor_std::reqwest::{WorkLeft, client};
use ratelimit_governor_std::{GaveUp, Governor};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:3000/draft8".to_owned());
    let count: u64 = args.next().map_or(Ok(30), |n| n.parse())?;
    let workers: u64 = args.next().map_or(Ok(2), |n| n.parse())?.max(1);

    let governor = Governor::new();
    let http = client(reqwest::Client::new(), governor.clone());
    let started = Instant::now();

    let mut jobs = Vec::new();
    for worker in 0..workers {
        let (http, url) = (http.clone(), url.clone());
        // This worker's share of the items: worker, worker + workers, ...
        let share = (worker..count).step_by(workers as usize).count() as u64;
        jobs.push(tokio::spawn(async move {
            let mut ok = 0u64;
            for done in 0..share {
                let sent = http
                    .get(&url)
                    .with_extension(WorkLeft(share - done))
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status().is_success() => ok += 1,
                    Ok(response) => eprintln!("worker {worker}: {}", response.status()),
                    Err(reqwest_middleware::Error::Middleware(e))
                        if e.downcast_ref::<GaveUp>().is_some() =>
                    {
                        eprintln!("worker {worker}: stopping: {e}");
                        break;
                    }
                    Err(e) => eprintln!("worker {worker}: {e}"),
                }
            }
            ok
        }));
    }
    let mut ok = 0;
    for job in jobs {
        ok += job.await?;
    }

    let stats = governor.stats();
    println!(
        "{ok}/{count} ok in {:.1} s: {} sent, {} rejected, {} retries, {} gave up, waited {:.1} s in total",
        started.elapsed().as_secs_f64(),
        stats.sent,
        stats.rejected,
        stats.retries,
        stats.gave_up,
        stats.waited.as_secs_f64()
    );
    Ok(())
}
