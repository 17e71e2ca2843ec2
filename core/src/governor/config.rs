//! [`GovernorConfig`]: how the governor spends quota and retries, with documented
//! defaults (`../shared/spec/governor.md` sections 0, 2.5-2.7, 4).

use core::time::Duration;

use crate::advice::DEFAULT_MAX_WAIT;
use crate::retry::{Backoff, HintRule, Jitter};

/// How quota is spent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Spend the quota at full speed, keeping a reserve for requests in flight, then wait
    /// until the binding window resets ("drain", governor.md 2.5 f). The fastest policy
    /// that is never rejected by a fixed-window server. The default.
    Batch,
    /// Spread the remaining quota of every binding window evenly until its reset
    /// (job- and share-aware pacing, governor.md 2.5 g): steady traffic, friendlier to
    /// sliding windows and backends that dislike bursts.
    Smooth,
}

/// How many units of a window to keep back for requests other clients have in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reserve {
    /// Estimated from drops in `remaining` between own responses: other clients' request
    /// rate times the round-trip time (governor.md 2.7). A lone client keeps none. The
    /// default.
    Strict,
    /// Keep nothing back for others: fastest, but clients sharing a key may see up to one
    /// rejection each per window.
    Optimistic,
    /// Keep this many units back.
    Fixed(u32),
}

/// Configuration of the governor. The defaults:
///
/// | field | default | why |
/// |---|---|---|
/// | `mode` | [`Mode::Batch`] | fastest zero-rejection policy for fixed windows |
/// | `reserve` | [`Reserve::Strict`] | zero rejections when a key is shared |
/// | `max_wait` | [`DEFAULT_MAX_WAIT`] (65 min) | waits for an hourly reset, gives up on a daily block |
/// | `wake_jitter_max` | 1 s (and at most 2% of the window) | sharers waking at a reset do not stampede |
/// | `reset_margin` | 0 | resets are measured from the server's `Date`, so no skew margin is needed |
/// | `backoff` | [`Backoff::new`] (1 s doubling to 20 s, full jitter) | after a rejection that gives no delay |
/// | `headerless_poll` | 1 s doubling to 4 s, equal jitter | polling a server that sends no headers at all for its reset: as often as the usual 1/2/4 s advice on average, fewer rejections, found sooner |
/// | `hint_rule` | [`HintRule::DEFAULT`] | the server's hint is a floor plus at most 10% / 1 s jitter |
/// | `secondary_wait` | 60 s | GitHub's documented minimum after a secondary rate limit |
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GovernorConfig {
    /// How quota is spent.
    pub mode: Mode,
    /// Reserve for other clients' in-flight requests.
    pub reserve: Reserve,
    /// Longest wait the governor asks for; a longer required wait is a give-up.
    pub max_wait: Duration,
    /// Largest positive jitter added to a wake-up at a window reset.
    pub wake_jitter_max: Duration,
    /// Extra time added to every reset instant (for servers whose clock is not trusted).
    pub reset_margin: Duration,
    /// Backoff after rejections that carry no usable delay.
    pub backoff: Backoff,
    /// Polling schedule after bare rejections from a server that sends no rate-limit
    /// headers and no `Retry-After` (between learned window boundaries).
    pub headerless_poll: Backoff,
    /// How a server hint combines with the backoff.
    pub hint_rule: HintRule,
    /// Minimum wait after a GitHub secondary rate limit without `retry-after`.
    pub secondary_wait: Duration,
}

impl GovernorConfig {
    /// The defaults (see the table on [`GovernorConfig`]).
    pub const DEFAULT: GovernorConfig = GovernorConfig {
        mode: Mode::Batch,
        reserve: Reserve::Strict,
        max_wait: DEFAULT_MAX_WAIT,
        wake_jitter_max: Duration::from_secs(1),
        reset_margin: Duration::ZERO,
        backoff: Backoff::new(),
        headerless_poll: Backoff::new()
            .cap(Duration::from_secs(4))
            .jitter(Jitter::Equal),
        hint_rule: HintRule::DEFAULT,
        secondary_wait: Duration::from_secs(60),
    };

    /// Sets the mode.
    pub const fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets the reserve.
    pub const fn reserve(mut self, reserve: Reserve) -> Self {
        self.reserve = reserve;
        self
    }

    /// Sets the longest wait.
    pub const fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Sets the wake-up jitter bound.
    pub const fn wake_jitter_max(mut self, max: Duration) -> Self {
        self.wake_jitter_max = max;
        self
    }

    /// Sets the reset margin.
    pub const fn reset_margin(mut self, margin: Duration) -> Self {
        self.reset_margin = margin;
        self
    }

    /// Sets the backoff.
    pub const fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Sets the hint rule.
    pub const fn hint_rule(mut self, rule: HintRule) -> Self {
        self.hint_rule = rule;
        self
    }
}

impl Default for GovernorConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}
