//! [`Signals`]: rate-limit evidence that is not a window or a delay.

/// An IETF problem type (draft-09+ section "Problem Types").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemType {
    /// `#quota-exceeded` (429).
    QuotaExceeded,
    /// `#temporary-reduced-capacity` (503).
    TemporaryReducedCapacity,
    /// `#abnormal-usage-detected` (429).
    AbnormalUsageDetected,
}

impl ProblemType {
    /// The fragment name, e.g. `quota-exceeded`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ProblemType::QuotaExceeded => "quota-exceeded",
            ProblemType::TemporaryReducedCapacity => "temporary-reduced-capacity",
            ProblemType::AbnormalUsageDetected => "abnormal-usage-detected",
        }
    }
}

/// Everything else a response says about rate limiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Signals<'a> {
    /// `Stripe-Should-Retry` / `x-should-retry`: the server's explicit retry verdict.
    pub should_retry: Option<bool>,
    /// GitHub's "secondary rate limit" message in the body.
    pub secondary_rate_limit: bool,
    /// Discord `X-RateLimit-Global: true` or a `"global": true` body.
    pub global: bool,
    /// Discord `X-RateLimit-Scope` (`user`, `global`, `shared`).
    pub scope: Option<&'a str>,
    /// Why the request was limited (`Stripe-Rate-Limited-Reason`, Atlassian
    /// `RateLimit-Reason`).
    pub reason: Option<&'a str>,
    /// An IETF problem type in a problem+json body.
    pub problem: Option<ProblemType>,
    /// The raw JSON array of a problem+json `violated-policies` member.
    pub violated_policies: Option<&'a str>,
    /// A body that names a rate limit (`rate_limit_error`, `rate_limit_exceeded`,
    /// GraphQL `RATE_LIMITED`, `Throttled`, Twitter code 88 ...).
    pub body_marker: bool,
    /// Atlassian `X-RateLimit-NearLimit`.
    pub near_limit: Option<bool>,
}

impl<'a> Signals<'a> {
    /// True when anything here says the response was about a rate limit.
    pub fn any_evidence(&self) -> bool {
        self.secondary_rate_limit
            || self.global
            || self.scope.is_some()
            || self.reason.is_some()
            || self.problem.is_some()
            || self.violated_policies.is_some()
            || self.body_marker
    }

    /// The policy names of a problem+json `violated-policies` array.
    pub fn violated_policy_names(&self) -> impl Iterator<Item = &'a str> + 'a {
        let raw = self.violated_policies.unwrap_or("");
        raw.split(',').filter_map(|part| {
            let t = part
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim();
            let t = t.strip_prefix('"')?.strip_suffix('"')?;
            Some(t)
        })
    }
}
