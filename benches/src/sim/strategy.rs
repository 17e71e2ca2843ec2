//! Client strategies (`../shared/spec/governor.md` section 3, "Strategies"): the seed
//! rules a-d, re-implemented on top of the library's parser, and the library's
//! governor driven exactly as an adapter drives it.
//!
//! Every strategy sees only its own client's responses, parsed by
//! `ratelimit_governor::parse` from the header bytes the server produced.

use std::time::Duration;

use ratelimit_governor::{
    Action, GovernorConfig, GovernorState, Limits, Mode, MonoTime, RandomSource, SplitMix64,
};

use super::clock::{Micros, SEC};

/// The strategies compared in every scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// (a) Fire; on 429 wait 1, 2, 4, 4, 4 ... s (Clerk seed). Reads no headers.
    Naive,
    /// (b) On 429 wait `Retry-After` if present, else (a).
    RetryAfter,
    /// (c) If any window has remaining/limit < 5%, sleep until its reset + 1 s; on
    /// 429, (b).
    Threshold,
    /// (d) Send-to-send interval = max over windows of reset/remaining; at remaining
    /// 0 wait until the reset; on 429, (b).
    EvenPacing,
    /// The library's governor, default configuration (`Mode::Batch`,
    /// `Reserve::Strict`), except `max_wait` where the scenario sets one
    /// ([`Scenario::governor_max_wait`](super::scenario::Scenario::governor_max_wait):
    /// generated scenarios allow the larger of the default and their longest window
    /// plus 2 min).
    Ours,
    /// The library's governor with `Mode::Smooth`, `max_wait` as for [`Strategy::Ours`].
    OursSmooth,
}

impl Strategy {
    /// Every strategy, in table order.
    pub const ALL: [Strategy; 6] = [
        Strategy::Naive,
        Strategy::RetryAfter,
        Strategy::Threshold,
        Strategy::EvenPacing,
        Strategy::Ours,
        Strategy::OursSmooth,
    ];

    /// The seed strategies a-d that "ours" must beat.
    pub const SEEDS: [Strategy; 4] = [
        Strategy::Naive,
        Strategy::RetryAfter,
        Strategy::Threshold,
        Strategy::EvenPacing,
    ];

    /// The label used in tables.
    pub const fn label(self) -> &'static str {
        match self {
            Strategy::Naive => "a naive 1/2/4s",
            Strategy::RetryAfter => "b Retry-After",
            Strategy::Threshold => "c thresh 5% +1s",
            Strategy::EvenPacing => "d pace reset/rem",
            Strategy::Ours => "ours (batch)",
            Strategy::OursSmooth => "ours-smooth",
        }
    }

    /// The short key used on the command line (`a` to `d`, `ours`, `smooth`).
    pub const fn key(self) -> &'static str {
        match self {
            Strategy::Naive => "a",
            Strategy::RetryAfter => "b",
            Strategy::Threshold => "c",
            Strategy::EvenPacing => "d",
            Strategy::Ours => "ours",
            Strategy::OursSmooth => "smooth",
        }
    }

    /// The strategy whose [`Strategy::key`] is `key`.
    pub fn from_key(key: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The governor's configuration for this strategy (`None` for the seed
    /// strategies a-d): the default, in `Mode::Smooth` for "ours-smooth", with
    /// `max_wait` set to `max_wait` when given.
    pub fn governor_config(self, max_wait: Option<Micros>) -> Option<GovernorConfig> {
        let mode = match self {
            Strategy::Ours => Mode::Batch,
            Strategy::OursSmooth => Mode::Smooth,
            _ => return None,
        };
        let cfg = GovernorConfig::DEFAULT.mode(mode);
        Some(match max_wait {
            Some(w) => cfg.max_wait(Duration::from_micros(w)),
            None => cfg,
        })
    }

    /// The seed rule of a-d (`None` for the governed strategies).
    fn seed_rule(self) -> Option<SeedRule> {
        match self {
            Strategy::Naive => Some(SeedRule::Naive),
            Strategy::RetryAfter => Some(SeedRule::RetryAfter),
            Strategy::Threshold => Some(SeedRule::Threshold),
            Strategy::EvenPacing => Some(SeedRule::EvenPacing),
            Strategy::Ours | Strategy::OursSmooth => None,
        }
    }

    /// A fresh client running this strategy; the governed ones configured as in
    /// [`Strategy::governor_config`].
    pub(crate) fn client(self, max_wait: Option<Micros>) -> Box<dyn Policy> {
        match (self.seed_rule(), self.governor_config(max_wait)) {
            (Some(rule), _) => Box::new(Seed::new(rule)),
            (None, Some(cfg)) => Box::new(Governed::new(cfg)),
            (None, None) => unreachable!("{self:?} is neither a seed rule nor the governor"),
        }
    }
}

/// What a client does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Send now.
    Send,
    /// Sleep this long, then send.
    Wait(Micros),
    /// Stop: the strategy gave up on its remaining work.
    GiveUp,
}

