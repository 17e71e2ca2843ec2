//! The bulk jobs every adapter runs against real rate limiters on 127.0.0.1
//! (express-rate-limit from npm, Flask-Limiter from PyPI), and the targets they must
//! meet (issue 8): zero rejections counted by the server and at most 1.10x the
//! quota's lower bound on every route that sends rate-limit headers, and at most one
//! rejection per window on a route that sends none.
//!
//! An adapter's test file lists its tests only: each names a job of [`jobs`] and the
//! adapter's [`Adapter`](adapter::Adapter) (one file per adapter here), and [`check`] does the rest.
//! The servers come from `servers/` (installed by `scripts/servers-setup.sh`); each
//! test starts its own server process, and a server that cannot start fails the
//! test loudly.
#![allow(dead_code)]

#[macro_use]
mod suite;

#[path = "../../../servers/support.rs"]
pub mod support;

#[path = "../../../servers/lower_bound.rs"]
pub mod lower_bound;

pub mod adapter;
pub mod check;
pub mod job;
pub mod jobs;
pub mod report;
pub mod route;
pub mod routes;
pub mod targets;

#[cfg(feature = "reqwest")]
pub mod reqwest_client;
#[cfg(any(feature = "tower", feature = "reqwest"))]
pub mod runtime;
#[cfg(feature = "tower")]
pub mod tower_client;
#[cfg(feature = "ureq")]
pub mod ureq_client;

pub use check::check;
