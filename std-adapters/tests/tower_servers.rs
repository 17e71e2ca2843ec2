//! The tower adapter (hyper-util's legacy client through
//! [`GovernorLayer`](ratelimit_governor_std::tower::GovernorLayer), one task per
//! worker) against real rate limiters on 127.0.0.1: the jobs of `common::jobs`,
//! checked by `common::check`. Real clock, real sleeping.

#[macro_use]
mod common;

real_server_suite!(common::tower_client::Tower);
