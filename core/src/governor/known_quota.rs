//! [`KnownQuota`]: plan limits the caller knows but the server does not announce
//! ("400 per hour and 2 per second", "50,000 submissions ever, warn at 45,000"),
//! enforced by the governor together with whatever the server says.
//!
//! A per-period quota of at most [`SLIDING_LOG`] requests is enforced exactly as a
//! sliding window (a log of the last send instants), which is also safe against a
//! fixed-window server. A larger one is enforced as fixed windows that start at the
//! first request after the previous window ended (safe against fixed-window servers
//! and billing periods; against a sliding-window server use [`Mode::Smooth`](super::Mode)).

use core::time::Duration;

use super::MonoTime;

/// Largest per-period limit enforced with an exact sliding log.
pub const SLIDING_LOG: usize = 32;

/// A quota declared by the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KnownQuota {
    /// At most `limit` requests in any `period`.
    PerPeriod {
        /// Requests allowed per period.
        limit: u64,
        /// The period.
        period: Duration,
    },
    /// At most `limit` requests in total; decisions flag when `warn_at` is reached.
    Lifetime {
        /// Requests allowed in total.
        limit: u64,
        /// Count at which decisions start carrying a warning.
        warn_at: u64,
    },
}

/// Enforcement state of one declared quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct QuotaState {
    pub quota: KnownQuota,
    log: [MonoTime; SLIDING_LOG],
    /// Sends recorded in the log (at most `SLIDING_LOG`) or in the current fixed window.
    count: u64,
    /// Index of the oldest entry in the ring.
    head: usize,
    window_start: Option<MonoTime>,
}

impl QuotaState {
    pub const fn new(quota: KnownQuota) -> Self {
        QuotaState {
            quota,
            log: [MonoTime::ZERO; SLIDING_LOG],
            count: 0,
            head: 0,
            window_start: None,
        }
    }

    fn sliding(&self) -> Option<(usize, Duration)> {
        match self.quota {
            KnownQuota::PerPeriod { limit, period } if limit <= SLIDING_LOG as u64 => {
                Some((usize::try_from(limit).unwrap_or(SLIDING_LOG), period))
            }
            _ => None,
        }
    }

    /// Records a send.
    pub fn on_send(&mut self, at: MonoTime) {
        match self.quota {
            KnownQuota::Lifetime { .. } => {}
            KnownQuota::PerPeriod { period, .. } => {
                if let Some((limit, _)) = self.sliding() {
                    if limit == 0 {
                        return;
                    }
                    let len = usize::try_from(self.count).unwrap_or(limit);
                    if len < limit {
                        let slot = self
                            .head
                            .saturating_add(len)
                            .checked_rem(limit)
                            .unwrap_or(0);
                        if let Some(s) = self.log.get_mut(slot) {
                            *s = at;
                        }
                        self.count = self.count.saturating_add(1);
                    } else {
                        // Full ring: overwrite the oldest.
                        if let Some(s) = self.log.get_mut(self.head) {
                            *s = at;
                        }
                        self.head = self.head.saturating_add(1).checked_rem(limit).unwrap_or(0);
                    }
                    return;
                }
                let expired = self
                    .window_start
                    .is_none_or(|start| at >= start.saturating_add(period));
                if expired {
                    self.window_start = Some(at);
                    self.count = 0;
                }
                self.count = self.count.saturating_add(1);
            }
        }
    }

    /// The earliest instant the next request may be sent; `None` when it may be sent
    /// now. `sent_total` is the number of requests sent so far (for lifetime quotas);
    /// a lifetime quota that is used up returns [`Blocked::Forever`].
    pub fn next_allowed(
        &self,
        now: MonoTime,
        sent_total: u64,
    ) -> Result<Option<MonoTime>, Blocked> {
        match self.quota {
            KnownQuota::Lifetime { limit, .. } => {
                if sent_total >= limit {
                    Err(Blocked::Forever)
                } else {
                    Ok(None)
                }
            }
            KnownQuota::PerPeriod { limit, period } => {
                if limit == 0 {
                    return Err(Blocked::Forever);
                }
                if let Some((limit, period)) = self.sliding() {
                    let len = usize::try_from(self.count).unwrap_or(limit);
                    if len < limit {
                        return Ok(None);
                    }
                    let oldest = self.log.get(self.head).copied().unwrap_or(MonoTime::ZERO);
                    let free_at = oldest.saturating_add(period);
                    return Ok((free_at > now).then_some(free_at));
                }
                match self.window_start {
                    Some(start) if self.count >= limit => {
                        let end = start.saturating_add(period);
                        Ok((end > now).then_some(end))
                    }
                    _ => Ok(None),
                }
            }
        }
    }

    /// True when a lifetime quota has reached its warning threshold.
    pub fn warns(&self, sent_total: u64) -> bool {
        matches!(self.quota, KnownQuota::Lifetime { warn_at, .. } if sent_total >= warn_at)
    }
}

/// A declared quota that can never allow another request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Blocked {
    Forever,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ms: u64) -> MonoTime {
        MonoTime::from_millis(ms)
    }

    #[test]
    fn two_per_second_is_a_sliding_window() {
        let mut q = QuotaState::new(KnownQuota::PerPeriod {
            limit: 2,
            period: Duration::from_secs(1),
        });
        assert_eq!(q.next_allowed(t(0), 0), Ok(None));
        q.on_send(t(0));
        q.on_send(t(900));
        assert_eq!(q.next_allowed(t(950), 2), Ok(Some(t(1000))));
        q.on_send(t(1000));
        // Any one-second interval holds at most two sends: next is 1 s after 900 ms.
        assert_eq!(q.next_allowed(t(1000), 3), Ok(Some(t(1900))));
    }

    #[test]
    fn large_limits_use_anchored_fixed_windows() {
        let mut q = QuotaState::new(KnownQuota::PerPeriod {
            limit: 400,
            period: Duration::from_secs(3600),
        });
        for i in 0..400 {
            q.on_send(t(i));
        }
        assert_eq!(q.next_allowed(t(500), 400), Ok(Some(t(3_600_000))));
        q.on_send(t(3_600_000));
        assert_eq!(q.next_allowed(t(3_600_001), 401), Ok(None));
    }

    #[test]
    fn lifetime_cap_blocks_and_warns() {
        let q = QuotaState::new(KnownQuota::Lifetime {
            limit: 50_000,
            warn_at: 45_000,
        });
        assert!(!q.warns(44_999));
        assert!(q.warns(45_000));
        assert_eq!(q.next_allowed(t(0), 49_999), Ok(None));
        assert_eq!(q.next_allowed(t(0), 50_000), Err(Blocked::Forever));
    }
}
