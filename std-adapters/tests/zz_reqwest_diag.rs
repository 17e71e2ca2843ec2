#![cfg(feature = "reqwest")]
mod common;
use std::time::Instant;
use common::{DRAFT8, Route};
use ratelimit_governor_std::Governor;
use ratelimit_governor_std::reqwest::{WorkLeft, client};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diag() {
    let route: Route = DRAFT8;
    let workers: u64 = std::env::var("W").map_or(4, |v| v.parse().unwrap());
    let server = route.start();
    let mut b = reqwest::Client::builder();
    match std::env::var("POOL").as_deref() { Ok("none") => b = b.pool_max_idle_per_host(0), Ok("short") => b = b.pool_idle_timeout(std::time::Duration::from_secs(4)), _ => {} }
    let http = client(b.build().unwrap(), Governor::with_settings(route.settings()));
    let url = server.url(route.path);
    let t0 = Instant::now();
    let tasks: Vec<_> = (0..workers).map(|w| {
        let (http, url) = (http.clone(), url.clone());
        let n = route.requests / workers;
        tokio::spawn(async move {
            for done in 0..n {
                let start = t0.elapsed().as_secs_f64();
                let mut b = http.get(&url); if std::env::var("NOWL").is_err() { b = b.with_extension(WorkLeft(n - done)); } let r = b.send().await.unwrap();
                let h = |k: &str| r.headers().get_all(k).iter().map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>().join(" + ");
                eprintln!("{:7.3} {:7.3} w{w} {} {}", start, t0.elapsed().as_secs_f64(), r.status(), h("ratelimit"));
            }
        })
    }).collect();
    for t in tasks { t.await.unwrap(); }
    eprintln!("total {:.2}", t0.elapsed().as_secs_f64());
}
