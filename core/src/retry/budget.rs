//! [`RetryBudget`]: a token bucket that every retry must pay into, so retries cannot
//! multiply the load on a struggling server (`../shared/spec/governor.md` sections
//! 1.1 "What is Backoff For?", 1.2 retry quota, 1.5 gRPC retry throttling, 1.10).
//!
//! A retry count bounds one request's retries; a budget bounds the *fleet's*: when
//! most requests fail, backoff alone still sends `max_attempts ×` the traffic, while a
//! budget stops retrying after a fixed number of failures and resumes only as
//! successes refill it (circuit breaking). The two published kinds are tabled on
//! [`RetryBudget`].

use super::Retryability;

/// Milli-tokens per token.
const MILLI: u32 = 1000;

/// How a budget charges and refills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Rule {
    /// AWS retry quota: a retry acquires its cost up front.
    Quota {
        throttle_cost: u32,
        transient_cost: u32,
        timeout_cost: u32,
        first_success_refund: u32,
    },
    /// gRPC retry throttling: failures drain, successes refill, retries allowed above
    /// half.
    Ratio {
        failure_cost: u32,
        success_refill: u32,
    },
}

/// Proof that a retry was paid for; hand it back to [`RetryBudget::on_success`] when
/// the retried request succeeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ticket {
    milli_cost: u32,
}

impl Ticket {
    /// What the retry cost, in milli-tokens.
    pub const fn milli_cost(self) -> u32 {
        self.milli_cost
    }
}

/// A retry budget shared by every request to one service (the caller owns it and
/// decides its scope).
///
/// Two published kinds:
///
/// | | AWS standard ([`aws_standard`], [`aws_2026`]) | gRPC ([`grpc`]) |
/// |---|---|---|
/// | start = max | 500 tokens | 10 tokens |
/// | a retry costs (legacy / 2026) | throttled 5 / 5, transient 5 / 14, timeout 10 / 14 | nothing |
/// | a retry is allowed when | tokens >= cost | tokens > max / 2 |
/// | failure | nothing | −1 |
/// | success, first attempt | +1 | +0.1 |
/// | success after a retry | + the ticket's cost | +0.1 |
///
/// Tokens are stored in thousandths (milli-tokens) so gRPC's 0.1 refill is exact; no
/// float is involved and every update saturates within `[0, max]`.
///
/// [`aws_standard`]: RetryBudget::aws_standard
/// [`aws_2026`]: RetryBudget::aws_2026
/// [`grpc`]: RetryBudget::grpc
///
/// ```
/// use ratelimit_governor::retry::{RetryBudget, Retryability};
///
/// let mut budget = RetryBudget::aws_standard();
/// let mut retries = 0;
/// while budget.try_acquire(Retryability::Throttled, false).is_some() {
///     retries += 1;
/// }
/// assert_eq!(retries, 100); // 500 tokens / 5 per throttled retry
/// budget.on_success(None); // a first-attempt success refunds 1 token
/// assert_eq!(budget.tokens(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RetryBudget {
    milli_tokens: u32,
    milli_max: u32,
    rule: Rule,
}

impl RetryBudget {
    /// AWS SDK `standard` mode, legacy constants (section 1.2, Go v2 names in
    /// parentheses): 500 tokens (`DefaultRetryRateTokens`), a retry costs 5
    /// (`DefaultRetryCost`) or 10 after a timeout (`DefaultRetryTimeoutCost`), a
    /// first-attempt success refunds 1 (`DefaultNoRetryIncrement`).
    pub const fn aws_standard() -> Self {
        RetryBudget::quota(500, 5, 5, 10, 1)
    }

    /// AWS SDK `standard` mode with the 2026 constants (section 1.2): throttled
    /// retries cost 5, transient ones (timeouts included) 14.
    pub const fn aws_2026() -> Self {
        RetryBudget::quota(500, 5, 14, 14, 1)
    }

