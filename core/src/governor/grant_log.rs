//! [`GrantLog`]: the latest accepted own requests, as send and receive instants, for
//! when their units come back in a sliding log: a unit counted at arrival `a`
//! (between the send and the receipt) leaves the log `length` later, so it is
//! surely back by the receipt plus the length, and surely still out before the
//! send plus the length.

use core::time::Duration;

use super::MonoTime;

/// A ring of the latest `G` accepted requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GrantLog<const G: usize> {
    /// (sent, received), oldest overwritten first.
    entries: [(MonoTime, MonoTime); G],
    /// Entries written in all.
    written: u64,
}

impl<const G: usize> GrantLog<G> {
    pub const fn new() -> Self {
        GrantLog {
            entries: [(MonoTime::ZERO, MonoTime::ZERO); G],
            written: 0,
        }
    }

    /// Records an accepted request.
    pub fn push(&mut self, sent: MonoTime, received: MonoTime) {
        if G == 0 {
            return;
        }
        let slot = usize::try_from(self.written.checked_rem(G as u64).unwrap_or(0)).unwrap_or(0);
        if let Some(e) = self.entries.get_mut(slot) {
            *e = (sent, received);
        }
        self.written = self.written.saturating_add(1);
    }

    /// The grants still held.
    fn held(&self) -> &[(MonoTime, MonoTime)] {
        let n = usize::try_from(self.written).unwrap_or(usize::MAX).min(G);
        self.entries.get(..n).unwrap_or(&[])
    }

    /// True when every grant since `since` is still held (the ring has not
    /// overwritten any of them).
    pub fn covers(&self, since: MonoTime) -> bool {
        self.written <= G as u64 || self.held().iter().any(|&(sent, _)| sent <= since)
    }

    /// Accepted requests sent in `[from, to]`.
    pub fn sent_between(&self, from: MonoTime, to: MonoTime) -> u64 {
        let n = self
            .held()
            .iter()
            .filter(|&&(sent, _)| sent >= from && sent <= to)
            .count();
        u64::try_from(n).unwrap_or(u64::MAX)
    }

    /// For a snapshot of the server's log reported by a response to a request sent
    /// at `snap_sent` and received at `snap_recv`: the grants it surely counted and
    /// that were surely still in the log (answered before the snapshot's request
    /// left, sent less than `length` before its answer arrived). Each is surely back
    /// by its receipt plus `length`.
    pub fn returns(
        &self,
        snap_sent: MonoTime,
        snap_recv: MonoTime,
        length: Duration,
    ) -> impl Iterator<Item = MonoTime> + '_ {
        self.held()
            .iter()
            .filter(move |&&(sent, received)| {
                received <= snap_sent && sent.saturating_add(length) > snap_recv
            })
            .map(move |&(_, received)| received.saturating_add(length))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(x: u64) -> MonoTime {
        MonoTime::from_millis(x)
    }

    #[test]
    fn units_counted_in_a_snapshot_come_back_one_length_after_their_receipt() {
        let mut g: GrantLog<4> = GrantLog::new();
        g.push(ms(0), ms(50));
        g.push(ms(50), ms(100));
        g.push(ms(100), ms(150));
        // Snapshot from a request sent at 150 ms, answered at 200 ms; 1 s log.
        let mut back = g.returns(ms(150), ms(200), Duration::from_secs(1));
        assert_eq!(back.next(), Some(ms(1050)));
        assert_eq!(back.next(), Some(ms(1100)));
        assert_eq!(back.next(), Some(ms(1150)));
        assert_eq!(back.next(), None);
        // A grant answered after the snapshot's request left may not be in it.
        let back = g.returns(ms(120), ms(200), Duration::from_secs(1)).count();
        assert_eq!(back, 2);
    }

    #[test]
    fn the_ring_keeps_the_latest_and_says_when_it_no_longer_covers() {
        let mut g: GrantLog<2> = GrantLog::new();
        for i in 0..5 {
            g.push(ms(100 * i), ms(100 * i + 10));
        }
        assert!(g.covers(ms(350)));
        assert!(!g.covers(ms(250)));
        assert_eq!(
            g.returns(ms(1000), ms(1000), Duration::from_secs(1))
                .count(),
            2
        );
    }
}
