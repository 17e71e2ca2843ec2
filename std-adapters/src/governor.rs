//! [`Governor`]: one shared registry of per-server governor states, cheap to clone
//! into every task and thread.
//!
//! Each server ([`ServerKey`]) gets its own [`GovernorState`](ratelimit_governor::GovernorState)
//! behind its own mutex, created on first use. Locks are held only while the core
//! crate computes (nanoseconds), never across a sleep, an await or a request, so
//! concurrent requests to one server coordinate through the state: each send is
//! counted in flight before it leaves, and the next caller's decision already
//! reserves quota for it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use ratelimit_governor::{GovernorConfig, GovernorState, KnownQuota};

use crate::clock::{Clock, SystemClock};
use crate::key::ServerKey;
use crate::retry_policy::RetryPolicy;
use crate::server::{Server, ServerState};
use crate::stats::{Counters, Stats};

/// Shared governor state for every server a client talks to.
///
/// `Clone` shares it (an `Arc`): give one clone to each worker.
///
/// ```
/// use ratelimit_governor_std::{Governor, ServerKey};
///
/// let governor = Governor::new();
/// let key = ServerKey::from_url("https://api.example.com/v1/items").unwrap();
/// let server = governor.server(&key);
/// // Nothing is known yet: the first request goes at once.
/// let permit = server.acquire_blocking(None).unwrap();
/// let seen = permit.observe(200, &[("RateLimit", "\"burst\";r=0;t=2")], None);
/// assert_eq!(seen.status, 200);
/// // The quota is spent: the next request waits about two seconds.
/// assert!(server.quota().is_some_and(|q| q.remaining == Some(0)));
/// ```
#[derive(Clone, Debug)]
pub struct Governor<C: Clock = SystemClock> {
    pub(crate) inner: Arc<Inner<C>>,
}

#[derive(Debug)]
pub(crate) struct Inner<C> {
    pub(crate) clock: C,
    pub(crate) settings: Settings,
    pub(crate) servers: Mutex<HashMap<ServerKey, Arc<Mutex<ServerState>>>>,
    pub(crate) counters: Counters,
}

/// What every server's governor starts from.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The core governor's configuration (mode, reserve, `max_wait`, backoff ...).
    pub config: GovernorConfig,
    /// When and how often to retry.
    pub retry: RetryPolicy,
    /// Quotas the servers do not announce, declared for every server.
    pub quotas: Vec<KnownQuota>,
    /// Seed for the jitter samples; `None` seeds from the system's random hasher
    /// keys (different per process).
    pub seed: Option<u64>,
    /// A request header whose value partitions a server's governor (for example
    /// `authorization`: one governor per API key). `None`: one per server.
    pub partition_header: Option<http::HeaderName>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            config: GovernorConfig::DEFAULT,
            retry: RetryPolicy::new(),
            quotas: Vec::new(),
            seed: None,
            partition_header: None,
        }
    }
}

impl Governor<SystemClock> {
    /// A governor on the system clock with the default settings (see
    /// [`GovernorConfig`] and [`RetryPolicy`] for the values).
    pub fn new() -> Self {
        Governor::with_clock(SystemClock::new(), Settings::default())
    }

    /// A governor on the system clock with `settings`.
    pub fn with_settings(settings: Settings) -> Self {
        Governor::with_clock(SystemClock::new(), settings)
    }
}

impl Default for Governor<SystemClock> {
    fn default() -> Self {
        Governor::new()
    }
}

impl<C: Clock> Governor<C> {
    /// A governor on `clock` (a [`FakeClock`](crate::FakeClock) in tests).
    pub fn with_clock(clock: C, settings: Settings) -> Self {
        Governor {
            inner: Arc::new(Inner {
                clock,
                settings,
                servers: Mutex::new(HashMap::new()),
                counters: Counters::default(),
            }),
        }
    }

    /// The handle for `key`'s governor, created on first use.
    pub fn server(&self, key: &ServerKey) -> Server<C> {
        let mut servers = self
            .inner
            .servers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let state = match servers.get(key) {
            Some(state) => Arc::clone(state),
            None => {
                let fresh = Arc::new(Mutex::new(ServerState::new(
                    &self.inner.settings,
                    key,
                    servers.len(),
                )));
                servers.insert(key.clone(), Arc::clone(&fresh));
                fresh
            }
        };
        Server::new(key.clone(), state, Arc::clone(&self.inner))
    }

    /// The handle for the server a request goes to, partitioned by the
    /// [`Settings::partition_header`] when the request carries it. `None` for a URI
    /// without scheme or host.
    pub fn server_for(&self, uri: &http::Uri, headers: &http::HeaderMap) -> Option<Server<C>> {
        let mut key = ServerKey::from_uri(uri)?;
        if let Some(name) = &self.inner.settings.partition_header {
            if let Some(value) = headers.get(name) {
                key = key.with_partition(value.as_bytes());
            }
        }
        Some(self.server(&key))
    }

    /// The clock every server's governor runs on.
    pub fn clock(&self) -> &C {
        &self.inner.clock
    }

    /// The settings every server's governor started from.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// Totals over every server and every clone of this governor so far.
    pub fn stats(&self) -> Stats {
        self.inner.counters.snapshot()
    }

    /// The servers seen so far.
    pub fn servers(&self) -> Vec<ServerKey> {
        self.inner
            .servers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .cloned()
            .collect()
    }
}

impl ServerState {
    /// A fresh state for `key`, the `index`-th server seen.
    fn new(settings: &Settings, key: &ServerKey, index: usize) -> Self {
        let mut governor = GovernorState::new();
        for quota in &settings.quotas {
            // The core state holds four declared quotas; more are reported once.
            if governor.declare(*quota).is_err() {
                crate::events::warning(key, "more declared quotas than the governor holds (4)");
                break;
            }
        }
        let seed = settings
            .seed
            .unwrap_or_else(random_seed)
            .wrapping_add(index as u64);
        ServerState::from_parts(governor, seed, settings.retry.budget())
    }
}

/// A per-process random seed from the standard library's randomly keyed hasher.
fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0x9e37_79b9_7f4a_7c15);
    hasher.finish()
}
