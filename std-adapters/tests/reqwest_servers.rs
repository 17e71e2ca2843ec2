//! The reqwest adapter (reqwest-middleware with the governor's middleware, one task
//! per worker) against real rate limiters on 127.0.0.1: the jobs of `common::jobs`,
//! checked by `common::check`.
//!
//! Install the servers first: `scripts/servers-setup.sh`.

#[macro_use]
mod common;

real_server_suite!(common::reqwest_client::Reqwest);