/// A client's decision logic.
pub(crate) trait Policy {
    /// Before each send (first attempts and retries alike) by `worker` (the run's
    /// index of the asking worker: client `c`'s worker `i` is `c × workers + i`),
    /// with `work_left` requests of the client still to send, this one included. A
    /// real client's strategy does not know which of its workers asks and ignores
    /// `worker`; a replay of a schedule needs it.
    fn next(&mut self, now: Micros, worker: usize, work_left: u64, rng: &mut SplitMix64) -> Step;
    /// A request left at `at`.
    fn sent(&mut self, at: Micros);
    /// The response to the request sent at `sent_at` arrived at `at`.
    fn received(&mut self, limits: &Limits<'_>, sent_at: Micros, at: Micros);
}

pub(crate) fn micros(d: Duration) -> Micros {
    u64::try_from(d.as_nanos().div_ceil(1000)).unwrap_or(u64::MAX)
}

fn mono(t: Micros) -> MonoTime {
    MonoTime::from_duration(Duration::from_micros(t))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SeedRule {
    Naive,
    RetryAfter,
    Threshold,
    EvenPacing,
}

/// One window as the latest response described it.
#[derive(Clone, Copy, Debug)]
struct Seen {
    limit: Option<u64>,
    remaining: u64,
    /// The advertised reset, as sent.
    reset: Option<Micros>,
    /// Receive instant plus the advertised reset.
    reset_at: Option<Micros>,
}

/// The seed strategies a-d.
struct Seed {
    rule: SeedRule,
    /// Consecutive 429s.
    failures: u32,
    /// Do not send before this instant (set by a 429).
    retry_at: Micros,
    last_send: Option<Micros>,
    windows: Vec<Seen>,
}

impl Seed {
    fn new(rule: SeedRule) -> Self {
        Seed {
            rule,
            failures: 0,
            retry_at: 0,
            last_send: None,
            windows: Vec::new(),
        }
    }
}

/// 1, 2, 4, 4, 4 ... s.
fn naive_backoff(failures: u32) -> Micros {
    SEC << failures.saturating_sub(1).min(2)
}

impl Policy for Seed {
    fn next(&mut self, now: Micros, _: usize, _: u64, _: &mut SplitMix64) -> Step {
        let mut at = self.retry_at;
        match self.rule {
            SeedRule::Naive | SeedRule::RetryAfter => {}
            SeedRule::Threshold => {
                for w in &self.windows {
                    let (Some(limit), Some(reset_at)) = (w.limit, w.reset_at) else {
                        continue;
                    };
                    // remaining / limit < 5%
                    if limit > 0 && w.remaining * 20 < limit {
                        at = at.max(reset_at + SEC);
                    }
                }
            }
            SeedRule::EvenPacing => {
                for w in &self.windows {
                    let (Some(reset), Some(reset_at)) = (w.reset, w.reset_at) else {
                        continue;
                    };
                    if reset_at <= now {
                        continue; // the window has reset: its numbers are void
                    }
                    if w.remaining == 0 {
                        at = at.max(reset_at);
                    } else if let Some(last) = self.last_send {
                        at = at.max(last + reset / w.remaining);
                    }
                }
            }
        }
        if at > now {
            Step::Wait(at - now)
        } else {
            Step::Send
        }
    }

    fn sent(&mut self, at: Micros) {
        self.last_send = Some(at);
    }

    fn received(&mut self, limits: &Limits<'_>, _sent_at: Micros, at: Micros) {
        if limits.status() == Some(429) {
            self.failures += 1;
            let hint = match self.rule {
                SeedRule::Naive => None,
                _ => limits.retry_after().map(micros),
            };
            self.retry_at = at + hint.unwrap_or_else(|| naive_backoff(self.failures));
        } else {
            self.failures = 0;
        }
        self.windows = limits
            .windows()
            .filter_map(|w| {
                let remaining = w.effective_remaining()?;
                let reset = w.reset.map(micros);
                Some(Seen {
                    limit: w.limit,
                    remaining,
                    reset,
                    reset_at: reset.map(|r| at + r),
                })
            })
            .collect();
    }
}

/// The library's governor, driven as an adapter drives it: `decide` before each send
/// and again after each wait, `on_send` when it says proceed, then `parse` +
/// `observe` for each response. A rejected request is sent again after a new
/// `decide`.
struct Governed {
    state: GovernorState,
    cfg: GovernorConfig,
}

impl Governed {
    fn new(cfg: GovernorConfig) -> Self {
        Governed {
            state: GovernorState::new(),
            cfg,
        }
    }
}

impl Policy for Governed {
    fn next(&mut self, now: Micros, _: usize, work_left: u64, rng: &mut SplitMix64) -> Step {
        let advice = self
            .state
            .decide(mono(now), Some(work_left), &self.cfg, rng.next_unit());
        match advice.action {
            Action::Proceed => Step::Send,
            Action::Wait => Step::Wait(micros(advice.wait)),
            Action::GiveUp => Step::GiveUp,
        }
    }

    fn sent(&mut self, at: Micros) {
        self.state.on_send(mono(at));
    }

    fn received(&mut self, limits: &Limits<'_>, sent_at: Micros, at: Micros) {
        self.state.observe(limits, mono(sent_at), mono(at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_governed_strategies_have_a_config_and_max_wait_overrides_the_default() {
        for s in Strategy::SEEDS {
            assert_eq!(s.governor_config(Some(SEC)), None);
        }
        assert_eq!(
            Strategy::Ours.governor_config(None),
            Some(GovernorConfig::DEFAULT)
        );
        let day = 86_400 * SEC + 120 * SEC;
        let ours = Strategy::Ours.governor_config(Some(day)).unwrap();
        assert_eq!(ours.max_wait, Duration::from_secs(86_520));
        assert_eq!(ours.mode, Mode::Batch);
        let smooth = Strategy::OursSmooth.governor_config(Some(day)).unwrap();
        assert_eq!(
            (smooth.max_wait, smooth.mode),
            (ours.max_wait, Mode::Smooth)
        );
        assert_eq!(
            Strategy::OursSmooth.governor_config(None).unwrap().max_wait,
            GovernorConfig::DEFAULT.max_wait
        );
    }
}