    /// An AWS-style quota with custom whole-token constants: `max` tokens (also the
    /// start), the cost of a throttled, transient and timeout retry, and the refund of
    /// a first-attempt success.
    pub const fn quota(
        max: u32,
        throttle_cost: u32,
        transient_cost: u32,
        timeout_cost: u32,
        first_success_refund: u32,
    ) -> Self {
        let milli_max = max.saturating_mul(MILLI);
        RetryBudget {
            milli_tokens: milli_max,
            milli_max,
            rule: Rule::Quota {
                throttle_cost: throttle_cost.saturating_mul(MILLI),
                transient_cost: transient_cost.saturating_mul(MILLI),
                timeout_cost: timeout_cost.saturating_mul(MILLI),
                first_success_refund: first_success_refund.saturating_mul(MILLI),
            },
        }
    }

    /// gRPC retry throttling with the gRFC A6 example constants (section 1.5):
    /// `maxTokens` 10, `tokenRatio` 0.1.
    pub const fn grpc() -> Self {
        RetryBudget::ratio(10_000, 100)
    }

    /// gRPC-style throttling with `max_milli_tokens` (`maxTokens × 1000`, also the
    /// start) and `milli_ratio` (`tokenRatio × 1000`) refilled per success; each
    /// failure costs 1 token.
    pub const fn ratio(max_milli_tokens: u32, milli_ratio: u32) -> Self {
        RetryBudget {
            milli_tokens: max_milli_tokens,
            milli_max: max_milli_tokens,
            rule: Rule::Ratio {
                failure_cost: MILLI,
                success_refill: milli_ratio,
            },
        }
    }

    /// Asks to retry a failure of kind `kind` (`timeout` marks a timed-out attempt,
    /// which AWS charges more). `None` means the budget is exhausted (or `kind` is
    /// [`Retryability::No`]): do not retry, surface the error. A `Some` ticket has been
    /// paid for.
    pub fn try_acquire(&mut self, kind: Retryability, timeout: bool) -> Option<Ticket> {
        if !kind.is_retryable() {
            return None;
        }
        match self.rule {
            Rule::Quota {
                throttle_cost,
                transient_cost,
                timeout_cost,
                ..
            } => {
                let cost = match (kind, timeout) {
                    (_, true) => timeout_cost,
                    (Retryability::Throttled, false) => throttle_cost,
                    _ => transient_cost,
                };
                let left = self.milli_tokens.checked_sub(cost)?;
                self.milli_tokens = left;
                Some(Ticket { milli_cost: cost })
            }
            Rule::Ratio { .. } => {
                let half = self.milli_max.checked_div(2).unwrap_or(0);
                (self.milli_tokens > half).then_some(Ticket { milli_cost: 0 })
            }
        }
    }

    /// Records a success: pass the ticket of the retry that succeeded, or `None` when
    /// the first attempt did.
    pub fn on_success(&mut self, ticket: Option<Ticket>) {
        let refill = match (self.rule, ticket) {
            (Rule::Quota { .. }, Some(t)) => t.milli_cost,
            (
                Rule::Quota {
                    first_success_refund,
                    ..
                },
                None,
            ) => first_success_refund,
            (Rule::Ratio { success_refill, .. }, _) => success_refill,
        };
        self.milli_tokens = self.milli_tokens.saturating_add(refill).min(self.milli_max);
    }

    /// Records a failed attempt (whether or not it will be retried). Only the gRPC
    /// kind charges for it.
    pub fn on_failure(&mut self) {
        if let Rule::Ratio { failure_cost, .. } = self.rule {
            self.milli_tokens = self.milli_tokens.saturating_sub(failure_cost);
        }
    }

    /// Whole tokens left (rounded down).
    pub const fn tokens(&self) -> u32 {
        self.milli_tokens / MILLI
    }

    /// Tokens left, in thousandths.
    pub const fn milli_tokens(&self) -> u32 {
        self.milli_tokens
    }

