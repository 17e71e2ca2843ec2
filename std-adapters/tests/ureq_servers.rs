//! The ureq adapter ([`GovernedAgent`](ratelimit_governor_std::ureq::GovernedAgent),
//! one thread per worker) against real rate limiters on 127.0.0.1: the jobs of
//! `common::jobs`, checked by `common::check`.

#[macro_use]
mod common;

real_server_suite!(common::ureq_client::Ureq);
