//! The oracle lower bound (`../shared/spec/governor.md` section 2.1): a scheduler that
//! sees the server's counters and gives each request the earliest conforming arrival
//! instant. Requests are identical, so greedy earliest-first is optimal; the bound is
//! the instant the last response reaches its client.

use super::server::{Server, ServerConfig};
use super::{Micros, split_rtt};

/// The completion time of `requests` requests shared by `clients` closed-loop clients
/// (one request at a time each, the first leaving at t = 0) with round-trip time `rtt`.
pub fn lower_bound(server: &ServerConfig, clients: usize, requests: u64, rtt: Micros) -> Micros {
    let (up, down) = split_rtt(rtt);
    let clients = clients.max(1);
    let mut left: Vec<u64> = (0..clients)
        .map(|c| share_of(requests, clients, c))
        .collect();
    // Earliest arrival at the server of each client's next request.
    let mut ready: Vec<Micros> = vec![up; clients];
    let mut server = Server::new(server.clone());
    let mut last = 0;
    let mut last_admit = 0;
    loop {
        let next = (0..clients)
            .filter(|&c| left[c] > 0)
            .min_by_key(|&c| (ready[c], c));
        let Some(c) = next else { break };
        // Everything before the previous admission was already found full for an
        // earlier-ready client, so the search starts there (and the counters never run
        // backwards).
        let at = server.earliest_conforming(ready[c].max(last_admit));
        last_admit = at;
        server.admit(at);
        left[c] -= 1;
        last = last.max(at + down);
        ready[c] = at + down + up;
    }
    last
}

/// Requests of client `c` when `requests` are split over `clients` (the first
/// `requests mod clients` clients get one more).
pub fn share_of(requests: u64, clients: usize, c: usize) -> u64 {
    let k = clients.max(1) as u64;
    requests / k + u64::from((c as u64) < requests % k)
}

#[cfg(test)]
mod tests {
    use super::super::SEC;
    use super::super::server::WindowSpec;
    use super::*;

    fn ms(x: Micros) -> Micros {
        x * 1000
    }

    #[test]
    fn spec_bounds_of_s1_s2_s3() {
        let s1 = ServerConfig::ietf(vec![
            WindowSpec::fixed("minute", 300, 60),
            WindowSpec::fixed("day", 10_000, 86_400),
        ]);
        // 900 requests in three windows, then 100 at one per RTT from t = 180 s.
        assert_eq!(lower_bound(&s1, 1, 1000, ms(50)), 180 * SEC + ms(4975));
        let s2 = ServerConfig::ietf(vec![WindowSpec::fixed("w", 100, 10)]);
        let b2 = lower_bound(&s2, 8, 1000, ms(50));
        assert!((90 * SEC..91 * SEC).contains(&b2), "{b2}");
        let s3 = ServerConfig::ietf(vec![WindowSpec::fixed("hour", 400, 3600)]);
        assert_eq!(lower_bound(&s3, 1, 1000, ms(50)), 7200 * SEC + ms(9975));
    }
}