    /// The bucket's size (and start), in thousandths.
    pub const fn milli_max(&self) -> u32 {
        self.milli_max
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Retryability::{No, Throttled, Transient};

    fn drain(budget: &mut RetryBudget, kind: Retryability, timeout: bool) -> u32 {
        let mut n = 0;
        while budget.try_acquire(kind, timeout).is_some() {
            budget.on_failure();
            n += 1;
            assert!(n <= 1000, "budget never exhausts");
        }
        n
    }

    #[test]
    fn retries_until_exhausted() {
        // budget, kind, timeout, retries allowed from full
        let rows = [
            (RetryBudget::aws_standard(), Throttled, false, 100),
            (RetryBudget::aws_standard(), Transient, false, 100),
            (RetryBudget::aws_standard(), Transient, true, 50),
            (RetryBudget::aws_2026(), Throttled, false, 100),
            (RetryBudget::aws_2026(), Transient, false, 35),
            (RetryBudget::aws_2026(), Transient, true, 35),
            (RetryBudget::grpc(), Throttled, false, 5),
            (RetryBudget::grpc(), Transient, true, 5),
        ];
        for (mut budget, kind, timeout, want) in rows {
            assert_eq!(
                drain(&mut budget, kind, timeout),
                want,
                "{budget:?} {kind:?} {timeout}"
            );
        }
    }

    #[test]
    fn not_retryable_never_acquires() {
        for mut budget in [RetryBudget::aws_standard(), RetryBudget::grpc()] {
            assert_eq!(budget.try_acquire(No, false), None);
            assert_eq!(budget.milli_tokens(), budget.milli_max());
        }
    }

    #[test]
    fn aws_refunds() {
        let mut b = RetryBudget::aws_standard();
        let ticket = b.try_acquire(Transient, true);
        assert_eq!(b.tokens(), 490);
        b.on_success(ticket);
        assert_eq!(
            b.tokens(),
            500,
            "success after a retry refunds the acquired amount"
        );
        b.on_success(None);
        assert_eq!(b.tokens(), 500, "never above max");
        let _ = b.try_acquire(Throttled, false);
        b.on_failure();
        assert_eq!(b.tokens(), 495, "a failure refunds nothing");
        b.on_success(None);
        assert_eq!(b.tokens(), 496, "a first-attempt success refunds 1");
    }

    #[test]
    fn aws_exhausted_after_100_throttled_retries_then_recovers() {
        let mut b = RetryBudget::aws_standard();
        assert_eq!(drain(&mut b, Throttled, false), 100);
        assert_eq!(b.tokens(), 0);
        assert_eq!(b.try_acquire(Throttled, false), None);
        for _ in 0..4 {
            b.on_success(None);
        }
        assert_eq!(b.try_acquire(Throttled, false), None, "4 tokens < cost 5");
        b.on_success(None);
        assert!(b.try_acquire(Throttled, false).is_some());
    }

    #[test]
    fn grpc_stops_retries_at_half() {
        let mut b = RetryBudget::grpc();
        // tokens after each failure, retry allowed
        let rows = [
            (9_000, true),
            (8_000, true),
            (7_000, true),
            (6_000, true),
            (5_000, false),
            (4_000, false),
        ];
        for (tokens, allowed) in rows {
            b.on_failure();
            assert_eq!(b.milli_tokens(), tokens);
            assert_eq!(
                b.try_acquire(Transient, false).is_some(),
                allowed,
                "at {tokens}"
            );
        }
        b.on_success(None);
        assert_eq!(b.milli_tokens(), 4_100, "each success adds tokenRatio 0.1");
        for _ in 0..9 {
            b.on_success(None);
        }
        assert_eq!(b.milli_tokens(), 5_000);
        assert!(
            b.try_acquire(Transient, false).is_none(),
            "exactly half is not enough"
        );
        b.on_success(None);
        assert!(b.try_acquire(Transient, false).is_some());
    }

    #[test]
    fn never_negative_never_above_max() {
        let mut b = RetryBudget::grpc();
        for _ in 0..100 {
            b.on_failure();
        }
        assert_eq!(b.milli_tokens(), 0);
        for _ in 0..1000 {
            b.on_success(None);
        }
        assert_eq!(b.milli_tokens(), b.milli_max());
        let mut huge = RetryBudget::quota(u32::MAX, u32::MAX, 1, 1, u32::MAX);
        assert_eq!(huge.milli_max(), u32::MAX);
        let t = huge.try_acquire(Throttled, false);
        assert_eq!(huge.milli_tokens(), 0);
        huge.on_success(t);
        huge.on_success(None);
        assert_eq!(huge.milli_tokens(), u32::MAX);
    }
}
